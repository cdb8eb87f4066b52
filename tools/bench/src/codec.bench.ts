// What the pipeline's protobuf work costs per event: decode and encode of the two messages every
// event becomes (its canonical fact, its priced cost), timed over many rounds with the codecs the
// services use, and summed the way the stack uses them. Printed next to a raw JetStream publish of
// the same run (the wall time one acked publish takes) for scale.
//   npm run bench:codec -w @agentledger/bench -- [--rounds 300000]
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { CallStatus, CostKind, factCodec, pricedCostCodec } from '@agentledger/contracts';
import { NATS_URL } from './load.js';
import { measureRawRate } from './raw-rate.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '300000' } } });
const rounds = Number(values.rounds);

const time = { seconds: 1_780_000_000n, nanos: 123_000_000 };
const common = { agentId: 'support-bot-17', traceId: 'trace-7f3a9c21', spanId: 'span-0004', team: 'support', workflow: 'refunds', environment: 'production', attributes: { customer: 'c-42' } };
const fact = factCodec.create({
  schemaVersion: 1,
  tenant: 'acme',
  eventId: 'evt-000123',
  source: 'agent://support-bot-17',
  type: 'llm.call',
  time,
  receivedAt: { seconds: 1_780_000_001n, nanos: 0 },
  channel: 'nats',
  common,
  payload: { case: 'llmCall', value: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1200n, outputTokens: 300n }, attempt: 1, status: CallStatus.OK, latencyMs: 850n } },
});
const cost = pricedCostCodec.create({
  schemaVersion: 1,
  kind: CostKind.PRICED,
  costId: 'agent://support-bot-17|evt-000123',
  tenant: 'acme',
  factKey: 'agent://support-bot-17|evt-000123',
  factType: 'llm.call',
  time,
  common,
  provider: 'openai',
  model: 'gpt-4o-mini',
  usage: { inputTokens: 1200n, outputTokens: 300n },
  attempt: 1,
  status: CallStatus.OK,
  priced: true,
  cost: '0.00036',
  currency: 'USD',
  breakdown: { input: '0.00018', output: '0.00018' },
  priceRef: 'default:openai/gpt-4o-mini@2024-07-18',
  catalogVersion: '2026-11-01',
});

/** Microseconds per call of `fn`, after a warm-up of a tenth of the rounds. */
function microseconds(fn: () => unknown): number {
  for (let i = 0; i < rounds / 10; i++) fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  return Number(process.hrtime.bigint() - started) / rounds / 1000;
}

function measure<M>(codec: { encode(message: M): Uint8Array; decode(bytes: Uint8Array): M }, message: M) {
  const bytes = codec.encode(message);
  return { bytes: bytes.length, encode: microseconds(() => codec.encode(message)), decode: microseconds(() => codec.decode(bytes)) };
}

const nc = await connect({ servers: NATS_URL, name: 'bench-codec' });
let raw: number;
try {
  raw = await measureRawRate(nc, `codec${Date.now().toString(36)}`);
} finally {
  await nc.close();
}
const f = measure(factCodec, fact);
const c = measure(pricedCostCodec, cost);
// Per event: ingestion encodes the fact; pricing decodes it, encodes the cost for its outbox and
// a slimmer copy for priced_usage (about half the bytes); attribution decodes the fact and the
// cost; budgeting decodes the cost; inventory decodes the fact.
const perEvent = f.encode + 3 * f.decode + 1.5 * c.encode + 2 * c.decode;
console.log(`bench:codec, ${rounds} rounds each, raw JetStream publish ${raw.toFixed(0)} msg/s (${(1e6 / raw).toFixed(1)} µs each)

| message | bytes | encode | decode |
|---|---|---|---|
| CanonicalFact (llm.call) | ${f.bytes} | ${f.encode.toFixed(2)} µs | ${f.decode.toFixed(2)} µs |
| PricedCost (PRICED) | ${c.bytes} | ${c.encode.toFixed(2)} µs | ${c.decode.toFixed(2)} µs |
| per event across the stack (1 fact encode, 3 fact decodes, 1.5 cost encodes, 2 cost decodes) | | ${perEvent.toFixed(1)} µs in all | |`);
