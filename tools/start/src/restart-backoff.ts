export interface RestartTiming {
  /** Delay before the first restart (1 s). */
  readonly firstMs: number;
  /** The delay doubles after each crash up to this (30 s). */
  readonly maxMs: number;
  /** A process up at least this long (a minute) before it crashed starts again from `firstMs`. */
  readonly resetAfterMs: number;
}

export const DEFAULT_RESTART_TIMING: RestartTiming = { firstMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

/**
 * When to restart a crashed process: 1 s, 2 s, 4 s … capped at 30 s, back to 1 s once it has
 * stayed up a minute. A process that crashes at once is not restarted in a tight loop, and one
 * that crashes once a day is restarted at once every time.
 */
export class RestartBackoff {
  private crashes = 0;
  private upSince: number;

  constructor(
    private readonly timing: RestartTiming = DEFAULT_RESTART_TIMING,
    private readonly clock: () => number = Date.now,
  ) {
    this.upSince = clock();
  }

  /** The process (re)started now. */
  started(): void {
    this.upSince = this.clock();
  }

  /** It crashed now: how long to wait before starting it again, and which restart that is. */
  crashed(): { delayMs: number; attempt: number } {
    if (this.clock() - this.upSince >= this.timing.resetAfterMs) this.crashes = 0;
    const delayMs = Math.min(this.timing.firstMs * 2 ** this.crashes, this.timing.maxMs);
    this.crashes += 1;
    return { delayMs, attempt: this.crashes };
  }
}
