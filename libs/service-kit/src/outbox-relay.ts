import { headers as natsHeaders } from '@nats-io/transport-node';
import { describeError, type ConsumerLogger, type JetStreamPublisher } from '@agentledger/jetstream';
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
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private started = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  get isBound(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const poll = () => {
      this.timer = setTimeout(() => {
        void this.flush().finally(() => this.started && poll());
      }, this.options.pollMs ?? 1_000);
    };
    void this.flush();
    poll();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Publishes everything staged so far; resolves when done (or when a publish failed: the poll
   * retries). Concurrent calls share one pass, and a call during a pass makes it run once more.
   */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.publishPage()) === (this.options.pageSize ?? 500));
        } while (this.again);
      } catch (error) {
        this.options.logger?.warn('outbox publish failed, retrying', { error: describeError(error) });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private publishPage(): Promise<number> {
    const { db, publisher } = this.options;
    return db.$transaction(
      async (tx) => {
        const page = await lockStaged(tx, this.options.pageSize ?? 500);
        if (page.length === 0) return 0;
        await publisher.publishAll(
          page.map((message) => {
            const headers = natsHeaders();
            for (const [name, value] of Object.entries(message.headers ?? {})) headers.set(name, value);
            return { subject: message.subject, payload: message.payload, options: { msgID: message.msgId, headers } };
          }),
        );
        await removeStaged(tx, page.map((message) => message.id));
        this.options.onPublished?.(page.length);
        return page.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }
}
