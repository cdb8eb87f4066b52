import type { JsMsg } from '@nats-io/jetstream';
import { CONSUMERS, STREAMS, streamIn, subjects, type ConsumerSpec } from '@agentledger/jetstream';
import { migrateSchema, stageMessages, type SqlExecutor } from '@agentledger/projections';
import { OutboxRelay } from '@agentledger/service-kit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestBus, createTestProjection, createTestSchema, eventually, pgTransactionalDb, type PgTransactionalDb, type TestBus, type TestSchema } from '../src/index.js';

const encoder = new TextEncoder();

describe('reactors with an outbox (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestSchema;
  let db: PgTransactionalDb;
  let migrationsDir: string;

  beforeEach(async () => {
    bus = await createTestBus();
    schema = await createTestSchema();
    migrationsDir = await mkdtemp(join(tmpdir(), 'outbox-'));
    await migrateSchema({ connectionString: schema.connectionString, schema: schema.schema, migrationsDir });
    db = pgTransactionalDb(schema.connectionString, schema.schema);
  });

  afterEach(async () => {
    await db.end();
    await schema.cleanup();
    await bus.cleanup();
    await rm(migrationsDir, { recursive: true, force: true });
  });

  const costSubject = () => subjects.cost(bus.ns, 'acme', 'priced');
  const message = (id: string) => ({ subject: costSubject(), msgId: `cost:acme|${id}`, payload: encoder.encode(id), headers: { 'Content-Type': 'text/plain' } });
  const published = async () => (await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages;
  const relay = () => new OutboxRelay({ db, publisher: bus.publisher, pollMs: 50 });
  const factsPublished = async (...values: string[]) => {
    for (const value of values) await bus.publisher.publish(subjects.fact(bus.ns, 'acme', 'llm_call'), encoder.encode(value));
  };
  /** A reactor on a durable of its own: each fact's text staged as a cost message. */
  const reactor = (durable: string, apply: (tx: SqlExecutor, events: string[]) => Promise<void>, outbox: Parameters<typeof createTestProjection>[5]) =>
    createTestProjection<string, SqlExecutor>(
      bus,
      db,
      'test',
      {
        name: durable,
        consumer: { ...CONSUMERS.attributionFacts, durable } satisfies ConsumerSpec,
        tables: [],
        emits: true,
        decode: (msg: JsMsg) => ({ key: msg.subject + msg.seq, event: new TextDecoder().decode(msg.data) }),
        apply,
      },
      undefined,
      outbox,
    );

  it('a transaction rolled back after staging publishes nothing', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await stageMessages(tx, [message('a'), message('b')]);
        throw new Error('projection failed after staging');
      }),
    ).rejects.toThrow('projection failed after staging');
    await relay().flush();
    expect(await schema.query('SELECT * FROM outbox')).toEqual([]);
    expect(await published()).toBe(0);
  });

  it('messages committed before a crash (nothing flushed) are published once by the next relay, with their msgID and headers', async () => {
    await db.$transaction((tx) => stageMessages(tx, [message('a'), message('b'), message('c')]));
    // The process "died" here: committed, never flushed. A new process's relay finds them.
    const next = relay();
    next.start();
    await eventually(async () => (await published()) === 3, 10_000, 'the staged messages published');
    await next.stop();
    // Two relays flushing again (replicas, a restart) publish nothing more.
    await Promise.all([relay().flush(), relay().flush()]);
    expect(await published()).toBe(3);
    expect(await schema.query('SELECT * FROM outbox')).toEqual([]);
    const stored = await bus.jsm.streams.getMessage(streamIn(bus.ns, STREAMS.costs.name), { seq: 1 });
    expect(stored?.header.get('Nats-Msg-Id')).toBe('cost:acme|a');
    expect(stored?.header.get('Content-Type')).toBe('text/plain');
  });

  it('a publish repeated after a crash between publish and delete is recognised by its msgID', async () => {
    await db.$transaction((tx) => stageMessages(tx, [message('a')]));
    await bus.publisher.publish(costSubject(), encoder.encode('a'), { msgID: 'cost:acme|a' });
    await relay().flush();
    expect(await published()).toBe(1);
  });

  it('a reactor projection publishes what its committed batches staged, and nothing for a batch it rolled back', async () => {
    let failNext = true;
    const runner = await reactor(
      'outbox-reactor',
      async (tx, events) => {
        await stageMessages(tx, events.map((event) => message(event)));
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('connection lost at commit'), { code: '08006' });
        }
      },
      relay(),
    );
    runner.start();
    await factsPublished('x1', 'x2');
    await eventually(async () => (await published()) === 2, 20_000, 'both reactions published');
    await runner.caughtUp();
    await runner.stop();
    expect(await published()).toBe(2);
    expect(await schema.query('SELECT * FROM outbox')).toEqual([]);
  });

  it("a reactor is caught up only once what it staged is on the stream, not when its backlog is empty", async () => {
    const inner = relay();
    // The flush each commit starts runs in the background; a slow one shows whether caughtUp waits for it.
    const slowRelay = { flush: async () => (await new Promise((resolve) => setTimeout(resolve, 300)), inner.flush()) };
    const runner = await reactor('outbox-caught-up', (tx, events) => stageMessages(tx, events.map((event) => message(event))), slowRelay);
    runner.start();
    await factsPublished('y1');
    await eventually(async () => (await runner.backlog()) === 0, 20_000, 'the fact delivered and acked');
    await runner.caughtUp();
    expect(await published()).toBe(1);
    await runner.stop();
  });
});
