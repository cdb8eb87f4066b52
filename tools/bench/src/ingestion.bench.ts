// Ingestion throughput: events/s from publish to canonical facts published, single events and
// batches, beside the raw JetStream publish rate of the same run. Runs the built ingestion service
// (services/ingestion/dist/main.js) on the shared NATS and Postgres, in a namespace and schema of
// its own, and cleans up. `npm run build` first, then `npm run bench:ingestion -w @agentledger/bench`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { eventPayloads, STREAMS, streamIn, subjectIn } from '@agentledger/jetstream';
import { createTestBus, eventually, freePort, testDatabaseUrl, type TestBus } from '@agentledger/testing';
import { rawJetStreamPublishRate } from './raw-publish.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SINGLE = Number(process.env.BENCH_SINGLE_EVENTS ?? 5_000);
const BATCHED = Number(process.env.BENCH_BATCHED_EVENTS ?? 20_000);
const BATCH_SIZE = 100;

const llmCall = (run: string, n: number) => ({
  specversion: '1.0',
  id: `${run}-${n}`,
  source: 'agent://bench',
  type: 'llm.call',
  time: new Date().toISOString(),
  data: { agentId: 'bench', traceId: run, spanId: `s${n}`, provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1834, outputTokens: 240, cacheReadTokens: 1024 } },
});

/** Facts published so far: ingestion bundles them, so each new message of the stream is opened once and its items counted. */
const counted = { seq: 0, facts: 0 };
async function factCount(bus: TestBus): Promise<number> {
  const stream = streamIn(bus.ns, STREAMS.facts.name);
  const last = (await bus.jsm.streams.info(stream)).state.last_seq;
  for (; counted.seq < last; counted.seq++) {
    const message = await bus.jsm.streams.getMessage(stream, { seq: counted.seq + 1 }).catch(() => null);
    if (message) counted.facts += eventPayloads({ data: message.data, headers: message.header }).length;
  }
  return counted.facts;
}

/** Publishes `messages` (at most 1,000 in flight) and waits until `expected` facts exist; events/s. */
async function measure(bus: TestBus, messages: Array<{ subject: string; body: Uint8Array }>, events: number): Promise<number> {
  const target = (await factCount(bus)) + events;
  const started = performance.now();
  const inFlight: Array<Promise<unknown>> = [];
  for (const message of messages) {
    inFlight.push(bus.js.publish(message.subject, message.body));
    if (inFlight.length >= 1_000) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await eventually(async () => (await factCount(bus)) >= target, 300_000, `${events} facts`);
  return events / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const bus = await createTestBus();
  const schema = `${bus.token}_ingestion`;
  const port = await freePort();
  const child = spawn(process.execPath, ['services/ingestion/dist/main.js'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, DATABASE_URL: process.env.DATABASE_URL ?? testDatabaseUrl(), DATABASE_SCHEMA: schema, INGESTION_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 60_000, 'ingestion to be ready');
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    // Nobody consumes alerts in this namespace: a stream to measure the bare publish rate on.
    const raw = await rawJetStreamPublishRate(bus.js, subjectIn(bus.ns, 'finops.alerts.bench.raw'));
    const single = await measure(
      bus,
      Array.from({ length: SINGLE }, (_, n) => ({ subject: subjectIn(bus.ns, 'finops.in.bench.llm_call'), body: encode(llmCall('single', n)) })),
      SINGLE,
    );
    const batches = Array.from({ length: Math.ceil(BATCHED / BATCH_SIZE) }, (_, b) => ({
      subject: subjectIn(bus.ns, 'finops.in.bench.batch'),
      body: encode(Array.from({ length: BATCH_SIZE }, (_, n) => llmCall('batched', b * BATCH_SIZE + n))),
    }));
    const batched = await measure(bus, batches, batches.length * BATCH_SIZE);
    const row = (what: string, rate: number) => `${what.padEnd(48)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} /s`;
    process.stdout.write(
      [
        row('raw JetStream publish (messages, no ingestion)', raw),
        row(`ingestion, single events (${SINGLE.toLocaleString('en-US')})`, single),
        row(`ingestion, batches of ${BATCH_SIZE} (${BATCHED.toLocaleString('en-US')} events)`, batched),
        '',
      ].join('\n'),
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    await bus.cleanup();
  }
}

await main();
