import type { Decimal } from '@agentledger/money';
import { coversScope, type BudgetScope, type BudgetSettings, type Enforcement } from '../budgets/budget.js';
import type { CheckRequest } from './check-request.js';

/** A matching budget as the check finds it, before its decision. */
export interface BudgetStanding {
  readonly budgetId: string;
  readonly scope: BudgetScope;
  readonly scopeId: string | null;
  readonly limit: Decimal;
  readonly spent: Decimal;
  readonly reserved: Decimal;
  readonly enforcement: Enforcement;
  readonly thresholds: readonly number[];
}

export interface CheckDecision {
  readonly decision: 'ALLOW' | 'BLOCK';
  readonly blockedBy: string[];
  readonly warnings: string[];
}

/** Does the budget's scope match the request's (CONTRACT part D: the whole scope tree at once)? */
export const matchesRequest = (settings: Pick<BudgetSettings, 'scope' | 'scopeId'>, request: CheckRequest): boolean => coversScope(settings, request);

/**
 * BLOCK when a matching BLOCK budget has `spent ≥ limit` or `spent + reserved + estimate > limit`;
 * otherwise ALLOW. ALERT budgets never block; those at or past their lowest threshold are warnings.
 */
export function decideCheck(standings: readonly BudgetStanding[], estimate: Decimal): CheckDecision {
  const blockedBy = standings
    .filter((budget) => budget.enforcement === 'BLOCK' && (budget.spent.gte(budget.limit) || budget.spent.plus(budget.reserved).plus(estimate).gt(budget.limit)))
    .map((budget) => budget.budgetId);
  const warnings = standings
    .filter((budget) => {
      const lowest = budget.thresholds[0];
      return budget.enforcement === 'ALERT' && lowest !== undefined && budget.spent.gte(budget.limit.times(lowest).div(100));
    })
    .map((budget) => budget.budgetId);
  return { decision: blockedBy.length > 0 ? 'BLOCK' : 'ALLOW', blockedBy, warnings };
}
