export { AgentLedger, type AgentLedgerOptions } from './agent-ledger.js';
export { QueueFull, DEFAULT_QUEUE_LIMITS, type DropReason, type QueueFullPolicy, type QueueLimits } from './event-queue.js';
export {
  cloudEvent,
  type CloudEvent,
  type EventType,
  type EventDataByType,
  type EventOptions,
  type CommonFields,
  type CallStatus,
  type LlmCall,
  type ToolCall,
  type RunStarted,
  type RunFinished,
  type OutcomeRecorded,
  type EvaluationScored,
  type SaasUsage,
  type AgentRegistered,
} from './events.js';
export {
  Blocked,
  CheckRejected,
  ControlPlaneUnavailable,
  newSpanId,
  type BudgetStanding,
  type CallEstimate,
  type CheckReply,
  type CheckRequest,
  type CheckScope,
  type CostEstimate,
  type TokenEstimate,
} from './check.js';
export { type OnUnavailable } from './control-client.js';
export { type GuardedCall, type GuardedOutcome } from './guard.js';
export { PAUSE_SCOPES, pauseKey, pauseKeysOf, scopeOfPauseKey, type PauseScope, type PausedScopeKey } from './pause-key.js';
export { type Pause, type PauseChange, type PauseListener, type PauseWatch } from './pauses.js';
