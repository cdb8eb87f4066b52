// Every figure of issue 12's table in one run, next to the raw JetStream publish rate of the same
// run, plus bytes on disk per event and rebuild (replay) events/s per service. Starts its own six
// services (services/*/dist, built) on a namespace and schemas of their own on the machine's NATS
// and PostgreSQL (removed after), as `npm start` runs them; `--replicas 2` runs two processes of
// every consumer on the same durables. Fails (exit 1) unless every total is exact to the decimal.
//   npm run bench:all -w @agentledger/bench -- [--events 200000] [--batched-events N] [--replicas 1|2] [--probes 20] [--runs 100]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { subjects } from '@agentledger/jetstream';
import { Decimal } from '@agentledger/money';
import { BENCH_PRICE, CallLoad, batches, publishAcked, singles, windowOf, type Window } from './bench-load.js';
import { percentile } from './load.js';
import { commandCpuSeconds, machineCpuSeconds } from './cpu-time.js';
import { OwnStack, SERVICES } from './own-stack.js';
import { measureRawRate } from './raw-rate.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '200000' }, replicas: { type: 'string', default: '1' }, probes: { type: 'string', default: '20' }, runs: { type: 'string', default: '100' }, 'batched-events': { type: 'string' } },
});
const events = Number(values.events);
const replicas = Number(values.replicas);
// The issue's batched row is 300,000 events: --batched-events 300000.
const batchedEvents = Number(values['batched-events'] ?? values.events);
const probes = Number(values.probes);
const runs = Number(values.runs);
if (!(events >= 100) || !(batchedEvents >= 100) || !(replicas === 1 || replicas === 2) || !(probes >= 1) || !(runs >= 1)) {
  throw new Error('usage: bench:all [--events N ≥ 100] [--batched-events N] [--replicas 1|2] [--probes K] [--runs R]');
}
const TENANT = 'bench';
const KEY = 'bench-all-key';
const runId = `all${Date.now().toString(36)}`;
// Every phase has a window of event time of its own, so each count starts at zero.
const singleWindow = windowOf(Date.UTC(2018, 0, 1), 30);
const batchedWindow = windowOf(Date.UTC(2018, 2, 1), 30);
const idleWindow = windowOf(Date.UTC(2018, 4, 1), 1);
const loadedWindow = windowOf(Date.UTC(2018, 4, 2), 1);
const halfLoadWindow = windowOf(Date.UTC(2018, 5, 1), 30);
const afterWindow = windowOf(Date.UTC(2018, 4, 3), 1);

const stack = await OwnStack.start({ replicas, apiKeys: `${KEY}=${TENANT}:admin` });
const { bus } = stack;
// Ctrl-C still removes the processes, the namespace and the schemas.
process.once('SIGINT', () => void stack.destroy().finally(() => process.exit(130)));
const single = subjects.rawEvent(bus.ns, TENANT, 'llm_call');
const batch = subjects.rawEvent(bus.ns, TENANT, 'batch');
let published = 0;

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(stack.url('/graphql'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`}`);
  return body.data;
}

const SUMMARY = 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost llmCalls unpricedCalls } }';
const summary = async (window: Window) => (await graphql<{ costSummary: { totalCost: string; llmCalls: number; unpricedCalls: number } }>(SUMMARY, { from: window.from, to: window.to })).costSummary;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `calls` calls are visible in the window; answers the moment they were. */
async function visible(window: Window, calls: number, intervalMs: number, timeoutMs = 60 * 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while ((await summary(window)).llmCalls < calls) {
    if (performance.now() > deadline) throw new Error(`timed out: fewer than ${calls} calls visible in ${window.from}…${window.to}`);
    await sleep(intervalMs);
  }
  return performance.now();
}

/** Fails loudly unless the window holds exactly the load: its count, and its total to the last decimal. */
async function expectExact(what: string, window: Window, load: CallLoad): Promise<string> {
  const figures = await summary(window);
  if (figures.llmCalls !== load.count || figures.unpricedCalls !== 0 || !new Decimal(figures.totalCost).eq(load.expected)) {
    throw new Error(`NOT EXACT (${what}): costSummary says ${figures.llmCalls} calls, ${figures.unpricedCalls} unpriced, totalCost ${figures.totalCost}; published ${load.count} calls totalling ${load.expected.toFixed()}`);
  }
  return `${figures.totalCost} = ${load.expected.toFixed()} (${load.count} calls)`;
}

