import type { JsMsg } from '@nats-io/jetstream';
import { BatchConsumer, type ConsumerHooks, type Delivery } from '../src/batch-consumer.js';
import { bundleMessages, headersOf } from '../src/bundle.js';
import { deadLetterCodec } from '@agentledger/contracts';
import { PermanentError } from '../src/errors.js';
import { streamIn } from '../src/namespace.js';
import { provisionConsumers } from '../src/provision.js';
import { STREAMS, subjects, type ConsumerSpec } from '../src/topology.js';
import { createStreamFixture, eventually, sleep, type StreamFixture } from './stream-fixture.js';

const SECOND_NS = 1_000_000_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A consumer of its own on FINOPS_COSTS, on a tenant of its own (its durable name), with a short
 * ack wait and few deliveries so the limits show within seconds.
 */
function specOf(durable: string, overrides: Partial<ConsumerSpec> = {}): ConsumerSpec {
  return {
    stream: STREAMS.costs.name,
    durable,
    filterSubject: `finops.costs.${durable}.>`,
    ackWaitNs: 2 * SECOND_NS,
    maxDeliver: 3,
    maxAckPending: 1_000,
    description: `test consumer ${durable}`,
    ...overrides,
  };
}

/** A driver error as Prisma 7 raises it for a raw query when the database refuses connections. */
const databaseDown = () =>
  Object.assign(new Error("Raw query failed. Code: `N/A`. Message: `Can't reach database server`"), {
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 } } },
  });

