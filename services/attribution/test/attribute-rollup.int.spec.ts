import { CONSUMERS, DeadLetterPublisher, provisionConsumers } from '@agentledger/jetstream';
import { ProjectionRunner, QueryError } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { attributeBreakdown } from '../src/costs/attribute-queries.js';
import { costEntriesProjectionFor } from '../src/costs/cost-entries.projection.js';
import { costSummary } from '../src/costs/cost-queries.js';
import { costMessage, pricedCost, type CostSpec } from './priced-costs.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const KEYS = ['customer', 'feature'];
const DAY = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' };

describe('custom-attribute cost rollups (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;
  /** The runner under test, whatever its event type. */
  let runner: Pick<ProjectionRunner<unknown, never>, 'start' | 'stop' | 'caughtUp' | 'rebuild'> | undefined;

  const projection = costEntriesProjectionFor(KEYS);
  const breakdown = (attribute: string, window: { from: string; to: string } = DAY, filter?: Record<string, string>, tenant = 'acme') =>
    attributeBreakdown(db, KEYS, { tenant, args: { ...window, attribute, filter } });
  const byKey = (groups: Array<{ key: string; totalCost: string }>) => groups.map((group) => [group.key, group.totalCost]);
  const publish = (specs: CostSpec[], tenant = 'acme') => bus.publisher.publishAll(specs.map((spec) => costMessage(bus.ns, pricedCost(tenant, spec))));
  const run = async () => {
    if (!runner) {
      runner = new ProjectionRunner(
        { js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'attribution', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns) },
        projection,
      );
      runner.start();
    }
    await runner!.caughtUp();
  };

  beforeEach(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.attributionCosts]);
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await schema.cleanup();
    await bus.cleanup();
  });

  it('rolls costs up per attribute value by event time: exact over whole hours, sub-hour windows, corrections, late events and rebuild', async () => {
    const a = { id: 'a', cost: '0.1', time: '2026-11-27T09:30:00Z', attributes: { customer: 'c-1', feature: 'chat', region: 'eu' } };
    await publish([
      a,
      { id: 'b', cost: '0.25', time: '2026-11-27T09:50:00Z', attributes: { customer: 'c-2' }, inputTokens: 40n },
      { id: 'c', cost: '0.003', time: '2026-11-27T10:10:00Z', attributes: { customer: 'c-1', feature: 'search' } },
      { id: 'd', cost: '0.5', time: '2026-11-27T10:40:00Z', agentId: 'batch-bot' }, // no attributes: grouped under ''
    ]);
    await publish([{ id: 'x', cost: '7', attributes: { customer: 'c-1' } }], 'other');
    await run();

    // A correction moves cost only (no calls, no tokens), under the values it carries.
    await publish([{ ...a, cost: '0.05', correction: { revision: 1, previouslyPriced: true } }]);
    // A late event lands in its own hour.
    await publish([{ id: 'late', cost: '1', time: '2026-11-27T08:15:00Z', attributes: { customer: 'c-2' } }]);
    await run();

    const day = await breakdown('customer');
    expect(day).toEqual([
      { key: 'c-2', totalCost: '1.25', llmCalls: 2, toolCalls: 0, inputTokens: 140, outputTokens: 20, inputTokensTotal: '140', outputTokensTotal: '20' },
      { key: '', totalCost: '0.5', llmCalls: 1, toolCalls: 0, inputTokens: 100, outputTokens: 10, inputTokensTotal: '100', outputTokensTotal: '10' },
      { key: 'c-1', totalCost: '0.153', llmCalls: 2, toolCalls: 0, inputTokens: 200, outputTokens: 20, inputTokensTotal: '200', outputTokensTotal: '20' },
    ]);
    // Every cost is in exactly one group: the groups add up to the summary.
    expect((await costSummary(db, { tenant: 'acme', args: DAY })).totalCost).toBe('1.903');
    expect(byKey(await breakdown('feature'))).toEqual([
      ['', '1.75'],
      ['chat', '0.15'],
      ['search', '0.003'],
    ]);
    // The late event's hour alone, from the rollup.
    expect(byKey(await breakdown('customer', { from: '2026-11-27T08:00:00Z', to: '2026-11-27T09:00:00Z' }))).toEqual([['c-2', '1']]);
    // Sub-hour window, within two hours: entries only.
    expect(byKey(await breakdown('customer', { from: '2026-11-27T09:40:00Z', to: '2026-11-27T10:20:00Z' }))).toEqual([
      ['c-2', '0.25'],
      ['c-1', '0.003'],
    ]);
    // Partial edge (entries) + whole hour 10:00 (rollup).
    expect(byKey(await breakdown('customer', { from: '2026-11-27T09:45:00Z', to: '2026-11-27T11:00:00Z' }))).toEqual([
      ['', '0.5'],
      ['c-2', '0.25'],
      ['c-1', '0.003'],
    ]);
    // The correction's own edge: [09:00, 09:45) holds a and its correction.
    expect(byKey(await breakdown('customer', { from: '2026-11-27T09:00:00Z', to: '2026-11-27T09:45:00Z' }))).toEqual([['c-1', '0.15']]);
    // A filter narrows by the other dimensions (read from the entries).
    expect(byKey(await breakdown('customer', DAY, { agentId: 'support-bot' }))).toEqual([
      ['c-2', '1.25'],
      ['c-1', '0.153'],
    ]);
    expect(byKey(await breakdown('customer', DAY, undefined, 'other'))).toEqual([['c-1', '7']]);

    // An attribute that is not rolled up is the caller's mistake.
    await expect(breakdown('region')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(breakdown('region')).rejects.toBeInstanceOf(QueryError);

    // The same cost applied again (JetStream took it under another message id): unchanged.
    await bus.publisher.publishAll([costMessage(bus.ns, pricedCost('acme', a), 'again-a')]);
    await run();
    expect(await breakdown('customer')).toEqual(day);

    // Rebuild from the log yields exactly the read model built live.
    const snapshot = async () => ({
      hourly: await schema.query('SELECT * FROM cost_attribute_hourly ORDER BY tenant, bucket_start, attribute, value'),
      entries: await schema.query('SELECT tenant, cost_id, attributes FROM cost_entry ORDER BY tenant, cost_id'),
      customer: await breakdown('customer'),
      feature: await breakdown('feature'),
      edge: await breakdown('customer', { from: '2026-11-27T09:45:00Z', to: '2026-11-27T11:00:00Z' }),
    });
    const live = await snapshot();
    expect(live.hourly).toHaveLength(12); // customer: 08 c-2, 09 c-1 c-2, 10 c-1 '', other 09 c-1; feature: 08 '', 09 chat '', 10 search '', other 09 ''
    await runner!.rebuild();
    expect(await snapshot()).toEqual(live);
  });
});
