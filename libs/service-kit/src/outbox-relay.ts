import { headersOf, type ConsumerLogger, type JetStreamPublisher } from '@agentledger/jetstream';
import { PollingWorker } from './polling-worker.js';
import { lockStaged, removeStaged, type SqlExecutor, type TransactionalDb } from '@agentledger/projections';

export interface OutboxRelayOptions {
  readonly db: TransactionalDb<SqlExecutor>;
  readonly publisher: JetStreamPublisher;
  readonly logger?: ConsumerLogger;
  /** Messages per transaction (default 500). */
  readonly pageSize?: number;
  /** How often the relay looks for messages nobody flushed (a crash after commit, a failed publish); default 1 s. */
  readonly pollMs?: number;
  readonly onPublished?: (count: number) => void;
}

/**
 * Publishes what reactors staged in the outbox, after their transactions committed: locks the
 * oldest page (SKIP LOCKED, so replicas share the work), publishes it with each message's msgID,
 * deletes it, commits. A crash after publishing and before the delete publishes again, which the
 * msgID and every consumer's idempotency absorb; a rollback never leaves a message behind.
 */
export class OutboxRelay {
  readonly name = 'outbox';
  private readonly worker: PollingWorker;

  constructor(private readonly options: OutboxRelayOptions) {
    this.worker = new PollingWorker({
      name: 'outbox publish',
      pollMs: options.pollMs ?? 1_000,
      logger: options.logger,
      pass: async () => {
        while ((await this.publishPage()) === (this.options.pageSize ?? 500));
      },
    });
  }

  get isBound(): boolean {
    return this.worker.isBound;
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /**
   * Publishes everything staged so far; resolves when done (or when a publish failed: the poll
   * retries). Concurrent calls share one pass, and a call during a pass makes it run once more.
   */
  flush(): Promise<void> {
    return this.worker.flush();
  }

  private publishPage(): Promise<number> {
    const { db, publisher } = this.options;
    return db.$transaction(
      async (tx) => {
        const page = await lockStaged(tx, this.options.pageSize ?? 500);
        if (page.length === 0) return 0;
        await publisher.publishAll(
          page.map((message) => ({ subject: message.subject, payload: message.payload, options: { msgID: message.msgId, headers: headersOf(message.headers ?? {}) } })),
        );
        await removeStaged(tx, page.map((message) => message.id));
        this.options.onPublished?.(page.length);
        return page.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }
}
