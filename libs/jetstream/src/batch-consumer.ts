import type { Consumer, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { JetStreamApiError } from '@nats-io/jetstream';
import { classifyFailure, describeError, isPermanent, type FailureKind } from './errors.js';
import { BUNDLE_COUNT_HEADER, openBundle, wholeMessage } from './bundle.js';
import type { DeadLetterPublisher } from './dead-letter.js';
import { rejectionOf } from './dead-letter.js';
import { streamIn, subjectWithin, type Namespace } from './namespace.js';
import { provisionConsumers } from './provision.js';
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
  /** The consumer loop died and is started again (after `restartBackoffMs`). */
  onRestart?(): void;
  /** The dependency stopped answering (fetching paused) or answers again (fetching resumed). */
  onUnavailable?(unavailable: boolean): void;
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
  /**
   * Parse and validate one message; throw `PermanentError` to dead-letter it. A bundle
   * (`bundle.ts`) is opened first: `decode` sees each of its items as a message of its own.
   */
  readonly decode: (msg: JsMsg) => T;
  /** Apply a batch in one database transaction; resolve only after it committed. */
  readonly apply: (batch: ReadonlyArray<Delivery<T>>) => Promise<void>;
  /**
   * Resolves when what `apply` writes to answers again (e.g. `SELECT 1`); asked, with capped
   * backoff, while fetching is paused after an "unavailable" failure. Without it the consumer
   * waits one backoff and tries again.
   */
  readonly probe?: () => Promise<unknown>;
  /** Tenant of a message for its dead letter; by default the third token of `finops.<kind>.<tenant>.…`. */
  readonly tenantOf?: (msg: JsMsg) => string | undefined;
  /** Events per batch (a bundle counts as its items; one is never split across batches). */
  readonly batchSize?: number;
  readonly hooks?: ConsumerHooks;
  readonly logger?: ConsumerLogger;
  /** Backoff before a failed message is redelivered. */
  readonly backoffMs?: (deliveryCount: number) => number;
  /** Pause before the n-th consecutive restart of a dead loop, or the n-th probe of an unavailable dependency. */
  readonly restartBackoffMs?: (attempt: number) => number;
}

const TIMED_OUT = Symbol('timed out');
const delay = (ms: number) => new Promise<typeof TIMED_OUT>((resolve) => setTimeout(() => resolve(TIMED_OUT), ms));

const defaultBackoff = (deliveryCount: number) => Math.min(250 * 2 ** Math.max(0, deliveryCount - 1), 30_000);
const defaultRestartBackoff = (attempt: number) => Math.min(200 * 2 ** Math.max(0, attempt - 1), 15_000);
/** Probes stay frequent (every 5 s at most), so the backlog moves soon after the database is back. */
const defaultProbeBackoff = (attempt: number) => Math.min(250 * 2 ** Math.max(0, attempt - 1), 5_000);
const PROBE_TIMEOUT_MS = 5_000;
const CONSUMER_NOT_FOUND = 10014;
/** Deliveries of one message that ended in a transient failure, remembered for so many messages at most. */
const TRANSIENT_MEMORY = 100_000;
/**
 * A batch stops growing past this many bytes, whatever its event count: raw messages of 100
 * events or bundles are applied a few at a time, so a transaction, and what it holds in memory,
 * stays bounded.
 */
const BATCH_MAX_BYTES = 1024 * 1024;

/** Events a message carries: a bundle says how many; anything else is one. */
function eventsIn(msg: JsMsg): number {
  const count = Number(msg.headers?.get(BUNDLE_COUNT_HEADER));
  return Number.isSafeInteger(count) && count > 0 ? count : 1;
}

type BatchOutcome = 'done' | 'unavailable';

/**
 * Pulls from a durable consumer, applies what has arrived as one batch in one transaction and
 * acks only after it committed. While a batch is applied the next messages are already arriving,
 * and the batch in hand is kept "in progress" (`working()`) so a long transaction is not
 * redelivered under it. What arrives meanwhile waits in the client, where the library gives no
 * hold on it to mark: a batch that outlasts the ack wait (15 s in the topology) lets those few
 * come again, and the projections skip the second copy by its key.
 *
 * Failures by kind (`classifyFailure`): permanent ones go to the dead-letter stream at once;
 * transient ones are nak'ed with capped backoff; when the database is unavailable the batch is
 * nak'ed, fetching stops, and it resumes by itself once `probe` answers. Neither counts toward
 * dead-lettering: only messages that failed `maxDeliver` times for other reasons are
 * dead-lettered. A batch that fails as a whole is retried message by message, so one poison
 * message never holds back the rest of its batch. A loop that dies (its consumer deleted, the
 * message flow broken) re-provisions its durable consumer and starts again with backoff.
 */
