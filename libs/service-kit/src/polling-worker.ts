import { describeError, type ConsumerLogger } from '@agentledger/jetstream';

export interface PollingWorkerOptions {
  /** What the worker is called in readiness and logs. */
  readonly name: string;
  /** One pass: everything there is to do now (publish what is staged, write what is queued, sweep). */
  readonly pass: () => Promise<void>;
  /** How often a pass runs by itself (work nobody announced: another replica's, a retry, the clock's). */
  readonly pollMs: number;
  readonly logger?: ConsumerLogger;
}

/**
 * A background pass that runs every `pollMs`, and at once on `flush()`. One pass at a time:
 * concurrent `flush()` calls share the pass in hand, and a call during it makes it run once more,
 * so nothing announced during a pass waits for the next poll. A failed pass is logged and left
 * to the next one; `stop()` waits for the pass in hand.
 */
export class PollingWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private started = false;

  constructor(private readonly options: PollingWorkerOptions) {}

  get name(): string {
    return this.options.name;
  }

  get isBound(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const poll = () => {
      this.timer = setTimeout(() => void this.flush().finally(() => this.started && poll()), this.options.pollMs);
    };
    void this.flush();
    poll();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now (or once more after the one in hand); resolves when it is done or has failed. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.options.pass();
        } while (this.again);
      } catch (error) {
        this.options.logger?.warn(`${this.options.name} failed, trying again`, { error: describeError(error) });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
