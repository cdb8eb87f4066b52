/** Resolves (with nothing) when ready; throws or returns a reason string when not. */
export type ReadinessCheck = () => Promise<void | string>;

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export interface ReadinessOptions {
  /** Per check; a check still pending then counts as not ready. Default 2000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * Named checks behind `/readyz` (e.g. `nats`: connection open; `postgres`: `SELECT 1`;
 * `consumer`: durable consumer bound). They run concurrently, each with its own timeout, so one
 * hung dependency cannot make the probe itself time out.
 */
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly timeoutMs: number;

  constructor(opts: ReadinessOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  }

  register(name: string, check: ReadinessCheck): this {
    if (this.checks.has(name)) throw new Error(`Readiness check "${name}" is already registered`);
    this.checks.set(name, check);
    return this;
  }

  async run(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.runOne(check)] as const),
    );
    return {
      ready: entries.every(([, result]) => result.ok),
      checks: Object.fromEntries(entries),
    };
  }

  private async runOne(check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, detail: `timed out after ${this.timeoutMs}ms` }),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([outcome(check), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function outcome(check: ReadinessCheck): Promise<CheckResult> {
  try {
    const reason = await check();
    return typeof reason === 'string' ? { ok: false, detail: reason } : { ok: true };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
