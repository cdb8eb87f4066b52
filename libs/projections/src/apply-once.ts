import type { SqlExecutor, TransactionalDb } from './sql-executor.js';
import { appliedKeyHash, forgetAppliedKeys, recordAppliedKeys } from './applied-keys.js';
import { forgetStream } from './stream-identity.js';

export type { SqlExecutor, TransactionalDb } from './sql-executor.js';

export interface KeyedEvent<T> {
  /** The event's idempotency key: what makes a redelivery recognisable, forever. */
  readonly key: string;
  readonly event: T;
}

export interface ApplyResult {
  readonly applied: number;
  readonly skipped: number;
}

/**
 * Where a read model records what it applied, so that a redelivery changes nothing:
 * - `ledger`: a fixed-width row per applied key in `applied_key` (16 bytes of SHA-256), written
 *   first in the batch's transaction; `apply` sees only the keys seen for the first time.
 * - `own-key`: the read model's own unique key is the record (one row per event, keyed by the
 *   event's identity, never deleted but by `rebuild`). `apply` sees every event of the batch
 *   (a key twice in one batch once), inserts with `ON CONFLICT DO NOTHING RETURNING`, derives
 *   everything else from the rows actually inserted, and returns the events it inserted.
 */
export type Idempotency = 'ledger' | 'own-key';

/** `apply` of a ledger read model returns nothing; an own-key read model returns the events it inserted. */
export type ApplyEvents<T, Tx> = (tx: Tx, events: T[]) => Promise<void | T[]>;

export interface ApplyOnceOptions<Tx> {
  /** Runs first in the transaction; throwing rolls the batch back (e.g. `checkAndRecordStream`). */
  readonly guard?: (tx: Tx) => Promise<void>;
  /** `ledger` unless the read model is its own idempotency record. */
  readonly idempotency?: Idempotency;
}

/**
 * Applies a batch of events to a read model exactly once, in one transaction: a redelivered
 * batch (crash between commit and ack), or the same event published again long after
 * JetStream's duplicate window, changes nothing. See `Idempotency` for where the applied keys live.
 */
export async function applyOnce<T, Tx extends SqlExecutor>(
  db: TransactionalDb<Tx>,
  projection: string,
  batch: ReadonlyArray<KeyedEvent<T>>,
  apply: ApplyEvents<T, Tx>,
  options: ApplyOnceOptions<Tx> = {},
): Promise<ApplyResult> {
  const { guard, idempotency = 'ledger' } = options;
  if (batch.length === 0 && !guard) return { applied: 0, skipped: 0 };
  return db.$transaction(
    async (tx) => {
      await guard?.(tx);
      if (batch.length === 0) return { applied: 0, skipped: 0 };
      if (idempotency === 'own-key') {
        const events = firstOfEachKey(batch);
        const inserted = await apply(tx, events);
        if (!Array.isArray(inserted)) throw new Error(`projection ${projection} is its own idempotency record: its apply must return the events it inserted`);
        return { applied: inserted.length, skipped: batch.length - inserted.length };
      }
      const events = await recordInLedger(tx, projection, batch);
      if (events.length > 0) await apply(tx, events);
      return { applied: events.length, skipped: batch.length - events.length };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** The first occurrence of each key, in batch order. */
function firstOfEachKey<T>(batch: ReadonlyArray<KeyedEvent<T>>): T[] {
  const seen = new Set<string>();
  const events: T[] = [];
  for (const item of batch) {
    if (seen.has(item.key)) continue;
    seen.add(item.key);
    events.push(item.event);
  }
  return events;
}

/** Records the batch's keys in the ledger; returns the events whose key was new. */
async function recordInLedger<T>(tx: SqlExecutor, projection: string, batch: ReadonlyArray<KeyedEvent<T>>): Promise<T[]> {
  const fresh = await recordAppliedKeys(
    tx,
    projection,
    batch.map((item) => item.key),
  );
  const events: T[] = [];
  for (const item of batch) {
    // The first occurrence wins when a batch holds the same key twice.
    if (fresh.delete(appliedKeyHash(projection, item.key))) events.push(item.event);
  }
  return events;
}

/** Drops a read model: empties its tables and forgets its applied keys and the stream it was built from, in one transaction. */
export async function dropReadModel<Tx extends SqlExecutor>(db: TransactionalDb<Tx>, projection: string, tables: readonly string[]): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const table of tables) {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`invalid table name ${table}`);
      await tx.$executeRawUnsafe(`TRUNCATE TABLE "${table}"`);
    }
    await forgetAppliedKeys(tx, projection);
    await forgetStream(tx, projection);
  });
}
