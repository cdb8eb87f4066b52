import { createHash, hash } from 'node:crypto';
import type { SqlExecutor } from './sql-executor.js';

/**
 * The compact ledger of applied event keys, for read models with no unique row per event (counters,
 * upserted aggregates) and for ingestion's dedupe ledger. A row is fixed-width whatever the key:
 * the first 16 bytes of SHA-256 of `<projection>|<event key>` (the primary key; a collision needs
 * ~2^64 keys) and the read model as a 4-byte id, with the time it was applied (what pruning reads).
 *
 * It replaces `projection_applied (projection, event_key)` — text keys of 40–100 characters and
 * the projection's name repeated in every row and in its B-tree. Existing keys are converted in
 * the migration, hashed exactly as `appliedKeyHash` does, so a redelivery after the upgrade is
 * still recognised; `projection_applied` stays, emptied, because older migrations name it.
 */
export const APPLIED_KEY_MIGRATION = {
  name: '000_applied_key',
  sql: `
CREATE TABLE IF NOT EXISTS applied_key (
  key_hash   BYTEA PRIMARY KEY,            -- first 16 bytes of sha256('<projection>|<event key>')
  projection INTEGER NOT NULL,             -- first 4 bytes of sha256('<projection>'), signed
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO applied_key (key_hash, projection, applied_at)
SELECT substring(sha256(convert_to(projection || '|' || event_key, 'UTF8')) FROM 1 FOR 16),
       ('x' || substring(encode(sha256(convert_to(projection, 'UTF8')), 'hex') FROM 1 FOR 8))::bit(32)::integer,
       applied_at
FROM projection_applied
ON CONFLICT (key_hash) DO NOTHING;
TRUNCATE projection_applied;`,
};

/** The 16-byte key of an applied event, hex. */
export function appliedKeyHash(projection: string, key: string): string {
  // One-shot: no Hash object per key (about half the time of createHash for a short key).
  return hash('sha256', `${projection}|${key}`, 'hex').slice(0, 32);
}

/** The 4-byte id of a read model in `applied_key` (as the migration computes it). */
export function projectionId(projection: string): number {
  return createHash('sha256').update(projection).digest().readInt32BE(0);
}

/** Records the batch's keys; returns the hashes inserted now (hex), i.e. the keys seen for the first time. */
export async function recordAppliedKeys(tx: SqlExecutor, projection: string, keys: readonly string[]): Promise<Set<string>> {
  const inserted = await tx.$queryRawUnsafe<Array<{ key_hash: string }>>(
    `INSERT INTO applied_key (key_hash, projection)
     SELECT decode(hash, 'hex'), $1 FROM unnest($2::text[]) AS hash
     ON CONFLICT DO NOTHING
     RETURNING encode(key_hash, 'hex') AS key_hash`,
    projectionId(projection),
    keys.map((key) => appliedKeyHash(projection, key)),
  );
  return new Set(inserted.map((row) => row.key_hash));
}

/** Forgets every key of a read model (with the read model itself, on rebuild). */
export async function forgetAppliedKeys(tx: SqlExecutor, projection: string): Promise<void> {
  await tx.$executeRawUnsafe('DELETE FROM applied_key WHERE projection = $1', projectionId(projection));
}

/**
 * Deletes a read model's keys applied before `appliedBefore`; returns how many. Safe only when no
 * event of those keys can be delivered again: see "Pruning the ledger" in docs/architecture.md —
 * for the read models we have, that holds only for the ones fed by aggregate streams.
 */
export async function pruneAppliedKeys(tx: SqlExecutor, projection: string, appliedBefore: Date): Promise<number> {
  return tx.$executeRawUnsafe('DELETE FROM applied_key WHERE projection = $1 AND applied_at < $2::timestamptz', projectionId(projection), appliedBefore.toISOString());
}
