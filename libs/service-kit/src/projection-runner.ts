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
  TransientError,
} from '@agentledger/jetstream';
import {
  applyOnce,
  checkAndRecordStream,
  compareStream,
  dropReadModel,
  recordedStream,
  StreamMismatchError,
  type Idempotency,
  type KeyedEvent,
  type SqlExecutor,
  type StreamIdentity,
  type TransactionalDb,
} from '@agentledger/projections';

/** A read model fed by one durable consumer. */
export interface ProjectionDefinition<E, Tx extends SqlExecutor> {
  /** Its name in the applied-keys ledger (`applied_key`) and in `projection_stream`. */
  readonly name: string;
  readonly consumer: ConsumerSpec;
  /** Tables emptied by `rebuild`. */
  readonly tables: readonly string[];
  /** The event and its idempotency key, or undefined for messages this read model ignores. Throw `PermanentError` to dead-letter. */
  decode(msg: JsMsg): KeyedEvent<E> | undefined;
  /**
   * Applies the batch inside its transaction. With the default `idempotency: 'ledger'` it sees
   * first-seen events only; an `own-key` read model sees them all and returns those it inserted.
   */
  apply(tx: Tx, events: E[]): Promise<void | E[]>;
  /**
   * Where applied events are recorded (`Idempotency`): `ledger` (the default, a 16-byte row per
   * event in `applied_key`) or `own-key` (the read model's unique key per event is the record).
   */
  readonly idempotency?: Idempotency;
  /** A reactor: `apply` stages messages in the outbox (`stageMessages`), published once the batch committed. */
  readonly emits?: boolean;
  /** Called after a batch that applied events committed (e.g. to wake a worker that writes what the batch recorded). */
  readonly afterCommit?: () => void;
  /**
   * The read model's keys, order and revisions all come from the events' own identity, never
   * from stream sequences: a recreated stream is reported (error log, metric) and then followed,
   * since the same event on another stream is the same event. Without it the read model is
   * pinned to the stream it was built from and refuses another until `rebuild`.
   */
  readonly streamIndependent?: boolean;
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
  /** Required by a projection that emits: a flush is started after each committed batch. */
  readonly outbox?: OutboxFlush;
  /** The stream is not the one the read model was built from (refused, or followed when `streamIndependent`): a metric, an alert. */
  readonly onStreamMismatch?: (error: StreamMismatchError) => void;
}

/**
 * Runs a projection live, and rebuilds it from the start of its stream on demand.
 *
 * Every batch also checks that the stream is the one the read model was built from (its
 * creation time, recorded with the first batch, in the batch's transaction) and that it has not
 * gone backwards (a first delivery at or below the sequence already applied makes it ask the
 * stream afresh). A stream recreated under the read model is said loudly (an error log,
 * `onStreamMismatch`) and then refused — the consumer stopped so readiness turns red, nothing
 * applied over events it would be confused with, nothing skipped — unless the read model is
 * `streamIndependent`, which follows the new stream. `rebuild` forgets the old stream and takes the new one.
 */
export class ProjectionRunner<E, Tx extends SqlExecutor> {
  private consumer: BatchConsumer<KeyedEvent<E> | undefined>;
  private stream?: Pick<StreamIdentity, 'stream' | 'created'>;
  /** The highest sequence this replica saw committed (a hint: the database holds the truth). */
  private checkpoint = 0;
  private refusal?: StreamMismatchError;

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