/** Publishes one event of the probe load, then times it until it is visible in costSummary. */
async function probe(load: CallLoad, window: Window, index: number): Promise<number> {
  const sent = performance.now();
  await publishAcked(bus.js, single, [load.event(index)]);
  published++;
  return (await visible(window, index + 1, 5)) - sent;
}

/** A new run (trace) published after the batched load: ms until costSummary, and until run(traceId), show it. */
async function runProbe(load: CallLoad, window: Window, index: number): Promise<{ cost: number; run: number }> {
  const traceId = `${runId}-fresh-run-${index}`;
  const event = load.event(index) as { data: Record<string, unknown> };
  const sent = performance.now();
  await publishAcked(bus.js, single, [{ ...event, data: { ...event.data, traceId } }]);
  published++;
  let cost: number | undefined;
  let runMs: number | undefined;
  for (;;) {
    if (cost === undefined && (await summary(window)).llmCalls > index) cost = performance.now() - sent;
    if (runMs === undefined) {
      const { run } = await graphql<{ run: { traceId: string } | null }>('query($id: ID!) { run(traceId: $id) { traceId } }', { id: traceId });
      if (run) runMs = performance.now() - sent;
    }
    if (runMs !== undefined && cost !== undefined) return { cost, run: runMs };
    if (performance.now() - sent > 10 * 60_000) throw new Error(`run ${traceId} not visible after 10 minutes`);
    await sleep(5);
  }
}

/**
 * Publishes a probe event every `everyMs` until `done` settles, while one poller reads the probe
 * window's count: probe k is visible once k + 1 calls are (ingestion keeps the stream's order).
 * Answers each probe's ms from publish to visible.
 */
async function probesUntil(load: CallLoad, window: Window, done: Promise<unknown>, everyMs = 100): Promise<number[]> {
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  const sender = (async () => {
    while (!finished && sentAt.length < load.count) {
      const sent = performance.now();
      await publishAcked(bus.js, single, [load.event(sentAt.length)]);
      sentAt.push(sent);
      published++;
      await sleep(Math.max(0, everyMs - (performance.now() - sent)));
    }
  })();
  while (!finished || latencies.length < sentAt.length) {
    const calls = (await summary(window)).llmCalls;
    const now = performance.now();
    while (latencies.length < Math.min(calls, sentAt.length)) latencies.push(now - sentAt[latencies.length]!);
    await sleep(20);
  }
  await sender;
  await done;
  while (latencies.length < sentAt.length) {
    await visible(window, sentAt.length, 20);
    latencies.push(performance.now() - sentAt[latencies.length]!);
  }
  return latencies;
}

/** CPU seconds so far of the stack's processes, PostgreSQL, nats-server and the machine. */
function cpuSnapshot(stack: OwnStack) {
  return { perProcess: stack.cpuSeconds(), postgres: commandCpuSeconds('postgres'), nats: commandCpuSeconds('nats-server'), machine: machineCpuSeconds() };
}

/** Where the CPU went since `before`: per process, PostgreSQL, nats-server, their sum, and how busy the machine was. */
function cpuSince(stack: OwnStack, before: ReturnType<typeof cpuSnapshot>) {
  const now = cpuSnapshot(stack);
  const perProcess = now.perProcess.map(({ process, seconds }) => ({ process, seconds: seconds - (before.perProcess.find((entry) => entry.process === process)?.seconds ?? 0) }));
  const postgres = now.postgres - before.postgres;
  const nats = now.nats - before.nats;
  const sum = perProcess.reduce((total, entry) => total + entry.seconds, postgres + nats);
  const machineBusy = (now.machine.busy - before.machine.busy) / Math.max(1e-9, now.machine.total - before.machine.total);
  return { perProcess, postgres, nats, sum, machineBusy };
}

