export { codecFor, contentTypeOf, toTimestamp, fromTimestamp, type Codec } from './codec.js';
export {
  SCHEMA_VERSION,
  factCodec,
  pricedCostCodec,
  priceSetCodec,
  deadLetterCodec,
  EVENT_TYPES,
  isEventType,
  typeToken,
  factKey,
  type EventType,
} from './events.js';
export {
  CallStatus,
  RunStatus,
  AgentPlatform,
  AgentLifecycle,
  type CommonData,
  type TokenUsage,
  type RoutingDecision,
  type LlmCall,
  type ToolCall,
  type RunStarted,
  type RunFinished,
  type OutcomeRecorded,
  type EvaluationScored,
  type SaasUsage,
  type AgentRegistered,
  type CloudEvent,
  type EventData,
  CloudEventSchema,
  EventDataSchema,
} from './gen/finops/v1/agent_events_pb.js';
export { CanonicalFactSchema, type CanonicalFact } from './gen/finops/v1/fact_pb.js';
export { CostKind, PricedCostSchema, type PricedCost, type CostBreakdown } from './gen/finops/v1/priced_cost_pb.js';
export { PriceKind, PriceSetSchema, type PriceSet, type PriceRates } from './gen/finops/v1/price_pb.js';
export { DeadLetterSchema, type DeadLetter, type DeadLetterHeader } from './gen/finops/v1/dead_letter_pb.js';