  /** Why the projection refuses its stream, when it does. */
  get refused(): StreamMismatchError | undefined {
    return this.refusal;
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
    this.refusal = undefined;
    this.stream = undefined;
    this.checkpoint = 0;
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

  /**
   * Resolves once the backlog is empty and, for a reactor, what it staged has been published (the
   * flush after each commit runs in the background, so an empty backlog alone does not mean the
   * costs are on their stream). Gives up only when the backlog stops shrinking for `stallMs`: a
   * rebuild of millions of events takes as long as it takes, a stuck one is said within a minute.
   */
  async caughtUp(stallMs = 60_000): Promise<void> {
    let least = Number.POSITIVE_INFINITY;
    let deadline = Date.now() + stallMs;
    for (let backlog = await this.backlog(); backlog > 0; backlog = await this.backlog()) {
      if (backlog < least) {
        least = backlog;
        deadline = Date.now() + stallMs;
      }
      if (Date.now() > deadline) throw new Error(`${this.definition.name} made no progress for ${stallMs} ms (${backlog} messages left)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (this.definition.emits) await this.deps.outbox?.flush();
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
        const upTo = Math.max(...batch.map((delivery) => delivery.msg.seq));
        const stream = await this.verifiedStream(batch.map((delivery) => delivery.msg));
        let followed = false;
        const result = await applyOnce(
          deps.db,
          definition.name,
          keyed,
          (tx, events) => definition.apply(tx, events),
          {
            idempotency: definition.idempotency,
            guard: async (tx) => {
              const adopted = await checkAndRecordStream(tx, definition.name, stream, upTo, { adopt: definition.streamIndependent });
              if (adopted) this.report(new StreamMismatchError(definition.name, adopted), 'followed');
              followed = adopted !== undefined;
            },
          },
        ).catch((error: unknown) => this.refuseOn(error));
        this.checkpoint = followed ? upTo : Math.max(this.checkpoint, upTo);
        // After commit: what the batch staged leaves now, while the next batch is fetched and
        // applied (the relay runs one pass at a time and again if asked meanwhile; its poll
        // catches a failure). The outbox is durable, so nothing waits on the publish.
        if (definition.emits && result.applied > 0) void deps.outbox?.flush();
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

  /**
   * The stream's identity, asked of JetStream with the first batch and whenever a batch holds a first
   * delivery at or below the checkpoint (a replay, or a stream that starts counting again).
   */
  private async verifiedStream(msgs: readonly JsMsg[]): Promise<Pick<StreamIdentity, 'stream' | 'created'>> {
    if (this.refusal) throw new TransientError(this.refusal.message, { cause: this.refusal });
    const suspicious = msgs.some((msg) => msg.info.deliveryCount === 1 && msg.seq <= this.checkpoint);
    if (this.stream && !suspicious) return this.stream;
    const name = streamIn(this.deps.ns, this.definition.consumer.stream);
    const info = await this.deps.jsm.streams.info(name);
    const found: StreamIdentity = { stream: name, created: info.created, lastSequence: info.state.last_seq };
    const recorded = await this.deps.db.$transaction((tx) => recordedStream(tx, this.definition.name, name));
    const mismatch = compareStream(recorded, found);
    if (mismatch && !this.definition.streamIndependent) this.refuseOn(new StreamMismatchError(this.definition.name, mismatch));
    this.checkpoint = Math.max(this.checkpoint, recorded?.lastSequence ?? 0);
    this.stream = { stream: name, created: info.created };
    return this.stream;
  }

  /** A stream mismatch stops the projection (once, loudly); any failure is rethrown for the consumer to handle. */
  private refuseOn(error: unknown): never {
    if (!(error instanceof StreamMismatchError)) throw error;
    if (!this.refusal) {
      this.refusal = error;
      this.report(error, 'stopped');
      // Not from inside the batch: stop() waits for the batch in hand, which is this one.
      setImmediate(() => void this.consumer.stop());
    }
    // Transient: nak'ed, never counted toward dead-lettering; nothing is lost, nothing applied.
    throw new TransientError(error.message, { cause: error });
  }

  /** Loudly: an error log naming both streams, and the metric. */
  private report(error: StreamMismatchError, outcome: 'stopped' | 'followed'): void {
    const message =
      outcome === 'stopped'
        ? 'stream recreated under the read model: projection stopped'
        : 'stream recreated under the read model: followed, its keys are event identities';
    this.deps.logger?.error(message, {
      projection: this.definition.name,
      consumer: this.definition.consumer.durable,
      reason: outcome === 'stopped' ? error.message : `${error.mismatch.found.stream} created at ${error.mismatch.found.created}, recorded ${error.mismatch.recorded.created}`,
    });
    this.deps.onStreamMismatch?.(error);
  }
}
