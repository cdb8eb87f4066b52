import type { AlertView, ArgsOf, inventoryAlertsQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { InventoryDb } from '../db.js';

/** The tenant's AGENT_DISCOVERED alerts raised in [from, to), by `at`, oldest first. */
export async function listAlerts(db: InventoryDb, request: QueryRequest<ArgsOf<typeof inventoryAlertsQuery>>): Promise<AlertView[]> {
  const from = new Date(request.args.from);
  const to = new Date(request.args.to);
  if (!(from < to)) throw new QueryError('BAD_USER_INPUT', 'to: must be after from');
  const rows = await db.agentAlert.findMany({ where: { tenant: request.tenant, at: { gte: from, lt: to } }, orderBy: [{ at: 'asc' }, { alertId: 'asc' }] });
  return rows.map((row) => ({
    id: row.alertId,
    kind: row.kind,
    budgetId: null,
    threshold: null,
    agentId: row.agentId,
    spent: null,
    limit: null,
    periodStart: null,
    message: row.message,
    at: row.at.toISOString(),
  }));
}
