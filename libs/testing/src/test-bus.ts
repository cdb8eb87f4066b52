import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { allStreams, connectToNats, JetStreamPublisher, namespaceFor, provisionStreams, type Namespace } from '@agentledger/jetstream';
import { uniqueToken } from './unique.js';

export interface TestBus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly ns: Namespace;
  /** The namespace token, to hand to a service process as FINOPS_NAMESPACE. */
  readonly token: string;
  readonly natsUrl: string;
  readonly publisher: JetStreamPublisher;
  /** Deletes this test's streams and closes the connection. */
  cleanup(): Promise<void>;
}

export const testNatsUrl = (): string => process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Every stream of the topology, in a namespace of its own on the shared NATS server. */
export async function createTestBus(): Promise<TestBus> {
  const natsUrl = testNatsUrl();
  const token = uniqueToken();
  const ns = namespaceFor(token);
  const nc = await connectToNats({ url: natsUrl, name: `test-${token}` });
  const jsm = await jetstreamManager(nc);
  await provisionStreams(jsm, ns, allStreams());
  const js = jetstream(nc);
  return {
    nc,
    js,
    jsm,
    ns,
    token,
    natsUrl,
    publisher: new JetStreamPublisher(js),
    async cleanup() {
      // The namespace's streams, and its KV buckets (a bucket's stream is `KV_<bucket>`: the control bucket's is `KV_<prefix>finops_control`).
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(ns.streamPrefix) || name.startsWith(`KV_${ns.streamPrefix}`)) await jsm.streams.delete(name);
      }
      await nc.drain();
    },
  };
}
