import type { BudgetingDb } from '../db.js';
import { reconcileTenantPauses } from './pauses.js';

/**
 * One pass over every tenant that has a BLOCK budget or a budget pause: a period that rolled
 * over lifts its budget's pause here (the projections pause and lift at once when spend or
 * settings change; this is the backstop for what only the clock changes). Then the KV mirror
 * writes what changed.
 */
export async function sweepBudgetPauses(db: BudgetingDb, now: Date, mirror: { flush(): Promise<void> }): Promise<void> {
  const tenants = await db.$queryRawUnsafe<Array<{ tenant: string }>>(
    `SELECT tenant FROM budget WHERE NOT deleted AND enforcement = 'BLOCK' UNION SELECT tenant FROM pause WHERE budget_id IS NOT NULL`,
  );
  for (const { tenant } of tenants) await db.$transaction((tx) => reconcileTenantPauses(tx, tenant, now));
  await mirror.flush();
}
