/** An event as its aggregate's subject holds it. */
export interface RecordedEvent<Event> {
  /** The event's id (its JetStream msgID): a retried append of the same event is recognised. */
  readonly id: string;
  readonly event: Event;
  /** Its position in the stream: the aggregate's version after it. */
  readonly sequence: number;
}

export interface AggregateHistory<Event> {
  readonly events: readonly RecordedEvent<Event>[];
  /** The sequence of the aggregate's last event, 0 when it has none. */
  readonly version: number;
}

/** Where an aggregate's events live: one subject per aggregate, appended with optimistic concurrency. */
export interface AggregateStore<Event> {
  read(subject: string): Promise<AggregateHistory<Event>>;
  /** Appends after `expectedVersion`; throws `ConcurrencyError` when the aggregate moved on since. */
  append(subject: string, events: ReadonlyArray<{ readonly id: string; readonly event: Event }>, expectedVersion: number): Promise<RecordedEvent<Event>[]>;
}