describe('batch consumer (real NATS)', () => {
  let bus: StreamFixture;
  const consumers: Array<BatchConsumer<string>> = [];

  beforeAll(async () => {
    bus = await createStreamFixture();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });

  afterAll(async () => {
    await bus.cleanup();
  });

  async function publish(tenant: string, ...values: string[]): Promise<void> {
    for (const value of values) await bus.publisher.publish(subjects.cost(bus.ns, tenant, 'priced'), encoder.encode(value), { msgID: `${tenant}-${value}` });
  }

  async function deadLetterCount(): Promise<number> {
    return (await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.deadLetters.name))).state.messages;
  }

  async function consumerOf(
    spec: ConsumerSpec,
    apply: (batch: ReadonlyArray<Delivery<string>>) => Promise<void>,
    extra: { probe?: () => Promise<unknown>; hooks?: ConsumerHooks; decode?: (msg: JsMsg) => string; batchSize?: number } = {},
  ): Promise<BatchConsumer<string>> {
    await provisionConsumers(bus.jsm, bus.ns, [spec]);
    const consumer = new BatchConsumer<string>({
      js: bus.js,
      ns: bus.ns,
      spec,
      service: 'test',
      deadLetters: bus.deadLetters,
      decode: (msg) => decoder.decode(msg.data),
      apply,
      backoffMs: () => 100,
      restartBackoffMs: () => 200,
      logger: process.env.TEST_PROJECTION_LOGS ? { info: console.log, warn: console.log, error: console.log } : undefined,
      ...extra,
    });
    consumers.push(consumer);
    consumer.start();
    return consumer;
  }

  it('never dead-letters for transient failures, however many deliveries they take', async () => {
    const applied: string[] = [];
    let failures = 0;
    await consumerOf(specOf('transient'), async (batch) => {
      // Six serialization failures in a row: twice the consumer's max deliveries.
      if (failures < 6) {
        failures++;
        throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
      }
      applied.push(...batch.map((delivery) => delivery.value));
    });
    const before = await deadLetterCount();
    await publish('transient', 'a', 'b');
    await eventually(() => applied.length === 2, 20_000, 'both messages applied');
    expect(applied.sort()).toEqual(['a', 'b']);
    expect(failures).toBe(6);
    expect(await deadLetterCount()).toBe(before);
  });

  it('stops fetching while the database is unavailable, probes it, and resumes by itself, dead-lettering nothing', async () => {
    const applied: string[] = [];
    let down = true;
    let attempts = 0;
    let probes = 0;
    const pauses: boolean[] = [];
    await consumerOf(
      specOf('unavailable'),
      async (batch) => {
        attempts++;
        if (down) throw databaseDown();
        applied.push(...batch.map((delivery) => delivery.value));
      },
      {
        probe: async () => {
          probes++;
          if (down) throw databaseDown();
        },
        hooks: { onUnavailable: (unavailable) => pauses.push(unavailable) },
      },
    );
    const before = await deadLetterCount();
    await publish('unavailable', 'c', 'd', 'e');
    // Longer than maxDeliver × (ack wait + backoff): the old loop would have dead-lettered all three.
    await sleep(8_000);
    expect(applied).toEqual([]);
    // One failed attempt, then it waited on the probe instead of burning deliveries.
    expect(attempts).toBe(1);
    expect(probes).toBeGreaterThan(10);
    down = false;
    // At least once: a message handed back at the pause may come again beside its redelivery (projections skip it by key).
    await eventually(() => new Set(applied).size === 3, 20_000, 'the backlog applied after the outage');
    expect([...new Set(applied)].sort()).toEqual(['c', 'd', 'e']);
    expect(pauses).toEqual([true, false]);
    expect(await deadLetterCount()).toBe(before);
  });

  it('still dead-letters a message that fails for an unknown reason maxDeliver times', async () => {
    let attempts = 0;
    await consumerOf(specOf('poison'), async () => {
      attempts++;
      throw new Error('a bug');
    });
    const before = await deadLetterCount();
    await publish('poison', 'poison');
    await eventually(async () => (await deadLetterCount()) === before + 1, 20_000, 'the dead letter');
    expect(attempts).toBe(3);
  });

  it('keeps a slow batch in progress past its ack wait, so it is applied once and never redelivered', async () => {
    const applied: string[] = [];
    let redeliveries = 0;
    // Both are on the stream before the consumer binds, so its first pull brings them as one batch
    // (published after, the second could arrive on its own while the first is applied: the next test).
    await publish('slow', 'slow-1', 'slow-2');
    // Ack wait 1 s, a transaction of 3.5 s.
    await consumerOf(
      specOf('slow', { ackWaitNs: SECOND_NS }),
      async (batch) => {
        await sleep(3_500);
        applied.push(...batch.map((delivery) => delivery.value));
      },
      { hooks: { onRedelivery: () => redeliveries++ } },
    );
    await eventually(() => applied.length >= 2, 20_000, 'the slow batch applied');
    // Long enough for a redelivery of anything left unacked to arrive and be applied.
    await sleep(5_000);
    expect(applied.sort()).toEqual(['slow-1', 'slow-2']);
    expect(redeliveries).toBe(0);
  });

  it('loses and dead-letters nothing it pulled ahead while a batch outlasted the ack wait: a copy may come again, for the projections to skip', async () => {
    const applied: string[] = [];
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    await consumerOf(specOf('pulled-ahead', { ackWaitNs: SECOND_NS }), async (batch) => {
      started();
      await sleep(3_500);
      applied.push(...batch.map((delivery) => delivery.value));
    });
    const before = await deadLetterCount();
    await publish('pulled-ahead', 'first');
    await firstStarted;
    // Arrives while 'first' is applied: it waits in the client, where nothing marks it in progress.
    await publish('pulled-ahead', 'second');
    await eventually(() => applied.includes('second'), 20_000, 'the message pulled ahead applied');
    await sleep(3_000);
    expect([...new Set(applied)].sort()).toEqual(['first', 'second']);
    expect(applied.filter((value) => value === 'first')).toHaveLength(1);
    expect(await deadLetterCount()).toBe(before);
  });

  it('holds no more than its pull-ahead while a batch is applied: the rest waits on the server, not in memory', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let applied = 0;
    await consumerOf(
      specOf('pull-ahead', { pullAhead: 8 }),
      async (batch) => {
        await released;
        applied += batch.length;
      },
      { batchSize: 4 },
    );
    await publish('pull-ahead', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
    const info = () => bus.jsm.consumers.info(streamIn(bus.ns, STREAMS.costs.name), 'pull-ahead');
    let held: number;
    try {
      await eventually(async () => (await info()).num_ack_pending > 0, 10_000, 'a first batch delivered');
      await sleep(1_000);
      held = (await info()).num_ack_pending;
    } finally {
      release();
    }
    // The batch in hand (4 at most) and what the requests outstanding when it was taken deliver (8 at most).
    expect(held).toBeLessThanOrEqual(12);
    await eventually(() => applied === 100, 20_000, 'every message applied once released');
  });

  it('re-provisions its durable consumer when it is deleted under it, and goes on applying', async () => {
    const applied: string[] = [];
    const spec = specOf('deleted');
    const consumer = await consumerOf(spec, async (batch) => {
      applied.push(...batch.map((delivery) => delivery.value));
    });
    await publish('deleted', 'before');
    await eventually(() => applied.length === 1, 10_000, 'the first message');
    await bus.jsm.consumers.delete(streamIn(bus.ns, spec.stream), spec.durable);
    await eventually(() => consumer.restartCount > 0, 20_000, 'the loop to restart');
    await eventually(() => consumer.isBound, 10_000, 'the loop to bind again');
    const info = await bus.jsm.consumers.info(streamIn(bus.ns, spec.stream), spec.durable);
    expect(info.config.ack_wait).toBe(spec.ackWaitNs);
    await publish('deleted', 'after');
    await eventually(() => applied.includes('after'), 20_000, 'a message published after the deletion');
    // The new durable starts from the stream's start: 'before' comes again, which idempotent projections skip.
    expect([...new Set(applied)].sort()).toEqual(['after', 'before']);
  });

  describe('bundles', () => {
    async function publishBundle(tenant: string, values: string[], maxBytes?: number): Promise<void> {
      const items = values.map((value) => ({ key: value, payload: encoder.encode(value) }));
      for (const bundle of bundleMessages(subjects.cost(bus.ns, tenant, 'priced'), 'text/plain', items, maxBytes)) {
        await bus.publisher.publish(bundle.subject, bundle.payload, { msgID: bundle.msgId, headers: headersOf(bundle.headers) });
      }
    }

    async function deadLettersSince(before: number) {
      const stream = streamIn(bus.ns, STREAMS.deadLetters.name);
      const last = (await bus.jsm.streams.info(stream)).state.last_seq;
      const letters = [];
      for (let seq = before + 1; seq <= last; seq++) {
        const message = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (message) letters.push(deadLetterCodec.decode(message.data));
      }
      return letters;
    }

    it('applies every item of a bundle as an event of its own, and dead-letters only the bad ones, each with its own bytes', async () => {
      const applied: string[] = [];
      let redeliveries = 0;
      const stream = streamIn(bus.ns, STREAMS.deadLetters.name);
      const before = (await bus.jsm.streams.info(stream)).state.last_seq;
      await consumerOf(
        specOf('bundle'),
        async (batch) => {
          // An item the read model refuses: the batch fails, then goes item by item.
          if (batch.some((delivery) => delivery.value === 'refused')) throw new PermanentError('refused by the read model', 'invalid');
          applied.push(...batch.map((delivery) => delivery.value));
        },
        {
          decode: (msg) => {
            const value = decoder.decode(msg.data);
            if (value === 'undecodable') throw new PermanentError('cannot decode', 'undecodable');
            return value;
          },
          hooks: { onRedelivery: () => redeliveries++ },
        },
      );
      await publishBundle('bundle', ['a', 'undecodable', 'b', 'refused', 'c']);
      await eventually(async () => applied.length === 3 && (await deadLettersSince(before)).length === 2, 20_000, 'the good items applied, the bad dead-lettered');
      expect(applied.sort()).toEqual(['a', 'b', 'c']);
      const letters = await deadLettersSince(before);
      expect(letters.map((letter) => [decoder.decode(letter.original), letter.reason]).sort()).toEqual([
        ['refused', 'refused by the read model'],
        ['undecodable', 'cannot decode'],
      ]);
      expect(letters.every((letter) => letter.headers.find((header) => header.name === 'Content-Type')?.values[0] === 'text/plain')).toBe(true);
      // The bundle was acked once all five were settled: nothing comes again.
      await sleep(3_000);
      expect(applied).toHaveLength(3);
      expect(redeliveries).toBe(0);
    });

    it('redelivers the whole bundle after a transient failure, and counts a bundle as its items toward the batch size', async () => {
      const applied: string[] = [];
      const batches: number[] = [];
      let failed = false;
      await consumerOf(specOf('bundle-retry'), async (batch) => {
        batches.push(batch.length);
        if (!failed) {
          failed = true;
          throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
        }
        applied.push(...batch.map((delivery) => delivery.value));
      });
      const values = Array.from({ length: 1_200 }, (_, n) => `v${String(n).padStart(4, '0')}`);
      // Three bundles of 400 items: a batch (500 events) takes whole bundles, never half of one.
      await publishBundle('bundle-retry', values, 400 * 11);
      await eventually(() => new Set(applied).size === 1_200, 20_000, 'every item applied');
      expect(batches.every((size) => size % 400 === 0)).toBe(true);
      expect([...new Set(applied)].sort()).toEqual([...values].sort());
    });

    it('dead-letters a bundle that cannot be opened, whole', async () => {
      const applied: string[] = [];
      const stream = streamIn(bus.ns, STREAMS.deadLetters.name);
      const before = (await bus.jsm.streams.info(stream)).state.last_seq;
      await consumerOf(specOf('bundle-broken'), async (batch) => {
        applied.push(...batch.map((delivery) => delivery.value));
      });
      const [bundle] = bundleMessages(subjects.cost(bus.ns, 'bundle-broken', 'priced'), 'text/plain', [{ key: 'x', payload: encoder.encode('x') }]);
      await bus.publisher.publish(bundle!.subject, new Uint8Array([0x12, 1, 0]), { headers: headersOf(bundle!.headers) });
      await publish('bundle-broken', 'plain');
      await eventually(() => applied.includes('plain'), 10_000, 'the next message');
      const letters = await deadLettersSince(before);
      expect(letters.map((letter) => [[...letter.original], letter.reason.startsWith('undecodable bundle: not a bundle')])).toEqual([[[0x12, 1, 0], true]]);
      expect(applied).toEqual(['plain']);
    });
  });
});
