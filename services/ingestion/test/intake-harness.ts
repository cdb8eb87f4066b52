import { fileURLToPath } from 'node:url';
import { factCodec, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, DeadLetterPublisher, eventPayloads, provisionConsumers, STREAMS, streamIn, type ConsumerSpec } from '@agentledger/jetstream';
import { ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, eventually, type TestBus, type TestDatabase } from '@agentledger/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { RawIntake } from '../src/intake/raw-intake.js';
import { deadLettersProjection } from '../src/dead-letters/dead-letters.projection.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/** Ingestion's intake and dead-letter projection on a test namespace and schema of their own. */
export class IntakeHarness {
  intake?: RawIntake;
  deadLetterRunner?: { start(): void; stop(): Promise<void> };
  private constructor(
    readonly bus: TestBus,
    readonly schema: TestDatabase<PrismaClient>,
    readonly db: PrismaClient,
  ) {}

  static async create(): Promise<IntakeHarness> {
    const bus = await createTestBus();
    const schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    const db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.ingestion, CONSUMERS.ingestionDeadLetters]);
    return new IntakeHarness(bus, schema, db);
  }

  start(): void {
    const deadLetters = new DeadLetterPublisher(this.bus.publisher, this.bus.ns);
    this.intake = new RawIntake({ js: this.bus.js, ns: this.bus.ns, db: this.db, publisher: this.bus.publisher, deadLetters, service: 'ingestion' });
    this.intake.start();
    this.deadLetterRunner = new ProjectionRunner(
      { js: this.bus.js, jsm: this.bus.jsm, ns: this.bus.ns, db: this.db, service: 'ingestion', deadLetters },
      deadLettersProjection,
    );
    this.deadLetterRunner.start();
  }

  async stop(): Promise<void> {
    await this.intake?.stop();
    await this.deadLetterRunner?.stop();
    this.intake = undefined;
    this.deadLetterRunner = undefined;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    await this.schema.cleanup();
    await this.bus.cleanup();
  }

  /** Subject of the root namespace (`finops.in.acme.llm_call`) in this test's namespace. */
  subject(local: string): string {
    return this.bus.ns.subjectPrefix + local;
  }

  /** Waits until a consumer has acked everything its stream holds. */
  async drained(spec: ConsumerSpec = CONSUMERS.ingestion, timeoutMs = 30_000): Promise<void> {
    const jsm = await jetstreamManager(this.bus.nc);
    await eventually(
      async () => {
        const info = await jsm.consumers.info(streamIn(this.bus.ns, spec.stream), spec.durable);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      timeoutMs,
      `${spec.durable} to drain`,
    );
  }

  async streamCount(stream: keyof typeof STREAMS): Promise<number> {
    return (await this.bus.jsm.streams.info(streamIn(this.bus.ns, STREAMS[stream].name))).state.messages;
  }

  /** Every canonical fact published so far. */
  async facts(): Promise<CanonicalFact[]> {
    const name = streamIn(this.bus.ns, STREAMS.facts.name);
    const last = (await this.bus.jsm.streams.info(name)).state.last_seq;
    const facts: CanonicalFact[] = [];
    for (let seq = 1; seq <= last; seq++) {
      const msg = await this.bus.jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (msg) facts.push(...eventPayloads({ data: msg.data, headers: msg.header }).map((bytes) => factCodec.decode(bytes)));
    }
    return facts;
  }

  /** Shortens a stream's JetStream duplicate window, so a test can outlive it. */
  async shortenDuplicateWindow(stream: keyof typeof STREAMS, ns = 500_000_000): Promise<void> {
    const name = streamIn(this.bus.ns, STREAMS[stream].name);
    const info = await this.bus.jsm.streams.info(name);
    await this.bus.jsm.streams.update(name, { ...info.config, duplicate_window: ns });
  }
}
