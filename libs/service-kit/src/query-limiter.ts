import { QueryError } from './query-error.js';

export interface QueryLimits {
  /** Queries answered at once by this process; the rest wait their turn. */
  readonly maxConcurrent: number;
  /** How long a query waits for a turn before it is refused as busy. */
  readonly maxWaitMs: number;
}

/** Defaults: QUERY_CONCURRENCY and QUERY_QUEUE_WAIT_MS. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxConcurrent: 8, maxWaitMs: 2_000 };

/**
 * A cap on the queries one service answers at once, so a burst of heavy reads queues in memory
 * instead of in the database pool (where it would hold every connection). A query that waits
 * longer than `maxWaitMs` is refused with `UNAVAILABLE` ("busy"): an answer, never a crash.
 */
export class QueryLimiter {
  private running = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(
    private readonly service: string,
    private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {
    if (!(limits.maxConcurrent >= 1) || !(limits.maxWaitMs >= 0)) throw new Error(`invalid query limits ${JSON.stringify(limits)}`);
  }

  /** Queries running now, and waiting for a turn (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(query: () => Promise<T>): Promise<T> {
    await this.turn();
    try {
      return await query();
    } finally {
      this.release();
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.limits.maxConcurrent) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new QueryError('UNAVAILABLE', `${this.service} is busy: ${this.limits.maxConcurrent} queries running and no turn within ${this.limits.maxWaitMs} ms; try again shortly`));
      }, this.limits.maxWaitMs);
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // The turn passes straight to the next waiter: `running` stays as it is.
    if (next) next.grant();
    else this.running -= 1;
  }
}
