// The FOCUS export (CONTRACT part D) at a million rows: rows/s and bytes/s of
// GET /v1/export/focus as CSV and as Parquet, and the gateway's peak RSS (VmHWM) while it
// streams, printed next to the raw NATS figure of the same run. Starts its own attribution and
// gateway (services/*/dist, built) on a namespace and schemas of their own on the machine's
// NATS and PostgreSQL, fills attribution's cost_entry with SQL (the pipeline's own speed is
// bench:pipeline's), and removes everything after.
//   npm run bench:export -w @agentledger/bench -- [--rows 1000000] [--gateway-heap-mb 128]
// --gateway-heap-mb runs the gateway with --max-old-space-size (V8's old-generation cap), to see
// how much of its peak is garbage V8 had not yet collected.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestBus, createTestSchema, eventually } from '@agentledger/testing';
import { measureRawRate } from './raw-rate.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, 'gateway-heap-mb': { type: 'string' } } });
const rowCount = Number(values.rows);
const gatewayHeapMb = values['gateway-heap-mb'] === undefined ? undefined : Number(values['gateway-heap-mb']);
if (!Number.isInteger(rowCount) || rowCount < 1) throw new Error(`--rows must be a whole number above 0, got ${values.rows}`);
if (gatewayHeapMb !== undefined && (!Number.isInteger(gatewayHeapMb) || gatewayHeapMb < 16)) throw new Error(`--gateway-heap-mb must be a whole number of MB, at least 16, got ${values['gateway-heap-mb']}`);
const TENANT = 'bench';
const KEY = 'bench-export-key';
const FROM = '2026-10-01T00:00:00Z';
const TO = '2026-11-01T00:00:00Z';
const main = (service: string) => fileURLToPath(new URL(`../../../services/${service}/dist/main.js`, import.meta.url));
const port = () => 20_000 + Math.floor(Math.random() * 20_000);

const bus = await createTestBus();
const schemas = { attribution: await createTestSchema(), gateway: await createTestSchema() };
const ports = { attribution: port(), gateway: port() };
const children: ChildProcess[] = [];

function start(service: 'attribution' | 'gateway'): ChildProcess {
  const heapCap = service === 'gateway' && gatewayHeapMb !== undefined ? [`--max-old-space-size=${gatewayHeapMb}`] : [];
  const child = spawn(process.execPath, [...heapCap, main(service)], {
    env: {
      ...process.env,
      NATS_URL: bus.natsUrl,
      FINOPS_NAMESPACE: bus.token,
      DATABASE_URL: schemas[service].connectionString,
      DATABASE_SCHEMA: schemas[service].schema,
      [`${service.toUpperCase()}_PORT`]: String(ports[service]),
      AGENTLEDGER_API_KEYS: `${KEY}=${TENANT}:viewer`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The services log JSON lines at warn and above (LOG_LEVEL): shown, so a cut-off export says why.
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk.replace(/^(?=.)/gm, `[${service}] `)));
  children.push(child);
  return child;
}

const ready = (service: 'attribution' | 'gateway') =>
  eventually(async () => (await fetch(`http://127.0.0.1:${ports[service]}/readyz`).catch(() => null))?.status === 200, 60_000, `${service} to be ready`);

/** Peak resident set of a process so far, in MB (Linux's VmHWM). */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((candidate) => candidate.startsWith('VmHWM:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

/** A month of LLM calls by 50 agents, one cost_entry row each (kind 1: a first pricing), with a breakdown. */
const FILL = `
INSERT INTO cost_entry (tenant, cost_id, fact_key, kind, time, agent_id, team, workflow, environment, model, provider, tool, trace_id, span_id,
  llm_calls, tool_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, retries, retry_cost, escalations,
  escalation_cost, unpriced_calls, cost, attributes, fact_type, vendor, breakdown)
SELECT $1, 'nats|' || n, 'nats|' || n, 1, $2::timestamptz + (n * interval '2678 milliseconds'), 'agent-' || (n % 50), 'team-' || (n % 7), 'flow-' || (n % 20),
  'production', 'gpt-4o', 'openai', '', 'run-' || (n / 5), 'span-' || n, 1, 0, 1000 + n % 500, 200, 0, 0, 0, 0, 0, 0, 0, 0,
  ((1000 + n % 500) * 0.0000025 + 0.002)::numeric, '{}'::jsonb, 'llm.call', '',
  jsonb_build_object('input', ((1000 + n % 500) * 0.0000025)::text, 'output', '0.002')
FROM generate_series(0, $3::int - 1) AS n`;

async function download(format: string, gateway: ChildProcess): Promise<{ seconds: number; bytes: number; rows: number; peakMb: number }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/v1/export/focus?from=${FROM}&to=${TO}&format=${format}`, { headers: { authorization: `Bearer ${KEY}` } });
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  let peakMb = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (format === 'csv') for (const byte of chunk) if (byte === 10) lines++;
    peakMb = Math.max(peakMb, peakRssMb(gateway.pid!));
  }
  return { seconds: (performance.now() - started) / 1000, bytes, rows: format === 'csv' ? lines - 1 : rowCount, peakMb };
}

try {
  start('attribution');
  const gateway = start('gateway');
  await ready('attribution');
  await ready('gateway');
  const raw = await measureRawRate(bus.nc, bus.token);
  const filling = performance.now();
  await schemas.attribution.query(FILL, [TENANT, FROM, rowCount]);
  await schemas.attribution.query('ANALYZE cost_entry');
  console.log(`filled cost_entry with ${rowCount} rows in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
  const idleMb = peakRssMb(gateway.pid!);
  const csv = await download('csv', gateway);
  if (csv.rows !== rowCount) throw new Error(`the CSV held ${csv.rows} rows, not ${rowCount}`);
  const parquet = await download('parquet', gateway);
  const line = (name: string, figures: typeof csv) =>
    `FOCUS export ${name.padEnd(8)} ${figures.rows} rows in ${figures.seconds.toFixed(1)} s: ${(figures.rows / figures.seconds).toFixed(0)} rows/s, ${(figures.bytes / 1e6 / figures.seconds).toFixed(1)} MB/s (${(figures.bytes / 1e6).toFixed(0)} MB), gateway peak RSS ${figures.peakMb.toFixed(0)} MB`;
  console.log(`raw JetStream publish:              ${raw.toFixed(0)} msg/s`);
  console.log(`gateway peak RSS before the export: ${idleMb.toFixed(0)} MB${gatewayHeapMb === undefined ? '' : ` (old generation capped at ${gatewayHeapMb} MB)`}`);
  console.log(line('csv', csv));
  console.log(line('parquet', parquet));
} finally {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  await schemas.attribution.cleanup();
  await schemas.gateway.cleanup();
  await bus.cleanup();
}
