import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { isTransient } from './errors.js';

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
const WRONG_LAST_SEQUENCE = 10071;

/** The aggregate changed since it was read: reload, decide again. */
export class ConcurrencyError extends Error {
  constructor(subject: string, expected: number, options?: ErrorOptions) {
    super(`wrong last sequence on ${subject}: expected ${expected}`, options);
    this.name = 'ConcurrencyError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Publishes to JetStream and waits for the stream's ack, retrying transient failures. */
export class JetStreamPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
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
        if (attempt >= this.retry.attempts || !isRetryablePublishError(error)) throw error;
        await sleep(Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs));
      }
    }
  }

  /** Publishes many messages concurrently and waits for all acks (order within the batch is not kept). */
  async publishAll(messages: ReadonlyArray<{ subject: string; payload: Uint8Array; options?: PublishOptions }>): Promise<PubAck[]> {
    return Promise.all(messages.map((message) => this.publish(message.subject, message.payload, message.options)));
  }
}

function isRetryablePublishError(error: unknown): boolean {
  if (isTransient(error)) return true;
  const name = (error as { name?: unknown })?.name;
  const message = String((error as { message?: unknown })?.message ?? '');
  // No responders: the stream's leader is moving or the server is restarting.
  return name === 'NoRespondersError' || /no responders|timeout|503|disconnect|reconnect/i.test(message);
}
