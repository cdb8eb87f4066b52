import type { AlertView, ArgsOf, alertsQuery } from '@agentledger/contracts';
import { storedText } from '@agentledger/money';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { BudgetingDb } from '../db.js';

/** The tenant's alerts raised in [from, to), by `at`, oldest first. */
export async function listAlerts(db: BudgetingDb, request: QueryRequest<ArgsOf<typeof alertsQuery>>): Promise<AlertView[]> {
  const from = new Date(request.args.from);
  const to = new Date(request.args.to);
  if (!(from < to)) throw new QueryError('BAD_USER_INPUT', 'to: must be after from');
  const rows = await db.budgetAlert.findMany({ where: { tenant: request.tenant, at: { gte: from, lt: to } }, orderBy: [{ at: 'asc' }, { threshold: 'asc' }, { alertId: 'asc' }] });
  return rows.map((row) => ({
    id: row.alertId,
    kind: row.kind,
    budgetId: row.budgetId,
    threshold: row.threshold,
    agentId: row.agentId,
    spent: storedText(row.spent),
    limit: row.limit === null ? null : storedText(row.limit),
    periodStart: row.periodStart.toISOString(),
    message: row.message,
    at: row.at.toISOString(),
  }));
}
