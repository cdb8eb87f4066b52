import { describeError, type ConsumerLogger } from '@agentledger/jetstream';

export interface SweeperOptions {
  readonly name: string;
  /** One pass; a failure is logged and the next pass tries again. */
  readonly sweep: () => Promise<void>;
  readonly intervalMs: number;
  readonly logger?: ConsumerLogger;
}

/**
 * What no event announces — a period rolling over, a reservation's TTL running out — is done
 * here: a pass every few seconds, one at a time, stopped cleanly with the service.
 */
export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private started = false;

  constructor(private readonly options: SweeperOptions) {}

  get name(): string {
    return this.options.name;
  }

  get isBound(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const next = () => {
      this.timer = setTimeout(() => {
        this.running = this.sweep().finally(() => {
          this.running = undefined;
          if (this.started) next();
        });
      }, this.options.intervalMs);
    };
    next();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  async sweep(): Promise<void> {
    try {
      await this.options.sweep();
    } catch (error) {
      this.options.logger?.warn(`${this.options.name} failed, trying again at the next pass`, { error: describeError(error) });
    }
  }
}
