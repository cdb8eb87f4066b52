/**
 * An aggregate's behaviour as three pure parts (no I/O, no clock: time arrives in the
 * command's metadata): what it is before anything happened, how an event changes it, and
 * which events a command causes given what it is now.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  /** The events the command causes; none for a command that changes nothing. Throws `CommandRejected`. */
  decide(command: Command, state: State): Event[];
}

/** Why a command was refused: the input breaks a rule (`invalid`) or contradicts the aggregate's state (`conflict`). */
export type RejectionKind = 'invalid' | 'conflict' | 'not_found';

/** A command the aggregate refuses; the message names the field and the rule. */
export class CommandRejected extends Error {
  constructor(
    message: string,
    readonly kind: RejectionKind = 'invalid',
  ) {
    super(message);
    this.name = 'CommandRejected';
  }
}

/** The state after `events`, from the decider's initial state. */
export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: Iterable<Event>): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
