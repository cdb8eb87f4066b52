import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyOnce, APPLIED_KEY_MIGRATION, migrateSchema, projectionId, readMigrations } from '@agentledger/projections';
import { createTestDatabase, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { costEntriesProjection, COST_PROJECTION } from '../src/costs/cost-entries.projection.js';
import { costEntryOf } from '../src/costs/cost-entry.js';
import { costSummary } from '../src/costs/cost-queries.js';
import { DEFAULT_ROLLUP_ATTRIBUTES } from '../src/costs/rollup-attributes.js';
import { FACTS_PROJECTION } from '../src/facts/facts.projection.js';
import { pricedCost } from './priced-costs.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const WINDOW = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' };

const PREVIOUS_MIGRATIONS = ['001_init', '002_fact_records', '003_attribute_rollup', '004_focus_columns', '005_dimension_rollups', '007_cost_daily'];

describe('upgrading to own-key idempotency (migration 006, real PostgreSQL)', () => {
  let before: string;
  let schema: TestDatabase<PrismaClient>;

  beforeAll(async () => {
    // The service as it was before: migrations 001–005, plus 007 (the daily rollup on all
    // dimensions, independent of 006), since the batches below are applied by today's projection.
    before = await mkdtemp(join(tmpdir(), 'attribution-005-'));
    for (const name of PREVIOUS_MIGRATIONS) {
      await cp(join(migrationsDir, name), join(before, name), { recursive: true });
    }
    schema = await createTestDatabase({ migrationsDir: before, createClient: (adapter) => new PrismaClient({ adapter }) });
  });
  afterAll(async () => {
    await schema.cleanup();
    await rm(before, { recursive: true, force: true });
  });

  it('costs applied before the upgrade (keys in the old ledger) stay applied; their keys leave the ledger, others stay', async () => {
    const rows = ['o1', 'o2', 'o3'].map((id, n) => costEntryOf(pricedCost('acme', { id, cost: `0.1${n}` }), DEFAULT_ROLLUP_ATTRIBUTES));
    const keyed = rows.map((row) => ({ key: `${row.tenant}|${row.costId}`, event: row }));
    const applyBatch = () => applyOnce(schema.db, COST_PROJECTION, keyed, (tx, events) => costEntriesProjection.apply(tx as never, events), { idempotency: 'own-key' });
    // The read model and the old ledger as the previous version left them, in one transaction each batch.
    expect(await applyBatch()).toEqual({ applied: 3, skipped: 0 });
    const old = [...keyed.map((item) => [COST_PROJECTION, item.key]), [FACTS_PROJECTION, 'acme|agent://test|f1'], ['budgeting-spend', 'acme|agent://test|o1']];
    for (const [projection, key] of old) await schema.query('INSERT INTO projection_applied (projection, event_key) VALUES ($1, $2)', [projection, key]);
    // An upgrade runs the library's conversion first (as on a database that had not run it), then 006.
    await schema.query(APPLIED_KEY_MIGRATION.sql);
    expect(await schema.query('SELECT count(*)::int AS n FROM applied_key')).toEqual([{ n: 5 }]);
    const upgrade = (await readMigrations(migrationsDir)).map((migration) => migration.name).filter((name) => !PREVIOUS_MIGRATIONS.includes(name));
    expect(upgrade[0]).toBe('006_own_key_idempotency');
    expect(await migrateSchema({ connectionString: schema.connectionString, schema: schema.schema, migrationsDir })).toEqual(upgrade);

    expect(await schema.query('SELECT projection FROM applied_key')).toEqual([{ projection: projectionId('budgeting-spend') }]);
    const summary = () => costSummary(schema.db, { tenant: 'acme', args: WINDOW });
    expect(await summary()).toMatchObject({ totalCost: '0.33', llmCalls: 3 });
    // Redelivered after the upgrade: cost_entry's key recognises every one.
    expect(await applyBatch()).toEqual({ applied: 0, skipped: 3 });
    expect(await summary()).toMatchObject({ totalCost: '0.33', llmCalls: 3 });
  });
});
