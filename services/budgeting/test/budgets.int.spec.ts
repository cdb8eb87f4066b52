import { fileURLToPath } from 'node:url';
import { CostKind, pricedCostCodec, setBudgetCommand, type AlertView, type PricedCost } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { checkedRequest, OutboxRelay, type ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, eventually, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { budgetEventCodec } from '../src/budgets/budget-wire.js';
import { budgetsProjection } from '../src/budgets/budgets.projection.js';
import { findBudget, listBudgets } from '../src/budgets/budgets.query.js';
import { listAlerts } from '../src/alerts/alerts.query.js';
import { handleDeleteBudget, handleSetBudget, type BudgetCommandDeps } from '../src/budgets/set-budget.handler.js';
import { spendProjection } from '../src/spend/spend.projection.js';
import { pricedCost } from './priced-costs.js';
import { publishedAlerts } from './published-alerts.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
// Asia/Kathmandu is UTC+05:45: its 2 December runs from 2026-12-01T18:15Z to 2026-12-02T18:15Z.
const NOW = new Date('2026-12-02T10:00:00Z');

const cost = (id: string, amount: string, time: string, team = 'support', kind = CostKind.PRICED): PricedCost => pricedCost('acme', id, amount, time, kind, team);

describe('budgets (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let runners: Array<ProjectionRunner<unknown, never>>;
  let deps: BudgetCommandDeps;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    const reactions = { ns: bus.ns, clock: () => NOW };
    runners = [
      (await createTestProjection(bus, schema.db, 'budgeting', spendProjection(reactions) as never, undefined, outbox)) as never,
      (await createTestProjection(bus, schema.db, 'budgeting', budgetsProjection(reactions) as never, undefined, outbox)) as never,
    ];
    const store = new JetStreamAggregateStore({ js: bus.js, jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.budgets.name), codec: budgetEventCodec });
    let ids = 0;
    deps = { store, db: schema.db, ns: bus.ns, clock: () => NOW, newId: () => `budget-${++ids}` };
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  const caughtUp = async () => {
    for (const runner of runners) await runner.caughtUp();
  };
  const setBudget = (args: Record<string, unknown>) => handleSetBudget(deps, checkedRequest(setBudgetCommand, { tenant: 'acme', actor: 'key:admin', args }));

  it('holds the spend of its scope in its period in its time zone, counting events received before it existed, corrections included', async () => {
    const costs = [
      cost('before', '100', '2026-12-01T18:14:59.999Z'), // 1 December in Kathmandu
      cost('first', '0.0003423', '2026-12-01T18:15:00Z'),
      cost('mid', '12.5', '2026-12-02T09:59:00Z'),
      cost('mid#9', '-0.5', '2026-12-02T09:59:00Z', 'support', CostKind.CORRECTION),
      cost('last', '0.05775', '2026-12-02T18:14:59.999Z'),
      cost('after', '100', '2026-12-02T18:15:00Z'), // 3 December
      cost('sales', '7', '2026-12-02T09:00:00Z', 'sales'),
    ];
    await bus.publisher.publishAll(costs.map((c) => ({ subject: subjects.cost(bus.ns, 'acme', 'priced'), payload: pricedCostCodec.encode(c), options: { msgID: c.costId } })));
    for (const runner of runners) runner.start();
    await caughtUp();

    const budget = await setBudget({ name: 'Support daily', scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '16', timeZone: 'Asia/Kathmandu', enforcement: 'BLOCK' });
    // 0.0003423 + 12.5 − 0.5 + 0.05775 = 12.0580923: 75.36 % of 16
    expect(budget).toMatchObject({
      id: 'budget-1',
      name: 'Support daily',
      scope: 'TEAM',
      scopeId: 'support',
      period: 'DAY',
      limit: '16',
      thresholds: [50, 80, 100],
      enforcement: 'BLOCK',
      timeZone: 'Asia/Kathmandu',
      periodStart: '2026-12-01T18:15:00.000Z',
      periodEnd: '2026-12-02T18:15:00.000Z',
      spent: '12.0580923',
      reserved: '0',
      remaining: '3.9419077',
      status: 'WARNING',
    });
    await caughtUp();
    expect(await listBudgets(schema.db, 'acme', NOW)).toEqual([budget]);
    expect(await findBudget(schema.db, { tenant: 'acme', args: { id: 'budget-1' } }, NOW)).toEqual(budget);
    expect(await listBudgets(schema.db, 'globex', NOW)).toEqual([]);

    // Set while already past 50 %: that alert is raised at once, the others are not reached.
    await eventually(async () => (await publishedAlerts(bus)).length === 1, 10_000, 'the 50 % alert');
    const [fifty] = await publishedAlerts(bus);
    expect(fifty).toMatchObject({
      type: 'alert.raised',
      data: { kind: 'BUDGET_THRESHOLD', budgetId: 'budget-1', threshold: 50, spent: '12.0580923', limit: '16', periodStart: '2026-12-01T18:15:00.000Z', at: NOW.toISOString() },
    });
    expect(fifty!.id).toBe(fifty!.data.id);

    // At exactly the limit it is EXCEEDED (≥, not >): 80 % and 100 % raised, 50 % not again; the tenant scope counts every team.
    const exact = await setBudget({ id: 'budget-1', scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '12.0580923', timeZone: 'Asia/Kathmandu' });
    expect(exact).toMatchObject({ id: 'budget-1', status: 'EXCEEDED', remaining: '0', enforcement: 'ALERT' });
    const tenant = await setBudget({ scope: 'TENANT', period: 'DAY', limit: '1000', timeZone: 'UTC' });
    expect(tenant).toMatchObject({ id: 'budget-2', periodStart: '2026-12-02T00:00:00.000Z', spent: '119.05775', status: 'OK' });
    await caughtUp();
    await eventually(async () => (await publishedAlerts(bus)).length === 3, 10_000, 'the 80 % and 100 % alerts');
    expect((await publishedAlerts(bus)).map((alert) => [alert.data.budgetId, alert.data.kind, alert.data.threshold])).toEqual([
      ['budget-1', 'BUDGET_THRESHOLD', 50],
      ['budget-1', 'BUDGET_THRESHOLD', 80],
      ['budget-1', 'BUDGET_EXCEEDED', 100],
    ]);

    // The batch whose spend crosses 50 % of the tenant budget raises it; the same cost redelivered raises nothing.
    const big = cost('big', '400', '2026-12-02T09:30:00Z', 'research');
    await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(big), { msgID: 'big' });
    await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(big), { msgID: 'big-redelivered' });
    await caughtUp();
    await eventually(async () => (await publishedAlerts(bus)).length === 4, 10_000, 'the tenant budget’s 50 % alert');
    const alerts = await listAlerts(schema.db, { tenant: 'acme', args: { from: '2026-12-01T00:00:00Z', to: '2026-12-03T00:00:00Z' } });
    // All raised at the test's one instant: compared by budget and threshold.
    const byBudget = (a: { budgetId: string | null; threshold: number | null }, b: typeof a) =>
      String(a.budgetId).localeCompare(String(b.budgetId)) || (a.threshold ?? 0) - (b.threshold ?? 0);
    expect([...alerts].sort(byBudget).map((alert) => [alert.budgetId, alert.threshold, alert.spent])).toEqual([
      ['budget-1', 50, '12.0580923'],
      ['budget-1', 80, '12.0580923'],
      ['budget-1', 100, '12.0580923'],
      ['budget-2', 50, '519.05775'],
    ]);
    expect(alerts.map((alert) => alert.id).sort()).toEqual((await publishedAlerts(bus)).map((alert) => alert.id).sort());
    expect(await listAlerts(schema.db, { tenant: 'globex', args: { from: '2026-12-01T00:00:00Z', to: '2026-12-03T00:00:00Z' } })).toEqual([]);
  });

  it('deletes a budget once; a deleted one cannot be replaced; a rebuild from the log gives the same budgets', async () => {
    expect(await handleDeleteBudget(deps, { tenant: 'acme', actor: 'key:admin', args: { id: 'budget-2' } })).toBe(true);
    expect(await handleDeleteBudget(deps, { tenant: 'acme', actor: 'key:admin', args: { id: 'budget-2' } })).toBe(false);
    await expect(setBudget({ id: 'budget-2', scope: 'TENANT', period: 'DAY', limit: '5' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'id: no budget "budget-2"' });
    await expect(setBudget({ scope: 'TEAM', period: 'DAY', limit: '5' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'scopeId: required for a TEAM budget' });
    await caughtUp();
    const before = await listBudgets(schema.db, 'acme', NOW);
    expect(before.map((budget) => budget.id)).toEqual(['budget-1']);
    for (const runner of runners) await runner.rebuild();
    expect(await listBudgets(schema.db, 'acme', NOW)).toEqual(before);
    // Replaying every cost and every budget event raised no alert again.
    expect(await publishedAlerts(bus)).toHaveLength(4);
  });
});
