import { createHash } from 'node:crypto';
import { deadLetterCodec, SCHEMA_VERSION, toTimestamp, type DeadLetter } from '@agentledger/contracts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import type { Namespace } from './namespace.js';
import { BundlePart } from './bundle.js';
import type { JetStreamPublisher } from './publisher.js';
import { subjects } from './topology.js';

/** What is known about a rejected message; `original` is its exact bytes. */
export interface Rejection {
  readonly service: string;
  readonly reason: string;
  readonly tenant?: string;
  readonly subject: string;
  readonly stream?: string;
  readonly streamSequence?: number;
  readonly deliveryCount?: number;
  readonly headers?: ReadonlyArray<{ name: string; values: string[] }>;
  readonly original: Uint8Array;
  readonly receivedAt: Date;
  /** Which of several rejections of one message (events of a batch), for distinct dead letters. */
  readonly part?: number;
}

export const DEAD_LETTER_REASON_HEADER = 'AgentLedger-Reason';
/** Set when the stored original was cut: the size of the whole original, in bytes. */
export const DEAD_LETTER_ORIGINAL_BYTES_HEADER = 'AgentLedger-Original-Bytes';

/**
 * Half of NATS's default max payload (1 MiB): a dead letter of the largest message intake
 * accepts (1 MiB) still fits, with its headers and reason, on any server.
 */
export const DEFAULT_MAX_DEAD_LETTER_BYTES = 512 * 1024;
const MAX_REASON_CHARS = 4_096;
const MAX_HEADER_VALUE_CHARS = 1_024;
const MAX_HEADERS = 64;

export interface DeadLetterOptions {
  /** The encoded dead letter never exceeds this; the original is cut to fit and the cut recorded. */
  readonly maxBytes?: number;
}

/** Publishes rejections to the dead-letter stream: never silence, and never too large to publish. */
export class DeadLetterPublisher {
  private readonly maxBytes: number;

  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly ns: Namespace,
    options: DeadLetterOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_DEAD_LETTER_BYTES;
  }

  async publish(rejection: Rejection): Promise<void> {
    const { payload, originalBytes, truncated } = this.encode(rejection);
    const headers = natsHeaders();
    headers.set('Content-Type', deadLetterCodec.contentType);
    // A header keeps the reason readable with plain `nats stream view`; cut to stay small.
    headers.set(DEAD_LETTER_REASON_HEADER, rejection.reason.slice(0, 512).replace(/[\r\n]+/g, ' '));
    if (truncated) headers.set(DEAD_LETTER_ORIGINAL_BYTES_HEADER, String(originalBytes));
    // A redelivery of the same message is the same dead letter; the digest of its bytes keeps a
    // different message that reuses the sequence (a recreated or another NATS store) from being
    // taken for it within the duplicate window.
    const msgID =
      rejection.stream && rejection.streamSequence
        ? `dlq:${rejection.service}:${rejection.stream}:${rejection.streamSequence}:${rejection.part ?? 0}:${digestOf(rejection.original)}`
        : undefined;
    await this.publisher.publish(subjects.deadLetter(this.ns, rejection.tenant ?? '', rejection.service), payload, { msgID, headers });
  }

  /** The dead letter's bytes within `maxBytes`: reason and headers cut first, then the original, the cut said in the reason. */
  private encode(rejection: Rejection): { payload: Uint8Array; originalBytes: number; truncated: boolean } {
    const originalBytes = rejection.original.length;
    const reason = rejection.reason.length > MAX_REASON_CHARS ? `${rejection.reason.slice(0, MAX_REASON_CHARS)}…` : rejection.reason;
    const deadLetter: DeadLetter = deadLetterCodec.create({
      schemaVersion: SCHEMA_VERSION,
      service: rejection.service,
      reason,
      tenant: rejection.tenant ?? '',
      subject: rejection.subject,
      stream: rejection.stream ?? '',
      streamSequence: BigInt(rejection.streamSequence ?? 0),
      deliveryCount: rejection.deliveryCount ?? 0,
      receivedAt: toTimestamp(rejection.receivedAt),
      headers: (rejection.headers ?? []).slice(0, MAX_HEADERS).map((header) => ({
        name: header.name.slice(0, MAX_HEADER_VALUE_CHARS),
        values: header.values.map((value) => value.slice(0, MAX_HEADER_VALUE_CHARS)),
      })),
      original: rejection.original,
    });
    const whole = deadLetterCodec.encode(deadLetter);
    if (whole.length <= this.maxBytes) return { payload: whole, originalBytes, truncated: false };
    deadLetter.reason = `${reason} [original truncated: ${originalBytes} bytes, the first ${KEPT_PLACEHOLDER} kept]`;
    deadLetter.original = new Uint8Array(0);
    // Headers are only context: the last ones go when even they do not fit beside the reason.
    while (deadLetter.headers.length > 0 && deadLetterCodec.encode(deadLetter).length + 16 > this.maxBytes) deadLetter.headers.pop();
    // Room for the original: what is left beside the rest, less the field's own tag and length (at most 6 bytes).
    const kept = Math.max(0, this.maxBytes - deadLetterCodec.encode(deadLetter).length - 16);
    deadLetter.reason = deadLetter.reason.replace(KEPT_PLACEHOLDER, String(kept));
    deadLetter.original = rejection.original.slice(0, kept);
    return { payload: deadLetterCodec.encode(deadLetter), originalBytes, truncated: true };
  }
}

/** As wide as any kept size, so the reason does not grow when the figure replaces it. */
const KEPT_PLACEHOLDER = '0000000000';

/** The parts of a JetStream message a dead letter keeps (of an item of a bundle: its own bytes and its position). */
export function rejectionOf(msg: JsMsg, service: string, reason: string, tenant?: string): Rejection {
  const headers: Array<{ name: string; values: string[] }> = [];
  if (msg.headers) {
    for (const name of msg.headers.keys()) headers.push({ name, values: msg.headers.values(name) });
  }
  return {
    service,
    reason,
    tenant,
    subject: msg.subject,
    stream: msg.info.stream,
    streamSequence: msg.seq,
    deliveryCount: msg.info.deliveryCount,
    headers,
    original: msg.data,
    receivedAt: new Date(),
    ...(msg instanceof BundlePart ? { part: msg.part } : {}),
  };
}

/** 16 hex digits of the SHA-256 of a message's bytes. */
function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}
