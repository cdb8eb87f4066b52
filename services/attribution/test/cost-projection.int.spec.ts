import { jetstream } from '@nats-io/jetstream';
import { deadLetterCodec } from '@agentledger/contracts';
import {
  CONSUMERS,
  DeadLetterPublisher,
  provisionConsumers,
  STREAMS,
  streamIn,
  subjects,
} from '@agentledger/jetstream';
import { projectionId } from '@agentledger/projections';
import { ProjectionRunner, type QueryRequest } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, eventually, type TestBus, type TestDatabase } from '@agentledger/testing';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { costEntriesProjection } from '../src/costs/cost-entries.projection.js';
import { costBreakdown, costSummary } from '../src/costs/cost-queries.js';
import { costMessage, pricedCost } from './priced-costs.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const WINDOW = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' };

describe('attribution cost projection (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;
  /** The runner under test, whatever its event type. */
  let runner: Pick<ProjectionRunner<unknown, never>, 'start' | 'stop' | 'caughtUp' | 'rebuild'> | undefined;
  let redeliveries = 0;

  const summary = (tenant = 'acme') => costSummary(db, { tenant, args: WINDOW } satisfies QueryRequest);
  const newRunner = () =>
    new ProjectionRunner(
      {
        js: bus.js,
        jsm: bus.jsm,
        ns: bus.ns,
        db,
        service: 'attribution',
        deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns),
        hooks: { onRedelivery: () => void redeliveries++ },
      },
      costEntriesProjection,
    );

  beforeEach(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.attributionCosts]);
    redeliveries = 0;
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await schema.cleanup();
    await bus.cleanup();
  });

  it('applies each cost once and rolls it up by event time', async () => {
    await bus.publisher.publishAll([
      costMessage(bus.ns, pricedCost('acme', { id: 'a', cost: '0.0003423' })),
      costMessage(bus.ns, pricedCost('acme', { id: 'b', cost: '0.01', attempt: 2 })),
      costMessage(bus.ns, pricedCost('acme', { id: 'c', cost: '0.05775', escalatedFrom: 'gpt-4o-mini', time: '2026-11-27T23:59:59.999Z' })),
      costMessage(bus.ns, pricedCost('acme', { id: 'd', cost: '0', priced: false })),
      costMessage(bus.ns, pricedCost('other', { id: 'a', cost: '5' })),
    ]);
    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    const totals = await summary();
    expect(totals).toMatchObject({
      totalCost: '0.0680923',
      llmCalls: 4,
      inputTokens: 400,
      retries: 1,
      retryCost: '0.01',
      escalations: 1,
      escalationCost: '0.05775',
      unpricedCalls: 1,
    });
    // Sub-hour windows read the entries, whole hours the rollup: both agree.
    expect((await costSummary(db, { tenant: 'acme', args: { from: '2026-11-27T09:15:00Z', to: '2026-11-27T09:45:00Z' } })).totalCost).toBe('0.0103423');
    expect((await summary('other')).totalCost).toBe('5');
  });

  it('token totals past 2^31 (and past 2^53) are answered exactly, as integer strings beside the numbers', async () => {
    // 2^52 + 1 three times: the sum 13510798882111491 is odd, beyond what a JS number holds exactly.
    const big = 4503599627370497n;
    await bus.publisher.publishAll(['x', 'y', 'z'].map((id) => costMessage(bus.ns, pricedCost('acme', { id, cost: '1', inputTokens: big }))));
    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    const totals = await summary();
    expect(totals).toMatchObject({ inputTokensTotal: '13510798882111491', outputTokensTotal: '30', cacheReadTokensTotal: '0', reasoningTokensTotal: '0' });
    // Whole hours read the rollup, a sub-hour window the entries: both exact.
    const entries = await costSummary(db, { tenant: 'acme', args: { from: '2026-11-27T09:15:00Z', to: '2026-11-27T09:45:00Z' } });
    expect(entries.inputTokensTotal).toBe('13510798882111491');
    const [group] = await costBreakdown(db, { tenant: 'acme', args: { ...WINDOW, by: 'AGENT', filter: {} } });
    expect(group).toMatchObject({ key: 'support-bot', inputTokensTotal: '13510798882111491', outputTokensTotal: '30' });
  });

  it('a correction that prices an unpriced call moves money and unpricedCalls in every rollup', async () => {
    await bus.publisher.publishAll([
      costMessage(bus.ns, pricedCost('acme', { id: 'u', cost: '0', priced: false })),
      costMessage(bus.ns, pricedCost('acme', { id: 'p', cost: '0.25', attempt: 2 })),
      costMessage(bus.ns, pricedCost('acme', { id: 'u', cost: '0.125', priced: true, correction: { revision: 1, previouslyPriced: false } })),
      costMessage(bus.ns, pricedCost('acme', { id: 'p', cost: '-0.25', priced: false, attempt: 2, correction: { revision: 1, previouslyPriced: true } })),
      costMessage(bus.ns, pricedCost('acme', { id: 'p', cost: '0.5', priced: true, attempt: 2, correction: { revision: 2, previouslyPriced: false } })),
    ]);
    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    const expected = { totalCost: '0.625', llmCalls: 2, retries: 1, retryCost: '0.5', unpricedCalls: 0, inputTokens: 200 };
    expect(await summary()).toMatchObject(expected); // whole day: the hourly rollup
    expect(await costSummary(db, { tenant: 'acme', args: { from: '2026-11-27T09:15:00Z', to: '2026-11-27T09:45:00Z' } })).toMatchObject(expected); // entries
    await runner!.rebuild();
    expect(await summary()).toMatchObject(expected);
  });

  it('(a) a batch redelivered after its commit, before its ack, is applied once', async () => {
    await bus.publisher.publishAll([1, 2, 3].map((n) => costMessage(bus.ns, pricedCost('acme', { id: `e${n}`, cost: `0.00${n}` }))));
    // A consumer that commits and then dies before acking: fetch, apply in one transaction, never ack.
    const consumer = await jetstream(bus.nc).consumers.get(streamIn(bus.ns, STREAMS.costs.name), CONSUMERS.attributionCosts.durable);
    const fetched = [];
    for await (const msg of await consumer.fetch({ max_messages: 3, expires: 2_000 })) {
      fetched.push(msg);
      if (fetched.length === 3) break;
    }
    const { applyOnce } = await import('@agentledger/projections');
    const keyed = fetched.map((msg) => costEntriesProjection.decode(msg)!);
    await applyOnce(db, costEntriesProjection.name, keyed, (tx, rows) => costEntriesProjection.apply(tx as never, rows), { idempotency: 'own-key' });
    expect((await summary()).totalCost).toBe('0.006');
    for (const msg of fetched) msg.nak(); // what ack_wait expiry does after a crash, without waiting for it

    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    expect(redeliveries).toBe(3);
    expect(await summary()).toMatchObject({ totalCost: '0.006', llmCalls: 3 });
  });

  it('(b) the same event published again after the duplicate window has passed is applied once', async () => {
    const costsStream = streamIn(bus.ns, STREAMS.costs.name);
    const info = await bus.jsm.streams.info(costsStream);
    await bus.jsm.streams.update(costsStream, { ...info.config, duplicate_window: 500_000_000 }); // 0.5 s
    const cost = pricedCost('acme', { id: 'once', cost: '1.25' });
    await bus.publisher.publish(costMessage(bus.ns, cost).subject, costMessage(bus.ns, cost).payload, costMessage(bus.ns, cost).options);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const second = await bus.publisher.publish(costMessage(bus.ns, cost).subject, costMessage(bus.ns, cost).payload, costMessage(bus.ns, cost).options);
    expect(second.duplicate).toBe(false); // JetStream took it again: only cost_entry's key stands between it and a double count
    expect((await bus.jsm.streams.info(costsStream)).state.messages).toBe(2);

    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    expect(await summary()).toMatchObject({ totalCost: '1.25', llmCalls: 1 });
  });

  it('(a2) cost_entry is the idempotency record: a batch half applied before, and a redelivered batch, change nothing; no ledger row', async () => {
    await bus.publisher.publishAll([1, 2, 3, 4].map((n) => costMessage(bus.ns, pricedCost('acme', { id: `h${n}`, cost: `0.00${n}`, agentId: `agent-${n % 2}` }))));
    const consumer = await jetstream(bus.nc).consumers.get(streamIn(bus.ns, STREAMS.costs.name), CONSUMERS.attributionCosts.durable);
    const fetched = [];
    for await (const msg of await consumer.fetch({ max_messages: 4, expires: 2_000 })) {
      fetched.push(msg);
      if (fetched.length === 4) break;
    }
    const { applyOnce } = await import('@agentledger/projections');
    const keyed = fetched.map((msg) => costEntriesProjection.decode(msg)!);
    const applyBatch = (batch: typeof keyed) =>
      applyOnce(db, costEntriesProjection.name, batch, (tx, rows) => costEntriesProjection.apply(tx as never, rows), { idempotency: 'own-key' });
    const rollups = async () => ({
      hourly: await schema.query('SELECT * FROM cost_hourly ORDER BY agent_id'),
      dimensionHourly: await schema.query('SELECT * FROM cost_dimension_hourly ORDER BY dimension, key'),
      dimensionDaily: await schema.query('SELECT * FROM cost_dimension_daily ORDER BY dimension, key'),
      attributes: await schema.query('SELECT * FROM cost_attribute_hourly ORDER BY attribute, value'),
    });

    expect(await applyBatch(keyed.slice(0, 2))).toEqual({ applied: 2, skipped: 0 });
    expect(await summary()).toMatchObject({ totalCost: '0.003', llmCalls: 2, inputTokens: 200 });
    // The whole batch, half of it applied before: only h3 and h4 are added.
    expect(await applyBatch(keyed)).toEqual({ applied: 2, skipped: 2 });
    const once = { totalCost: '0.01', llmCalls: 4, inputTokens: 400 };
    expect(await summary()).toMatchObject(once);
    const byAgent = await costBreakdown(db, { tenant: 'acme', args: { ...WINDOW, by: 'AGENT', filter: {} } });
    expect(byAgent.map((group) => [group.key, group.totalCost, group.llmCalls])).toEqual([
      ['agent-0', '0.006', 2],
      ['agent-1', '0.004', 2],
    ]);
    const before = await rollups();
    // Redelivered as it was, and with a key twice in one batch: nothing moves.
    expect(await applyBatch(keyed)).toEqual({ applied: 0, skipped: 4 });
    expect(await applyBatch([...keyed, keyed[0]!])).toEqual({ applied: 0, skipped: 5 });
    expect(await rollups()).toEqual(before);
    expect(await summary()).toMatchObject(once);
    expect(await schema.query('SELECT count(*)::int AS n FROM cost_entry')).toEqual([{ n: 4 }]);
    expect(await schema.query('SELECT count(*)::int AS n FROM applied_key WHERE projection = $1', [projectionId(costEntriesProjection.name)])).toEqual([{ n: 0 }]);

    for (const msg of fetched) msg.nak();
    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    expect(redeliveries).toBe(4);
    expect(await rollups()).toEqual(before);
    expect(await summary()).toMatchObject(once);
  });

  it('(c) rebuild from the log yields exactly the read model built live', async () => {
    const costs = Array.from({ length: 240 }, (_, n) =>
      pricedCost('acme', {
        id: `r${n}`,
        cost: `0.${String(n * 7919).padStart(6, '0')}`,
        time: new Date(Date.UTC(2026, 10, 27, n % 24, (n * 7) % 60)).toISOString(),
        agentId: `agent-${n % 5}`,
        attempt: (n % 4) + 1,
      }),
    );
    await bus.publisher.publishAll(costs.map((cost) => costMessage(bus.ns, cost)));
    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    const snapshot = async () => ({
      entries: await schema.query('SELECT * FROM cost_entry ORDER BY tenant, cost_id'),
      hourly: await schema.query('SELECT * FROM cost_hourly ORDER BY tenant, bucket_start, agent_id'),
      totals: await summary(),
    });
    const live = await snapshot();
    expect(live.entries).toHaveLength(240);
    await runner!.rebuild();
    const rebuilt = await snapshot();
    expect(rebuilt).toEqual(live);
  });

  it('(d) a poison message goes to the dead-letter stream with its reason; the rest of its batch is applied', async () => {
    const good = [1, 2, 3, 4].map((n) => costMessage(bus.ns, pricedCost('acme', { id: `g${n}`, cost: '0.5' })));
    const badBytes = new Uint8Array([0xff, 0xff, 0xff]); // field 31, wire type 7: not protobuf
    const badDecimal = costMessage(bus.ns, pricedCost('acme', { id: 'bad-money', cost: '1e-3' }));
    await bus.publisher.publish(good[0]!.subject, good[0]!.payload, good[0]!.options);
    await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), badBytes, { msgID: 'garbage' });
    await bus.publisher.publishAll([...good.slice(1), badDecimal]);

    runner = newRunner();
    runner!.start();
    await runner!.caughtUp();
    expect(await summary()).toMatchObject({ totalCost: '2', llmCalls: 4 });

    const dlq = streamIn(bus.ns, STREAMS.deadLetters.name);
    const letters = await eventually(async () => {
      const info = await bus.jsm.streams.info(dlq);
      if (info.state.messages < 2) return undefined;
      return Promise.all([1, 2].map(async (seq) => deadLetterCodec.decode((await bus.jsm.streams.getMessage(dlq, { seq }))!.data)));
    });
    const garbage = letters.find((letter) => letter.original.length === badBytes.length)!;
    expect(garbage.reason).toMatch(/^undecodable priced cost: /);
    expect(garbage.service).toBe('attribution');
    expect(garbage.subject).toBe(subjects.cost(bus.ns, 'acme', 'priced'));
    expect(garbage.tenant).toBe('acme');
    expect(garbage.streamSequence).toBe(2n);
    expect(garbage.deliveryCount).toBe(1);
    expect(Array.from(garbage.original)).toEqual(Array.from(badBytes));
    const money = letters.find((letter) => letter !== garbage)!;
    expect(money.reason).toBe('invalid priced cost agent://test|bad-money: not a decimal string: "1e-3" (expected e.g. "12.34")');
    expect(Array.from(money.original)).toEqual(Array.from(badDecimal.payload));
  });
});
