import { Counter, type Registry } from 'prom-client';
import { describeError, type ConsumerLogger } from '@agentledger/jetstream';
import type { SqlExecutor } from '@agentledger/projections';
import { claimDueDeliveries, markAttemptFailed, markDelivered, type ClaimedDelivery } from './delivery-queue.js';
import { DEFAULT_RETRY_POLICY, nextStep, type RetryPolicy } from './retry-schedule.js';
import { webhookHeaders, webhookSignature } from './webhook-payload.js';
import { postWebhook } from './webhook-post.js';

export const WEBHOOK_DELIVERIES_TOTAL = 'agentledger_webhook_deliveries_total';

export interface WebhookDeliveryOptions extends Partial<RetryPolicy> {
  readonly db: SqlExecutor;
  readonly logger?: ConsumerLogger;
  /** Where `agentledger_webhook_deliveries_total{outcome}` is registered (a `ServiceMetrics` is one). */
  readonly metrics?: { readonly registry: Registry };
  readonly clock?: () => Date;
  /** In [0, 1): the retries' jitter. */
  readonly random?: () => number;
  /** One POST, connection and answer (default 5 s). */
  readonly timeoutMs?: number;
  /** How often due rows are looked for when there is nothing in hand (default 1 s). */
  readonly pollMs?: number;
  /** POSTs in flight at once in this replica, one per URL at most (default 8). */
  readonly concurrency?: number;
  /** Signs every POST (`X-AgentLedger-Signature`) when set. */
  readonly secret?: string;
  /** Lets webhooks reach loopback, private and link-local addresses (default: public addresses only). */
  readonly allowPrivateNetworks?: boolean;
}

type Outcome = 'delivered' | 'retried' | 'failed';

/**
 * Delivers the due rows of `webhook_delivery`, at least once each: claims them (a lease, so
 * replicas share the queue), POSTs each on its own, and records delivered, the next attempt
 * (exponential backoff and jitter), or failure once the retry window is over — the last error kept
 * in the row. A failing webhook only delays its own rows. `stop` finishes the POSTs in hand.
 */
export class WebhookDeliveryWorker {
  readonly name = 'webhook-deliveries';
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly clock: () => Date;
  private readonly outcomes?: Counter<'outcome'>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly options: WebhookDeliveryOptions) {
    this.policy = {
      firstRetryMs: options.firstRetryMs ?? DEFAULT_RETRY_POLICY.firstRetryMs,
      maxRetryMs: options.maxRetryMs ?? DEFAULT_RETRY_POLICY.maxRetryMs,
      retryForMs: options.retryForMs ?? DEFAULT_RETRY_POLICY.retryForMs,
    };
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.concurrency = options.concurrency ?? 8;
    this.clock = options.clock ?? (() => new Date());
    if (options.metrics) this.outcomes = deliveriesCounter(options.metrics.registry);
  }

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
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      const free = this.concurrency - this.inFlight.size;
      if (free > 0) {
        try {
          const now = this.clock();
          // The lease outlasts the POST, so that no other replica starts the same attempt.
          const leaseUntil = new Date(now.getTime() + this.timeoutMs + 30_000);
          const due = await claimDueDeliveries(this.options.db, now, leaseUntil, free, [...this.inFlight.keys()]);
          for (const delivery of due) this.launch(delivery);
          claimed = due.length;
        } catch (error) {
          this.options.logger?.warn('webhook deliveries: claiming due rows failed, retrying', { error: describeError(error) });
        }
      }
      if (claimed === 0 || this.inFlight.size >= this.concurrency) await this.nap();
    }
    await Promise.allSettled(this.inFlight.values());
  }

  /** Until the poll interval passes, a POST in hand ends, or `stop`. */
  private nap(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs ?? 1_000);
      this.wake = done;
    });
  }

  private launch(delivery: ClaimedDelivery): void {
    const attempt = this.attempt(delivery)
      .catch((error) => {
        // The row stays leased and comes due again when the lease ends: delayed, not lost.
        this.options.logger?.error('webhook delivery: recording the attempt failed', { tenant: delivery.tenant, alertId: delivery.alertId, error: describeError(error) });
      })
      .finally(() => {
        this.inFlight.delete(delivery.url);
        this.wake?.();
      });
    this.inFlight.set(delivery.url, attempt);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { db, logger } = this.options;
    const body = JSON.stringify(delivery.payload);
    const { secret, allowPrivateNetworks } = this.options;
    const headers = webhookHeaders(delivery.alertId, delivery.attempt, secret ? webhookSignature(secret, body, this.clock()) : undefined);
    const outcome = await postWebhook({ url: delivery.url, body, headers, timeoutMs: this.timeoutMs, allowPrivateNetworks });
    const now = this.clock();
    const fields = { tenant: delivery.tenant, alertId: delivery.alertId, webhook: originOf(delivery.url), attempt: delivery.attempt };
    if (outcome.ok) {
      await markDelivered(db, delivery, now);
      this.count('delivered');
      if (delivery.attempt > 1) logger?.info('webhook delivered after retries', fields);
      return;
    }
    const step = outcome.permanent ? ({ kind: 'give-up' } as const) : nextStep(this.policy, delivery.attempt, delivery.createdAt, now, (this.options.random ?? Math.random)(), outcome.retryAfterMs);
    if (step.kind === 'retry') {
      await markAttemptFailed(db, delivery, outcome.error, step.at, now);
      this.count('retried');
      logger?.warn('webhook delivery failed, will retry', { ...fields, reason: outcome.error, retryAt: step.at.toISOString() });
    } else {
      await markAttemptFailed(db, delivery, outcome.error, null, now);
      this.count('failed');
      logger?.error('webhook delivery failed for good', { ...fields, reason: outcome.error });
    }
  }

  private count(outcome: Outcome): void {
    this.outcomes?.inc({ outcome });
  }
}

/** Scheme, host and port: a webhook's path and query are often its secret, never logged. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}

// One counter per registry, however many workers share it.
function deliveriesCounter(registry: Registry): Counter<'outcome'> {
  const existing = registry.getSingleMetric(WEBHOOK_DELIVERIES_TOTAL);
  if (existing) return existing as Counter<'outcome'>;
  const counter = new Counter({
    name: WEBHOOK_DELIVERIES_TOTAL,
    help: 'Webhook POST attempts by outcome: delivered, retried (failed, tried again later), failed (retry window over).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['delivered', 'retried', 'failed'] satisfies Outcome[]) counter.inc({ outcome }, 0);
  return counter;
}
