import { Decimal, formatDecimal, parseDecimal, ZERO } from '@agentledger/money';
import type { AgentActivityView, AgentView } from '@agentledger/contracts';

/** The stages always listed, in this order; any other stage follows, sorted. */
export const LIFECYCLE_STAGES = ['experiment', 'staging', 'production'] as const;

/** Quotients (cost per evaluation) are rounded half-even to this many decimals, as attribution's are. */
const QUOTIENT_DECIMALS = 18;

export interface LifecycleStageView {
  stage: string;
  /** Agents with cost or evaluations in the stage in the window. */
  agents: number;
  totalCost: string;
  evaluations: number;
  passedEvaluations: number;
  costPerEvaluation: string | null;
  costPerPassingEvaluation: string | null;
}

interface StageTotals {
  agents: Set<string>;
  cost: Decimal;
  evaluations: number;
  passed: number;
}

const quotient = (cost: Decimal, count: number): string | null => (count === 0 ? null : formatDecimal(cost.div(count).toDecimalPlaces(QUOTIENT_DECIMALS, Decimal.ROUND_HALF_EVEN)));

/**
 * Cost and evaluations per lifecycle stage. An agent registered with a lifecycle counts wholly
 * in that stage (`retired` included, so what retired agents still cost is seen); the activity of
 * any other agent counts in the stage its events name as `environment` (absent = production).
 * Every cost of the window falls in exactly one stage, so the stages add up to the tenant's cost.
 */
export function lifecycleEconomics(agents: readonly AgentView[], activity: readonly AgentActivityView[]): LifecycleStageView[] {
  const registeredStage = new Map(agents.filter((agent) => agent.registered && agent.lifecycle).map((agent) => [agent.id, agent.lifecycle!]));
  const stages = new Map<string, StageTotals>(LIFECYCLE_STAGES.map((stage) => [stage, { agents: new Set(), cost: ZERO, evaluations: 0, passed: 0 }]));
  for (const agent of activity) {
    for (const part of agent.byEnvironment) {
      const stage = registeredStage.get(agent.agentId) ?? part.environment;
      const totals = stages.get(stage) ?? { agents: new Set<string>(), cost: ZERO, evaluations: 0, passed: 0 };
      stages.set(stage, totals);
      totals.agents.add(agent.agentId);
      totals.cost = totals.cost.plus(parseDecimal(part.totalCost));
      totals.evaluations += part.evaluations;
      totals.passed += part.passedEvaluations;
    }
  }
  const order = (stage: string) => {
    const index = (LIFECYCLE_STAGES as readonly string[]).indexOf(stage);
    return index === -1 ? LIFECYCLE_STAGES.length : index;
  };
  return [...stages.entries()]
    .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([stage, totals]) => ({
      stage,
      agents: totals.agents.size,
      totalCost: formatDecimal(totals.cost),
      evaluations: totals.evaluations,
      passedEvaluations: totals.passed,
      costPerEvaluation: quotient(totals.cost, totals.evaluations),
      costPerPassingEvaluation: quotient(totals.cost, totals.passed),
    }));
}
