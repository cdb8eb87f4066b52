import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { AlertView } from '@agentledger/contracts';
import { STREAMS, streamIn, subjectIn, tenantFromSubject, type Namespace } from '@agentledger/jetstream';
import type { Logger } from '@agentledger/observability';
import { TenantFanOut } from '../live/tenant-fan-out.js';
import { parseAlertMessage } from './alert-event.js';

export interface AlertFeedOptions {
  /** How long one pull waits; the consumer's idle heartbeat is half of it, so a lost consumer is found within two. */
  readonly pullExpiresMs?: number;
  /** Wait before opening the consumer again after it failed or ended. */
  readonly retryDelayMs?: number;
}

/**
 * The alerts subscription's source: one JetStream ordered consumer on `finops.alerts.*` in
 * FINOPS_ALERTS for the whole gateway, starting after the stream's last alert (new ones only),
 * fanned out to each subscriber of the alert's tenant. The ordered consumer recreates itself
 * after a reconnect or a lost consumer from the last sequence it delivered; should it give up,
 * the feed opens a new one from that same place, so no alert is skipped or repeated.
 */
export class AlertFeed {
  readonly name = 'alert feed';
  private readonly fanOut = new TenantFanOut<AlertView>();
  private readonly stream: string;
  private readonly filter: string;
  private readonly pullExpiresMs: number;
  private readonly retryDelayMs: number;
  /** The stream sequence of the last message handled: where a new consumer starts after. */
  private lastSequence: number | undefined;
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private retryTimer: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly ns: Namespace,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
    options: AlertFeedOptions = {},
  ) {
    this.stream = streamIn(ns, STREAMS.alerts.name);
    this.filter = subjectIn(ns, 'finops.alerts.*');
    this.pullExpiresMs = options.pullExpiresMs ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  /** True while a consumer is open (the gateway's readiness). */
  get isBound(): boolean {
    return this.messages !== undefined;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** The alerts of one tenant from now on, until the returned iterator is closed. */
  alerts(tenant: string): AsyncIterableIterator<AlertView> {
    return this.fanOut.subscribe(tenant);
  }

  /** Subscribers now listening to the tenant (for tests and metrics). */
  listening(tenant: string): number {
    return this.fanOut.listening(tenant);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.resolve();
    }
    this.messages?.stop();
    await this.running;
    this.fanOut.clear();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const messages = await this.open();
        if (this.stopped) {
          messages.stop();
          break;
        }
        this.messages = messages;
        for await (const msg of messages) this.handle(msg);
        const ended = await messages.closed();
        if (!this.stopped) this.logger.warn('alert feed consumer ended; opening a new one', { reason: ended instanceof Error ? ended.message : 'closed' });
      } catch (error) {
        if (!this.stopped) this.logger.warn('alert feed consumer failed; retrying', { stream: this.stream, reason: (error as Error).message });
      } finally {
        this.messages = undefined;
      }
      if (!this.stopped) await this.waitBeforeRetry();
    }
  }

  private waitBeforeRetry(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.retryTimer = undefined;
        resolve();
      };
      this.retryTimer = { timer: setTimeout(done, this.retryDelayMs), resolve: done };
    });
  }

  private async open(): Promise<ConsumerMessages> {
    // New alerts only: after the stream's last message at first, after the last one handled since.
    this.lastSequence ??= (await this.jsm.streams.info(this.stream)).state.last_seq;
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: this.filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.lastSequence + 1,
    });
    return consumer.consume({ max_messages: 256, expires: this.pullExpiresMs });
  }

  private handle(msg: JsMsg): void {
    this.lastSequence = msg.seq;
    const tenant = tenantFromSubject(this.ns, msg.subject);
    const parsed = parseAlertMessage(msg.string());
    if (!tenant || 'malformed' in parsed) {
      this.logger.warn('alert ignored: not an alert.raised CloudEvent on finops.alerts.<tenant>', { subject: msg.subject, seq: msg.seq, reason: tenant ? (parsed as { malformed: string }).malformed : 'no tenant in the subject' });
      return;
    }
    if ('alert' in parsed) this.fanOut.publish(tenant, parsed.alert);
  }
}
