/** The events of CONTRACT.md part A, as an agent writes them. Decimal amounts are strings. */
export interface CommonFields {
  agentId?: string;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  team?: string;
  workflow?: string;
  environment?: string;
  agentVersion?: string;
  attributes?: Record<string, string>;
}

export type CallStatus = 'ok' | 'error' | 'timeout' | 'cancelled';

export interface LlmCall extends CommonFields {
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens?: number; cacheWriteTokens?: number; reasoningTokens?: number };
  operation?: string;
  latencyMs?: number;
  status?: CallStatus;
  attempt?: number;
  retryOf?: string;
  escalatedFrom?: string;
  routing?: { router: string; decision: string; reason?: string; candidates?: string[] };
  reportedCost?: string;
}

export interface ToolCall extends CommonFields {
  tool: string;
  vendor?: string;
  cost?: string;
  units?: string;
  unit?: string;
  latencyMs?: number;
  status?: CallStatus;
  attempt?: number;
  retryOf?: string;
}

export interface RunStarted extends CommonFields {
  trigger?: string;
}
export interface RunFinished extends CommonFields {
  status: 'succeeded' | 'failed' | 'abandoned' | 'handed_off';
  durationMs?: number;
}
export interface OutcomeRecorded extends CommonFields {
  outcome: string;
  success?: boolean;
  quantity?: string;
  value?: string;
  timeSavedMinutes?: number;
}
export interface EvaluationScored extends CommonFields {
  evaluator: string;
  metric: string;
  score: number;
  passed?: boolean;
}
export interface SaasUsage extends CommonFields {
  vendor: string;
  product: string;
  quantity: string;
  unit: string;
  periodStart: string;
  periodEnd: string;
  cost?: string;
}
export interface AgentRegistered extends CommonFields {
  name?: string;
  owner?: string;
  platform?: 'internal' | 'saas';
  vendor?: string;
  workflows?: string[];
  description?: string;
  lifecycle?: 'experiment' | 'staging' | 'production' | 'retired';
}

/** Event type → its `data`. */
export interface EventDataByType {
  'llm.call': LlmCall;
  'tool.call': ToolCall;
  'run.started': RunStarted;
  'run.finished': RunFinished;
  'outcome.recorded': OutcomeRecorded;
  'evaluation.scored': EvaluationScored;
  'saas.usage': SaasUsage;
  'agent.registered': AgentRegistered;
}
export type EventType = keyof EventDataByType;

/** A CloudEvents 1.0 event in structured JSON mode. */
export interface CloudEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: string;
  datacontenttype: 'application/json';
  data: EventDataByType[T] & { agentId: string };
}

export interface EventOptions {
  /** Unique per source; re-sending the same id is deduplicated forever. Default: a random UUID. */
  id?: string;
  /** Default: now. */
  time?: Date | string;
}

/** A typed CloudEvent; `agentId` falls back to `defaults.agentId`. */
export function cloudEvent<T extends EventType>(
  type: T,
  data: EventDataByType[T],
  defaults: { source: string } & CommonFields,
  options: EventOptions = {},
): CloudEvent<T> {
  const { source, ...common } = defaults;
  const merged = { ...common, ...data } as EventDataByType[T] & { agentId?: string };
  if (!merged.agentId) throw new Error(`${type}: agentId is required (set it on the event or as a default)`);
  const time = options.time ?? new Date();
  return {
    specversion: '1.0',
    id: options.id ?? crypto.randomUUID(),
    source,
    type,
    time: typeof time === 'string' ? time : time.toISOString(),
    datacontenttype: 'application/json',
    data: merged as EventDataByType[T] & { agentId: string },
  };
}
