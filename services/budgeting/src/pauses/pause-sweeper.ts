import { describeError, type ConsumerLogger } from '@agentledger/jetstream';
import type { BudgetingDb } from '../db.js';
import { reconcileTenantPauses } from './pauses.js';

export interface PauseSweeperOptions {
  readonly db: BudgetingDb;
  readonly clock: () => Date;
  /** Wakes the KV mirror after a pass changed something. */
  readonly mirror: { flush(): Promise<void> };
  readonly logger?: ConsumerLogger;
  /** How often every BLOCK budget is looked at again; default 5 s. */
  readonly intervalMs?: number;
}

/**
 * What no event announces — a period rolling over — lifts a budget's pause here: every few
 * seconds, each tenant's BLOCK budgets and budget pauses are reconciled with the clock. The
 * projections pause and lift at once when spend or settings change; this pass is the backstop.
 */
export class PauseSweeper {
  readonly name = 'pause-sweeper';
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private started = false;

  constructor(private readonly options: PauseSweeperOptions) {}

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
      }, this.options.intervalMs ?? 5_000);
    };
    next();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every tenant that has a BLOCK budget or a budget pause. */
  async sweep(): Promise<void> {
    const { db, clock } = this.options;
    try {
      const tenants = await db.$queryRawUnsafe<Array<{ tenant: string }>>(
        `SELECT tenant FROM budget WHERE NOT deleted AND enforcement = 'BLOCK' UNION SELECT tenant FROM pause WHERE budget_id IS NOT NULL`,
      );
      for (const { tenant } of tenants) {
        await db.$transaction((tx) => reconcileTenantPauses(tx, tenant, clock()));
      }
      await this.options.mirror.flush();
    } catch (error) {
      this.options.logger?.warn('pause sweep failed, trying again at the next', { error: describeError(error) });
    }
  }
}
