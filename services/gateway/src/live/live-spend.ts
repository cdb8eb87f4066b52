import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Namespace } from '@agentledger/jetstream';
import type { Logger } from '@agentledger/observability';
import type { SpendTick } from './spend-tick.types.js';

/** Ticks a slow subscriber may have waiting before the oldest are dropped. */
const MAX_QUEUED = 1_000;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Spend per minute as attribution applies it: one core-NATS subscription on
 * `finops.live.*.spend` for the whole gateway, fanned out to each subscriber of the tick's tenant.
 */
export class LiveSpend {
  private readonly listeners = new Map<string, Set<(tick: SpendTick) => void>>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  start(): void {
    const prefix = `${this.ns.subjectPrefix}finops.live.`;
    this.subscription = this.nc.subscribe(`${prefix}*.spend`, {
      callback: (error, msg) => {
        if (error) return void this.logger.warn('live spend subscription failed', { reason: error.message });
        const tenant = msg.subject.slice(prefix.length, -'.spend'.length);
        const tick = parseTick(msg.string());
        if (!tick) return void this.logger.warn('live spend tick ignored: not {minute, totalCost}', { subject: msg.subject });
        for (const listener of this.listeners.get(tenant) ?? []) listener(tick);
      },
    });
  }

  /** The ticks of one tenant from now on, until the returned iterator is closed. */
  ticks(tenant: string): AsyncIterableIterator<SpendTick> {
    const queued: SpendTick[] = [];
    let waiting: ((result: IteratorResult<SpendTick>) => void) | undefined;
    let done = false;
    const listener = (tick: SpendTick) => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: tick, done: false });
        return;
      }
      queued.push(tick);
      if (queued.length > MAX_QUEUED) queued.shift();
    };
    const tenantListeners = this.listeners.get(tenant) ?? new Set();
    tenantListeners.add(listener);
    this.listeners.set(tenant, tenantListeners);
    const close = async (): Promise<IteratorResult<SpendTick>> => {
      done = true;
      tenantListeners.delete(listener);
      if (tenantListeners.size === 0) this.listeners.delete(tenant);
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return { value: undefined, done: true };
    };
    return {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        const tick = queued.shift();
        if (tick) return Promise.resolve({ value: tick, done: false });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: close,
      throw: async (error) => {
        await close();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Subscribers now listening, per tenant (for tests and metrics). */
  listening(tenant: string): number {
    return this.listeners.get(tenant)?.size ?? 0;
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.listeners.clear();
  }
}

export function parseTick(text: string): SpendTick | undefined {
  try {
    const { minute, totalCost } = JSON.parse(text) as Record<string, unknown>;
    if (typeof minute !== 'string' || Number.isNaN(Date.parse(minute)) || typeof totalCost !== 'string' || !DECIMAL.test(totalCost)) return undefined;
    return { minute: new Date(minute).toISOString(), totalCost };
  } catch {
    return undefined;
  }
}
