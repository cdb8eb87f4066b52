import type { ArgsOf, BudgetView, budgetQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { BudgetingDb } from '../db.js';
import { budgetView, settingsOfRow } from './budget-view.js';

/** The tenant's budgets, oldest first, each in its current period. */
export async function listBudgets(db: BudgetingDb, tenant: string, now: Date): Promise<BudgetView[]> {
  const rows = await db.budget.findMany({ where: { tenant, deleted: false }, orderBy: [{ setAt: 'asc' }, { budgetId: 'asc' }] });
  return Promise.all(rows.map((row) => budgetView(db, tenant, row.budgetId, settingsOfRow(row), now)));
}

/** One budget, or null when the tenant has none by that id. */
export async function findBudget(db: BudgetingDb, request: QueryRequest<ArgsOf<typeof budgetQuery>>, now: Date): Promise<BudgetView | null> {
  const row = await db.budget.findUnique({ where: { tenant_budgetId: { tenant: request.tenant, budgetId: request.args.id } } });
  return row && !row.deleted ? budgetView(db, request.tenant, row.budgetId, settingsOfRow(row), now) : null;
}
