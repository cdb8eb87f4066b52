// Events/s of the whole pipeline (ingest → priced → projected) beside the raw JetStream publish
// rate of the same run. Expects a running stack (`npm start`; NATS_URL, GATEWAY_PORT,
// AGENTLEDGER_API_KEY/AGENTLEDGER_TENANT or .data/dev-api-key). Stops by itself.
//   npm run bench:pipeline -w @agentledger/bench -- [events=50000]
import { connect } from '@nats-io/transport-node';
import { NATS_URL, projectedCalls, publishCalls, waitForProjected } from './load.js';
import { measureRawRate } from './raw-rate.js';

const count = Number(process.argv[2] ?? 50_000);
const runId = `pipe${Date.now().toString(36)}`;
// A day of event time of its own (in 2019), so the count starts at zero.
const dayMs = Date.UTC(2019, 0, 1) + (Date.now() % 365) * 86_400_000;
const from = new Date(dayMs).toISOString();
const to = new Date(dayMs + 86_400_000).toISOString();

const nc = await connect({ servers: NATS_URL, name: 'bench-pipeline' });
try {
  const raw = await measureRawRate(nc, runId);
  const before = await projectedCalls(from, to);
  const started = performance.now();
  await publishCalls(nc, runId, count, dayMs, 86_400_000);
  const published = performance.now();
  const done = await waitForProjected(from, to, before + count, 10 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const projected = (await projectedCalls(from, to)) - before;
  console.log(`raw JetStream publish:            ${raw.toFixed(0)} msg/s`);
  console.log(`agent publish (batches of 100):   ${(count / ((published - started) / 1000)).toFixed(0)} events/s`);
  console.log(`pipeline ingest → priced → projected: ${(projected / seconds).toFixed(0)} events/s (${projected}/${count} events in ${seconds.toFixed(1)} s${done ? '' : ', TIMED OUT'})`);
  console.log(`pipeline / raw:                   ${((projected / seconds / raw) * 100).toFixed(1)} %`);
} finally {
  await nc.close();
}
