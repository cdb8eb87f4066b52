import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { rawJetStreamPublishRate } from './raw-publish.js';

/** The raw JetStream publish rate, on a stream of its own that is deleted afterwards. */
export async function measureRawRate(nc: NatsConnection, runId: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const name = `BENCH_RAW_${runId.replace(/[^A-Za-z0-9]/g, '_')}`;
  await jsm.streams.add({ name, subjects: [`bench.raw.${runId}`] });
  try {
    return await rawJetStreamPublishRate(jetstream(nc), `bench.raw.${runId}`);
  } finally {
    await jsm.streams.delete(name);
  }
}
