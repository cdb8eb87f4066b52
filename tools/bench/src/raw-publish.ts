import type { JetStreamClient } from '@nats-io/jetstream';

/** The raw JetStream publish rate (messages/s, one small message each) on this machine, now. */
export async function rawJetStreamPublishRate(js: JetStreamClient, subject: string, count = 20_000): Promise<number> {
  const payload = new TextEncoder().encode(JSON.stringify({ bench: true, padding: 'x'.repeat(200) }));
  const started = performance.now();
  const inFlight: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    inFlight.push(js.publish(subject, payload));
    if (inFlight.length >= 1_000) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return count / ((performance.now() - started) / 1000);
}
