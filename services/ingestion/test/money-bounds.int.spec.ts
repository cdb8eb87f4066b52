import { eventually } from '@agentledger/testing';
import { validFixtures } from './fixtures.js';
import { IntakeHarness } from './intake-harness.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('amounts no read model could hold are dead-lettered at intake (real NATS JetStream + PostgreSQL)', () => {
  let harness: IntakeHarness;

  beforeEach(async () => {
    harness = await IntakeHarness.create();
  });
  afterEach(() => harness.cleanup());

  it('a 40-digit cost is dead-lettered with its reason and its own bytes; the valid events of the same batch are counted', async () => {
    const [llm] = validFixtures().filter((fixture) => fixture.name === 'llm_call');
    const event = llm!.event as unknown as { id: string; data: object };
    const huge = { ...event, id: 'forty-digits', data: { ...event.data, reportedCost: '1234567890123456789012345678901234567890' } };
    const fine = { ...event, id: 'fine', data: { ...event.data, reportedCost: '0.25' } };
    harness.start();
    await harness.bus.js.publish(harness.subject('finops.in.acme.batch'), json([event, huge, fine]));
    await harness.drained();

    expect((await harness.facts()).map((fact) => fact.eventId).sort()).toEqual([event.id, 'fine'].sort());
    const rows = await eventually(async () => {
      const found = await harness.db.deadLetter.findMany();
      return found.length === 1 && found;
    }, 20_000, 'the dead letter');
    expect(rows[0]!.reason).toBe('events[1].data.reportedCost: must be below 10^15 (every read model stores at most 20 integer digits, totals included)');
    expect(JSON.parse(new TextDecoder().decode(rows[0]!.original))).toEqual(huge);
  });
});
