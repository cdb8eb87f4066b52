import { typeToken, type EventType } from '@agentledger/contracts';
import { CONSUMERS, streamIn } from '@agentledger/jetstream';
import { eventually } from '@agentledger/testing';
import { validFixtures } from './fixtures.js';
import { ServiceHarness } from './service-harness.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('the running ingestion service heals itself (real NATS + PostgreSQL)', () => {
  let harness: ServiceHarness;

  beforeAll(async () => {
    harness = await ServiceHarness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('re-provisions its durable consumers when they are deleted under it, stays ready, and goes on applying', async () => {
    const [first, second] = validFixtures();
    const publish = (event: { type: string }) => harness.bus.js.publish(`${harness.bus.ns.subjectPrefix}finops.in.acme.${typeToken(event.type as EventType)}`, json(event));
    await publish(first!.event);
    await harness.drained();
    expect((await harness.facts()).map((fact) => fact.eventId)).toEqual([first!.event.id]);

    for (const spec of [CONSUMERS.ingestion, CONSUMERS.ingestionDeadLetters]) await harness.bus.jsm.consumers.delete(streamIn(harness.bus.ns, spec.stream), spec.durable);
    await publish(second!.event);
    // Back as declared; the intake replays FINOPS_IN from its start, and the ledger skips the first event.
    await eventually(async () => (await harness.facts()).length === 2, 30_000, 'the event published after the deletion');
    await harness.drained();
    expect((await harness.facts()).map((fact) => fact.eventId).sort()).toEqual([first!.event.id, second!.event.id].sort());
    const info = await harness.bus.jsm.consumers.info(streamIn(harness.bus.ns, CONSUMERS.ingestionDeadLetters.stream), CONSUMERS.ingestionDeadLetters.durable);
    expect(info.config.max_ack_pending).toBe(CONSUMERS.ingestionDeadLetters.maxAckPending);
    const ready = await eventually(async () => {
      const response = await fetch(harness.url('/readyz'));
      return response.status === 200 && ((await response.json()) as { ready: boolean });
    }, 10_000, '/readyz to answer 200');
    expect(ready.ready).toBe(true);
  });
});
