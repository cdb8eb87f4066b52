import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '@agentledger/jetstream';
import type { AggregateStore, RecordedEvent } from './aggregate-store.js';
import { fold, type Decider } from './decider.js';

export interface CommandResult<Event, State> {
  /** The aggregate after the command. */
  readonly state: State;
  /** The events the command appended (none when it changed nothing). */
  readonly events: readonly RecordedEvent<Event>[];
  readonly version: number;
}

export interface HandleCommandOptions {
  /** Attempts when another writer appended in between (default 5). */
  readonly attempts?: number;
  readonly newId?: () => string;
}

/**
 * The one command path: read the aggregate's events from its subject, fold them, decide,
 * append with optimistic concurrency, and decide again on a fresh read when another writer
 * got there first. `CommandRejected` from `decide` reaches the caller as it is.
 */
export async function handleCommand<Command, Event, State>(
  store: AggregateStore<Event>,
  decider: Decider<Command, Event, State>,
  subject: string,
  command: Command,
  options: HandleCommandOptions = {},
): Promise<CommandResult<Event, State>> {
  const attempts = options.attempts ?? 5;
  const newId = options.newId ?? randomUUID;
  for (let attempt = 1; ; attempt++) {
    const history = await store.read(subject);
    const state = fold(decider, history.events.map((recorded) => recorded.event));
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, events: [], version: history.version };
    try {
      const events = await store.append(subject, decided.map((event) => ({ id: newId(), event })), history.version);
      return { state: fold({ evolve: decider.evolve, initialState: state }, decided), events, version: events[events.length - 1]!.sequence };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
    }
  }
}
