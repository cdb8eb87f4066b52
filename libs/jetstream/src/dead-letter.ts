import { deadLetterCodec, SCHEMA_VERSION, toTimestamp, type DeadLetter } from '@agentledger/contracts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import type { Namespace } from './namespace.js';
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

/** Publishes rejections to the dead-letter stream: never silence. */
export class DeadLetterPublisher {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly ns: Namespace,
  ) {}

  async publish(rejection: Rejection): Promise<void> {
    const deadLetter: DeadLetter = deadLetterCodec.create({
      schemaVersion: SCHEMA_VERSION,
      service: rejection.service,
      reason: rejection.reason,
      tenant: rejection.tenant ?? '',
      subject: rejection.subject,
      stream: rejection.stream ?? '',
      streamSequence: BigInt(rejection.streamSequence ?? 0),
      deliveryCount: rejection.deliveryCount ?? 0,
      receivedAt: toTimestamp(rejection.receivedAt),
      headers: rejection.headers?.map((header) => ({ name: header.name, values: [...header.values] })) ?? [],
      original: rejection.original,
    });
    const headers = natsHeaders();
    headers.set('Content-Type', deadLetterCodec.contentType);
    // A header keeps the reason readable with plain `nats stream view`; cut to stay small.
    headers.set(DEAD_LETTER_REASON_HEADER, rejection.reason.slice(0, 512).replace(/[\r\n]+/g, ' '));
    const msgID =
      rejection.stream && rejection.streamSequence
        ? `dlq:${rejection.service}:${rejection.stream}:${rejection.streamSequence}:${rejection.part ?? 0}`
        : undefined;
    await this.publisher.publish(subjects.deadLetter(this.ns, rejection.tenant ?? '', rejection.service), deadLetterCodec.encode(deadLetter), {
      msgID,
      headers,
    });
  }
}

/** The parts of a JetStream message a dead letter keeps. */
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
  };
}
