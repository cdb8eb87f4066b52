import type { BudgetView } from '@agentledger/contracts';
import { formatDecimal, fromStored, type StoredDecimal } from '@agentledger/money';
import type { BudgetingDb, Tx } from '../db.js';
import { spentIn } from '../spend/spent.js';
import type { BudgetSettings } from './budget.js';
import { periodContaining } from './budget-period.js';
import { forecast } from './forecast.js';
import { reservedOn } from '../checks/reservations.js';

/**
 * A budget as it stands `now`: its current period in its time zone, the spend of its scope in
 * that period (events by time, corrections included), the open reservations of pre-call checks,
 * and the status, forecast and projected breach that follow.
 */
export async function budgetView(db: Pick<Tx, '$queryRawUnsafe'>, tenant: string, budgetId: string, settings: BudgetSettings, now: Date): Promise<BudgetView> {
  const { start, end } = periodContaining(settings.period, settings.timeZone, now);
  const spent = await spentIn(db, tenant, settings, start, end);
  const reserved = await reservedOn(db, tenant, budgetId, now);
  const lowest = settings.thresholds[0];
  const status = spent.gte(settings.limit) ? 'EXCEEDED' : lowest !== undefined && spent.gte(settings.limit.times(lowest).div(100)) ? 'WARNING' : 'OK';
  const projection = forecast({ spent, limit: settings.limit, periodStart: start, periodEnd: end, now });
  return {
    id: budgetId,
    name: settings.name,
    scope: settings.scope,
    scopeId: settings.scopeId,
    period: settings.period,
    limit: formatDecimal(settings.limit),
    thresholds: [...settings.thresholds],
    enforcement: settings.enforcement,
    timeZone: settings.timeZone,
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    spent: formatDecimal(spent),
    reserved: formatDecimal(reserved),
    remaining: formatDecimal(settings.limit.minus(spent).minus(reserved)),
    status,
    forecast: formatDecimal(projection.forecast),
    projectedBreachAt: projection.projectedBreachAt?.toISOString() ?? null,
  };
}

type BudgetRow = Awaited<ReturnType<BudgetingDb['budget']['findMany']>>[number];

/** The settings a read-model row holds. */
export function settingsOfRow(
  row: Pick<BudgetRow, 'name' | 'scope' | 'scopeId' | 'period' | 'thresholds' | 'enforcement' | 'timeZone' | 'webhookUrl'> & { limit: StoredDecimal },
): BudgetSettings {
  return {
    name: row.name,
    scope: row.scope as BudgetSettings['scope'],
    scopeId: row.scopeId,
    period: row.period as BudgetSettings['period'],
    limit: fromStored(row.limit),
    thresholds: row.thresholds,
    enforcement: row.enforcement as BudgetSettings['enforcement'],
    timeZone: row.timeZone,
    webhookUrl: row.webhookUrl,
  };
}

/** The tenant's budgets in force, from the read model (raw SQL: the spend read model asks it in its transaction; the limit as exact text). */
export async function activeBudgets(db: Pick<Tx, '$queryRawUnsafe'>, tenant: string): Promise<Array<{ budgetId: string; settings: BudgetSettings }>> {
  const rows = await db.$queryRawUnsafe<Array<Parameters<typeof settingsOfRow>[0] & { budgetId: string }>>(
    `SELECT budget_id AS "budgetId", name, scope, scope_id AS "scopeId", period, "limit"::text AS "limit", thresholds, enforcement,
            time_zone AS "timeZone", webhook_url AS "webhookUrl"
     FROM budget WHERE tenant = $1 AND NOT deleted`,
    tenant,
  );
  return rows.map((row) => ({ budgetId: row.budgetId, settings: settingsOfRow(row) }));
}
