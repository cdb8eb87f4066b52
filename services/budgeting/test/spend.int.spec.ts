import { fileURLToPath } from 'node:url';
import { CostKind, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { subjects } from '@agentledger/jetstream';
import { OutboxRelay, type ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { spendProjection } from '../src/spend/spend.projection.js';
import { pricedCost } from './priced-costs.js';
import { applyOnce, appliedKeyHash } from '@agentledger/projections';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

const cost = pricedCost;

describe('budgeting spend projection (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let runner: ProjectionRunner<PricedCost, never>;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    runner = (await createTestProjection(bus, schema.db, 'budgeting', spendProjection({ ns: bus.ns, clock: () => new Date() }) as never, undefined, outbox)) as never;
  });

  afterAll(async () => {
    await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  const publish = (costs: PricedCost[], suffix = '') =>
    bus.publisher.publishAll(
      costs.map((c) => ({ subject: subjects.cost(bus.ns, c.tenant, 'priced'), payload: pricedCostCodec.encode(c), options: { msgID: `${c.tenant}|${c.costId}${suffix}` } })),
    );

  const spend = () =>
    schema.query(
      `SELECT tenant, to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS bucket, scope_id AS team, cost::text FROM scope_spend_quarter_hour WHERE scope = 'TEAM' ORDER BY tenant, bucket_start, scope_id`,
    );

  it('sums exact spend per quarter hour of event time and scope; corrections move it; redelivery does not', async () => {
    const costs = [
      cost('acme', 'a', '0.0003423', '2026-11-27T09:00:00Z'),
      cost('acme', 'b', '0.05775', '2026-11-27T23:59:59.999Z'),
      cost('acme', 'c', '618', '2026-11-28T00:00:00Z'),
      cost('acme', 'a#7', '-0.0001', '2026-11-27T09:00:00Z', CostKind.CORRECTION),
      cost('acme', 'd', '1.5', '2026-11-27T10:00:00Z', CostKind.PRICED, 'sales'),
      cost('globex', 'a', '2', '2026-11-27T09:00:00Z'),
    ];
    await publish(costs);
    await publish(costs.slice(0, 2), '#again');
    runner.start();
    await runner.caughtUp();
    expect(await spend()).toEqual([
      { tenant: 'acme', bucket: '2026-11-27T09:00', team: 'support', cost: '0.0002423' },
      { tenant: 'acme', bucket: '2026-11-27T10:00', team: 'sales', cost: '1.5' },
      { tenant: 'acme', bucket: '2026-11-27T23:45', team: 'support', cost: '0.05775' },
      { tenant: 'acme', bucket: '2026-11-28T00:00', team: 'support', cost: '618' },
      { tenant: 'globex', bucket: '2026-11-27T09:00', team: 'support', cost: '2' },
    ]);
  });

  it('rebuild yields the same spend', async () => {
    const before = await spend();
    await runner.rebuild();
    expect(await spend()).toEqual(before);
  });

  it('its compact ledger: a batch half applied before, and a redelivered batch, change nothing; one 16-byte key per cost', async () => {
    const projection = spendProjection({ ns: bus.ns, clock: () => new Date() });
    const costs = ['h1', 'h2', 'h3', 'h4'].map((id, n) => cost('initech', id, `0.12345${n + 1}`, '2026-11-27T09:20:00Z'));
    const keyed = costs.map((c) => ({ key: `${c.tenant}|${c.costId}`, event: c }));
    const applyBatch = (batch: typeof keyed) => applyOnce(schema.db, projection.name, batch, (tx, events) => projection.apply(tx as never, events));
    const initech = async () => (await spend()).filter((row) => (row as { tenant: string }).tenant === 'initech');

    expect(await applyBatch(keyed.slice(0, 2))).toEqual({ applied: 2, skipped: 0 });
    expect(await initech()).toEqual([{ tenant: 'initech', bucket: '2026-11-27T09:15', team: 'support', cost: '0.246903' }]);
    expect(await applyBatch(keyed)).toEqual({ applied: 2, skipped: 2 });
    const once = [{ tenant: 'initech', bucket: '2026-11-27T09:15', team: 'support', cost: '0.493810' }];
    expect(await initech()).toEqual(once);
    expect(await applyBatch(keyed)).toEqual({ applied: 0, skipped: 4 });
    expect(await applyBatch([keyed[1]!, ...keyed])).toEqual({ applied: 0, skipped: 5 });
    expect(await initech()).toEqual(once);
    const scope = await schema.query(`SELECT scope, scope_id, cost::text FROM scope_spend_quarter_hour WHERE tenant = 'initech' ORDER BY scope`);
    expect(scope).toEqual([
      { scope: 'AGENT', scope_id: 'support-bot', cost: '0.493810' },
      { scope: 'ENVIRONMENT', scope_id: 'production', cost: '0.493810' },
      { scope: 'TEAM', scope_id: 'support', cost: '0.493810' },
      { scope: 'TENANT', scope_id: '', cost: '0.493810' },
      { scope: 'WORKFLOW', scope_id: 'resolve-ticket', cost: '0.493810' },
    ]);
    const ledger = await schema.query(`SELECT octet_length(key_hash) AS bytes FROM applied_key WHERE encode(key_hash, 'hex') = ANY($1::text[])`, [
      keyed.map((k) => appliedKeyHash(projection.name, k.key)),
    ]);
    expect(ledger).toEqual([{ bytes: 16 }, { bytes: 16 }, { bytes: 16 }, { bytes: 16 }]);
  });
});
