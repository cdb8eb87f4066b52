import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factKey } from '@agentledger/contracts';
import { applyOnce, APPLIED_KEY_MIGRATION, migrateSchema, projectionId } from '@agentledger/projections';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { USAGE_PRICING_PROJECTION, usagePricingProjection } from '../src/costing/usage-pricing.projection.js';
import { migrationsDir, supportBotCall } from './pricing-harness.js';

describe('upgrading to own-key idempotency (migration 005, real PostgreSQL)', () => {
  let before: string;
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;

  beforeAll(async () => {
    // The service as it was before: migrations 001–004.
    before = await mkdtemp(join(tmpdir(), 'pricing-004-'));
    for (const name of ['001_init', '002_catalog_repricing', '003_unit_prices', '004_repricing_jobs']) {
      await cp(join(migrationsDir, name), join(before, name), { recursive: true });
    }
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir: before, createClient: (adapter) => new PrismaClient({ adapter }) });
  });
  afterAll(async () => {
    await schema.cleanup();
    await bus.cleanup();
    await rm(before, { recursive: true, force: true });
  });

  it('facts priced before the upgrade (keys in the old ledger) stay priced: not priced nor published again; other keys stay', async () => {
    const projection = usagePricingProjection({ ns: bus.ns, catalogVersion: 'test' });
    const keyed = ['p1', 'p2'].map((id) => supportBotCall(id)).map((fact) => ({ key: `${fact.tenant}|${factKey(fact.source, fact.eventId)}`, event: fact }));
    const applyBatch = () => applyOnce(schema.db, USAGE_PRICING_PROJECTION, keyed, (tx, facts) => projection.apply(tx as never, facts), { idempotency: 'own-key' });
    expect(await applyBatch()).toEqual({ applied: 2, skipped: 0 });
    await schema.query('DELETE FROM outbox'); // published, as before the upgrade
    for (const [name, key] of [...keyed.map((item) => [USAGE_PRICING_PROJECTION, item.key]), ['pricing-catalog', 'price:x']]) {
      await schema.query('INSERT INTO projection_applied (projection, event_key) VALUES ($1, $2)', [name, key]);
    }
    await schema.query(APPLIED_KEY_MIGRATION.sql);
    // 005 first, then whatever came after it.
    expect((await migrateSchema({ connectionString: schema.connectionString, schema: schema.schema, migrationsDir }))[0]).toBe('005_own_key_idempotency');
    expect(await schema.query('SELECT projection FROM applied_key')).toEqual([{ projection: projectionId('pricing-catalog') }]);

    expect(await applyBatch()).toEqual({ applied: 0, skipped: 2 });
    expect(await schema.query('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
    // No price for model m: recorded once as unpriced, never silently $0 twice.
    expect(await schema.query('SELECT fact_key, priced, cost::text FROM priced_usage ORDER BY fact_key')).toEqual([
      { fact_key: 'agent://support-bot|p1', priced: false, cost: '0' },
      { fact_key: 'agent://support-bot|p2', priced: false, cost: '0' },
    ]);
  });
});
