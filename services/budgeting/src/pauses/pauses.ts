import type { Tx } from '../db.js';
import type { BudgetScope, BudgetSettings } from '../budgets/budget.js';
import { periodContaining } from '../budgets/budget-period.js';
import { activeBudgets } from '../budgets/budget-view.js';
import { spentIn } from '../spend/spent.js';
import { budgetPauser, budgetPauseReason, sameScope, storedScopeId, type Pause, type PauseScope } from './pause.js';

type Sql = Pick<Tx, '$queryRawUnsafe' | '$executeRawUnsafe'>;

interface PauseRow {
  scope: string;
  scope_id: string;
  reason: string;
  paused_by: string;
  budget_id: string | null;
  paused_at: Date;
}

const pauseOfRow = (row: PauseRow): Pause => ({
  scope: row.scope as BudgetScope,
  scopeId: row.scope === 'TENANT' ? null : row.scope_id,
  reason: row.reason,
  by: row.paused_by,
  budgetId: row.budget_id,
  pausedAt: new Date(row.paused_at),
});

const COLUMNS = 'scope, scope_id, reason, paused_by, budget_id, paused_at';

/** The tenant's paused scopes, oldest first. */
export async function listPauses(db: Pick<Tx, '$queryRawUnsafe'>, tenant: string): Promise<Pause[]> {
  const rows = await db.$queryRawUnsafe<PauseRow[]>(`SELECT ${COLUMNS} FROM pause WHERE tenant = $1 ORDER BY paused_at, scope, scope_id`, tenant);
  return rows.map(pauseOfRow);
}

/** Queues a scope's key for the KV mirror, in the transaction that changed it. */
async function changed(tx: Sql, tenant: string, scope: PauseScope): Promise<void> {
  await tx.$executeRawUnsafe('INSERT INTO pause_change (tenant, scope, scope_id) VALUES ($1, $2, $3)', tenant, scope.scope, storedScopeId(scope));
}

/** Pauses a scope by hand; a pause its budget set becomes one by hand (it no longer lifts by itself). */
export async function pauseByHand(tx: Sql, tenant: string, pause: Omit<Pause, 'budgetId'>): Promise<Pause> {
  const [row] = await tx.$queryRawUnsafe<PauseRow[]>(
    `INSERT INTO pause (tenant, scope, scope_id, reason, paused_by, budget_id, paused_at) VALUES ($1, $2, $3, $4, $5, NULL, $6)
     ON CONFLICT (tenant, scope, scope_id) DO UPDATE SET reason = EXCLUDED.reason, paused_by = EXCLUDED.paused_by, budget_id = NULL, paused_at = EXCLUDED.paused_at
     RETURNING ${COLUMNS}`,
    tenant,
    pause.scope,
    storedScopeId(pause),
    pause.reason,
    pause.by,
    pause.pausedAt,
  );
  await changed(tx, tenant, pause);
  return pauseOfRow(row!);
}

/** Lifts a scope's pause, whoever set it; false when it was not paused. */
export async function resumeScope(tx: Sql, tenant: string, scope: PauseScope): Promise<boolean> {
  const deleted = await tx.$executeRawUnsafe('DELETE FROM pause WHERE tenant = $1 AND scope = $2 AND scope_id = $3', tenant, scope.scope, storedScopeId(scope));
  if (deleted > 0) await changed(tx, tenant, scope);
  return deleted > 0;
}

export interface BudgetInForce {
  readonly budgetId: string;
  readonly settings: BudgetSettings;
}

/**
 * Brings the budget pauses of these scopes in line with the budgets (CONTRACT part D): a scope
 * with an exceeded BLOCK budget in its current period is paused by it (the lowest budget id when
 * several are), a pause its budgets no longer justify — the period rolled over, the limit was
 * raised above `spent`, the budget was deleted or no longer blocks — is lifted. A pause by hand is
 * never touched. Idempotent; concurrent runs on replicas meet in the row's lock or its key.
 */
