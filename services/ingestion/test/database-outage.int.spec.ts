import { fileURLToPath } from 'node:url';
import { deadLetterCodec } from '@agentledger/contracts';
import { CONSUMERS, DeadLetterPublisher, STREAMS, streamIn, type ConsumerSpec } from '@agentledger/jetstream';
import { prismaAdapter, type ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, eventually, testDatabaseUrl, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { deadLettersProjection } from '../src/dead-letters/dead-letters.projection.js';
import { TcpProxy } from './tcp-proxy.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const SECOND_NS = 1_000_000_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The dead-letter projection on a durable of its own with a 2 s ack wait and 3 deliveries, so an outage outlasts them within seconds. */
const consumer: ConsumerSpec = { ...CONSUMERS.ingestionDeadLetters, durable: 'outage-dead-letters', ackWaitNs: 2 * SECOND_NS, maxDeliver: 3 };

describe('a projection whose database goes away (real NATS, real PostgreSQL behind a TCP proxy)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let proxy: TcpProxy;
  let db: PrismaClient;
  let runner: ProjectionRunner<unknown, never>;
  let publisher: DeadLetterPublisher;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    const target = new URL(testDatabaseUrl());
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    db = new PrismaClient({ adapter: prismaAdapter({ connectionString: proxy.url(testDatabaseUrl()), schema: schema.schema, poolSize: 4 }) });
    runner = (await createTestProjection(bus, db, 'ingestion', { ...deadLettersProjection, consumer })) as unknown as ProjectionRunner<unknown, never>;
    publisher = new DeadLetterPublisher(bus.publisher, bus.ns);
  });

  afterAll(async () => {
    await runner.stop();
    await proxy.stop();
    await db.$disconnect().catch(() => undefined);
    await schema.cleanup();
    await bus.cleanup();
  });

  /** Dead letters as other services publish them: what this projection turns into rows. */
  async function reject(from: number, count: number): Promise<void> {
    for (let index = from; index < from + count; index++) {
      await publisher.publish({
        service: 'pricing',
        reason: `unpriceable ${index}`,
        tenant: 'acme',
        subject: 'finops.facts.acme.llm_call',
        stream: 'FINOPS_FACTS',
        streamSequence: index,
        original: new TextEncoder().encode(`event ${index}`),
        receivedAt: new Date('2026-11-27T09:30:00Z'),
      });
    }
  }

  const rows = async () => (await schema.query<{ reason: string }>('SELECT reason FROM dead_letter ORDER BY dlq_sequence')).map((row) => row.reason);
  const dlqMessages = async () => (await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.deadLetters.name))).state.messages;

  it('loses nothing and dead-letters nothing through an outage longer than maxDeliver × (ack wait + backoff), then catches up by itself', async () => {
    runner.start();
    await reject(1, 5);
    await eventually(async () => (await rows()).length === 5, 20_000, 'the first five applied');

    await proxy.stop();
    await reject(6, 5);
    // 12 s down: the old consumer dead-lettered the five new ones after 3 deliveries (about 2 s).
    await sleep(12_000);
    expect(await rows()).toHaveLength(5);
    // Only the ten published: the projection added none of its own ("failed 3 times").
    expect(await dlqMessages()).toBe(10);

    await proxy.start();
    await eventually(async () => (await rows()).length === 10, 30_000, 'the backlog applied after the outage');
    await runner.caughtUp();
    expect(await rows()).toEqual(Array.from({ length: 10 }, (_, index) => `unpriceable ${index + 1}`));
    expect(await dlqMessages()).toBe(10);
    const last = await bus.jsm.streams.getMessage(streamIn(bus.ns, STREAMS.deadLetters.name), { seq: 10 });
    expect(deadLetterCodec.decode(last!.data).service).toBe('pricing');
  });
});