export class BatchConsumer<T> {
  private running = false;
  private loop?: Promise<void>;
  private bound = false;
  private closeMessages?: () => Promise<void>;
  private wake?: () => void;
  private restarts = 0;
  private readonly transientDeliveries = new Map<number, number>();

  constructor(private readonly options: BatchConsumerOptions<T>) {}

  /** True once the durable consumer was found and the first fetch was issued. */
  get isBound(): boolean {
    return this.bound;
  }

  /** How many times the loop died and was started again. */
  get restartCount(): number {
    return this.restarts;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.supervise();
  }

  /** Stops fetching, finishes and acks the batch in hand, then resolves. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    // Stop the flow first; what already arrived is applied and acked before the loop ends.
    await this.closeMessages?.().catch(() => undefined);
    await this.loop;
    this.bound = false;
  }

  /** Runs the loop until stopped; a loop that dies is logged and started again with backoff. */
  private async supervise(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.run(() => (failures = 0));
      } catch (error) {
        if (!this.running) break;
        failures++;
        this.restarts++;
        this.bound = false;
        const waitMs = (this.options.restartBackoffMs ?? defaultRestartBackoff)(failures);
        // Nothing is lost: unacked messages are redelivered to the new loop.
        this.options.logger?.error('consumer loop stopped, restarting it', {
          consumer: this.options.spec.durable,
          error: describeError(error),
          attempt: failures,
          restartInMs: waitMs,
        });
        this.options.hooks?.onRestart?.();
        await this.pause(waitMs);
      }
    }
  }

  /** Binds to the durable consumer (provisioning it when missing) and consumes until stopped or the flow breaks. */
  private async run(onProgress: () => void): Promise<void> {
    const consumer = await this.durableConsumer();
    while (this.running) {
      const outcome = await this.consume(consumer, onProgress);
      if (outcome === 'unavailable') await this.untilAvailable();
    }
  }

  private async durableConsumer(): Promise<Consumer> {
    const { js, ns, spec } = this.options;
    const stream = streamIn(ns, spec.stream);
    try {
      return await js.consumers.get(stream, spec.durable);
    } catch (error) {
      if (!isConsumerNotFound(error)) throw error;
      // Deleted under us (by hand, by a rebuild elsewhere): put it back as declared.
      this.options.logger?.warn('durable consumer missing, provisioning it again', { consumer: spec.durable, stream });
      await provisionConsumers(await js.jetstreamManager(), ns, [spec]);
      return js.consumers.get(stream, spec.durable);
    }
  }

  /** One message flow: batches until stopped ('done') or until the database is unavailable. */
  private async consume(consumer: Consumer, onProgress: () => void): Promise<BatchOutcome> {
    const batchSize = this.options.batchSize ?? 500;
    // The client pulls ahead up to two batches (or the spec's `pullAhead` messages); we take
    // what has already arrived (up to batchSize events) as one batch, so latency stays low when idle and batches grow under load.
    // Messages are taken from the iterator only when we are ready for them: that is the
    // backpressure that keeps them from waiting in memory past their ack wait.
    // A deleted consumer or stream ends the flow with an error, so the loop re-provisions it.
    const messages = await consumer.consume({ max_messages: this.options.spec.pullAhead ?? batchSize * 2, abort_on_missing_resource: true });
    const iterator = messages[Symbol.asyncIterator]();
    this.closeMessages = () => messages.close().then(() => undefined);
    this.bound = true;
    let next: Promise<IteratorResult<JsMsg>> | undefined;
    let ended = false;
    try {
      for (;;) {
        const batch: JsMsg[] = [];
        let events = 0;
        let bytes = 0;
        while (events < batchSize && bytes < BATCH_MAX_BYTES) {
          next ??= iterator.next();
          // Block a while for the first message of a batch; take the others only if already here.
          const result = await Promise.race([next, delay(batch.length === 0 ? 250 : 0)]);
          if (result === TIMED_OUT) break;
          next = undefined;
          if (result.done) {
            ended = true;
            break;
          }
          batch.push(result.value);
          events += eventsIn(result.value);
          bytes += result.value.data.length;
        }
        if (batch.length > 0 && (await this.handleInHand(batch)) === 'unavailable') return 'unavailable';
        if (batch.length > 0) onProgress();
        if (ended) {
          if (this.running) throw new Error('the message flow ended while the consumer was running');
          return 'done';
        }
        if (!this.running && batch.length === 0) return 'done';
      }
    } catch (error) {
      ended = true; // a failed flow is over: nothing left to hand back
      throw error;
    } finally {
      this.closeMessages = undefined;
      if (!ended) await this.handBack(messages, iterator, next);
    }
  }

  /**
   * Ends a flow we leave (the database is unavailable): `close()` resolves only once the
   * iterator has run to its end, and what was pulled ahead is nak'ed back, not left to wait out
   * its ack wait; those deliveries met the outage too, so they do not count either.
   */
  private async handBack(messages: { close(): Promise<void | Error> }, iterator: AsyncIterator<JsMsg>, next: Promise<IteratorResult<JsMsg>> | undefined): Promise<void> {
    const closed = messages.close();
    try {
      for (let result = await (next ?? iterator.next()); !result.done; result = await iterator.next()) {
        this.rememberTransient(result.value);
        result.value.nak(this.backoff(result.value));
      }
    } catch {
      // The flow failed while closing: the server redelivers what it holds after the ack wait.
    }
    await closed.catch(() => undefined);
  }

  private async handleInHand(batch: JsMsg[]): Promise<BatchOutcome> {
    this.options.hooks?.onPending?.(batch[batch.length - 1]!.info.pending);
    try {
      return await this.handle(batch);
    } catch (error) {
      // E.g. the dead-letter stream is unreachable: retry the whole batch later (acked messages ignore the nak).
      this.options.logger?.warn('batch failed, redelivering it', { consumer: this.options.spec.durable, error: describeError(error) });
      for (const msg of batch) msg.nak(this.backoff(msg));
      return 'done';
    }
  }

  /** Fetching is paused: probe with capped backoff until the database answers again. */
  private async untilAvailable(): Promise<void> {
    const { spec, logger, hooks } = this.options;
    logger?.warn('database unavailable, fetching paused until it answers', { consumer: spec.durable });
    hooks?.onUnavailable?.(true);
    for (let attempt = 1; this.running; attempt++) {
      await this.pause((this.options.restartBackoffMs ?? defaultProbeBackoff)(attempt));
      if (!this.running || !this.options.probe) break;
      try {
        await withTimeout(this.options.probe(), PROBE_TIMEOUT_MS);
        break;
      } catch (error) {
        if (attempt === 1 || attempt % 10 === 0) logger?.warn('database still unavailable', { consumer: spec.durable, attempt, error: describeError(error) });
      }
    }
    logger?.info('fetching resumed', { consumer: spec.durable });
    hooks?.onUnavailable?.(false);
  }

  /** Sleeps, or returns at once when the consumer is stopped. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Exposed for tests that drive one batch by hand. */
  async handle(batch: JsMsg[]): Promise<BatchOutcome> {
    const started = process.hrtime.bigint();
    const heartbeat = this.keepInProgress(batch);
    try {
      const deliveries: Array<Delivery<T>> = [];
      for (const whole of batch) {
        if (whole.info.deliveryCount > 1) this.options.hooks?.onRedelivery?.();
        let msgs: JsMsg[];
        try {
          msgs = openBundle(whole);
        } catch (error) {
          await this.deadLetter(whole, `undecodable bundle: ${describeError(error)}`, 'undecodable');
          continue;
        }
        for (const msg of msgs) {
          try {
            deliveries.push({ value: this.options.decode(msg), msg });
          } catch (error) {
            await this.deadLetter(msg, describeError(error), isPermanent(error) ? error.category : 'undecodable');
          }
        }
      }
      const outcome = deliveries.length > 0 ? await this.applyAll(deliveries) : 'done';
      this.options.hooks?.onBatchLatency?.(Number(process.hrtime.bigint() - started) / 1e9);
      return outcome;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Tells JetStream the batch is still being worked on, well within its ack wait, so a long transaction is not redelivered. */
  private keepInProgress(batch: JsMsg[]): NodeJS.Timeout {
    const everyMs = Math.max(100, Math.floor(this.options.spec.ackWaitNs / 1e6 / 3));
    const timer = setInterval(() => {
      for (const msg of batch) msg.working();
    }, everyMs);
    timer.unref();
    return timer;
  }

  private async applyAll(deliveries: Array<Delivery<T>>): Promise<BatchOutcome> {
    try {
      await this.options.apply(deliveries);
      for (const delivery of deliveries) this.acked(delivery.msg);
      this.options.hooks?.onApplied?.(deliveries.length);
      return 'done';
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'transient' || kind === 'unavailable' || deliveries.length === 1) return this.failAll(deliveries, error, kind);
      this.options.logger?.warn('batch failed, applying its messages one by one', {
        consumer: this.options.spec.durable,
        size: deliveries.length,
        error: describeError(error),
      });
    }
    for (const [index, delivery] of deliveries.entries()) {
      try {
        await this.options.apply([delivery]);
        this.acked(delivery.msg);
        this.options.hooks?.onApplied?.(1);
      } catch (error) {
        const kind = classifyFailure(error);
        // The database went away mid-batch: what is left waits for it with the failed one.
        if (kind === 'unavailable') return this.failAll(deliveries.slice(index), error, kind);
        await this.failAll([delivery], error, kind);
      }
    }
    return 'done';
  }

  /**
   * Permanent failures are dead-lettered; transient and unavailable ones nak'ed, never counted;
   * the others nak'ed and dead-lettered once they failed `maxDeliver` times.
   */
  private async failAll(deliveries: Array<Delivery<T>>, error: unknown, kind: FailureKind): Promise<BatchOutcome> {
    const { spec, logger } = this.options;
    for (const { msg } of deliveries) {
      if (kind === 'permanent') {
        await this.deadLetter(msg, describeError(error), isPermanent(error) ? error.category : 'invalid');
      } else if (kind === 'transient' || kind === 'unavailable') {
        this.rememberTransient(msg);
        msg.nak(this.backoff(msg));
      } else if (this.countedDeliveries(msg) >= spec.maxDeliver) {
        await this.deadLetter(msg, `failed ${this.countedDeliveries(msg)} times: ${describeError(error)}`, 'max_deliveries');
      } else {
        msg.nak(this.backoff(msg));
      }
    }
    if (kind !== 'permanent') logger?.warn('apply failed, will retry', { consumer: spec.durable, kind, error: describeError(error) });
    return kind === 'unavailable' ? 'unavailable' : 'done';
  }

  private backoff(msg: JsMsg): number {
    return (this.options.backoffMs ?? defaultBackoff)(msg.info.deliveryCount);
  }

  /** Deliveries that count toward dead-lettering: those that did not end in a transient failure. */
  private countedDeliveries(msg: JsMsg): number {
    return msg.info.deliveryCount - (this.transientDeliveries.get(msg.seq) ?? 0);
  }

  private rememberTransient(msg: JsMsg): void {
    if (this.transientDeliveries.size >= TRANSIENT_MEMORY) this.transientDeliveries.clear();
    this.transientDeliveries.set(msg.seq, (this.transientDeliveries.get(msg.seq) ?? 0) + 1);
  }

  private acked(msg: JsMsg): void {
    msg.ack();
    this.transientDeliveries.delete(msg.seq);
  }

  private async deadLetter(msg: JsMsg, reason: string, category: string): Promise<void> {
    const tenant = this.options.tenantOf ? this.options.tenantOf(wholeMessage(msg)) : tenantFromSubject(this.options.ns, msg.subject);
    await this.options.deadLetters.publish(rejectionOf(msg, this.options.service, reason, tenant));
    this.acked(msg);
    this.options.hooks?.onDeadLetter?.(category);
  }
}

function isConsumerNotFound(error: unknown): boolean {
  return (error instanceof JetStreamApiError && error.code === CONSUMER_NOT_FOUND) || /consumer not found/i.test(describeError(error));
}

function withTimeout<R>(promise: Promise<R>, ms: number): Promise<R> {
  return Promise.race([
    promise,
    delay(ms).then(() => {
      throw new Error(`no answer within ${ms} ms`);
    }),
  ]);
}

const TENANT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export function tenantFromSubject(ns: Namespace, subject: string): string | undefined {
  const tenant = subjectWithin(ns, subject)?.split('.')[2];
  return tenant && TENANT_TOKEN.test(tenant) ? tenant : undefined;
}
