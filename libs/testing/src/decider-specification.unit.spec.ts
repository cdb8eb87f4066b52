import { CommandRejected, type Decider } from '@agentledger/event-sourcing';
import { DeciderSpecification } from './decider-specification.js';

type Event = { type: 'Opened'; at: Date } | { type: 'Closed' };
type Command = { type: 'Open'; at: Date } | { type: 'Close' };
type State = { open: boolean };

const door: Decider<Command, Event, State> = {
  initialState: { open: false },
  evolve: (state, event) => ({ open: event.type === 'Opened' }),
  decide(command, state) {
    switch (command.type) {
      case 'Open':
        return state.open ? [] : [{ type: 'Opened', at: command.at }];
      case 'Close':
        if (!state.open) throw new CommandRejected('door: already closed', 'conflict');
        return [{ type: 'Closed' }];
    }
  },
};

const given = DeciderSpecification.for(door).given;
const at = new Date('2026-12-01T00:00:00Z');

describe('DeciderSpecification', () => {
  it('passes when the decided events, no events or the error are the expected ones', () => {
    given([]).when({ type: 'Open', at }).then([{ type: 'Opened', at: new Date(at.getTime()) }]);
    given([{ type: 'Opened', at }]).when({ type: 'Open', at }).thenNothing();
    given([]).when({ type: 'Close' }).thenThrows(CommandRejected);
    given([]).when({ type: 'Close' }).thenThrows('door: already closed');
    given([]).when({ type: 'Close' }).thenThrows(/already/);
    given([]).when({ type: 'Close' }).thenThrows(new CommandRejected('door: already closed'));
  });

  it('fails, saying what differs, when the outcome is another', () => {
    expect(() => given([]).when({ type: 'Open', at }).then([{ type: 'Closed' }])).toThrow(/decided events differ/);
    expect(() => given([]).when({ type: 'Open', at }).thenNothing()).toThrow(/expected no events/);
    expect(() => given([{ type: 'Opened', at }]).when({ type: 'Close' }).thenThrows(CommandRejected)).toThrow(/expected an error, decided/);
    expect(() => given([]).when({ type: 'Close' }).thenThrows('door: open')).toThrow('expected error "door: open", got "door: already closed"');
    expect(() => given([]).when({ type: 'Close' }).thenThrows(new Error('door: already closed'))).toThrow(/expected Error/);
    expect(() => given([]).when({ type: 'Open', at }).then([{ type: 'Opened', at: new Date(0) }])).toThrow(/decided events differ/);
  });
});