const ms = (samples: number[], ...ps: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return ps.map((p) => `p${p} ${percentile(sorted, p).toFixed(0)} ms`).join(', ');
};
const rows: Array<[string, string, string]> = [];
const row = (figure: string, value: string, raw = '') => {
  rows.push([figure, value, raw]);
  console.error(`bench: ${figure}: ${value}`);
};

/** A query run in each service's schema, its rows tagged with the service. */
async function inEverySchema<R extends Record<string, unknown>>(sql: string): Promise<Array<R & { service: string }>> {
  const tagged: Array<R & { service: string }> = [];
  for (const service of SERVICES) tagged.push(...(await stack.schemas[service].query<R>(sql)).map((entry) => ({ ...entry, service })));
  return tagged;
}

/** Bytes of every table of each service's schema (pg_total_relation_size: heap, indexes, TOAST). */
async function tableBytes(): Promise<Array<{ service: string; table: string; bytes: number }>> {
  const rows = await inEverySchema<{ table: string; bytes: string }>(
    "SELECT c.relname AS table, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'm')",
  );
  return rows.map((entry) => ({ service: entry.service, table: entry.table, bytes: Number(entry.bytes) }));
}

/**
 * The tables updated most (the rollups), with the share of their updates that were HOT — the new
 * version on the old one's page, no index entries, pruned without VACUUM — and the dead rows
 * waiting for autovacuum (pg_stat_user_tables: the services' counters, flushed within a second or so).
 */
async function updatedTables(): Promise<Array<{ service: string; table: string; updates: number; hot: number; dead: number }>> {
  const rows = await inEverySchema<{ table: string; updates: string; hot: string; dead: string }>(
    'SELECT relname AS table, n_tup_upd::text AS updates, n_tup_hot_upd::text AS hot, n_dead_tup::text AS dead FROM pg_stat_user_tables WHERE schemaname = current_schema() AND n_tup_upd > 0',
  );
  const tables = rows.map((entry) => ({ service: entry.service, table: entry.table, updates: Number(entry.updates), hot: Number(entry.hot), dead: Number(entry.dead) }));
  return tables.sort((a, b) => b.updates - a.updates).slice(0, 6);
}

