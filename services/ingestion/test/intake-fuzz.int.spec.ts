import fc from 'fast-check';
import { PermanentError, ROOT_NAMESPACE } from '@agentledger/jetstream';
import { CONSUMERS } from '@agentledger/jetstream';
import { eventually } from '@agentledger/testing';
import { ledgerKeyOf } from '../src/intake/dedupe-ledger.js';
import { readRawMessage } from '../src/intake/raw-intake.js';
import { IntakeHarness } from './intake-harness.js';
import { rawMessage } from './payload-arbitraries.js';

describe('the real intake under random and mutated payloads (NATS JetStream + PostgreSQL)', () => {
  let harness: IntakeHarness;
  beforeAll(async () => {
    harness = await IntakeHarness.create();
  });
  afterAll(async () => {
    await harness.cleanup();
  });

  it('accounts for every event of 200 messages: applied once or dead-lettered', async () => {
    const messages = fc.sample(rawMessage, { numRuns: 200, seed: 42 }).map(({ route, body }) => ({ subject: `finops.in.acme.${route || 'empty'}`, body: new TextEncoder().encode(body) }));
    // What the pure validation says about each message, to hold the running service to it.
    const expectedKeys = new Set<string>();
    let expectedDeadLetters = 0;
    for (const message of messages) {
      try {
        const result = readRawMessage(ROOT_NAMESPACE, { subject: message.subject, data: message.body }, new Date());
        for (const fact of result.facts) expectedKeys.add(ledgerKeyOf(fact));
        expectedDeadLetters += result.rejections.length;
      } catch (error) {
        if (!(error instanceof PermanentError)) throw error;
        expectedDeadLetters++;
      }
    }
    // Mutants keep their fixture's (source, id) mostly: the ledger collapses them to one fact each.
    expect(expectedKeys.size).toBeGreaterThanOrEqual(3);
    expect(expectedDeadLetters).toBeGreaterThan(80);

    harness.start();
    await Promise.all(messages.map((message) => harness.bus.js.publish(harness.subject(message.subject), message.body)));
    await harness.drained();
    await harness.drained(CONSUMERS.ingestionDeadLetters);
    expect((await harness.facts()).map(ledgerKeyOf).sort()).toEqual([...expectedKeys].sort());
    await eventually(async () => (await harness.streamCount('deadLetters')) === expectedDeadLetters, 10_000, `${expectedDeadLetters} dead letters`);
    expect(await harness.db.deadLetter.count()).toBe(expectedDeadLetters);
  }, 30_000);
});
