import type { RunEvaluationView, SpanView } from '@agentledger/contracts';
import { parseDecimal, formatDecimal, ZERO, type Decimal } from '@agentledger/money';
import { iso } from '../queries/query-sql.js';

/** A fact of a trace as `run` reads it. */
export interface FactSpanRow {
  type: string;
  time: Date;
  agent_id: string;
  team: string;
  workflow: string;
  span_id: string;
  parent_span_id: string;
  kind: string;
  name: string;
  model: string | null;
  tool: string | null;
  attempt: number | null;
  status: string | null;
  latency_ms: string | null;
  escalated_from: string | null;
  evaluator: string | null;
  metric: string | null;
  score: number | null;
  passed: boolean | null;
}

/** The cost of one fact of a trace (its pricing plus corrections). */
export interface SpanCostRow {
  fact_key: string;
  span_id: string;
  agent_id: string;
  team: string;
  workflow: string;
  model: string;
  tool: string;
  time: Date;
  cost: string;
}

interface SpanDraft extends Omit<SpanView, 'cost' | 'totalCost'> {
  self: Decimal;
  startedAt: number;
}

const SPAN_KINDS = new Set(['llm', 'tool', 'run', 'saas']);

/**
 * A trace's run and span tree from its facts and costs, which may have arrived in any order:
 * a span is known from its facts (run.started and run.finished share the run's span), or
 * only from its cost while its fact is still on the way.
 */
export function spanTreeOf(facts: readonly FactSpanRow[], costs: readonly SpanCostRow[]) {
  const spans = new Map<string, SpanDraft>();
  for (const fact of facts) {
    if (!SPAN_KINDS.has(fact.kind) || fact.span_id === '') continue;
    const time = new Date(fact.time).getTime();
    const span = spans.get(fact.span_id) ?? {
      spanId: fact.span_id,
      parentSpanId: null,
      kind: fact.kind,
      name: fact.name,
      attempt: 1,
      status: null,
      model: null,
      tool: null,
      latencyMs: null,
      escalatedFrom: null,
      self: ZERO,
      startedAt: time,
    };
    span.startedAt = Math.min(span.startedAt, time);
    span.parentSpanId = span.parentSpanId ?? (fact.parent_span_id || null);
    if (fact.type !== 'run.started') {
      span.status = fact.status ?? span.status;
      span.latencyMs = fact.latency_ms === null ? span.latencyMs : Number(fact.latency_ms);
    }
    span.attempt = fact.attempt ?? span.attempt;
    span.model = fact.model ?? span.model;
    span.tool = fact.tool ?? span.tool;
    span.escalatedFrom = fact.escalated_from ?? span.escalatedFrom;
    spans.set(fact.span_id, span);
  }
  let total = ZERO;
  for (const cost of costs) {
    const amount = parseDecimal(cost.cost);
    total = total.plus(amount);
    if (cost.span_id === '') continue;
    let span = spans.get(cost.span_id);
    if (!span) {
      span = {
        spanId: cost.span_id,
        parentSpanId: null,
        kind: cost.model ? 'llm' : 'tool',
        name: cost.model || cost.tool,
        attempt: 1,
        status: null,
        model: cost.model || null,
        tool: cost.tool || null,
        latencyMs: null,
        escalatedFrom: null,
        self: ZERO,
        startedAt: new Date(cost.time).getTime(),
      };
      spans.set(cost.span_id, span);
    }
    span.self = span.self.plus(amount);
  }

  const children = new Map<string, SpanDraft[]>();
  for (const span of spans.values()) {
    if (span.parentSpanId === null) continue;
    children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
  }
  const totals = new Map<string, Decimal>();
  const totalOf = (span: SpanDraft, path: Set<string>): Decimal => {
    const known = totals.get(span.spanId);
    if (known) return known;
    path.add(span.spanId);
    let sum = span.self;
    for (const child of children.get(span.spanId) ?? []) {
      if (!path.has(child.spanId)) sum = sum.plus(totalOf(child, path)); // a cycle in bad data is cut, not followed
    }
    path.delete(span.spanId);
    totals.set(span.spanId, sum);
    return sum;
  };

  const ordered = [...spans.values()].sort((a, b) => a.startedAt - b.startedAt || a.spanId.localeCompare(b.spanId));
  const runFacts = facts.filter((fact) => fact.kind === 'run');
  const described = runFacts.find((fact) => fact.type === 'run.started') ?? facts[0];
  const finished = runFacts.filter((fact) => fact.type === 'run.finished').at(-1);
  const started = runFacts.find((fact) => fact.type === 'run.started');
  const firstTime = Math.min(...facts.map((fact) => new Date(fact.time).getTime()), ...costs.map((cost) => new Date(cost.time).getTime()));
  const firstNonEmpty = (pick: (row: { agent_id: string; team: string; workflow: string }) => string) =>
    (described && pick(described)) || facts.map(pick).find(Boolean) || costs.map(pick).find(Boolean) || '';
  return {
    agentId: firstNonEmpty((row) => row.agent_id),
    team: firstNonEmpty((row) => row.team),
    workflow: firstNonEmpty((row) => row.workflow),
    status: finished?.status ?? null,
    startedAt: iso(started ? started.time : new Date(firstTime))!,
    finishedAt: iso(finished?.time),
    totalCost: formatDecimal(total),
    spans: ordered.map((draft): SpanView => {
      const { self, startedAt: _startedAt, ...span } = draft;
      return { ...span, cost: formatDecimal(self), totalCost: formatDecimal(totalOf(draft, new Set())) };
    }),
  };
}

/** The run's `evaluation.scored` facts, in time order: the step judged is the event's `spanId`, when it named one. */
export function evaluationsOf(facts: readonly FactSpanRow[]): RunEvaluationView[] {
  return facts
    .filter((fact) => fact.kind === 'evaluation')
    .map((fact) => ({
      evaluator: fact.evaluator ?? '',
      metric: fact.metric ?? '',
      score: Number(fact.score ?? 0),
      passed: fact.passed,
      spanId: fact.span_id || null,
      time: iso(fact.time)!,
    }));
}
