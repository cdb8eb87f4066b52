import { randomBytes } from 'node:crypto';
import { DiscardPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectToNats } from '../src/connection.js';
import { TransientError } from '../src/errors.js';
import { namespaceFor, streamIn, subjectIn, type Namespace } from '../src/namespace.js';
import { provisionStreams } from '../src/provision.js';
import { JetStreamPublisher } from '../src/publisher.js';
import { allStreams, STREAMS } from '../src/topology.js';

const MiB = 1024 * 1024;

describe('stream limits (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let ns: Namespace;

  beforeAll(async () => {
    ns = namespaceFor(`lim${randomBytes(5).toString('hex')}`);
    nc = await connectToNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'stream-limits-test' });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(ns.streamPrefix)) await jsm.streams.delete(name);
    }
    await nc.drain();
  });

  it('gives every stream a byte limit and its discard policy, and updates a stream made before limits existed', async () => {
    // FINOPS_FACTS as an older release made it: no byte limit, discard old.
    const facts = streamIn(ns, STREAMS.facts.name);
    await jsm.streams.add({ name: facts, subjects: [subjectIn(ns, 'finops.facts.>')], discard: DiscardPolicy.Old });
    expect(await provisionStreams(jsm, ns, allStreams(), { maxBytes: { FINOPS_COSTS: 3 * MiB } })).toEqual([]);
    const configs = new Map<string, { max_bytes: number; discard: string; max_age: number }>();
    for (const spec of allStreams()) configs.set(spec.name, (await jsm.streams.info(streamIn(ns, spec.name))).config);
    expect(Object.fromEntries([...configs].map(([name, config]) => [name, [config.max_bytes / MiB, config.discard, config.max_age > 0]]))).toEqual({
      FINOPS_IN: [512, 'old', true],
      FINOPS_FACTS: [1024, 'new', false],
      FINOPS_COSTS: [3, 'new', false],
      FINOPS_PRICES: [64, 'new', false],
      FINOPS_BUDGETS: [64, 'new', false],
      FINOPS_AGENTS: [64, 'new', false],
      FINOPS_ALERTS: [64, 'old', true],
      FINOPS_DLQ: [256, 'old', true],
    });
  });

  it('never lowers a limit under what a stream holds (JetStream would delete its oldest), and says so', async () => {
    const js = jetstream(nc);
    const subject = subjectIn(ns, 'finops.prices.acme.openai.gpt');
    const payload = new Uint8Array(64 * 1024);
    for (let i = 0; i < 40; i++) await js.publish(subject, payload);
    const stored = (await jsm.streams.info(streamIn(ns, STREAMS.prices.name))).state.bytes;
    expect(stored).toBeGreaterThan(2 * MiB);
    const warnings = await provisionStreams(jsm, ns, [STREAMS.prices], { maxBytes: { FINOPS_PRICES: 1 * MiB } });
    expect(warnings).toEqual([
      `${streamIn(ns, 'FINOPS_PRICES')} holds ${stored} bytes, at or above its limit of ${MiB}: kept at ${stored + MiB} instead; raise STREAM_MAX_BYTES for FINOPS_PRICES`,
    ]);
    const info = await jsm.streams.info(streamIn(ns, STREAMS.prices.name));
    expect([info.config.max_bytes, info.state.messages]).toEqual([stored + MiB, 40]);
  });

  it('a publish to a full discard-new stream is retried, counted and logged, then fails as transient: nothing is dropped silently', async () => {
    await provisionStreams(jsm, ns, [STREAMS.budgets], { maxBytes: { FINOPS_BUDGETS: 1 * MiB } });
    const retries: string[] = [];
    const failures: string[] = [];
    const logged: string[] = [];
    const publisher = new JetStreamPublisher(jetstream(nc), { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 }, {
      onRetry: (stream, reason) => retries.push(`${stream}:${reason}`),
      onFailure: (stream, reason) => failures.push(`${stream}:${reason}`),
      logger: { warn: (msg) => logged.push(msg), error: (msg) => logged.push(msg) },
    });
    const subject = subjectIn(ns, 'finops.budgets.acme.b1');
    const payload = new Uint8Array(100 * 1024);
    let accepted = 0;
    let failure: unknown;
    for (let i = 0; i < 20 && failure === undefined; i++) {
      try {
        await publisher.publish(subject, payload);
        accepted += 1;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).toMatch(/the stream is full .*maximum bytes exceeded/);
    expect(retries).toEqual(['budgets:storage_full', 'budgets:storage_full']);
    expect(failures).toEqual(['budgets:storage_full']);
    expect(logged).toEqual(['publish failed, retrying', 'publish failed']);
    // Every message acked before is still there: the stream refused the new one, it dropped none.
    expect((await jsm.streams.info(streamIn(ns, STREAMS.budgets.name))).state.messages).toBe(accepted);
  });
});
