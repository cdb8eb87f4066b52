import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { describeError, isPermanent, isTransient } from './errors.js';
import type { DeadLetterPublisher } from './dead-letter.js';
import { rejectionOf } from './dead-letter.js';
import { streamIn, subjectWithin, type Namespace } from './namespace.js';
import type { ConsumerSpec } from './topology.js';

/** A decoded message and where it came from. */
export interface Delivery<T> {
  readonly value: T;
  readonly msg: JsMsg;
}

/** Plain callbacks, so this lib does not depend on a metrics library. */
export interface ConsumerHooks {
  onApplied?(count: number): void;
  onBatchLatency?(seconds: number): void;
  onDeadLetter?(category: string): void;
  onRedelivery?(): void;
  onPending?(count: number): void;
}

export interface ConsumerLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface BatchConsumerOptions<T> {
  readonly js: JetStreamClient;
  readonly ns: Namespace;
  readonly spec: ConsumerSpec;
  readonly service: string;
  readonly deadLetters: DeadLetterPublisher;
  /** Parse and validate one message; throw `PermanentError` to dead-letter it. */
  readonly decode: (msg: JsMsg) => T;
  /** Apply a batch in one database transaction; resolve only after it committed. */
  readonly apply: (batch: ReadonlyArray<Delivery<T>>) => Promise<void>;
  /** Tenant of a message for its dead letter; by default the third token of `finops.<kind>.<tenant>.…`. */
  readonly tenantOf?: (msg: JsMsg) => string | undefined;
  readonly batchSize?: number;
  readonly hooks?: ConsumerHooks;
  readonly logger?: ConsumerLogger;
  /** Backoff before a failed message is redelivered. */
  readonly backoffMs?: (deliveryCount: number) => number;
}

const TIMED_OUT = Symbol('timed out');
const delay = (ms: number) => new Promise<typeof TIMED_OUT>((resolve) => setTimeout(() => resolve(TIMED_OUT), ms));

const defaultBackoff = (deliveryCount: number) => Math.min(250 * 2 ** Math.max(0, deliveryCount - 1), 30_000);

/**
 * Pulls from a durable consumer, applies what has arrived as one batch in one transaction and
 * acks only after it committed. While a batch is applied the next messages are already arriving.
 * Transient failures are nak'ed with backoff; permanent ones, and messages past the
 * consumer's max deliveries, go to the dead-letter stream and are acked there.
 * A batch that fails as a whole is retried message by message, so one poison message
 * never holds back the rest of its batch.
 */
export class BatchConsumer<T> {
  private running = false;
  private loop?: Promise<void>;
  private bound = false;
  private closeMessages?: () => Promise<void>;

  constructor(private readonly options: BatchConsumerOptions<T>) {}

  /** True once the durable consumer was found and the first fetch was issued. */
  get isBound(): boolean {
    return this.bound;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((error) => {
      // Readiness turns red (isBound) so the orchestrator restarts us; nothing is lost: unacked messages are redelivered.
      this.options.logger?.error('consumer loop stopped', { consumer: this.options.spec.durable, error: describeError(error) });
      this.running = false;
      this.bound = false;
    });
  }

  /** Stops fetching, finishes and acks the batch in hand, then resolves. */
  async stop(): Promise<void> {
    this.running = false;
    // Stop the flow first; what already arrived is applied and acked before the loop ends.
    await this.closeMessages?.().catch(() => undefined);
    await this.loop;
    this.bound = false;
  }

