import { createHash } from 'node:crypto';
import type { AlertView, PricedCost } from '@agentledger/contracts';
import { subjects, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, type Decimal } from '@agentledger/money';
import { stageMessages } from '@agentledger/projections';
import type { Tx } from '../db.js';
import { spentIn } from '../spend/spent.js';
import { coversScope, type BudgetSettings } from '../budgets/budget.js';
import { periodContaining } from '../budgets/budget-period.js';

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

/** An alert as it travels: a CloudEvent `alert.raised` whose data is the Alert of the GraphQL API. */
export function alertCloudEvent(alert: AlertView): Record<string, unknown> {
  return { specversion: '1.0', id: alert.id, source: 'agentledger://budgeting', type: 'alert.raised', time: alert.at, datacontenttype: 'application/json', data: alert };
}

const encoder = new TextEncoder();

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
  const inserted = await tx.$queryRawUnsafe<Array<{ alert_id: string }>>(
    `INSERT INTO budget_alert (tenant, alert_id, kind, budget_id, period_start, threshold, spent, "limit", message, at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[], $7::numeric[], $8::numeric[], $9::text[], $10::timestamptz[])
     ON CONFLICT DO NOTHING RETURNING alert_id`,
    tenant,
    candidates.map((alert) => alert.id),
    candidates.map((alert) => alert.kind),
    candidates.map(() => budgetId),
    candidates.map(() => start.toISOString()),
    candidates.map((alert) => alert.threshold),
    candidates.map((alert) => alert.spent),
    candidates.map((alert) => alert.limit),
    candidates.map((alert) => alert.message),
    candidates.map(() => now.toISOString()),
  );
  const raised = new Set(inserted.map((row) => row.alert_id));
  const alerts = candidates.filter((alert) => raised.has(alert.id));
  await stageMessages(
    tx,
    alerts.map((alert) => ({
      subject: subjects.alert(ns, tenant),
      msgId: `alert:${tenant}|${alert.id}`,
      payload: encoder.encode(JSON.stringify(alertCloudEvent(alert))),
      headers: { 'Content-Type': 'application/cloudevents+json' },
    })),
  );
  return alerts;
}
