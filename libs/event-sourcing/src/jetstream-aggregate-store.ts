import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamPublisher } from '@agentledger/jetstream';
import type { AggregateHistory, AggregateStore, RecordedEvent } from './aggregate-store.js';

/** How an aggregate's events travel: bytes and headers (e.g. Content-Type) each way. */
export interface EventCodec<Event> {
  encode(event: Event): { readonly payload: Uint8Array; readonly headers?: Readonly<Record<string, string>> };
  decode(payload: Uint8Array, headers: MsgHdrs | undefined): Event;
}

export interface JetStreamAggregateStoreOptions<Event> {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly publisher: JetStreamPublisher;
  /** The stream holding the aggregates' subjects (namespaced name). */
  readonly stream: string;
  readonly codec: EventCodec<Event>;
}

const MSG_ID_HEADER = 'Nats-Msg-Id';
const READ_TIMEOUT_MS = 5_000;

/**
 * Aggregates on JetStream: an aggregate's events are the messages of its subject, read in
 * order with an ordered consumer filtered on it, and appended with `msgID` = the event's id
 * and `expectLastSubjectSequence`.
 */
export class JetStreamAggregateStore<Event> implements AggregateStore<Event> {
  constructor(private readonly options: JetStreamAggregateStoreOptions<Event>) {}

  async read(subject: string): Promise<AggregateHistory<Event>> {
    const { js, jsm, stream, codec } = this.options;
    // One round trip answers the common case, a new aggregate; it also says where the history ends.
    const last = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    if (!last) return { events: [], version: 0 };
    const consumer = await js.consumers.get(stream, { filter_subjects: subject });
    const events: RecordedEvent<Event>[] = [];
    try {
      while (events.length === 0 || events[events.length - 1]!.sequence < last.seq) {
        const msg = await consumer.next({ expires: READ_TIMEOUT_MS });
        if (!msg) throw new Error(`reading ${subject} timed out before sequence ${last.seq}`);
        events.push({ id: msg.headers?.get(MSG_ID_HEADER) ?? `${stream}:${msg.seq}`, event: codec.decode(msg.data, msg.headers), sequence: msg.seq });
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return { events, version: last.seq };
  }

  async append(subject: string, events: ReadonlyArray<{ id: string; event: Event }>, expectedVersion: number): Promise<RecordedEvent<Event>[]> {
    const recorded: RecordedEvent<Event>[] = [];
    let expected = expectedVersion;
    for (const { id, event } of events) {
      const { payload, headers } = this.options.codec.encode(event);
      const msgHeaders = natsHeaders();
      for (const [name, value] of Object.entries(headers ?? {})) msgHeaders.set(name, value);
      const ack = await this.options.publisher.publish(subject, payload, { msgID: id, headers: msgHeaders, expectLastSubjectSequence: expected });
      recorded.push({ id, event, sequence: ack.seq });
      expected = ack.seq;
    }
    return recorded;
  }
}
