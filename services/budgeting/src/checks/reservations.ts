import { fromStored, ZERO, type Decimal } from '@agentledger/money';
import type { BudgetingDb, Tx } from '../db.js';

/** What the open reservations on a budget hold now (expired ones count for nothing). */
export async function reservedOn(db: Pick<Tx, '$queryRawUnsafe'>, tenant: string, budgetId: string, now: Date): Promise<Decimal> {
  const [row] = await db.$queryRawUnsafe<Array<{ reserved: string | null }>>(
    'SELECT sum(amount)::text AS reserved FROM reservation WHERE tenant = $1 AND budget_id = $2 AND expires_at > $3',
    tenant,
    budgetId,
    now.toISOString(),
  );
  return row?.reserved ? fromStored(row.reserved) : ZERO;
}

/** Releases a reservation on every budget it holds; false when there was none (or it was settled). */
export async function releaseReservation(db: BudgetingDb, tenant: string, reservationId: string): Promise<boolean> {
  return (await db.$executeRawUnsafe('DELETE FROM reservation WHERE tenant = $1 AND reservation_id = $2', tenant, reservationId)) > 0;
}

/** Settles the reservations of calls whose own priced events arrived (same agent and span), in the spend's transaction. */
export async function settleReservations(tx: Pick<Tx, '$executeRawUnsafe'>, calls: ReadonlyArray<{ tenant: string; agentId: string; spanId: string }>): Promise<void> {
  const spans = calls.filter((call) => call.spanId !== '');
  if (spans.length === 0) return;
  await tx.$executeRawUnsafe(
    `DELETE FROM reservation r USING unnest($1::text[], $2::text[], $3::text[]) AS s(tenant, agent_id, span_id)
      WHERE r.tenant = s.tenant AND r.agent_id = s.agent_id AND r.span_id = s.span_id`,
    spans.map((call) => call.tenant),
    spans.map((call) => call.agentId),
    spans.map((call) => call.spanId),
  );
}

/**
 * Deletes reservations whose TTL ran out a while ago (a check deletes its own budgets' expired
 * ones as it goes; this catches budgets nobody checks any more), a page at a time.
 */
export async function purgeExpiredReservations(db: Pick<BudgetingDb, '$executeRawUnsafe'>, now: Date): Promise<number> {
  let purged = 0;
  for (;;) {
    const deleted = await db.$executeRawUnsafe(
      `DELETE FROM reservation WHERE ctid IN (SELECT ctid FROM reservation WHERE expires_at <= $1 LIMIT 5000)`,
      new Date(now.getTime() - 60_000),
    );
    purged += deleted;
    if (deleted < 5000) return purged;
  }
}
