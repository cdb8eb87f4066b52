import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Namespace } from '@agentledger/jetstream';
import type { Logger } from '@agentledger/observability';
import type { SpendTick } from './spend-tick.types.js';
import { TenantFanOut } from './tenant-fan-out.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Spend per minute as attribution applies it: one core-NATS subscription on
 * `finops.live.*.spend` for the whole gateway, fanned out to each subscriber of the tick's tenant.
 */
export class LiveSpend {
  private readonly fanOut = new TenantFanOut<SpendTick>();
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
        this.fanOut.publish(tenant, tick);
      },
    });
  }

  /** The ticks of one tenant from now on, until the returned iterator is closed. */
  ticks(tenant: string): AsyncIterableIterator<SpendTick> {
    return this.fanOut.subscribe(tenant);
  }

  /** Subscribers now listening, per tenant (for tests and metrics). */
  listening(tenant: string): number {
    return this.fanOut.listening(tenant);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.fanOut.clear();
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
