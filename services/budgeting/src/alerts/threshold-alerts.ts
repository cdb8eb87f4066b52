import { createHash } from 'node:crypto';
import type { AlertView, PricedCost } from '@agentledger/contracts';
import type { Namespace } from '@agentledger/jetstream';
import { formatDecimal, type Decimal } from '@agentledger/money';
import type { Tx } from '../db.js';
import { spentIn } from '../spend/spent.js';
import { coversScope, type BudgetSettings } from '../budgets/budget.js';
import { periodContaining } from '../budgets/budget-period.js';
import { recordAlerts } from './record-alerts.js';

export interface ActiveBudget {
  readonly budgetId: string;
  readonly settings: BudgetSettings;
}

/** The thresholds (percent) that `spent` has reached: `spent ≥ threshold% × limit`, at the limit included. */
export function thresholdsReached(settings: Pick<BudgetSettings, 'limit' | 'thresholds'>, spent: Decimal): number[] {
  return settings.thresholds.filter((threshold) => spent.gte(settings.limit.times(threshold).div(100)));
}

/** Does a cost count toward the budget's scope (CONTRACT part D: environment absent = production)? */
export function inScope(settings: Pick<BudgetSettings, 'scope' | 'scopeId'>, cost: PricedCost): boolean {
  const common = cost.common;
  return coversScope(settings, { agentId: common?.agentId ?? '', team: common?.team ?? '', workflow: common?.workflow ?? '', environment: common?.environment || 'production' });
}

/** One id per (tenant, budget, period, threshold): what makes the alert recognisable wherever it travels. */
export const alertIdOf = (tenant: string, budgetId: string, periodStart: Date, threshold: number) =>
  createHash('sha256').update(`${tenant}\u0000${budgetId}\u0000${periodStart.toISOString()}\u0000${threshold}`).digest('hex').slice(0, 32);

function messageOf(budgetId: string, settings: BudgetSettings, threshold: number, spent: Decimal): string {
  const name = settings.name ? `"${settings.name}"` : budgetId;
  const scope = settings.scope === 'TENANT' ? 'the tenant' : `${settings.scope.toLowerCase()} ${settings.scopeId}`;
  const what = threshold >= 100 ? 'is exceeded' : `reached ${threshold}%`;
  return `Budget ${name} (${scope}, ${settings.period.toLowerCase()}) ${what}: spent ${formatDecimal(spent)} of ${formatDecimal(settings.limit)} USD`;
}

/**
 * Raises the alerts of the budget's current period that its spend now reaches, each once: the
 * (budget, period, threshold) row is inserted in the caller's transaction — the one that moved
 * the spend or the settings — and the alert is staged in the outbox with it. A threshold already
 * alerted in the period raises nothing, whatever the redeliveries, replays or restarts.
 */
export async function raiseThresholdAlerts(tx: Tx, ns: Namespace, tenant: string, budget: ActiveBudget, now: Date): Promise<AlertView[]> {
  const { settings, budgetId } = budget;
  const { start, end } = periodContaining(settings.period, settings.timeZone, now);
  const spent = await spentIn(tx, tenant, settings, start, end);
  const reached = thresholdsReached(settings, spent);
  if (reached.length === 0) return [];
  const candidates: AlertView[] = reached.map((threshold) => ({
    id: alertIdOf(tenant, budgetId, start, threshold),
    kind: threshold >= 100 ? 'BUDGET_EXCEEDED' : 'BUDGET_THRESHOLD',
    budgetId,
    threshold,
    agentId: settings.scope === 'AGENT' ? settings.scopeId : null,
    spent: formatDecimal(spent),
    limit: formatDecimal(settings.limit),
    periodStart: start.toISOString(),
    message: messageOf(budgetId, settings, threshold, spent),
    at: now.toISOString(),
  }));
  return recordAlerts(tx, ns, tenant, candidates);
}
