import { CanonicalFactSchema } from './gen/finops/v1/fact_pb.js';
import { PricedCostSchema } from './gen/finops/v1/priced_cost_pb.js';
import { PriceSetSchema } from './gen/finops/v1/price_pb.js';
import { DeadLetterSchema } from './gen/finops/v1/dead_letter_pb.js';
import { codecFor } from './codec.js';

/** Current contract versions of the internal events (`schema_version`). */
export const SCHEMA_VERSION = 1;

export const factCodec = codecFor(CanonicalFactSchema);
export const pricedCostCodec = codecFor(PricedCostSchema);
export const priceSetCodec = codecFor(PriceSetSchema);
export const deadLetterCodec = codecFor(DeadLetterSchema);

/** CloudEvents `type` values of CONTRACT.md part A. */
export const EVENT_TYPES = [
  'llm.call',
  'tool.call',
  'run.started',
  'run.finished',
  'outcome.recorded',
  'evaluation.scored',
  'saas.usage',
  'agent.registered',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** `llm.call` → `llm_call`: the last token of a subject. */
export function typeToken(type: EventType): string {
  return type.replace('.', '_');
}

/** The dedupe key of a fact within its tenant: (`source`, `id`). */
export function factKey(source: string, eventId: string): string {
  return `${source}|${eventId}`;
}