  private async run(): Promise<void> {
    const { js, ns, spec } = this.options;
    const consumer = await js.consumers.get(streamIn(ns, spec.stream), spec.durable);
    const batchSize = this.options.batchSize ?? 500;
    // The client pulls ahead up to two batches; we take what has already arrived (up to
    // batchSize) as one batch, so latency stays low when idle and batches grow under load.
    // Messages are taken from the iterator only when we are ready for them: that is the
    // backpressure that keeps them from waiting in memory past their ack wait.
    const messages = await consumer.consume({ max_messages: batchSize * 2 });
    const iterator = messages[Symbol.asyncIterator]();
    this.closeMessages = () => messages.close().then(() => undefined);
    this.bound = true;
    let next: Promise<IteratorResult<JsMsg>> | undefined;
    let done = false;
    while (!done) {
      const batch: JsMsg[] = [];
      while (batch.length < batchSize) {
        next ??= iterator.next();
        // Block a while for the first message of a batch; take the others only if already here.
        const result = await Promise.race([next, delay(batch.length === 0 ? 250 : 0)]);
        if (result === TIMED_OUT) break;
        next = undefined;
        if (result.done) {
          done = true;
          break;
        }
        batch.push(result.value);
      }
      if (batch.length > 0) {
        this.options.hooks?.onPending?.(batch[batch.length - 1]!.info.pending);
        try {
          await this.handle(batch);
        } catch (error) {
          // E.g. the dead-letter stream is unreachable: retry the whole batch later (acked messages ignore the nak).
          this.options.logger?.warn('batch failed, redelivering it', { consumer: spec.durable, error: describeError(error) });
          for (const msg of batch) msg.nak((this.options.backoffMs ?? defaultBackoff)(msg.info.deliveryCount));
        }
      } else if (!this.running) {
        done = true;
      }
    }
  }

  /** Exposed for tests that drive one batch by hand. */
  async handle(batch: JsMsg[]): Promise<void> {
    const started = process.hrtime.bigint();
    const deliveries: Array<Delivery<T>> = [];
    for (const msg of batch) {
      if (msg.info.deliveryCount > 1) this.options.hooks?.onRedelivery?.();
      if (msg.info.deliveryCount > this.options.spec.maxDeliver) {
        await this.deadLetter(msg, `max deliveries exceeded (${this.options.spec.maxDeliver})`, 'max_deliveries');
        continue;
      }
      try {
        deliveries.push({ value: this.options.decode(msg), msg });
      } catch (error) {
        await this.deadLetter(msg, describeError(error), isPermanent(error) ? error.category : 'undecodable');
      }
    }
    if (deliveries.length > 0) await this.applyAll(deliveries);
    this.options.hooks?.onBatchLatency?.(Number(process.hrtime.bigint() - started) / 1e9);
  }

  private async applyAll(deliveries: Array<Delivery<T>>): Promise<void> {
    try {
      await this.options.apply(deliveries);
      for (const delivery of deliveries) delivery.msg.ack();
      this.options.hooks?.onApplied?.(deliveries.length);
      return;
    } catch (error) {
      if (isTransient(error) || deliveries.length === 1) {
        await this.failOne(deliveries, error);
        return;
      }
      this.options.logger?.warn('batch failed, applying its messages one by one', {
        consumer: this.options.spec.durable,
        size: deliveries.length,
        error: describeError(error),
      });
    }
    for (const delivery of deliveries) {
      try {
        await this.options.apply([delivery]);
        delivery.msg.ack();
        this.options.hooks?.onApplied?.(1);
      } catch (error) {
        await this.failOne([delivery], error);
      }
    }
  }

  /** Dead-letters permanent failures; naks the rest with backoff (dead-lettered on their last delivery). */
  private async failOne(deliveries: Array<Delivery<T>>, error: unknown): Promise<void> {
    for (const { msg } of deliveries) {
      if (isPermanent(error)) {
        await this.deadLetter(msg, describeError(error), error.category);
      } else if (msg.info.deliveryCount >= this.options.spec.maxDeliver) {
        await this.deadLetter(msg, `failed ${msg.info.deliveryCount} times: ${describeError(error)}`, 'max_deliveries');
      } else {
        msg.nak((this.options.backoffMs ?? defaultBackoff)(msg.info.deliveryCount));
      }
    }
    if (!isPermanent(error)) {
      this.options.logger?.warn('apply failed, will retry', { consumer: this.options.spec.durable, error: describeError(error) });
    }
  }

  private async deadLetter(msg: JsMsg, reason: string, category: string): Promise<void> {
    const tenant = this.options.tenantOf ? this.options.tenantOf(msg) : tenantFromSubject(this.options.ns, msg.subject);
    await this.options.deadLetters.publish(rejectionOf(msg, this.options.service, reason, tenant));
    msg.ack();
    this.options.hooks?.onDeadLetter?.(category);
  }
}

const TENANT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export function tenantFromSubject(ns: Namespace, subject: string): string | undefined {
  const tenant = subjectWithin(ns, subject)?.split('.')[2];
  return tenant && TENANT_TOKEN.test(tenant) ? tenant : undefined;
}