export async function reconcileBudgetPauses(tx: Sql, tenant: string, budgets: readonly BudgetInForce[], scopes: readonly PauseScope[], now: Date): Promise<void> {
  const distinct = scopes.filter((scope, index) => scopes.findIndex((other) => sameScope(other, scope)) === index);
  for (const scope of distinct) {
    const [row] = await tx.$queryRawUnsafe<PauseRow[]>(`SELECT ${COLUMNS} FROM pause WHERE tenant = $1 AND scope = $2 AND scope_id = $3 FOR UPDATE`, tenant, scope.scope, storedScopeId(scope));
    if (row && row.budget_id === null) continue;
    const exceeded = await exceededBlockBudget(tx, tenant, budgets, scope, now, row?.budget_id ?? null);
    if (!exceeded) {
      if (row) {
        await tx.$executeRawUnsafe('DELETE FROM pause WHERE tenant = $1 AND scope = $2 AND scope_id = $3 AND budget_id IS NOT NULL', tenant, scope.scope, storedScopeId(scope));
        await changed(tx, tenant, scope);
      }
      continue;
    }
    if (row?.budget_id === exceeded.budgetId) continue;
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO pause (tenant, scope, scope_id, reason, paused_by, budget_id, paused_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant, scope, scope_id) DO UPDATE SET reason = EXCLUDED.reason, paused_by = EXCLUDED.paused_by, budget_id = EXCLUDED.budget_id, paused_at = EXCLUDED.paused_at
       WHERE pause.budget_id IS NOT NULL`,
      tenant,
      scope.scope,
      storedScopeId(scope),
      exceeded.reason,
      budgetPauser(exceeded.budgetId),
      exceeded.budgetId,
      now,
    );
    if (inserted > 0) await changed(tx, tenant, scope);
  }
}

/** The BLOCK budget on this scope whose current period is exceeded — the one already pausing it first. */
async function exceededBlockBudget(tx: Sql, tenant: string, budgets: readonly BudgetInForce[], scope: PauseScope, now: Date, pausingNow: string | null) {
  const candidates = budgets
    .filter((budget) => budget.settings.enforcement === 'BLOCK' && sameScope(budget.settings, scope))
    .sort((a, b) => (a.budgetId === pausingNow ? -1 : b.budgetId === pausingNow ? 1 : a.budgetId < b.budgetId ? -1 : 1));
  for (const { budgetId, settings } of candidates) {
    const { start, end } = periodContaining(settings.period, settings.timeZone, now);
    const spent = await spentIn(tx, tenant, settings, start, end);
    if (spent.gte(settings.limit)) return { budgetId, reason: budgetPauseReason(budgetId, settings, spent) };
  }
  return undefined;
}

/** The scopes whose budget pauses may have to change: those of every BLOCK budget and every budget pause. */
export async function scopesToReconcile(tx: Sql, tenant: string, budgets: readonly BudgetInForce[]): Promise<PauseScope[]> {
  const pausedByBudgets = await tx.$queryRawUnsafe<Array<{ scope: string; scope_id: string }>>('SELECT scope, scope_id FROM pause WHERE tenant = $1 AND budget_id IS NOT NULL', tenant);
  return [
    ...budgets.filter((budget) => budget.settings.enforcement === 'BLOCK').map((budget) => ({ scope: budget.settings.scope, scopeId: budget.settings.scopeId })),
    ...pausedByBudgets.map((row) => ({ scope: row.scope as BudgetScope, scopeId: row.scope === 'TENANT' ? null : row.scope_id })),
  ];
}

/** Every budget pause of the tenant against its budgets as they now stand. */
export async function reconcileTenantPauses(tx: Tx, tenant: string, now: Date): Promise<void> {
  const budgets = await activeBudgets(tx, tenant);
  await reconcileBudgetPauses(tx, tenant, budgets, await scopesToReconcile(tx, tenant, budgets), now);
}
