import pg from 'pg';
import { applyOnce, dropReadModel } from './apply-once.js';
import { APPLIED_KEY_MIGRATION, appliedKeyHash, projectionId, pruneAppliedKeys } from './applied-keys.js';
import { PROJECTION_STORE_MIGRATION } from './migrate.js';
import { PROJECTION_STREAM_MIGRATION } from './stream-identity.js';
import type { SqlExecutor, TransactionalDb } from './sql-executor.js';

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('the compact applied-keys ledger (real PostgreSQL)', () => {
  const schema = `test_applied_key_${process.pid}_${Date.now() % 100000}`;
  const client = new pg.Client({ connectionString });
  const tx: SqlExecutor = {
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
  };
  // One connection, one transaction at a time: enough for a sequential test.
  const db: TransactionalDb = {
    async $transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  const counted: string[] = [];
  const count = async (_tx: SqlExecutor, events: string[]) => void counted.push(...events);

  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(PROJECTION_STORE_MIGRATION.sql);
    await client.query(PROJECTION_STREAM_MIGRATION.sql);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('the migration converts the old ledger: events applied before the upgrade stay applied; rows are 16-byte hashes', async () => {
    // Keys the old ledger recorded before the upgrade.
    await client.query(`INSERT INTO projection_applied (projection, event_key) VALUES ('budgeting-spend', 'acme|agent://x|c1'), ('budgeting-spend', 'acme|agent://x|c2'), ('inventory-activity', 'acme|agent://x|c1')`);
    await client.query(APPLIED_KEY_MIGRATION.sql);
    expect((await client.query('SELECT count(*)::int AS n FROM projection_applied')).rows).toEqual([{ n: 0 }]);
    const rows = await client.query<{ key_hash: string; projection: number; bytes: number }>(
      `SELECT encode(key_hash, 'hex') AS key_hash, projection, octet_length(key_hash) AS bytes FROM applied_key ORDER BY key_hash`,
    );
    expect(rows.rows).toEqual(
      [
        { key_hash: appliedKeyHash('budgeting-spend', 'acme|agent://x|c1'), projection: projectionId('budgeting-spend'), bytes: 16 },
        { key_hash: appliedKeyHash('budgeting-spend', 'acme|agent://x|c2'), projection: projectionId('budgeting-spend'), bytes: 16 },
        { key_hash: appliedKeyHash('inventory-activity', 'acme|agent://x|c1'), projection: projectionId('inventory-activity'), bytes: 16 },
      ].sort((a, b) => a.key_hash.localeCompare(b.key_hash)),
    );

    // A redelivery after the upgrade: c1 and c2 change nothing, c3 (new) and its duplicate in the batch once.
    const batch = ['c1', 'c2', 'c3', 'c3'].map((id) => ({ key: `acme|agent://x|${id}`, event: id }));
    expect(await applyOnce(db, 'budgeting-spend', batch, count)).toEqual({ applied: 1, skipped: 3 });
    expect(await applyOnce(db, 'budgeting-spend', batch, count)).toEqual({ applied: 0, skipped: 4 });
    expect(counted).toEqual(['c3']);
  });

  it('rebuild forgets one read model’s keys; pruning deletes a read model’s keys applied before a time', async () => {
    await dropReadModel(db, 'budgeting-spend', []);
    const left = await client.query<{ projection: number; n: number }>('SELECT projection, count(*)::int AS n FROM applied_key GROUP BY projection');
    expect(left.rows).toEqual([{ projection: projectionId('inventory-activity'), n: 1 }]);
    await client.query(`UPDATE applied_key SET applied_at = '2026-01-01T00:00:00Z'`);
    expect(await db.$transaction((t) => pruneAppliedKeys(t, 'inventory-activity', new Date('2025-12-31T00:00:00Z')))).toBe(0);
    expect(await db.$transaction((t) => pruneAppliedKeys(t, 'inventory-activity', new Date('2026-01-02T00:00:00Z')))).toBe(1);
  });
});
