import { deadLettersQuery, fromTimestamp, redriveDeadLettersCommand, type DeadLetterView } from '@agentledger/contracts';
import { DeadLetterPublisher } from '@agentledger/jetstream';
import { QueryClient } from '@agentledger/service-kit';
import { eventually, repositoryRoot, testDatabaseUrl } from '@agentledger/testing';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { validFixtures } from './fixtures.js';
import { ServiceHarness } from './service-harness.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('redriving dead letters through intake (real NATS + PostgreSQL)', () => {
  let harness: ServiceHarness;
  let client: QueryClient;
  const window = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

  beforeAll(async () => {
    harness = await ServiceHarness.start();
    client = new QueryClient(harness.bus.nc, harness.bus.ns);
  });

  afterAll(async () => {
    await harness.stop();
  });

  const deadLetters = async (): Promise<DeadLetterView[]> =>
    (await client.ask(deadLettersQuery, { tenant: 'acme', args: window })).sort((a, b) => Number(a.id) - Number(b.id));

  it('counts a valid dead letter once however often it is redriven, skips one already counted, and rejects the invalid again with their reasons', async () => {
    const [counted, lost] = validFixtures().filter((fixture) => fixture.name === 'llm_call' || fixture.name === 'tool_call');
    const ns = harness.bus.ns;
    // A batch: one valid event (counted now) and one of an unknown type (dead-lettered by intake).
    const batchHeaders = natsHeaders();
    batchHeaders.set('Content-Type', 'application/cloudevents-batch+json');
    const unknownType = { ...counted!.event, id: 'evt-unknown-type', type: 'agent.teleported' };
    await harness.bus.js.publish(`${ns.subjectPrefix}finops.in.acme.batch`, json([counted!.event, unknownType]), { headers: batchHeaders });
    await harness.drained();
    // As a transient outage would leave them: a valid event dead-lettered by intake (deliveries
    // exhausted), a copy of the event already counted, and a fact pricing could not handle.
    const dlq = new DeadLetterPublisher(harness.bus.publisher, ns);
    const lostSubject = `${ns.subjectPrefix}finops.in.acme.${lost!.name}`;
    const receivedAt = new Date('2026-12-01T10:00:00Z');
    await dlq.publish({ service: 'ingestion', reason: 'max deliveries exceeded', tenant: 'acme', subject: lostSubject, stream: 'IN', streamSequence: 90, original: json(lost!.event), receivedAt });
    await dlq.publish({ service: 'ingestion', reason: 'max deliveries exceeded', tenant: 'acme', subject: `${ns.subjectPrefix}finops.in.acme.llm_call`, stream: 'IN', streamSequence: 91, original: json(counted!.event), receivedAt });
    await dlq.publish({ service: 'pricing', reason: 'no price', tenant: 'acme', subject: `${ns.subjectPrefix}finops.facts.acme.llm_call`, stream: 'FACTS', streamSequence: 7, original: new Uint8Array([1, 2, 3]), receivedAt });
    await dlq.publish({ service: 'ingestion', reason: 'max deliveries exceeded', tenant: 'globex', subject: `${ns.subjectPrefix}finops.in.globex.${lost!.name}`, stream: 'IN', streamSequence: 92, original: json(lost!.event), receivedAt });
    const letters = await eventually(async () => {
      const found = await deadLetters();
      return found.length === 4 && found;
    }, 20_000, 'four dead letters of acme');
    const [invalid, lostLetter, copy, priced] = letters;
    expect([invalid!.reason, lostLetter!.subject, copy!.reason, priced!.service]).toEqual([
      expect.stringMatching(/^events\[1\]\.type: /),
      lostSubject,
      'max deliveries exceeded',
      'pricing',
    ]);
    const factsBefore = (await harness.facts()).length;
    expect(factsBefore).toBe(1);

    const first = await client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: window });
    expect(first).toEqual({
      selected: 4,
      redriven: 1,
      rejected: 2,
      alreadyCounted: 1,
      rejections: [
        { id: invalid!.id, reason: invalid!.reason.replace(/^events\[1\]\./, '') },
        { id: priced!.id, reason: 'rejected by pricing, not by intake: only intake\'s dead letters can be redriven' },
      ],
    });
    const facts = await harness.facts();
    expect(facts.map((fact) => [fact.tenant, fact.eventId]).sort()).toEqual([
      ['acme', counted!.event.id],
      ['acme', lost!.event.id],
    ].sort());
    // The redriven fact arrived when its dead letter did.
    expect(fromTimestamp(facts.find((fact) => fact.eventId === lost!.event.id)!.receivedAt!).toISOString()).toBe(receivedAt.toISOString());

    // Twice, by filter and by id: nothing more is counted.
    const again = await client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: { ...window, reason: 'max deliveries' } });
    expect(again).toEqual({ selected: 2, redriven: 0, rejected: 0, alreadyCounted: 2, rejections: [] });
    const byId = await client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: { ids: [lostLetter!.id, priced!.id] } });
    expect([byId.selected, byId.redriven, byId.alreadyCounted, byId.rejected]).toEqual([2, 0, 1, 1]);
    // Intake itself skips it too: the same raw event published again is a duplicate.
    await harness.bus.js.publish(lostSubject, json(lost!.event));
    await harness.drained();
    expect((await harness.facts()).length).toBe(2);
  });

  it('redrives a whole batch an outage dead-lettered: every event of it counts once', async () => {
    const [first, second] = validFixtures().filter((fixture) => fixture.name === 'run_started' || fixture.name === 'run_finished');
    const subject = `${harness.bus.ns.subjectPrefix}finops.in.acme.batch`;
    const batch = [{ ...first!.event, id: 'batch-1' }, { ...second!.event, id: 'batch-2' }];
    const headers = [{ name: 'Content-Type', values: ['application/cloudevents-batch+json'] }];
    await new DeadLetterPublisher(harness.bus.publisher, harness.bus.ns).publish({
      service: 'ingestion', reason: 'max deliveries exceeded', tenant: 'acme', subject, stream: 'IN', streamSequence: 93, headers, original: json(batch), receivedAt: new Date(),
    });
    await eventually(async () => (await deadLetters()).length === 5, 20_000, 'the batch dead letter');
    const selection = { ...window, subject };
    expect(await client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: selection })).toEqual({ selected: 2, redriven: 1, rejected: 1, alreadyCounted: 0, rejections: [expect.objectContaining({ reason: expect.stringMatching(/^type: /) })] });
    expect((await harness.facts()).map((fact) => fact.eventId).filter((id) => id.startsWith('batch-')).sort()).toEqual(['batch-1', 'batch-2']);
    expect(await client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: selection })).toMatchObject({ redriven: 0, alreadyCounted: 1, rejected: 1 });
  });

  // The CLI as built (`npm test` builds first): the same redrive, from a shell.
  const cli = join(repositoryRoot, 'services/ingestion/dist/cli/redrive-dead-letters.js');
  (existsSync(cli) ? it : it.skip)('redrives from the command line, and prints the same report', async () => {
    const env = { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: harness.schema, NATS_URL: harness.bus.natsUrl, FINOPS_NAMESPACE: harness.bus.token };
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, '--tenant', 'acme', '--from', window.from, '--to', window.to, '--reason', 'max deliveries'], { env });
    expect(JSON.parse(stdout)).toEqual({ selected: 3, redriven: 0, rejected: 0, alreadyCounted: 3, rejections: [] });
    expect(stderr).toBe('3 selected: 0 redriven, 3 already counted, 0 rejected again\n');
    await expect(promisify(execFile)(process.execPath, [cli, '--tenant', 'acme'], { env })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('args: name ids, or a window (from and to)') });
  });

  it("shows each stream's JetStream storage, and of its limit, on /metrics", async () => {
    const text = await (await fetch(harness.url('/metrics'))).text();
    const figure = (name: string, stream: string) => Number(new RegExp(`^${name}\\{stream="${stream}",service="ingestion"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    const facts = (await harness.bus.jsm.streams.info(`${harness.bus.ns.streamPrefix}FINOPS_FACTS`)).state;
    expect([figure('agentledger_stream_messages', 'FINOPS_FACTS'), figure('agentledger_stream_bytes', 'FINOPS_FACTS')]).toEqual([facts.messages, facts.bytes]);
    expect(figure('agentledger_stream_max_bytes', 'FINOPS_FACTS')).toBe(1024 ** 3);
    expect(figure('agentledger_stream_used_ratio', 'FINOPS_FACTS')).toBeCloseTo(facts.bytes / 1024 ** 3, 12);
    // Intake's own and the five the tests wrote.
    expect(figure('agentledger_stream_messages', 'FINOPS_DLQ')).toBe(6);
  });

  it("never reaches another tenant's dead letters, and refuses a selection with neither ids nor a window", async () => {
    const [globex] = await client.ask(deadLettersQuery, { tenant: 'globex', args: window });
    const report = await client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: { ids: [globex!.id] } });
    expect(report).toEqual({ selected: 0, redriven: 0, rejected: 0, alreadyCounted: 0, rejections: [] });
    await expect(client.ask(redriveDeadLettersCommand, { tenant: 'acme', args: { reason: 'x' } })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'args: name ids, or a window (from and to)',
    });
  });
});
