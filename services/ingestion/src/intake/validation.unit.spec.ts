import { CallStatus, EVENT_TYPES, RunStatus, typeToken, type EventType } from '@agentledger/contracts';
import { PermanentError, ROOT_NAMESPACE } from '@agentledger/jetstream';
import { invalidFixtures, validFixtures } from '../../test/fixtures.js';
import { CONTRACT_EVENT_TYPES, enumOf, enumWords, PAYLOADS } from './contract-schema.js';
import { readRawMessage } from './raw-intake.js';

const receivedAt = new Date('2026-11-27T09:30:00Z');

/** What ingestion does with one raw message: its facts, or its reasons (whole-message or per event). */
function intake(subject: string, body: Uint8Array, contentType?: string) {
  try {
    const { facts, rejections } = readRawMessage(ROOT_NAMESPACE, { subject, data: body, contentType }, receivedAt);
    return { facts, rejections: rejections.map((rejected) => rejected.reason) };
  } catch (error) {
    if (error instanceof PermanentError) return { facts: [], rejections: [error.message] };
    throw error;
  }
}
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('validation from the proto contract', () => {
  it('derives the event types and enum words from the generated descriptors', () => {
    expect(CONTRACT_EVENT_TYPES).toEqual([...EVENT_TYPES]);
    const status = enumWords<CallStatus>(enumOf(PAYLOADS.get('llm.call')!.message, 'status'));
    expect([...status]).toEqual([['ok', CallStatus.OK], ['error', CallStatus.ERROR], ['timeout', CallStatus.TIMEOUT], ['cancelled', CallStatus.CANCELLED]]);
    expect(enumWords<RunStatus>(enumOf(PAYLOADS.get('run.finished')!.message, 'status')).get('handed_off')).toBe(RunStatus.HANDED_OFF);
    expect([...PAYLOADS.get('tool.call')!.dataFields].sort()).toEqual(
      ['agentId', 'agentVersion', 'attempt', 'attributes', 'cost', 'environment', 'latencyMs', 'parentSpanId', 'retryOf', 'spanId', 'status', 'team', 'tool', 'traceId', 'unit', 'units', 'vendor', 'workflow'].sort(),
    );
  });

  it.each(validFixtures().map((fixture) => [fixture.name, fixture] as const))('accepts the valid %s fixture on its own subject and in a batch', (_name, { event }) => {
    const single = intake(`finops.in.acme.${typeToken(event.type as EventType)}`, json(event));
    expect(single.rejections).toEqual([]);
    expect(single.facts).toHaveLength(1);
    expect(single.facts[0]).toMatchObject({ tenant: 'acme', eventId: event.id, source: event.source, type: event.type, channel: 'nats' });
    expect(intake('finops.in.acme.batch', json([event, event])).facts).toHaveLength(2);
  });

  it('has a valid fixture of every event type', () => {
    expect(validFixtures().map((fixture) => fixture.event.type).sort()).toEqual([...EVENT_TYPES].sort());
  });

  const invalid = invalidFixtures();
  it('has at least 40 invalid fixtures breaking distinct rules', () => {
    expect(new Set(invalid.map((fixture) => fixture.rule)).size).toBe(invalid.length);
    // A few break one rule in different ways (a fractional and a string token count).
    expect(new Set(invalid.map((fixture) => fixture.expected)).size).toBeGreaterThanOrEqual(60);
  });

  it.each(invalid.map((fixture) => [fixture.rule, fixture] as const))('rejects %s with its field path and rule', (_rule, fixture) => {
    const result = intake(fixture.subject, fixture.body, fixture.headers?.['Content-Type']);
    expect(result.facts).toEqual([]);
    expect(result.rejections).toHaveLength(1);
    expect(result.rejections[0]).toContain(fixture.expected);
    expect(result.rejections[0]).toMatch(/^[A-Za-z_.[\]0-9-]+: /);
  });

  it('rejects a string or a key holding NUL, which no read model can store, naming where', () => {
    const llm = validFixtures().find((fixture) => fixture.name === 'llm_call')!.event as Record<string, Record<string, unknown>>;
    const subject = 'finops.in.acme.llm_call';
    expect(intake(subject, json({ ...llm, data: { ...llm.data, agentId: 'a\u0000b' } })).rejections).toEqual(['data.agentId: must not contain the NUL character']);
    expect(intake(subject, json({ ...llm, id: 'x\u0000' })).rejections).toEqual(['id: must not contain the NUL character']);
    expect(intake(subject, json({ ...llm, data: { ...llm.data, attributes: { 'k\u0000': 'v' } } })).rejections).toEqual(['data.attributes: keys must not contain the NUL character']);
    expect(intake(subject, json(llm)).facts).toHaveLength(1);
  });

  it('keeps the valid events of a batch and names the index of each rejected one', () => {
    const [llm, tool] = validFixtures().filter((fixture) => ['llm_call', 'tool_call'].includes(fixture.name));
    const bad = { ...llm!.event, id: 'bad', data: { ...(llm!.event.data as object), attempt: 0 } };
    const result = intake('finops.in.acme.batch', json([tool!.event, bad, llm!.event]));
    expect(result.facts.map((fact) => fact.type)).toEqual(['tool.call', 'llm.call']);
    expect(result.rejections).toEqual(['events[1].data.attempt: must be at least 1']);
  });

  it('refuses amounts no read model could hold (the bound of libs/money), naming field and bound; the valid events of the batch stay', () => {
    const byName = new Map(validFixtures().map((fixture) => [fixture.name, fixture.event as unknown as { id: string; data: object }]));
    const withData = (name: string, id: string, data: object) => ({ ...byName.get(name)!, id, data: { ...byName.get(name)!.data, ...data } });
    const forty = '1234567890123456789012345678901234567890';
    const batch = [
      withData('llm_call', 'huge-reported', { reportedCost: forty }),
      withData('tool_call', 'huge-cost', { cost: '1000000000000000' }),
      withData('outcome_recorded', 'huge-value', { value: `${forty}.5` }),
      withData('saas_usage', 'fine-decimals', { cost: '0.0000000000000000001' }),
      withData('tool_call', 'huge-units', { units: 1e21 }),
      withData('llm_call', 'largest', { reportedCost: '999999999999999.999999999999999999' }),
      byName.get('tool_call')!,
    ];
    const result = intake('finops.in.acme.batch', json(batch));
    expect(result.facts.map((fact) => fact.eventId)).toEqual(['largest', byName.get('tool_call')!.id]);
    const tooBig = 'must be below 10^15 (every read model stores at most 20 integer digits, totals included)';
    expect(result.rejections).toEqual([
      `events[0].data.reportedCost: ${tooBig}`,
      `events[1].data.cost: ${tooBig}`,
      `events[2].data.value: ${tooBig}`,
      'events[3].data.cost: must have at most 18 decimal places',
      `events[4].data.units: must be a decimal string, e.g. "0.0125"`,
    ]);
  });

  it('refuses a token count past a trillion (token totals are 64-bit sums), at the limit takes it', () => {
    const [llm] = validFixtures().filter((fixture) => fixture.name === 'llm_call');
    const event = llm!.event as unknown as { id: string; data: { usage: object } };
    const withInput = (id: string, inputTokens: number) => ({ ...event, id, data: { ...event.data, usage: { ...event.data.usage, inputTokens } } });
    const result = intake('finops.in.acme.batch', json([withInput('at-limit', 1_000_000_000_000), withInput('past', 1_000_000_000_001)]));
    expect(result.facts.map((fact) => fact.eventId)).toEqual(['at-limit']);
    expect(result.rejections).toEqual(['events[1].data.usage.inputTokens: must be at most 1000000000000 (token totals are stored as 64-bit sums)']);
  });

  it('keeps the exact bytes of each rejected event of a batch, not the whole batch', () => {
    const [llm] = validFixtures().filter((fixture) => fixture.name === 'llm_call');
    const bad = (id: string, attempt: number) => ({ ...llm!.event, id, data: { ...(llm!.event.data as object), attempt } });
    // Spacing, nesting and escapes as a hand-written batch has them; each element's bytes verbatim.
    const elements = [JSON.stringify(bad('a "quoted" [id]', 0)), JSON.stringify(llm!.event, null, 2), ` ${JSON.stringify(bad('ünïcode, {x}', -1))}\n`];
    const body = new TextEncoder().encode(`[\n  ${elements.join(' ,\n')}  ]`);
    const result = readRawMessage(ROOT_NAMESPACE, { subject: 'finops.in.acme.batch', data: body }, receivedAt);
    expect(result.facts).toHaveLength(1);
    const decoded = result.rejections.map((rejected) => new TextDecoder().decode(rejected.original));
    expect(decoded).toEqual([elements[0], elements[2]!.trim()]);
    expect(result.rejections.map((rejected) => rejected.reason)).toEqual(['events[0].data.attempt: must be at least 1', 'events[2].data.attempt: must be at least 1']);
  });

  it('keeps the whole message as the bytes of a rejected single event', () => {
    const [llm] = validFixtures().filter((fixture) => fixture.name === 'llm_call');
    const body = json({ ...llm!.event, data: { ...(llm!.event.data as object), attempt: 0 } });
    const result = readRawMessage(ROOT_NAMESPACE, { subject: 'finops.in.acme.llm_call', data: body }, receivedAt);
    expect(result.rejections).toEqual([{ reason: 'data.attempt: must be at least 1', original: body }]);
  });
});
