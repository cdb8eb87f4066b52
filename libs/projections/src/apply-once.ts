import type { SqlExecutor, TransactionalDb } from './sql-executor.js';
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
 * Applies a batch of events to a read model exactly once: in one transaction, records the
 * event keys in `projection_applied` and hands only the keys seen for the first time to
 * `apply`. A redelivered batch (crash between commit and ack), or the same event published
 * again long after JetStream's duplicate window, changes nothing.
 */
export async function applyOnce<T, Tx extends SqlExecutor>(
  db: TransactionalDb<Tx>,
  projection: string,
  batch: ReadonlyArray<KeyedEvent<T>>,
  apply: (tx: Tx, events: T[]) => Promise<void>,
  /** Runs first in the transaction; throwing rolls the batch back (e.g. `checkAndRecordStream`). */
  guard?: (tx: Tx) => Promise<void>,
): Promise<ApplyResult> {
  if (batch.length === 0 && !guard) return { applied: 0, skipped: 0 };
  return db.$transaction(
    async (tx) => {
      await guard?.(tx);
      if (batch.length === 0) return { applied: 0, skipped: 0 };
      const keys = batch.map((item) => item.key);
      const inserted = await tx.$queryRawUnsafe<Array<{ event_key: string }>>(
        `INSERT INTO projection_applied (projection, event_key)
         SELECT $1, key FROM unnest($2::text[]) AS key
         ON CONFLICT DO NOTHING
         RETURNING event_key`,
        projection,
        keys,
      );
      const fresh = new Set(inserted.map((row) => row.event_key));
      const events: T[] = [];
      for (const item of batch) {
        // The first occurrence wins when a batch holds the same key twice.
        if (fresh.delete(item.key)) events.push(item.event);
      }
      if (events.length > 0) await apply(tx, events);
      return { applied: events.length, skipped: batch.length - events.length };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** Drops a read model: empties its tables and forgets its applied keys and the stream it was built from, in one transaction. */
export async function dropReadModel<Tx extends SqlExecutor>(db: TransactionalDb<Tx>, projection: string, tables: readonly string[]): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const table of tables) {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`invalid table name ${table}`);
      await tx.$executeRawUnsafe(`TRUNCATE TABLE "${table}"`);
    }
    await tx.$executeRawUnsafe('DELETE FROM projection_applied WHERE projection = $1', projection);
    await forgetStream(tx, projection);
  });
}
