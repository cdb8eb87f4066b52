export { AgentLedger, type AgentLedgerOptions } from './agent-ledger.js';
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
