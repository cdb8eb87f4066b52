import { Blocked, type CheckReply, type CheckRequest, type CheckScope } from './check.js';
import type { CallStatus, LlmCall } from './events.js';
import type { Pause } from './pauses.js';

/** A check for a model call, with what its `llm.call` needs: the provider and model, and the run it belongs to. */
export type GuardedCall = CheckRequest & {
  provider: string;
  model: string;
} & Pick<LlmCall, 'traceId' | 'parentSpanId' | 'agentVersion' | 'attributes' | 'operation' | 'attempt' | 'retryOf' | 'escalatedFrom'>;

/** What the guarded function answers: the call's result and its reported usage (and optionally how it went). */
export interface GuardedOutcome<T> {
  result: T;
  usage: LlmCall['usage'];
  status?: CallStatus;
  /** Default: measured around the call. */
  latencyMs?: number;
  /** The model that answered, when it differs from the one checked for. */
  model?: string;
  reportedCost?: string;
}

/** What a guarded call needs from the ledger (a port: the unit tests give it fakes). */
export interface GuardPorts {
  pausedBy(agent: CheckScope): Pause | undefined;
  check(request: CheckRequest): Promise<CheckReply>;
  release(reservationId: string): Promise<unknown>;
  recordCall(data: LlmCall): unknown;
}

function pausedReply(pause: Pause, spanId: string): CheckReply {
  const scope = pause.scopeId === null ? pause.scope : `${pause.scope} ${pause.scopeId}`;
  return {
    decision: 'BLOCK',
    reservationId: null,
    reason: `${scope} is paused: ${pause.reason}`,
    paused: true,
    blockedBy: pause.budgetId ? [pause.budgetId] : [],
    warnings: [],
    budgets: [],
    spanId,
    unavailable: false,
  };
}

export async function guardedCall<T>(ports: GuardPorts, request: GuardedCall, call: (reply: CheckReply) => Promise<GuardedOutcome<T>>): Promise<T> {
  const { agentId, team, workflow, environment } = request;
  const pause = ports.pausedBy({ agentId, team, workflow, environment });
  if (pause) throw new Blocked(pausedReply(pause, request.spanId ?? ''));
  const reply = await ports.check(request);
  if (reply.decision === 'BLOCK') throw new Blocked(reply);
  const started = Date.now();
  let outcome: GuardedOutcome<T>;
  try {
    outcome = await call(reply);
  } catch (error) {
    // The TTL frees the reservation anyway if the release does not get through; the call's error is what matters.
    if (reply.reservationId) await ports.release(reply.reservationId).catch(() => undefined);
    throw error;
  }
  const { traceId, parentSpanId, agentVersion, attributes, operation, attempt, retryOf, escalatedFrom } = request;
  const recorded: LlmCall = {
    ...defined({ agentId, team, workflow, environment, traceId, parentSpanId, agentVersion, attributes, operation, attempt, retryOf, escalatedFrom, reportedCost: outcome.reportedCost }),
    spanId: reply.spanId,
    provider: request.provider,
    model: outcome.model ?? request.model,
    usage: outcome.usage,
    status: outcome.status ?? 'ok',
    latencyMs: outcome.latencyMs ?? Date.now() - started,
  };
  ports.recordCall(recorded);
  return outcome.result;
}

const defined = <T extends object>(fields: T): Partial<T> => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