try {
  const emptyBytes = (await tableBytes()).reduce((sum, entry) => sum + entry.bytes, 0);
  const raw = await measureRawRate(bus.nc, bus.token);
  const rawText = `${raw.toFixed(0)} raw JetStream publishes/s`;
  await graphql('mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input: BENCH_PRICE });

  // Idle freshness (the first probe also proves the price is in force: exactness is checked below).
  const idleLoad = new CallLoad(`${runId}-idle`, probes, idleWindow);
  const idle: number[] = [];
  for (let i = 0; i < probes; i++) idle.push(await probe(idleLoad, idleWindow, i));
  await expectExact('idle probes', idleWindow, idleLoad);
  row('freshness, idle stack (publish one event → visible in costSummary)', ms(idle, 50, 99));

  // End to end, one event per message.
  const singleLoad = new CallLoad(`${runId}-single`, events, singleWindow);
  const cpuBefore = cpuSnapshot(stack);
  let started = performance.now();
  await publishAcked(bus.js, single, singles(singleLoad));
  published += events;
  const singlePublished = performance.now();
  const singleSeconds = ((await visible(singleWindow, events, 250)) - started) / 1000;
  const singleExact = await expectExact('single events', singleWindow, singleLoad);
  row(`end-to-end events/s, ${events} events one per message, 30 days, 50 agents (publish → visible in costSummary)`, `${(events / singleSeconds).toFixed(0)} events/s (${singleSeconds.toFixed(1)} s; published at ${(events / ((singlePublished - started) / 1000)).toFixed(0)}/s)`, rawText);
  row('end-to-end / raw', `${((events / singleSeconds / raw) * 100).toFixed(1)} % (target ≥ 50 %)`);
  const cpu = cpuSince(stack, cpuBefore);
  row(
    `CPU per event during that load (ms of CPU per event; the box has ${cpus().length} cores, ${(1000 * cpus().length / (events / singleSeconds)).toFixed(2)} ms of CPU per event at the rate measured)`,
    `${cpu.perProcess.map(({ process, seconds }) => `${process} ${((1000 * seconds) / events).toFixed(3)}`).join(', ')}, postgres ${((1000 * cpu.postgres) / events).toFixed(3)}, nats-server ${((1000 * cpu.nats) / events).toFixed(3)}; all of these ${((1000 * cpu.sum) / events).toFixed(3)} ms; the machine was busy ${(100 * cpu.machineBusy).toFixed(0)} % of the time (everything running on it)`,
  );

  // Freshness under half the target load (the target is 0.5 × raw, so 0.25 × raw events/s), one per message.
  const halfRate = Math.max(100, Math.round(raw / 4));
  const halfLoad = new CallLoad(`${runId}-half`, Math.max(1_000, Math.round(events / 10)), halfLoadWindow);
  const loadedLoad = new CallLoad(`${runId}-loaded`, 10_000, loadedWindow);
  const paced = (async () => {
    const tick = Math.max(1, Math.round(halfRate / 10));
    const began = performance.now();
    for (let sent = 0; sent < halfLoad.count; sent += tick) {
      await publishAcked(bus.js, single, singles(halfLoad, sent, Math.min(halfLoad.count, sent + tick)));
      const due = began + ((sent + tick) / halfRate) * 1000;
      await sleep(Math.max(0, due - performance.now()));
    }
    published += halfLoad.count;
    const seconds = (performance.now() - began) / 1000;
    await visible(halfLoadWindow, halfLoad.count, 100);
    return seconds;
  })();
  // A probe every 100 ms while the load is published and until the stack has made all of it visible.
  const loaded = await probesUntil(loadedLoad, loadedWindow, paced);
  const pacedSeconds = await paced;
  await visible(halfLoadWindow, halfLoad.count, 250);
  await expectExact('half-target load', halfLoadWindow, halfLoad);
  await expectExact('probes under load', loadedWindow, new CallLoad(loadedLoad.runId, loaded.length, loadedWindow));
  row(`freshness under half the target load (${halfLoad.count} events at ${halfRate}/s asked, ${(halfLoad.count / pacedSeconds).toFixed(0)}/s sent)`, `${ms(loaded, 50, 99)} (${loaded.length} probes; target p99 < 1 s)`);

  // End to end, 100 events per message.
  const batchedLoad = new CallLoad(`${runId}-batched`, batchedEvents, batchedWindow);
  started = performance.now();
  await publishAcked(bus.js, batch, batches(batchedLoad, 100), 100);
  published += batchedEvents;
  const batchedSeconds = ((await visible(batchedWindow, batchedEvents, 250)) - started) / 1000;
  const batchedExact = await expectExact('batched', batchedWindow, batchedLoad);
  row(`batched (100 events/message) end-to-end, ${batchedEvents} events`, `${(batchedEvents / batchedSeconds).toFixed(0)} events/s (${batchedSeconds.toFixed(1)} s)`, rawText);

  // Right after the batched load: a new run, until costSummary and until run(traceId) show it.
  const afterLoad = new CallLoad(`${runId}-after`, probes, afterWindow);
  const after: Array<{ cost: number; run: number }> = [];
  for (let i = 0; i < probes; i++) after.push(await runProbe(afterLoad, afterWindow, i));
  await expectExact('after-batch probes', afterWindow, afterLoad);
  row('freshness right after the batched load: a new run visible in run(traceId)', `${ms(after.map((sample) => sample.run), 50, 99)} (in costSummary: ${ms(after.map((sample) => sample.cost), 50, 99)})`);

  // The 30-day queries over the single-event window.
  const queries = {
    costSummary: 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost llmCalls inputTokens } }',
    'costBreakdown(by: AGENT)': 'query($from: DateTime!, $to: DateTime!) { costBreakdown(from: $from, to: $to, by: AGENT) { key totalCost llmCalls } }',
    'spendOverTime(DAY)': 'query($from: DateTime!, $to: DateTime!) { spendOverTime(from: $from, to: $to, bucket: DAY) { bucketStart totalCost } }',
  };
  for (const [name, query] of Object.entries(queries)) {
    const timings: number[] = [];
    for (let i = 0; i < runs; i++) {
      const sent = performance.now();
      await graphql(query, { from: singleWindow.from, to: singleWindow.to });
      timings.push(performance.now() - sent);
    }
    row(`${name} over 30 days (${events} events in the window), ${runs} runs`, ms(timings, 50, 95));
  }

  // Bytes on disk: every table of every service's schema, over every event published in this run.
  const tables = await tableBytes();
  const totalBytes = tables.reduce((sum, entry) => sum + entry.bytes, 0);
  const perEvent = (bytes: number) => (bytes / published).toFixed(0);
  row(
    `Postgres on disk per event, all services (${(totalBytes / 1e6).toFixed(1)} MB / ${published} events)`,
    `${perEvent(totalBytes)} B; net of the empty schemas (${(emptyBytes / 1e6).toFixed(1)} MB) ${perEvent(totalBytes - emptyBytes)} B (target ≤ 1,024 B)`,
  );
  const perSchema = SERVICES.map((service) => `${service} ${perEvent(tables.filter((entry) => entry.service === service).reduce((sum, entry) => sum + entry.bytes, 0))}`);
  row('Postgres on disk per event, per schema (B)', perSchema.join(', '));
  const largest = [...tables].sort((a, b) => b.bytes - a.bytes).slice(0, 8);
  let streamBytes = 0;
  for await (const info of bus.jsm.streams.list()) if (info.config.name.startsWith(bus.ns.streamPrefix)) streamBytes += info.state.bytes;
  row(`JetStream store per event, every stream of the namespace (${(streamBytes / 1e6).toFixed(1)} MB)`, `${perEvent(streamBytes)} B`);
  row('largest tables (B per event)', largest.map((entry) => `${entry.service}.${entry.table} ${perEvent(entry.bytes)}`).join(', '));
  const updated = await updatedTables();
  row(
    'updates kept on their page (HOT) and dead rows, most-updated tables',
    updated.map((entry) => `${entry.service}.${entry.table} ${((100 * entry.hot) / entry.updates).toFixed(0)} % of ${entry.updates} (${entry.dead} dead)`).join(', '),
  );

  // Peak RSS of every process over the whole run (before any rebuild restarts it).
  row(`peak RSS per process (VmHWM, MB; ${replicas} replica${replicas === 1 ? '' : 's'} of each consumer)`, stack.peakRssMb().map((entry) => `${entry.process} ${entry.mb.toFixed(0)}`).join(', ') + ' (target < 200 each)');

  // Rebuild of each service with its processes stopped, then the totals again.
  const rebuilds: string[] = [];
  for (const service of SERVICES) {
    if (service === 'gateway') continue;
    const { seconds, startSeconds } = await stack.rebuild(service);
    // Under half a second left after the start-up is within the noise of a start-up: no figure.
    const replay = seconds - startSeconds >= 0.5 ? `${(published / (seconds - startSeconds)).toFixed(0)}/s` : 'start-up is all of it';
    rebuilds.push(`${service} ${(published / seconds).toFixed(0)}/s (${seconds.toFixed(1)} s; less its start-up of ${startSeconds.toFixed(1)} s: ${replay})`);
  }
  row(`rebuild (replay) events/s per service, ${published} events each, service stopped, timed from spawn to exit`, rebuilds.join(', '));
  await expectExact('single events after every rebuild', singleWindow, singleLoad);
  await expectExact('batched after every rebuild', batchedWindow, batchedLoad);
  row('exact: costSummary.totalCost = decimal sum published (before and after rebuild)', `single ${singleExact}; batched ${batchedExact}`);

  console.log(`bench:all, ${events} events, ${replicas} replica${replicas === 1 ? '' : 's'} per consumer, raw JetStream publish ${raw.toFixed(0)} msg/s\n`);
  console.log('| figure | measured | raw figure of the same run |');
  console.log('|---|---|---|');
  for (const [figure, value, rawFigure] of rows) console.log(`| ${figure} | ${value} | ${rawFigure} |`);
} catch (error) {
  console.error(`bench:all FAILED: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await stack.destroy();
}
