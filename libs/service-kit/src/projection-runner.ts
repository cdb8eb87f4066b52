import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  BatchConsumer,
  resetConsumer,
  streamIn,
  type ConsumerHooks,
  type ConsumerLogger,
  type ConsumerSpec,
  type DeadLetterPublisher,
  type Namespace,
} from '@agentledger/jetstream';
import { applyOnce, dropReadModel, type KeyedEvent, type SqlExecutor, type TransactionalDb } from '@agentledger/projections';

/** A read model fed by one durable consumer. */
export interface ProjectionDefinition<E, Tx extends SqlExecutor> {
  /** Name in the applied-keys ledger. */
  readonly name: string;
  readonly consumer: ConsumerSpec;
  /** Tables emptied by `rebuild`. */
  readonly tables: readonly string[];
  /** The event and its idempotency key, or undefined for messages this read model ignores. Throw `PermanentError` to dead-letter. */
  decode(msg: JsMsg): KeyedEvent<E> | undefined;
  /** Applies first-seen events inside the batch's transaction. */
  apply(tx: Tx, events: E[]): Promise<void>;
  /** A reactor: `apply` stages messages in the outbox (`stageMessages`), published once the batch committed. */
  readonly emits?: boolean;
  /** Called after a batch that applied events committed (e.g. to wake a worker that writes what the batch recorded). */
  readonly afterCommit?: () => void;
}

/** What a reactor's runner needs of the outbox relay. */
export interface OutboxFlush {
  flush(): Promise<void>;
}

export interface ProjectionDeps<Tx extends SqlExecutor> {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly ns: Namespace;
  readonly db: TransactionalDb<Tx>;
  readonly service: string;
  readonly deadLetters: DeadLetterPublisher;
  readonly hooks?: ConsumerHooks;
  readonly logger?: ConsumerLogger;
  readonly batchSize?: number;
  readonly tenantOf?: (msg: JsMsg) => string | undefined;
  /** Required by a projection that emits: it is flushed after each committed batch. */
  readonly outbox?: OutboxFlush;
}

/** Runs a projection live, and rebuilds it from the start of its stream on demand. */
export class ProjectionRunner<E, Tx extends SqlExecutor> {
  private consumer: BatchConsumer<KeyedEvent<E> | undefined>;

  constructor(
    private readonly deps: ProjectionDeps<Tx>,
    private readonly definition: ProjectionDefinition<E, Tx>,
  ) {
    if (definition.emits && !deps.outbox) throw new Error(`projection ${definition.name} emits but has no outbox relay`);
    this.consumer = this.createConsumer();
  }

  get name(): string {
    return this.definition.name;
  }

  get isBound(): boolean {
    return this.consumer.isBound;
  }

  /** How many times its consumer loop died and was started again. */
  get restartCount(): number {
    return this.consumer.restartCount;
  }

  start(): void {
    this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Drops the read model and replays the stream from the start; resolves when caught up. */
  async rebuild(): Promise<void> {
    await this.consumer.stop();
    await dropReadModel(this.deps.db, this.definition.name, this.definition.tables);
    await resetConsumer(this.deps.jsm, this.deps.ns, this.definition.consumer);
    this.consumer = this.createConsumer();
    this.consumer.start();
    await this.caughtUp();
  }

  /** Messages not yet delivered plus those delivered and not yet acked. */
  async backlog(): Promise<number> {
    const info = await this.deps.jsm.consumers.info(streamIn(this.deps.ns, this.definition.consumer.stream), this.definition.consumer.durable);
    return info.num_pending + info.num_ack_pending;
  }

  async caughtUp(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.backlog()) > 0) {
      if (Date.now() > deadline) throw new Error(`${this.definition.name} did not catch up within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private createConsumer(): BatchConsumer<KeyedEvent<E> | undefined> {
    const { definition, deps } = this;
    return new BatchConsumer<KeyedEvent<E> | undefined>({
      js: deps.js,
      ns: deps.ns,
      spec: definition.consumer,
      service: deps.service,
      deadLetters: deps.deadLetters,
      decode: (msg) => definition.decode(msg),
      apply: async (batch) => {
        const keyed = batch.flatMap((delivery) => (delivery.value ? [delivery.value] : []));
        const result = await applyOnce(deps.db, definition.name, keyed, (tx, events) => definition.apply(tx, events));
        // After commit, before the ack: what the batch staged leaves now (the relay's poll catches a failure).
        if (definition.emits && result.applied > 0) await deps.outbox?.flush();
        if (result.applied > 0) definition.afterCommit?.();
      },
      // While the database is unreachable the consumer stops fetching and asks this until it answers.
      probe: () => deps.db.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1')),
      tenantOf: deps.tenantOf,
      batchSize: deps.batchSize,
      hooks: deps.hooks,
      logger: deps.logger,
    });
  }
}
