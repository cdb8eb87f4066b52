// p50/p95 latency of costSummary, costBreakdown and spendOverTime over 30 days, after loading
// at least 1M events spread over those 30 days. Expects a running stack like pipeline.bench.
// Loading takes minutes; pass --skip-load to measure again on data loaded before (same --days-ago).
//   npm run bench:queries -w @agentledger/bench -- [--events 1000000] [--runs 200] [--skip-load]
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { AGENTS, graphql, NATS_URL, percentile, projectedCalls, publishCalls, waitForProjected } from './load.js';
import { measureRawRate } from './raw-rate.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '200' }, 'skip-load': { type: 'boolean', default: false } } });
const events = Number(values.events);
const runs = Number(values.runs);
// Thirty whole days of event time in 2018, the same every run, so --skip-load finds them again.
const fromMs = Date.UTC(2018, 5, 1);
const from = new Date(fromMs).toISOString();
const to = new Date(fromMs + 30 * 86_400_000).toISOString();

const nc = await connect({ servers: NATS_URL, name: 'bench-queries' });
try {
  const runId = `q${Date.now().toString(36)}`;
  console.log(`raw JetStream publish: ${(await measureRawRate(nc, runId)).toFixed(0)} msg/s`);
  if (!values['skip-load']) {
    const before = await projectedCalls(from, to);
    const started = performance.now();
    await publishCalls(nc, runId, events, fromMs, 30 * 86_400_000);
    const done = await waitForProjected(from, to, before + events, 60 * 60_000);
    console.log(`loaded ${events} events in ${((performance.now() - started) / 1000).toFixed(0)} s${done ? '' : ' (TIMED OUT before all were projected)'}`);
  }
  console.log(`events in the window: ${await projectedCalls(from, to)}`);
  // The three the issue names over the 30 whole days, then the shapes that read other rollups: a
  // window of partial days (the hourly rollups at both edges) and filters on two dimensions (the
  // rollups on all seven dimensions at once, cost_daily for whole days and cost_hourly at the edges).
  const partial = { from: new Date(fromMs + 86_400_000 + 5.5 * 3_600_000).toISOString(), to: new Date(fromMs + 29 * 86_400_000 + 17.75 * 3_600_000).toISOString() };
  const queries: ReadonlyArray<readonly [string, string, Record<string, string>]> = [
    ['costSummary over 30 days', 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost llmCalls toolCalls inputTokensTotal } }', { from, to }],
    ['costBreakdown(AGENT) over 30 days', 'query($from: DateTime!, $to: DateTime!) { costBreakdown(from: $from, to: $to, by: AGENT) { key totalCost llmCalls } }', { from, to }],
    ['spendOverTime(DAY, TEAM) over 30 days', 'query($from: DateTime!, $to: DateTime!) { spendOverTime(from: $from, to: $to, bucket: DAY, by: TEAM) { bucketStart key totalCost } }', { from, to }],
    ['costSummary, partial days (05:30 to 17:45)', 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost llmCalls } }', partial],
    [
      'costSummary(filter: agentId, team) over 30 days',
      `query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to, filter: { agentId: "${AGENTS[0]}", team: "team-0" }) { totalCost llmCalls } }`,
      { from, to },
    ],
    [
      'costBreakdown(MODEL, filter: team) over 30 days',
      'query($from: DateTime!, $to: DateTime!) { costBreakdown(from: $from, to: $to, by: MODEL, filter: { team: "team-0" }) { key totalCost llmCalls } }',
      { from, to },
    ],
  ];
  for (const [name, query, variables] of queries) {
    const timings: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await graphql(query, variables);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    console.log(`${name.padEnd(48)}: p50 ${percentile(timings, 50).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(1)} ms (${runs} runs)`);
  }
} finally {
  await nc.close();
}
