import { typeToken, type EventType } from '@agentledger/contracts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { eventually } from '@agentledger/testing';
import { invalidFixtures, validFixtures } from './fixtures.js';
import { IntakeHarness } from './intake-harness.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('ingestion intake with the fixture corpus (real NATS JetStream + PostgreSQL)', () => {
  let harness: IntakeHarness;

  beforeEach(async () => {
    harness = await IntakeHarness.create();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('loses nothing published with core NATS while ingestion is down, and applies each event once', async () => {
    const valid = validFixtures();
    for (const { event } of valid) harness.bus.nc.publish(harness.subject(`finops.in.acme.${typeToken(event.type as EventType)}`), json(event));
    await harness.bus.nc.flush();
    await eventually(async () => (await harness.streamCount('in')) === valid.length, 5_000, 'FINOPS_IN to hold every event');
    expect(await harness.streamCount('facts')).toBe(0);

    harness.start();
    await harness.drained();
    const facts = await harness.facts();
    expect(facts.map((fact) => fact.eventId).sort()).toEqual(valid.map(({ event }) => event.id).sort());
    expect(facts.every((fact) => fact.tenant === 'acme' && fact.channel === 'nats')).toBe(true);
  });

  it('dead-letters each invalid fixture with its reason, queryable, and applies each valid one once even after the duplicate windows', async () => {
    const maxPayload = harness.bus.nc.info!.max_payload;
    // A body above the server's max_payload cannot be published at all; the HTTP test covers it.
    const invalid = invalidFixtures().filter((fixture) => fixture.body.length <= maxPayload);
    expect(invalid.length).toBeGreaterThanOrEqual(60);
    await harness.shortenDuplicateWindow('in');
    await harness.shortenDuplicateWindow('facts');
    harness.start();

    for (const fixture of invalid) {
      const headers = natsHeaders();
      for (const [name, value] of Object.entries(fixture.headers ?? {})) headers.set(name, value);
      await harness.bus.js.publish(harness.subject(fixture.subject), fixture.body, { headers });
    }
    const valid = validFixtures();
    const publishValid = () =>
      harness.bus.publisher.publishAll(
        valid.map(({ event }) => ({ subject: harness.subject(`finops.in.acme.${typeToken(event.type as EventType)}`), payload: json(event), options: { msgID: event.id } })),
      );
    await publishValid();
    await harness.drained();
    expect((await harness.facts()).length).toBe(valid.length);

    const rows = await eventually(async () => {
      const found = await harness.db.deadLetter.findMany({ orderBy: { dlqSequence: 'asc' } });
      return found.length === invalid.length && found;
    }, 20_000, 'every invalid fixture dead-lettered');
    for (const fixture of invalid) {
      // Its reason, its subject and its exact original bytes.
      const row = rows.find(
        (candidate) =>
          candidate.subject === harness.subject(fixture.subject) && candidate.reason.includes(fixture.expected) && Buffer.from(candidate.original).equals(Buffer.from(fixture.body)),
      );
      expect({ rule: fixture.rule, found: row !== undefined }).toEqual({ rule: fixture.rule, found: true });
    }
    expect(rows.filter((row) => row.tenant === 'acme').length).toBe(invalid.length - 2); // two break the tenant token itself

    // After both duplicate windows have passed, JetStream takes the same events again: only the ledger stands between them and a double count.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const acks = await publishValid();
    expect(acks.every((ack) => !ack.duplicate)).toBe(true);
    await harness.drained();
    expect((await harness.facts()).length).toBe(valid.length);

    // A restarted intake has an empty recent-keys memory: the durable ledger alone decides.
    await harness.stop();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await publishValid();
    harness.start();
    await harness.drained();
    expect((await harness.facts()).length).toBe(valid.length);
  });

  it('dead-letters each rejected event of a batch once, with its own bytes, not the whole batch', async () => {
    const [llm] = validFixtures().filter((fixture) => fixture.name === 'llm_call');
    const bad = (index: number) => ({ ...llm!.event, id: `bad-${index}`, data: { ...(llm!.event.data as object), attempt: 0 } });
    // 300 bad events and one good one: each dead letter holds one event, so together they hold the batch once.
    const elements = [...Array.from({ length: 300 }, (_, index) => JSON.stringify(bad(index))), JSON.stringify(llm!.event)];
    const body = new TextEncoder().encode(`[${elements.join(',')}]`);
    harness.start();
    await harness.bus.js.publish(harness.subject('finops.in.acme.batch'), body);
    await harness.drained();
    expect((await harness.facts()).map((fact) => fact.eventId)).toEqual([llm!.event.id]);
    const rows = await eventually(async () => {
      const found = await harness.db.deadLetter.findMany({ orderBy: { dlqSequence: 'asc' } });
      return found.length === 300 && found;
    }, 20_000, 'one dead letter per rejected event');
    expect(await harness.streamCount('deadLetters')).toBe(300);
    const originals = new Map(rows.map((row) => [row.reason, new TextDecoder().decode(row.original)]));
    for (let index = 0; index < 300; index++) expect(originals.get(`events[${index}].data.attempt: must be at least 1`)).toBe(elements[index]);
    const stored = rows.reduce((total, row) => total + row.original.length, 0);
    expect(stored).toBe(elements.slice(0, 300).reduce((total, element) => total + new TextEncoder().encode(element).length, 0));
  });
});
