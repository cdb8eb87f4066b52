import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConcurrencyError, connectToNats, JetStreamPublisher, namespaceFor, provisionStreams, STREAMS, streamIn, subjectIn, type Namespace } from '@agentledger/jetstream';
import { CommandRejected, handleCommand, JetStreamAggregateStore, type Decider, type EventCodec } from '../src/index.js';

type Event = { type: 'Renamed'; name: string };
type Command = { type: 'Rename'; name: string };
type State = { name: string; renames: number };

const named: Decider<Command, Event, State> = {
  initialState: { name: '', renames: 0 },
  evolve: (state, event) => ({ name: event.name, renames: state.renames + 1 }),
  decide(command, state) {
    if (command.name === '') throw new CommandRejected('name: required');
    return command.name === state.name ? [] : [{ type: 'Renamed', name: command.name }];
  },
};

const codec: EventCodec<Event> = {
  encode: (event) => ({ payload: new TextEncoder().encode(JSON.stringify(event)), headers: { 'Content-Type': 'application/json' } }),
  decode: (payload) => JSON.parse(new TextDecoder().decode(payload)) as Event,
};

describe('JetStreamAggregateStore (real NATS JetStream)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let ns: Namespace;
  let store: JetStreamAggregateStore<Event>;

  beforeAll(async () => {
    ns = namespaceFor(`es${randomBytes(4).toString('hex')}`);
    nc = await connectToNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'event-sourcing-test' });
    jsm = await jetstreamManager(nc);
    await provisionStreams(jsm, ns, [STREAMS.prices]);
    const js = jetstream(nc);
    store = new JetStreamAggregateStore({ js, jsm, publisher: new JetStreamPublisher(js), stream: streamIn(ns, STREAMS.prices.name), codec });
  });

  afterAll(async () => {
    await jsm.streams.delete(streamIn(ns, STREAMS.prices.name));
    await nc.drain();
  });

  const subject = (name: string) => subjectIn(ns, `finops.prices.acme.${name}`);

  it('reads an empty aggregate as version 0, then its events in order with their ids and sequences', async () => {
    expect(await store.read(subject('a'))).toEqual({ events: [], version: 0 });
    await handleCommand(store, named, subject('a'), { type: 'Rename', name: 'one' }, { newId: () => 'id-1' });
    await handleCommand(store, named, subject('b'), { type: 'Rename', name: 'other aggregate' });
    const result = await handleCommand(store, named, subject('a'), { type: 'Rename', name: 'two' }, { newId: () => 'id-2' });
    expect(result.state).toEqual({ name: 'two', renames: 2 });
    const history = await store.read(subject('a'));
    expect(history.events.map((recorded) => [recorded.id, recorded.event.name])).toEqual([
      ['id-1', 'one'],
      ['id-2', 'two'],
    ]);
    expect(history.version).toBe(history.events[1]!.sequence);
  });

  it('refuses an append after a stale version (optimistic concurrency), and a no-op appends nothing', async () => {
    const { version } = await store.read(subject('a'));
    await expect(store.append(subject('a'), [{ id: 'late', event: { type: 'Renamed', name: 'x' } }], version - 1)).rejects.toBeInstanceOf(ConcurrencyError);
    const noop = await handleCommand(store, named, subject('a'), { type: 'Rename', name: 'two' });
    expect(noop.events).toEqual([]);
    expect((await store.read(subject('a'))).version).toBe(version);
  });

  it('concurrent commands on one aggregate all land, each decided on the state before it', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `n${i}`);
    await Promise.all(names.map((name) => handleCommand(store, named, subject('c'), { type: 'Rename', name }, { attempts: 20 })));
    const history = await store.read(subject('c'));
    expect(history.events.map((recorded) => recorded.event.name).sort()).toEqual(names);
  });
});
