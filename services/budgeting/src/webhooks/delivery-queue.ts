import type { SqlExecutor } from '@agentledger/projections';

/** A delivery claimed for one attempt: `attempt` is its number (1 = the first). */
export interface ClaimedDelivery {
  readonly tenant: string;
  readonly alertId: string;
  readonly url: string;
  readonly payload: unknown;
  readonly attempt: number;
  readonly createdAt: Date;
}

/**
 * Claims up to `limit` due deliveries for one attempt each: their attempt counted and
 * `next_attempt_at` pushed to `leaseUntil`, so no other replica takes them while the POST is in
 * flight, and a replica that dies mid-attempt leaves them due again when the lease ends. At most
 * one row per URL, none for the URLs this replica already has in flight (`busyUrls`): a slow or
 * dead webhook holds one slot, never the others' turn. SKIP LOCKED: replicas claim side by side.
 */
export async function claimDueDeliveries(db: SqlExecutor, now: Date, leaseUntil: Date, limit: number, busyUrls: readonly string[]): Promise<ClaimedDelivery[]> {
  const rows = await db.$queryRawUnsafe<Array<{ tenant: string; alert_id: string; url: string; payload: unknown; attempts: number; created_at: Date }>>(
    `WITH due AS (
       SELECT tenant, alert_id, url, next_attempt_at, row_number() OVER (PARTITION BY url ORDER BY next_attempt_at, created_at) AS turn
       FROM webhook_delivery
       WHERE next_attempt_at <= $1::timestamptz AND url <> ALL($4::text[])
     ), picked AS (
       SELECT w.tenant, w.alert_id, w.url
       FROM webhook_delivery w JOIN due ON due.tenant = w.tenant AND due.alert_id = w.alert_id AND due.url = w.url
       WHERE due.turn = 1 AND w.next_attempt_at <= $1::timestamptz
       ORDER BY due.next_attempt_at
       LIMIT $3
       FOR UPDATE OF w SKIP LOCKED
     )
     UPDATE webhook_delivery w SET attempts = w.attempts + 1, next_attempt_at = $2::timestamptz
     FROM picked WHERE w.tenant = picked.tenant AND w.alert_id = picked.alert_id AND w.url = picked.url
     RETURNING w.tenant, w.alert_id, w.url, w.payload, w.attempts, w.created_at`,
    now.toISOString(),
    leaseUntil.toISOString(),
    limit,
    busyUrls,
  );
  return rows.map((row) => ({ tenant: row.tenant, alertId: row.alert_id, url: row.url, payload: row.payload, attempt: row.attempts, createdAt: new Date(row.created_at) }));
}

const KEY = 'tenant = $1 AND alert_id = $2 AND url = $3';
const keyOf = (delivery: ClaimedDelivery) => [delivery.tenant, delivery.alertId, delivery.url] as const;

/** Settles a delivery as delivered (whoever's attempt it was: delivered is delivered). */
export async function markDelivered(db: SqlExecutor, delivery: ClaimedDelivery, at: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE webhook_delivery SET delivered_at = $4::timestamptz, next_attempt_at = NULL, failed_at = NULL WHERE ${KEY} AND delivered_at IS NULL`,
    ...keyOf(delivery),
    at.toISOString(),
  );
}

/**
 * Records a failed attempt and when to try again, or that the delivery failed for good (`retryAt`
 * null). Only while the row is still this attempt's: a lease that ran out and another replica's
 * later attempt are not overwritten.
 */
export async function markAttemptFailed(db: SqlExecutor, delivery: ClaimedDelivery, error: string, retryAt: Date | null, at: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE webhook_delivery SET last_error = $5, next_attempt_at = $6::timestamptz, failed_at = CASE WHEN $6::timestamptz IS NULL THEN $7::timestamptz END
     WHERE ${KEY} AND attempts = $4 AND delivered_at IS NULL`,
    ...keyOf(delivery),
    delivery.attempt,
    error,
    retryAt?.toISOString() ?? null,
    at.toISOString(),
  );
}
