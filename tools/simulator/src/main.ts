#!/usr/bin/env node
// The fleet simulator: node tools/simulator/dist/main.js --rate 50 --tenant dev --duration 60 [--seed 7]
// Publishes the fleet's CloudEvents on finops.in.<tenant>.<type> (core NATS, as agents do) at
// about --rate events per second for --duration seconds, then stops. Same --seed and --epoch,
// same events. The fleet is a governance scenario too: owners in its registrations, a SaaS agent,
// an unregistered agent, an idle SaaS seat, a retired agent still running, and two teams on one workflow.
// Beside the fleet runs a runaway agent (runaway.ts): it makes sure its BLOCK budget exists (via
// the gateway, with AGENTLEDGER_API_KEY or .data/dev-api-key), then calls through pre-call checks
// until its budget blocks it. Its events carry wall-clock time, not --epoch's: a budget counts the
// period containing now. --no-runaway leaves it out.
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { Fleet, subjectFor, type CloudEvent } from './fleet.js';
import { startRunaway } from './runaway.js';

const USAGE =
  'usage: simulate [--rate <events/s>=50] [--tenant <tenant>=dev] [--duration <seconds>=60] [--seed <int>=1] [--epoch <ms>] [--nats <url>] [--namespace <token>]\n' +
  '                [--no-runaway] [--runaway-allowance <USD>=2.00] [--gateway <url>=http://localhost:4000/graphql] [--api-key <key>]';
const TICK_MS = 100;

function positive(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number\n${USAGE}\n`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    rate: { type: 'string' },
    tenant: { type: 'string', default: 'dev' },
    duration: { type: 'string' },
    seed: { type: 'string' },
    epoch: { type: 'string' },
    nats: { type: 'string', default: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' },
    namespace: { type: 'string', default: process.env.FINOPS_NAMESPACE ?? '' },
    'no-runaway': { type: 'boolean', default: false },
    'runaway-allowance': { type: 'string', default: '2.00' },
    gateway: { type: 'string', default: `http://localhost:${process.env.GATEWAY_PORT ?? 4000}/graphql` },
    'api-key': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!/^[A-Za-z0-9_-]{1,64}$/.test(values.tenant)) {
  process.stderr.write(`--tenant must match [A-Za-z0-9_-]{1,64}\n`);
  process.exit(2);
}
const rate = positive('rate', values.rate, 50);
const durationMs = positive('duration', values.duration, 60) * 1000;
const seed = Math.trunc(positive('seed', values.seed, 1));
const epoch = values.epoch === undefined ? Date.now() : Math.trunc(positive('epoch', values.epoch, 1));
const prefix = values.namespace ? `${values.namespace}.` : '';
if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(values['runaway-allowance']) || /^0(\.0+)?$/.test(values['runaway-allowance'])) {
  process.stderr.write(`--runaway-allowance must be a positive decimal amount of USD, e.g. 2.00\n${USAGE}\n`);
  process.exit(2);
}

const nc = await connect({ servers: values.nats, name: 'agentledger-simulator' });
const fleet = new Fleet({ seed, epoch });
const encoder = new TextEncoder();
const published = new Map<string, number>();
const publish = (event: CloudEvent) => {
  nc.publish(subjectFor(prefix, values.tenant, event.type), encoder.encode(JSON.stringify(event)));
  published.set(event.type, (published.get(event.type) ?? 0) + 1);
};

const started = Date.now();
// Event time runs from the epoch at wall-clock speed, so a fixed --epoch replays the same times.
const eventTime = () => epoch + (Date.now() - started);
for (const registration of fleet.registrations(eventTime())) publish(registration);
// The idle SaaS seat's last bill, days before the start: the inventory shows it IDLE yet costing money.
for (const past of fleet.history(eventTime())) publish(past);
process.stdout.write(`simulating ${rate} events/s for tenant "${values.tenant}" for ${durationMs / 1000} s (seed ${seed}, epoch ${epoch}) on ${values.nats}\n`);

let pending: CloudEvent[] = [];
let allowance = 0;
let stopping = false;
process.once('SIGINT', () => (stopping = true));
process.once('SIGTERM', () => (stopping = true));
const runaway = values['no-runaway']
  ? undefined
  : await startRunaway({
      nc,
      tenant: values.tenant,
      namespace: values.namespace,
      seed,
      epoch,
      allowance: values['runaway-allowance'],
      gateway: values.gateway,
      apiKey: values['api-key'],
      stopping: () => stopping || Date.now() - started >= durationMs,
      log: (line) => process.stdout.write(`${line}\n`),
    });
while (!stopping && Date.now() - started < durationMs) {
  allowance += (rate * TICK_MS) / 1000;
  while (allowance >= 1) {
    if (pending.length === 0) pending = fleet.nextRun(eventTime());
    publish(pending.shift()!);
    allowance -= 1;
  }
  await nc.flush();
  await new Promise((resolve) => setTimeout(resolve, TICK_MS));
}
for (const rest of pending) publish(rest); // finish the run in hand, so no run is left open
await runaway?.finished;
await nc.flush();
await nc.close();
const total = [...published.values()].reduce((sum, count) => sum + count, 0);
process.stdout.write(`published ${total} events in ${((Date.now() - started) / 1000).toFixed(1)} s: ${[...published].map(([type, count]) => `${type} ${count}`).join(', ')}\n`);
