import { fromStored, ZERO, type Decimal } from '@agentledger/money';
import type { BudgetScope } from '../budgets/budget.js';
import type { Tx } from '../db.js';

export interface SpendScope {
  readonly scope: BudgetScope;
  readonly scopeId: string | null;
}

/** The exact spend of one scope with event time in [from, to); `from` and `to` fall on quarter hours. */
export async function spentIn(db: Pick<Tx, '$queryRawUnsafe'>, tenant: string, scope: SpendScope, from: Date, to: Date): Promise<Decimal> {
  const [row] = await db.$queryRawUnsafe<Array<{ spent: string | null }>>(
    'SELECT sum(cost)::text AS spent FROM scope_spend_quarter_hour WHERE tenant = $1 AND scope = $2 AND scope_id = $3 AND bucket_start >= $4 AND bucket_start < $5',
    tenant,
    scope.scope,
    scope.scope === 'TENANT' ? '' : (scope.scopeId ?? ''),
    from,
    to,
  );
  return row?.spent ? fromStored(row.spent) : ZERO;
}
