import { fromStored, ZERO, type Decimal } from '@agentledger/money';
import type { BudgetScope } from '../budgets/budget.js';
import type { BudgetingDb } from '../db.js';

/** The spend column a scope matches on (TENANT: all of the tenant's spend). */
const SCOPE_COLUMNS: Record<Exclude<BudgetScope, 'TENANT'>, string> = {
  TEAM: 'team',
  AGENT: 'agent_id',
  WORKFLOW: 'workflow',
  ENVIRONMENT: 'environment',
};

export interface SpendScope {
  readonly scope: BudgetScope;
  readonly scopeId: string | null;
}

/** The exact spend of one scope with event time in [from, to); `from` and `to` fall on quarter hours. */
export async function spentIn(db: Pick<BudgetingDb, '$queryRawUnsafe'>, tenant: string, scope: SpendScope, from: Date, to: Date): Promise<Decimal> {
  const matches = scope.scope === 'TENANT' ? '' : ` AND ${SCOPE_COLUMNS[scope.scope]} = $4`;
  const values: unknown[] = [tenant, from, to, ...(scope.scope === 'TENANT' ? [] : [scope.scopeId ?? ''])];
  const [row] = await db.$queryRawUnsafe<Array<{ spent: string | null }>>(
    `SELECT sum(cost)::text AS spent FROM spend_quarter_hour WHERE tenant = $1 AND bucket_start >= $2 AND bucket_start < $3${matches}`,
    ...values,
  );
  return row?.spent ? fromStored(row.spent) : ZERO;
}
