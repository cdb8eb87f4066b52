import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectToNats } from '../src/connection.js';
import { DeadLetterPublisher } from '../src/dead-letter.js';
import { namespaceFor, type Namespace } from '../src/namespace.js';
import { provisionStreams } from '../src/provision.js';
import { JetStreamPublisher } from '../src/publisher.js';
import { allStreams } from '../src/topology.js';

/** Every stream of the topology in a namespace of this test file's own (libs/testing builds on this lib, so it is not used here). */
export interface StreamFixture {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly deadLetters: DeadLetterPublisher;
  cleanup(): Promise<void>;
}

export async function createStreamFixture(): Promise<StreamFixture> {
  const ns = namespaceFor(`js${randomBytes(5).toString('hex')}`);
  const nc = await connectToNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'jetstream-lib-test' });
  const jsm = await jetstreamManager(nc);
  await provisionStreams(jsm, ns, allStreams());
  const js = jetstream(nc);
  const publisher = new JetStreamPublisher(js);
  return {
    nc,
    js,
    jsm,
    ns,
    publisher,
    deadLetters: new DeadLetterPublisher(publisher, ns),
    async cleanup() {
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(ns.streamPrefix)) await jsm.streams.delete(name);
      }
      await nc.drain();
    },
  };
}

/** Polls until `check` holds, or fails naming what it waited for. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
