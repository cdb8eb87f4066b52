import { fileURLToPath } from 'node:url';
import { pricedCostCodec, setBudgetCommand } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { connectToNats, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { checkedRequest, OutboxRelay, prismaAdapter, sqlPool, type ProjectionRunner } from '@agentledger/service-kit';
import type pg from 'pg';
import { createTestBus, createTestDatabase, createTestProjection, type TestBus, type TestDatabase } from '@agentledger/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { budgetEventCodec } from '../src/budgets/budget-wire.js';
import { budgetsProjection } from '../src/budgets/budgets.projection.js';
import { findBudget } from '../src/budgets/budgets.query.js';
import { handleSetBudget } from '../src/budgets/set-budget.handler.js';
import { PreCallChecks, type CheckReply } from '../src/checks/check.js';
import { ControlServer } from '../src/checks/control-server.js';
import { purgeExpiredReservations } from '../src/checks/reservations.js';
import { PriceBook } from '../src/prices/price-book.js';
import { loadDefaultCatalog } from '@agentledger/model-pricing';
import { Decimal } from '@agentledger/money';
import { spendProjection } from '../src/spend/spend.projection.js';
import { pricedCost } from './priced-costs.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const NOW = new Date('2026-12-02T10:00:00Z');

describe('pre-call checks with reservations (real NATS JetStream + PostgreSQL, two budgeting replicas)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let secondDb: PrismaClient;
  let secondNc: NatsConnection;
  let runners: Array<ProjectionRunner<unknown, never>>;
  let servers: ControlServer[];
  let pools: pg.Pool[];
  let prices: PriceBook;
  let now = NOW;
  const clock = () => now;
  let setBudget: (id: string, args: Record<string, unknown>) => Promise<unknown>;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    secondDb = new PrismaClient({ adapter: prismaAdapter({ connectionString: schema.connectionString, schema: schema.schema }) });
    secondNc = await connectToNats({ url: bus.natsUrl, name: 'budgeting-replica-2' });
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    const reactions = { ns: bus.ns, clock };
    runners = [
      (await createTestProjection(bus, schema.db, 'budgeting', spendProjection(reactions) as never, undefined, outbox)) as never,
      (await createTestProjection(bus, schema.db, 'budgeting', budgetsProjection(reactions) as never, undefined, outbox)) as never,
    ];
    for (const runner of runners) runner.start();
    // Two replicas: their own NATS connection and their own database pool, one queue group.
    prices = new PriceBook({ db: schema.db, catalog: await loadDefaultCatalog() });
    pools = [sqlPool({ connectionString: schema.connectionString, schema: schema.schema }), sqlPool({ connectionString: schema.connectionString, schema: schema.schema })];
    servers = [
      new ControlServer({ nc: bus.nc, ns: bus.ns, db: schema.db, checks: new PreCallChecks({ pool: pools[0]! }), prices, clock }),
      new ControlServer({ nc: secondNc, ns: bus.ns, db: secondDb, checks: new PreCallChecks({ pool: pools[1]! }), prices, clock }),
    ];
    for (const server of servers) server.start();
    const store = new JetStreamAggregateStore({ js: bus.js, jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.budgets.name), codec: budgetEventCodec });
    setBudget = (id: string, args: Record<string, unknown>) =>
      handleSetBudget({ store, db: schema.db, ns: bus.ns, clock, newId: () => id }, checkedRequest(setBudgetCommand, { tenant: 'acme', actor: 'key:admin', args }));
    await setBudget('runaway-daily', { scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '1', enforcement: 'BLOCK' });
    await setBudget('support-watch', { scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '0.02', thresholds: [50], enforcement: 'ALERT' });
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const pool of pools) await pool.end();
    for (const runner of runners) await runner.stop();
    await secondNc.drain();
    await secondDb.$disconnect();
    await schema.cleanup();
    await bus.cleanup();
  });

  const ask = async (subject: string, body: unknown): Promise<any> => {
    const reply = await bus.nc.request(subject, new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)), { timeout: 10_000 });
    return JSON.parse(new TextDecoder().decode(reply.data));
  };
  const check = (body: unknown): Promise<CheckReply> => ask(subjects.controlCheck(bus.ns, 'acme'), body);
  const release = (reservationId: string) => ask(subjects.controlRelease(bus.ns, 'acme'), { reservationId });
  const budget = (id: string) => findBudget(schema.db, { tenant: 'acme', args: { id } }, now);

  it('200 concurrent checks on two replicas never reserve more than a BLOCK budget has left', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, n) => check({ agentId: 'runaway', team: 'research', estimatedCost: '0.01', spanId: `span-${n}`, ttlSeconds: 600 })),
    );
    const allowed = replies.filter((reply) => reply.decision === 'ALLOW');
    expect(allowed).toHaveLength(100);
    expect(replies.filter((reply) => reply.decision === 'BLOCK').every((reply) => reply.blockedBy.join() === 'runaway-daily' && reply.reservationId === null)).toBe(true);
    expect(new Set(allowed.map((reply) => reply.reservationId)).size).toBe(100);
    expect(await budget('runaway-daily')).toMatchObject({ spent: '0', reserved: '1', remaining: '0' });
    const last = replies.find((reply) => reply.decision === 'BLOCK')!;
    expect(last.budgets).toEqual([{ id: 'runaway-daily', scope: 'AGENT', scopeId: 'runaway', limit: '1', spent: '0', reserved: '1', remaining: '0', enforcement: 'BLOCK' }]);
  }, 30_000);

  it('a release frees its reservation once; the call’s own priced event settles another', async () => {
    const allowed = await check({ agentId: 'runaway', estimatedCost: '0', spanId: 'zero' });
    expect(allowed).toMatchObject({ decision: 'ALLOW', reservationId: null }); // nothing to hold, and 0 more fits even at the limit
    const [first] = await schema.query<{ reservation_id: string }>('SELECT reservation_id FROM reservation ORDER BY reservation_id LIMIT 1');
    expect(await release(first!.reservation_id)).toEqual({ released: true });
    expect(await release(first!.reservation_id)).toEqual({ released: false });
    expect(await budget('runaway-daily')).toMatchObject({ reserved: '0.99', remaining: '0.01' });

    const [held] = await schema.query<{ span_id: string }>('SELECT span_id FROM reservation ORDER BY span_id LIMIT 1');
    const cost = pricedCost('acme', 'call-1', '0.0075', '2026-12-02T09:59:00Z', undefined, 'research', { agentId: 'runaway', spanId: held!.span_id });
    await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(cost), { msgID: 'call-1' });
    for (const runner of runners) await runner.caughtUp();
    // Settled: its 0.01 reserved is gone and its 0.0075 spent counts instead.
    expect(await budget('runaway-daily')).toMatchObject({ spent: '0.0075', reserved: '0.98', remaining: '0.0125' });
  });

  it('reservations expire after their TTL; ALERT budgets warn and never block; bad requests get BAD_REQUEST', async () => {
    now = new Date(NOW.getTime() + 601_000);
    expect(await budget('runaway-daily')).toMatchObject({ reserved: '0', remaining: '0.9925' });
    const short = await check({ agentId: 'runaway', team: 'support', estimatedCost: '0.5', ttlSeconds: 1 });
    expect(short).toMatchObject({ decision: 'ALLOW', blockedBy: [], warnings: [] });
    expect(short.budgets.map((entry) => [entry.id, entry.reserved])).toEqual([
      ['runaway-daily', '0.5'],
      ['support-watch', '0.5'],
    ]);
    now = new Date(now.getTime() + 1_001);
    expect(await budget('runaway-daily')).toMatchObject({ reserved: '0' });

    const support = pricedCost('acme', 'support-1', '0.015', '2026-12-02T10:05:00Z');
    await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(support), { msgID: 'support-1' });
    for (const runner of runners) await runner.caughtUp();
    const warned = await check({ agentId: 'support-bot', team: 'support', estimatedCost: '1' });
    expect(warned).toMatchObject({ decision: 'ALLOW', warnings: ['support-watch'], blockedBy: [] });

    expect(await check({ team: 'support' })).toEqual({ error: { code: 'BAD_REQUEST', message: 'agentId: required' } });
    expect(await check({ agentId: 'x', estimatedCost: 'a lot' })).toEqual({ error: { code: 'BAD_REQUEST', message: 'estimatedCost: must be a decimal string, e.g. "0.045"' } });
    expect(await check({ agentId: 'x', ttlSeconds: 7200 })).toEqual({ error: { code: 'BAD_REQUEST', message: 'ttlSeconds: must be a whole number from 1 to 3600' } });
    expect(await check('not json')).toEqual({ error: { code: 'BAD_REQUEST', message: 'the request is not JSON' } });
    expect(await ask(subjects.controlCheck(bus.ns, 'bad.tenant'), { agentId: 'x' }).catch(() => 'no responder')).toBe('no responder');
  });
  it('an estimate in tokens is priced at the catalog price when the tenant has none; a model nobody prices or a bad count is a BAD_REQUEST', async () => {
    // gpt-4o in the bundled catalog: 2.50 USD per 1M input tokens, 10.00 per 1M output → 0.0025 + 0.001.
    const priced = await check({ agentId: 'tokens-bot', provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 1000, estimatedOutputTokens: 100, ttlSeconds: 5 });
    expect(priced).toMatchObject({ decision: 'ALLOW' });
    expect(priced.budgets).toEqual([]);
    const reservedOn = (reply: CheckReply) => new Decimal(reply.budgets.find((entry) => entry.id === 'runaway-daily')!.reserved);
    const before = reservedOn(await check({ agentId: 'runaway', estimatedCost: '0' }));
    const withBudget = await check({ agentId: 'runaway', provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 1000, estimatedOutputTokens: 100, ttlSeconds: 5 });
    expect(withBudget).toMatchObject({ decision: 'ALLOW' });
    expect(reservedOn(withBudget).minus(before).toFixed()).toBe('0.0035');
    await release(withBudget.reservationId!);
    expect(await check({ agentId: 'x', provider: 'nobody', model: 'unheard-of-1', estimatedInputTokens: 1, estimatedOutputTokens: 1 })).toEqual({
      error: { code: 'BAD_REQUEST', message: 'no price for nobody/unheard-of-1: set one (setPrice) or send estimatedCost' },
    });
    expect(await check({ agentId: 'x', provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 1.5, estimatedOutputTokens: 1 })).toEqual({
      error: { code: 'BAD_REQUEST', message: 'estimatedInputTokens: must be a whole number of tokens, 0 or more' },
    });
    expect(await check({ agentId: 'x', model: 'gpt-4o', estimatedInputTokens: 1, estimatedOutputTokens: 1 })).toEqual({
      error: { code: 'BAD_REQUEST', message: 'provider: required with an estimate in tokens (or send estimatedCost)' },
    });
  });

  it('a reservation never outlives its TTL across a restart: a new replica counts it until then and nothing after; expired rows are purged', async () => {
    now = new Date(NOW.getTime() + 2 * 3_600_000);
    const held = await check({ agentId: 'runaway', estimatedCost: '0.25', ttlSeconds: 30 });
    expect(held).toMatchObject({ decision: 'ALLOW' });
    // Both replicas stop (a restart); a fresh one, with nothing in memory, starts on the same database.
    for (const server of servers) await server.stop();
    const restarted = new ControlServer({ nc: bus.nc, ns: bus.ns, db: schema.db, checks: new PreCallChecks({ pool: pools[0]! }), clock });
    restarted.start();
    servers = [restarted];
    const during = await check({ agentId: 'runaway', estimatedCost: '0' });
    expect(during.budgets.find((entry) => entry.id === 'runaway-daily')).toMatchObject({ reserved: expect.not.stringMatching(/^0$/) });
    const reservedBefore = during.budgets.find((entry) => entry.id === 'runaway-daily')!.reserved;
    now = new Date(now.getTime() + 31_000);
    const after = await check({ agentId: 'runaway', estimatedCost: '0' });
    expect(new Decimal(after.budgets.find((entry) => entry.id === 'runaway-daily')!.reserved).lt(new Decimal(reservedBefore))).toBe(true);
    expect(await budget('runaway-daily')).toMatchObject({ reserved: after.budgets.find((entry) => entry.id === 'runaway-daily')!.reserved });
    now = new Date(now.getTime() + 3_600_000);
    await purgeExpiredReservations(schema.db, now);
    expect(await schema.db.$queryRawUnsafe('SELECT count(*)::int AS open FROM reservation')).toEqual([{ open: 0 }]);
    expect(await schema.db.$queryRawUnsafe(`SELECT budget_id, amount::text AS amount FROM reservation_total WHERE amount <> 0`)).toEqual([]);
  });

  it('checks that arrive together go in one call and are decided one after another, each seeing what the earlier ones reserved', async () => {
    await setBudget('batcher-daily', { scope: 'AGENT', scopeId: 'batcher', period: 'DAY', limit: '0.05', enforcement: 'BLOCK' });
    await setBudget('batch-team-daily', { scope: 'TEAM', scopeId: 'batch-team', period: 'DAY', limit: '0.03', enforcement: 'BLOCK' });
    await schema.query(`INSERT INTO pause (tenant, scope, scope_id, reason, paused_by, paused_at) VALUES ('acme', 'AGENT', 'paused-bot', 'by hand', 'key:admin', now())`);
    let calls = 0;
    const counted = new Proxy(pools[0]!, {
      get(pool, property) {
        if (property !== 'query') return Reflect.get(pool, property);
        return (query: string | { text: string }, values?: unknown[]) => {
          if ((typeof query === 'string' ? query : query.text).includes('budget_check_batch')) calls++;
          return pool.query(query as never, values);
        };
      },
    });
    const checks = new PreCallChecks({ pool: counted });
    const request = (agentId: string, estimate: string) => ({ agentId, team: 'batch-team', workflow: '', environment: 'production', estimate: new Decimal(estimate), spanId: '', ttlSeconds: 60 });
    const replies = await Promise.all([
      checks.check('acme', request('batcher', '0.02'), now), // alone: nothing else waits yet
      checks.check('acme', request('other', '0.02'), now), // the team has 0.01 left
      checks.check('acme', request('batcher', '0.01'), now), // fits both exactly: > blocks, = does not
      checks.check('acme', request('paused-bot', '0.001'), now),
      checks.check('acme', request('other', '0'), now), // nothing left, nothing asked: allowed, nothing held
    ]);
    expect(calls).toBe(2);
    expect(replies.map((reply) => [reply.decision, reply.blockedBy, reply.paused, reply.reservationId !== null])).toEqual([
      ['ALLOW', [], false, true],
      ['BLOCK', ['batch-team-daily'], false, false],
      ['ALLOW', [], false, true],
      ['BLOCK', ['batch-team-daily'], true, false],
      ['ALLOW', [], false, false],
    ]);
    expect(replies[2]!.budgets.map((entry) => [entry.id, entry.reserved, entry.remaining])).toEqual([
      ['batch-team-daily', '0.03', '0'],
      ['batcher-daily', '0.03', '0.02'],
    ]);
    expect(replies[3]!.reason).toBe('agent paused-bot is paused: by hand');
    expect(await budget('batch-team-daily')).toMatchObject({ reserved: '0.03', remaining: '0' });
    expect(await schema.db.$queryRawUnsafe(`SELECT budget_id, amount::text AS amount FROM reservation_total WHERE budget_id LIKE 'batch%' ORDER BY budget_id`)).toEqual([
      { budget_id: 'batch-team-daily', amount: '0.03' },
      { budget_id: 'batcher-daily', amount: '0.03' },
    ]);
  });
});
