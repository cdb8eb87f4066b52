import { fileURLToPath } from 'node:url';
import { alertsQuery, CostKind, pricedCostCodec, toTimestamp, type AlertView } from '@agentledger/contracts';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { checkedRequest, OutboxRelay, type ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, eventually, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { listAlerts } from '../src/alerts/alerts.query.js';
import { spendProjection } from '../src/spend/spend.projection.js';
import { publishedAlerts } from './published-alerts.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const NOW = new Date('2026-12-02T10:20:00Z');
const HOUR = 3_600_000;

describe('SPEND_ANOMALY and RETRY_STORM against each agent’s own baseline (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let runner: ProjectionRunner<unknown, never>;
  let published = 0;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    runner = (await createTestProjection(bus, schema.db, 'budgeting', spendProjection({ ns: bus.ns, clock: () => NOW }) as never, undefined, outbox)) as never;
    runner.start();
  }, 30_000);

  afterAll(async () => {
    await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  }, 30_000);

  /** Priced calls of an agent at a time, as pricing publishes them; `retries` of them with attempt 2. */
  const calls = async (agentId: string, time: Date, count: number, each: string, retries = 0, msgPrefix = `m${published}`) => {
    for (let n = 0; n < count; n++) {
      const id = `${msgPrefix}-${agentId}-${time.getTime()}-${n}`;
      const cost = pricedCostCodec.create({
        kind: CostKind.PRICED,
        costId: id,
        tenant: 'acme',
        factKey: id,
        factType: 'llm.call',
        time: toTimestamp(time),
        common: { agentId, team: 'support' },
        priced: true,
        cost: each,
        currency: 'USD',
        attempt: n < retries ? 2 : 1,
      });
      await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(cost), { msgID: `${id}#${published++}` });
    }
  };
  const pastHours = async (agentId: string, hours: number, perHour: number, each: string, retries = 0) => {
    for (let back = hours; back >= 1; back--) await calls(agentId, new Date(NOW.getTime() - back * HOUR), perHour, each, retries);
  };
  const alerts = async (): Promise<AlertView[]> => listAlerts(schema.db, checkedRequest(alertsQuery, { tenant: 'acme', args: { from: '2026-12-01T00:00:00Z', to: '2026-12-03T00:00:00Z' } }));

  it('pages the hour an agent’s spend leaves its baseline, once, and not for new agents or amounts under the minimum', async () => {
    await pastHours('steady-bot', 48, 2, '0.25');
    await pastHours('quiet-bot', 30, 1, '0.01');
    await pastHours('new-bot', 3, 1, '0.10');
    await runner.caughtUp();
    expect(await alerts()).toEqual([]);

    // steady-bot: median 0.50 an hour, MAD 0 → alerting above 0.50 + 5 × 0.125 = 1.125.
    await calls('steady-bot', new Date('2026-12-02T10:05:00Z'), 4, '0.25');
    await calls('quiet-bot', new Date('2026-12-02T10:06:00Z'), 9, '0.10');
    await calls('new-bot', new Date('2026-12-02T10:07:00Z'), 1, '100');
    await runner.caughtUp();
    expect(await alerts()).toEqual([]);

    await calls('steady-bot', new Date('2026-12-02T10:10:00Z'), 1, '0.25', 0, 'crossing');
    await runner.caughtUp();
    const [anomaly, ...others] = await alerts();
    expect(others).toEqual([]);
    expect(anomaly).toMatchObject({ kind: 'SPEND_ANOMALY', agentId: 'steady-bot', budgetId: null, threshold: null, spent: '1.25', limit: null, periodStart: '2026-12-02T10:00:00.000Z', at: NOW.toISOString() });
    expect(anomaly!.message).toBe('Agent steady-bot spent 1.25 USD in the hour from 2026-12-02T10:00 UTC, far above its usual 0.5 USD per hour (alerting above 1.125)');

    // More of the same hour, and the crossing batch redelivered: still one alert for that agent and hour.
    await calls('steady-bot', new Date('2026-12-02T10:15:00Z'), 10, '0.25');
    await calls('steady-bot', new Date('2026-12-02T10:10:00Z'), 1, '0.25', 0, 'crossing');
    await runner.caughtUp();
    expect((await alerts()).filter((alert) => alert.kind === 'SPEND_ANOMALY')).toHaveLength(1);
    await eventually(async () => (await publishedAlerts(bus)).map((alert) => alert.data.id).join() === anomaly!.id, 5_000, 'the anomaly on FINOPS_ALERTS');
  }, 30_000);

  it('pages a retry storm once per agent and hour', async () => {
    await pastHours('flaky-bot', 30, 10, '0.001', 1);
    await runner.caughtUp();
    await calls('flaky-bot', new Date('2026-12-02T10:01:00Z'), 20, '0.001', 20);
    await runner.caughtUp();
    const storms = (await alerts()).filter((alert) => alert.kind === 'RETRY_STORM');
    expect(storms).toEqual([expect.objectContaining({ agentId: 'flaky-bot', periodStart: '2026-12-02T10:00:00.000Z' })]);
    expect(storms[0]!.message).toContain('retried 20 times in the hour from 2026-12-02T10:00 UTC, far above its usual 1 per hour');
    await calls('flaky-bot', new Date('2026-12-02T10:02:00Z'), 30, '0.001', 30);
    await runner.caughtUp();
    expect((await alerts()).filter((alert) => alert.kind === 'RETRY_STORM')).toHaveLength(1);
  }, 30_000);

  it('a rebuild replays every hour and raises nothing again', async () => {
    const before = await alerts();
    await runner.rebuild();
    await runner.caughtUp();
    expect(await alerts()).toEqual(before);
    const [row] = await schema.db.$queryRawUnsafe<Array<{ cost: string }>>(`SELECT cost::text AS cost FROM agent_hour WHERE tenant = 'acme' AND agent_id = 'steady-bot' AND hour_start = '2026-12-02T10:00:00Z'`);
    expect(row?.cost).toBe('3.75');
  }, 30_000);
});
