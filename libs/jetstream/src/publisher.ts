import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { describeError, isTransient, TransientError } from './errors.js';

export interface PublishOptions {
  /** JetStream deduplicates on it within the stream's window; use the event key. */
  readonly msgID?: string;
  readonly headers?: MsgHdrs;
  /** Optimistic concurrency on an aggregate's subject (0 = the subject must be empty). */
  readonly expectLastSubjectSequence?: number;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 2_000 };

/** Who hears of publish retries and failures: a service's metrics and logs. */
export interface PublishObserver {
  /** `stream` is the subject's kind (`facts`, `costs`, `dlq`…), `reason` a category (`storage_full`, `timeout`, `no_responders`, `other`). */
  onRetry?(stream: string, reason: string): void;
  onFailure?(stream: string, reason: string): void;
  readonly logger?: { warn(msg: string, fields?: Record<string, unknown>): void; error(msg: string, fields?: Record<string, unknown>): void };
}
const WRONG_LAST_SEQUENCE = 10071;

/** The aggregate changed since it was read: reload, decide again. */
export class ConcurrencyError extends Error {
  constructor(subject: string, expected: number, options?: ErrorOptions) {
    super(`wrong last sequence on ${subject}: expected ${expected}`, options);
    this.name = 'ConcurrencyError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes to JetStream and waits for the stream's ack, retrying transient failures with
 * exponential backoff. Every retry and every final failure is counted and logged through the
 * observer, and a final failure always reaches the caller (who naks, rolls back or keeps the
 * message): nothing is dropped silently. A stream full under its `discard: new` limit fails as
 * a `TransientError`, so a consumer naks it without counting it toward dead-lettering.
 */
export class JetStreamPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly observer: PublishObserver = {},
  ) {}

  async publish(subject: string, payload: Uint8Array, options: PublishOptions = {}): Promise<PubAck> {
    const publishOptions = {
      msgID: options.msgID,
      headers: options.headers,
      expect: options.expectLastSubjectSequence === undefined ? undefined : { lastSubjectSequence: options.expectLastSubjectSequence },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.js.publish(subject, payload, publishOptions);
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
          throw new ConcurrencyError(subject, options.expectLastSubjectSequence ?? -1, { cause: error });
        }
        const reason = publishFailureReason(error);
        const stream = streamKindOf(subject);
        if (attempt >= this.retry.attempts || !isRetryablePublishError(error)) {
          this.observer.onFailure?.(stream, reason);
          this.observer.logger?.error('publish failed', { subject, attempts: attempt, reason, error: describeError(error) });
          if (reason === 'storage_full') throw new TransientError(`${subject}: the stream is full (${describeError(error)}); raise its limit (STREAM_MAX_BYTES)`, { cause: error });
          throw error;
        }
        this.observer.onRetry?.(stream, reason);
        if (attempt === 1) this.observer.logger?.warn('publish failed, retrying', { subject, reason, error: describeError(error) });
        await sleep(Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs));
      }
    }
  }

  /** Publishes many messages concurrently and waits for all acks (order within the batch is not kept). */
  async publishAll(messages: ReadonlyArray<{ subject: string; payload: Uint8Array; options?: PublishOptions }>): Promise<PubAck[]> {
    return Promise.all(messages.map((message) => this.publish(message.subject, message.payload, message.options)));
  }
}

/** The kind of stream a subject is stored in: the token after `finops` (`facts`, `costs`, `in`, `dlq`…). */
function streamKindOf(subject: string): string {
  const tokens = subject.split('.');
  const at = tokens.indexOf('finops');
  return at >= 0 && tokens[at + 1] ? tokens[at + 1]! : 'other';
}

const STORAGE_FULL = /maximum (bytes|messages) exceeded|insufficient (storage )?resources|resource limits exceeded/i;

function publishFailureReason(error: unknown): string {
  const message = String((error as { message?: unknown })?.message ?? '');
  if (STORAGE_FULL.test(message)) return 'storage_full';
  if ((error as { name?: unknown })?.name === 'NoRespondersError' || /no responders|503/i.test(message)) return 'no_responders';
  if (/timeout/i.test(message)) return 'timeout';
  if (/disconnect|reconnect|closed/i.test(message)) return 'disconnected';
  return 'other';
}

function isRetryablePublishError(error: unknown): boolean {
  if (isTransient(error)) return true;
  if (publishFailureReason(error) === 'storage_full') return true;
  const name = (error as { name?: unknown })?.name;
  const message = String((error as { message?: unknown })?.message ?? '');
  // No responders: the stream's leader is moving or the server is restarting.
  return name === 'NoRespondersError' || /no responders|timeout|503|disconnect|reconnect/i.test(message);
}
