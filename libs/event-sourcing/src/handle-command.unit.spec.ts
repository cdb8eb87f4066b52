import { ConcurrencyError } from '@agentledger/jetstream';
import type { AggregateStore, RecordedEvent } from './aggregate-store.js';
import { CommandRejected, type Decider } from './decider.js';
import { handleCommand } from './handle-command.js';

type Event = { type: 'Deposited'; amount: number };
type Command = { type: 'Deposit'; amount: number; max: number };
type State = { balance: number };

const account: Decider<Command, Event, State> = {
  initialState: { balance: 0 },
  evolve: (state, event) => ({ balance: state.balance + event.amount }),
  decide(command, state) {
    if (command.amount === 0) return [];
    if (state.balance + command.amount > command.max) throw new CommandRejected(`amount: the balance would pass ${command.max}`, 'conflict');
    return [{ type: 'Deposited', amount: command.amount }];
  },
};

/** An in-memory store at our own port, with a hook to let another writer in before an append. */
class MemoryStore implements AggregateStore<Event> {
  readonly log: RecordedEvent<Event>[] = [];
  beforeAppend?: () => void;

  async read() {
    return { events: [...this.log], version: this.log.at(-1)?.sequence ?? 0 };
  }

  async append(subject: string, events: ReadonlyArray<{ id: string; event: Event }>, expectedVersion: number) {
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    hook?.();
    if ((this.log.at(-1)?.sequence ?? 0) !== expectedVersion) throw new ConcurrencyError(subject, expectedVersion);
    const recorded = events.map(({ id, event }, index) => ({ id, event, sequence: expectedVersion + index + 1 }));
    this.log.push(...recorded);
    return recorded;
  }
}

let ids = 0;
const newId = () => `e${++ids}`;

describe('handleCommand', () => {
  it('folds the history, decides, appends after the version it read, and returns the new state', async () => {
    const store = new MemoryStore();
    await handleCommand(store, account, 's', { type: 'Deposit', amount: 30, max: 100 }, { newId });
    const result = await handleCommand(store, account, 's', { type: 'Deposit', amount: 50, max: 100 }, { newId });
    expect(result.state).toEqual({ balance: 80 });
    expect(result.version).toBe(2);
    expect(store.log.map((recorded) => [recorded.sequence, recorded.event.amount])).toEqual([
      [1, 30],
      [2, 50],
    ]);
  });

  it('decides again on the fresh state when another writer appended in between', async () => {
    const store = new MemoryStore();
    store.beforeAppend = () => store.log.push({ id: 'other', event: { type: 'Deposited', amount: 60 }, sequence: 1 });
    // Read at balance 0 (50 fits), the retry sees 60 + 50 > 100: the invariant holds under concurrency.
    await expect(handleCommand(store, account, 's', { type: 'Deposit', amount: 50, max: 100 }, { newId })).rejects.toThrow(
      new CommandRejected('amount: the balance would pass 100', 'conflict'),
    );
    expect(store.log.map((recorded) => recorded.event.amount)).toEqual([60]);
  });

  it('appends nothing for a command that changes nothing', async () => {
    const store = new MemoryStore();
    const result = await handleCommand(store, account, 's', { type: 'Deposit', amount: 0, max: 100 }, { newId });
    expect(result).toEqual({ state: { balance: 0 }, events: [], version: 0 });
    expect(store.log).toEqual([]);
  });

  it('gives up after its attempts when the aggregate keeps moving', async () => {
    const store = new MemoryStore();
    const busy: AggregateStore<Event> = {
      read: () => store.read(),
      append: async (subject, _events, expected) => {
        throw new ConcurrencyError(subject, expected);
      },
    };
    await expect(handleCommand(busy, account, 's', { type: 'Deposit', amount: 1, max: 100 }, { attempts: 3 })).rejects.toBeInstanceOf(ConcurrencyError);
  });
});
