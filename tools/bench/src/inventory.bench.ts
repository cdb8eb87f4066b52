// The inventory (CONTRACT part D) at fleet size: the inventory projection's facts/s for 10,000
// agents, then `agents` over the query bus (p50/p95), each printed next to the raw NATS figure of
// the same run. Starts its own inventory process (services/inventory/dist, built) on a namespace
// and a schema of its own on the machine's NATS and PostgreSQL, and removes them after.
//   npm run bench:inventory -w @agentledger/bench -- [--agents 10000] [--queries 50]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AgentLifecycle, AgentPlatform, agentsQuery, CallStatus, factCodec, toTimestamp, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { QueryClient } from '@agentledger/service-kit';
import { createTestBus, createTestSchema, eventually } from '@agentledger/testing';
import { percentile } from './load.js';
import { measureRawRate } from './raw-rate.js';

const { values } = parseArgs({ options: { agents: { type: 'string', default: '10000' }, queries: { type: 'string', default: '50' } } });
const agentCount = Number(values.agents);
const queryCount = Number(values.queries);
const TENANT = 'bench';
const main = fileURLToPath(new URL('../../../services/inventory/dist/main.js', import.meta.url));

/** Per agent: two model calls, a tool call and a run; one in ten registered, one in a hundred retired. */
function fleet(now: number): CanonicalFact[] {
  const facts: CanonicalFact[] = [];
  const common = (n: number) => ({ agentId: `agent-${n}`, team: `team-${n % 40}`, workflow: `flow-${n % 500}` });
  const at = (n: number, k: number) => toTimestamp(new Date(now - ((n * 7 + k) % (14 * 24 * 60)) * 60_000));
  const llm = { provider: 'openai', usage: { inputTokens: 100n, outputTokens: 20n }, attempt: 1, status: CallStatus.OK };
  for (let n = 0; n < agentCount; n++) {
    const base = { schemaVersion: 1, tenant: TENANT, source: `agent://agent-${n}`, common: common(n) };
    facts.push(
      factCodec.create({ ...base, eventId: `${n}-a`, type: 'llm.call', time: at(n, 0), payload: { case: 'llmCall', value: { ...llm, model: n % 2 ? 'gpt-4o' : 'gpt-4o-mini' } as never } }),
      factCodec.create({ ...base, eventId: `${n}-b`, type: 'llm.call', time: at(n, 1), payload: { case: 'llmCall', value: { ...llm, model: 'claude-sonnet-4' } as never } }),
      factCodec.create({ ...base, eventId: `${n}-c`, type: 'tool.call', time: at(n, 2), payload: { case: 'toolCall', value: { tool: `tool-${n % 30}`, attempt: 1, status: CallStatus.OK } as never } }),
      factCodec.create({ ...base, eventId: `${n}-d`, type: 'run.started', time: at(n, 3), payload: { case: 'runStarted', value: { trigger: 'bench' } as never } }),
    );
    if (n % 10 === 0) {
      const lifecycle = n % 100 === 0 ? AgentLifecycle.RETIRED : AgentLifecycle.PRODUCTION;
      facts.push(
        factCodec.create({
          ...base,
          eventId: `${n}-r`,
          type: 'agent.registered',
          time: at(n, 4),
          payload: { case: 'agentRegistered', value: { name: `Agent ${n}`, team: '', owner: `owner-${n % 12}@bench`, platform: AgentPlatform.INTERNAL, vendor: '', workflows: [], description: '', lifecycle } as never },
        }),
      );
    }
  }
  return facts;
}

interface Figures {
  p50: number;
  p95: number;
}

async function timed(count: number, request: () => Promise<unknown>): Promise<Figures> {
  const timings: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    await request();
    timings.push(performance.now() - sent);
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p95: percentile(timings, 95) };
}

const bus = await createTestBus();
const schema = await createTestSchema();
const service = spawn(process.execPath, [main], {
  env: { ...process.env, NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, DATABASE_URL: schema.connectionString, DATABASE_SCHEMA: schema.schema, INVENTORY_PORT: String(20_000 + Math.floor(Math.random() * 20_000)), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const raw = await measureRawRate(bus.nc, bus.token);
  const consumer = CONSUMERS.inventoryActivity;
  await eventually(async () => (await bus.jsm.consumers.info(streamIn(bus.ns, STREAMS.facts.name), consumer.durable).catch(() => null)) !== null, 60_000, 'the inventory to start');
  const facts = fleet(Date.now());
  const started = performance.now();
  for (let i = 0; i < facts.length; i += 1_000) {
    await bus.publisher.publishAll(
      facts.slice(i, i + 1_000).map((f) => ({ subject: subjects.fact(bus.ns, TENANT, f.type.replace('.', '_')), payload: factCodec.encode(f), options: { msgID: `${f.tenant}|${f.eventId}` } })),
    );
  }
  await eventually(async () => {
    const info = await bus.jsm.consumers.info(streamIn(bus.ns, STREAMS.facts.name), consumer.durable);
    return info.num_pending + info.num_ack_pending === 0 && info.delivered.stream_seq >= facts.length;
  }, 15 * 60_000, 'the inventory projection to catch up');
  const seconds = (performance.now() - started) / 1000;

  const client = new QueryClient(bus.nc, bus.ns, 30_000);
  const responder = bus.nc.subscribe(`${bus.token}.bench.echo`, { callback: (_error, msg) => void msg.respond(msg.data) });
  const request = new TextEncoder().encode(JSON.stringify({ tenant: TENANT, args: {} }));
  const rawRequest = await timed(queryCount, () => bus.nc.request(`${bus.token}.bench.echo`, request, { timeout: 5_000 }));
  responder.unsubscribe();
  const ask = (filter: Record<string, unknown> | null) => () => client.ask(agentsQuery, { tenant: TENANT, args: { filter } });
  const registered = await client.ask(agentsQuery, { tenant: TENANT, args: { filter: { registered: true } } });
  const filtered = await timed(queryCount, ask({ registered: true }));
  const retired = await timed(queryCount, ask({ status: 'RETIRED' }));
  let whole: string;
  try {
    const all = await timed(Math.min(queryCount, 10), ask(null));
    whole = `p50 ${all.p50.toFixed(1)} ms, p95 ${all.p95.toFixed(1)} ms`;
  } catch (error) {
    whole = `failed: ${(error as Error).message}`;
  }
  const ms = (f: Figures) => `p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms`;
  console.log(`raw JetStream publish:                        ${raw.toFixed(0)} msg/s`);
  console.log(`inventory projection (${facts.length} facts, ${agentCount} agents): ${(facts.length / seconds).toFixed(0)} facts/s end to end (${seconds.toFixed(1)} s)`);
  console.log(`raw NATS request/reply (small):               ${ms(rawRequest)}`);
  console.log(`agents(filter: {registered: true}) → ${registered.length} of ${agentCount}: ${ms(filtered)}`);
  console.log(`agents(filter: {status: RETIRED}):            ${ms(retired)}`);
  console.log(`agents, all ${agentCount}:                          ${whole}`);
} finally {
  if (service.exitCode === null) {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
  }
  await schema.cleanup();
  await bus.cleanup();
}
