import { CallStatus, RunStatus, factKey, fromTimestamp, type CanonicalFact } from '@agentledger/contracts';
import { formatDecimal, parseDecimal } from '@agentledger/money';

/** A fact as attribution keeps it: one row of `fact_record`, the columns of its type set. */
export interface FactRecordRow {
  tenant: string;
  factKey: string;
  type: string;
  time: Date;
  agentId: string;
  team: string;
  workflow: string;
  environment: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, string>;
  /** The span kind: llm, tool, run, outcome, evaluation, saas. */
  kind: string;
  /** The model, the tool, the run's workflow, the outcome, the metric, the SaaS product. */
  name: string;
  provider?: string | null;
  model?: string | null;
  tool?: string | null;
  attempt?: number | null;
  status?: string | null;
  latencyMs?: bigint | null;
  escalatedFrom?: string | null;
  router?: string | null;
  decision?: string | null;
  outcome?: string | null;
  success?: boolean | null;
  quantity?: string | null;
  value?: string | null;
  timeSavedMinutes?: number | null;
  evaluator?: string | null;
  metric?: string | null;
  score?: number | null;
  passed?: boolean | null;
}

const CALL_STATUS: Record<CallStatus, string | null> = {
  [CallStatus.UNSPECIFIED]: null,
  [CallStatus.OK]: 'ok',
  [CallStatus.ERROR]: 'error',
  [CallStatus.TIMEOUT]: 'timeout',
  [CallStatus.CANCELLED]: 'cancelled',
};

const RUN_STATUS: Record<RunStatus, string | null> = {
  [RunStatus.UNSPECIFIED]: null,
  [RunStatus.SUCCEEDED]: 'succeeded',
  [RunStatus.FAILED]: 'failed',
  [RunStatus.ABANDONED]: 'abandoned',
  [RunStatus.HANDED_OFF]: 'handed_off',
};

const nonEmpty = (value: string) => (value === '' ? null : value);
const decimalOr = (value: string, fallback: string) => formatDecimal(parseDecimal(value === '' ? fallback : value));

/** The row of a fact, or undefined for facts attribution does not keep (agent registrations). */
export function factRecordOf(fact: CanonicalFact): FactRecordRow | undefined {
  const common = fact.common;
  const base = {
    tenant: fact.tenant,
    factKey: factKey(fact.source, fact.eventId),
    type: fact.type,
    time: fromTimestamp(fact.time),
    agentId: common?.agentId ?? '',
    team: common?.team ?? '',
    workflow: common?.workflow ?? '',
    environment: common?.environment || 'production',
    traceId: common?.traceId ?? '',
    spanId: common?.spanId ?? '',
    parentSpanId: common?.parentSpanId ?? '',
    attributes: { ...(common?.attributes ?? {}) },
  };
  const { payload } = fact;
  switch (payload.case) {
    case 'llmCall': {
      const call = payload.value;
      return {
        ...base,
        kind: 'llm',
        name: call.model,
        provider: call.provider,
        model: call.model,
        attempt: Math.max(call.attempt, 1),
        status: CALL_STATUS[call.status],
        latencyMs: call.latencyMs ?? null,
        escalatedFrom: nonEmpty(call.escalatedFrom),
        router: call.routing ? nonEmpty(call.routing.router) : null,
        decision: call.routing ? nonEmpty(call.routing.decision) : null,
      };
    }
    case 'toolCall': {
      const call = payload.value;
      return {
        ...base,
        kind: 'tool',
        name: call.tool,
        provider: nonEmpty(call.vendor),
        tool: call.tool,
        attempt: Math.max(call.attempt, 1),
        status: CALL_STATUS[call.status],
        latencyMs: call.latencyMs ?? null,
      };
    }
    case 'runStarted':
      return { ...base, kind: 'run', name: base.workflow || 'run' };
    case 'runFinished':
      return { ...base, kind: 'run', name: base.workflow || 'run', status: RUN_STATUS[payload.value.status], latencyMs: payload.value.durationMs ?? null };
    case 'outcomeRecorded': {
      const outcome = payload.value;
      return {
        ...base,
        kind: 'outcome',
        name: outcome.outcome,
        outcome: outcome.outcome,
        success: outcome.success,
        quantity: decimalOr(outcome.quantity, '1'),
        value: decimalOr(outcome.value, '0'),
        timeSavedMinutes: outcome.timeSavedMinutes ?? 0,
      };
    }
    case 'evaluationScored': {
      const evaluation = payload.value;
      return {
        ...base,
        kind: 'evaluation',
        name: evaluation.metric,
        evaluator: evaluation.evaluator,
        metric: evaluation.metric,
        score: evaluation.score,
        passed: evaluation.passed ?? null,
      };
    }
    case 'saasUsage':
      return { ...base, kind: 'saas', name: `${payload.value.vendor}/${payload.value.product}`, provider: payload.value.vendor, tool: payload.value.product };
    case 'agentRegistered':
    case undefined:
      return undefined;
    default: {
      const unknownCase: never = payload;
      return unknownCase;
    }
  }
}
