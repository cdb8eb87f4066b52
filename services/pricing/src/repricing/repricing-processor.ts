import { describeError, type ConsumerLogger } from '@agentledger/jetstream';
import { formatDecimal, fromStored } from '@agentledger/money';
import type { PricingDb } from '../db.js';
import { lockTenantPricing } from '../costing/priced-usage.js';
import { correctRows, type RepricingDeps } from './corrections.js';
import { scopeOf, whereOf } from './repricing-job.js';

export interface RepricingProcessorOptions {
  readonly db: PricingDb;
  readonly deps: RepricingDeps;
  /** Publishes the corrections a page staged, after its commit. */
  readonly outbox: { flush(): Promise<void> };
  readonly logger?: ConsumerLogger;
  /** Facts per transaction (default 500): bounds each transaction's work, locks and corrections. */
  readonly pageSize?: number;
  /** How often an idle processor looks for new jobs (default 200 ms). */
  readonly idleMs?: number;
}

/**
 * Works through the re-pricing jobs that price events recorded, oldest first: each page of the
 * facts a job covers (by time, then fact key, after its durable cursor) is re-priced in one
 * transaction with the tenant's pricing lock — corrections staged in the outbox, the cursor and
 * the audit counters moved in the same commit. Killed at any point, it resumes at the cursor:
 * a page is either wholly done or not at all, and corrected facts carry the job's revision, so
 * no correction is made twice. Replicas share jobs (SKIP LOCKED).
 */
export class RepricingProcessor {
  readonly name = 'repricing';
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(private readonly options: RepricingProcessorOptions) {}

  get isBound(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
        if (worked) await this.options.outbox.flush();
      } catch (error) {
        this.options.logger?.warn('re-pricing page failed, retrying', { error: describeError(error) });
      }
      if (!worked && this.running) await this.sleep(this.options.idleMs ?? 200);
    }
  }

  /** Waits before looking for work again; `stop` cuts it short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** One page of the oldest open job; false when there is none. */
  async step(): Promise<boolean> {
    const pageSize = this.options.pageSize ?? 500;
    return this.options.db.$transaction(
      async (tx) => {
        const [job] = await tx.$queryRawUnsafe<Array<{ stream_sequence: bigint; tenant: string }>>(
          'SELECT stream_sequence, tenant FROM repricing_job WHERE NOT done ORDER BY stream_sequence LIMIT 1 FOR UPDATE SKIP LOCKED',
        );
        if (!job) return false;
        await lockTenantPricing(tx, [job.tenant]);
        const state = await tx.repricingJob.findUniqueOrThrow({ where: { streamSequence: job.stream_sequence } });
        const revision = Number(state.streamSequence);
        const after =
          state.cursorTime && state.cursorFactKey !== null
            ? { OR: [{ time: { gt: state.cursorTime } }, { time: state.cursorTime, factKey: { gt: state.cursorFactKey } }] }
            : {};
        const page = await tx.pricedUsage.findMany({
          where: { AND: [whereOf(scopeOf(state.scope)), after, { revision: { lt: revision } }] },
          orderBy: [{ time: 'asc' }, { factKey: 'asc' }],
          take: pageSize,
        });
        const result = await correctRows(tx, this.options.deps, page, { revision, by: state.setBy, at: state.setAt });
        const last = page[page.length - 1];
        const done = page.length < pageSize;
        const repricedFacts = state.repricedFacts + result.facts;
        const repricingDelta = formatDecimal(fromStored(state.repricingDelta).plus(result.delta));
        await tx.repricingJob.update({
          where: { streamSequence: state.streamSequence },
          data: { cursorTime: last?.time ?? state.cursorTime, cursorFactKey: last?.factKey ?? state.cursorFactKey, repricedFacts, repricingDelta, done },
        });
        // The audit line shows the progress: facts re-priced so far, their delta, and when it is done.
        const progress = { repricedFacts, repricingDelta, repricingDone: done };
        if (state.kind === 'model') await tx.priceHistory.updateMany({ where: { streamSequence: state.streamSequence }, data: progress });
        else await tx.unitPriceHistory.updateMany({ where: { streamSequence: state.streamSequence }, data: progress });
        return true;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  /** Resolves once no job is open (tests, `rebuild`). */
  async idle(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.options.db.repricingJob.count({ where: { done: false } })) > 0) {
      if (Date.now() > deadline) throw new Error(`re-pricing not done within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
