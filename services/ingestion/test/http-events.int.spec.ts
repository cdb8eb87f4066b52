import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { eventually } from '@agentledger/testing';
import { validFixtures } from './fixtures.js';
import { ServiceHarness } from './service-harness.js';

const CE = { 'content-type': 'application/cloudevents+json' };
const BATCH = { 'content-type': 'application/cloudevents-batch+json' };

describe('POST /v1/events (the ingestion service, real NATS + PostgreSQL)', () => {
  let harness: ServiceHarness;
  beforeAll(async () => {
    harness = await ServiceHarness.start();
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('answers per event, applies the accepted ones once (tenant from the API key) and dead-letters the rest', async () => {
    const [llm, tool] = validFixtures().filter((fixture) => ['llm_call', 'tool_call'].includes(fixture.name)).map((fixture) => fixture.event);
    const bad = { ...llm, id: 'bad', data: { ...(llm!.data as object), attempt: 0 } };
    const response = await harness.post('/v1/events', JSON.stringify([llm, bad, tool]), BATCH);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2,
      rejected: 1,
      results: [
        { index: 0, id: 'fx-llm', status: 'accepted' },
        { index: 1, id: 'bad', status: 'rejected', reason: 'events[1].data.attempt: must be at least 1' },
        { index: 2, id: 'fx-tool', status: 'accepted' },
      ],
    });
    // The same event again, structured and gzipped: accepted (valid), and the ledger keeps it once.
    const again = await fetch(harness.url('/v1/events'), {
      method: 'POST',
      body: gzipSync(JSON.stringify(llm)),
      headers: { ...CE, 'content-encoding': 'gzip', authorization: 'Bearer test-key-acme' },
    });
    expect(await again.json()).toMatchObject({ accepted: 1, rejected: 0 });
    await harness.drained();
    const facts = await harness.facts();
    expect(facts.map((fact) => [fact.eventId, fact.tenant, fact.channel]).sort()).toEqual([
      ['fx-llm', 'acme', 'http'],
      ['fx-tool', 'acme', 'http'],
    ]);
    const deadLetters = await eventually(async () => {
      const rows = await harness.service.context.db.deadLetter.findMany();
      return rows.length === 1 && rows;
    });
    expect(deadLetters[0]).toMatchObject({ tenant: 'acme', reason: 'events[1].data.attempt: must be at least 1', subject: 'POST /v1/events' });
  });

  it('refuses unknown keys, bad JSON, wrong content types and oversize bodies with a reason', async () => {
    expect((await harness.post('/v1/events', '{}', CE, 'nope')).status).toBe(401);
    const badJson = await harness.post('/v1/events', '{"specversion":', CE);
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: string }).error).toMatch(/^body: must be valid UTF-8 JSON/);
    expect(((await (await harness.post('/v1/events', '{}', { 'content-type': 'text/plain' })).json()) as { error: string }).error).toMatch(/^headers.Content-Type: /);
    const huge = await harness.post('/v1/events', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), CE);
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: string }).error).toBe('body: must be at most 1048576 bytes');
  });

  it('imports a SaaS usage export (CSV or JSON) once, however often it is posted', async () => {
    const csv = [
      'Vendor,Product,Agent,Period Start,Period End,Quantity,Unit,Cost',
      'intercom,fin,support-fin,2026-11-26T00:00:00Z,2026-11-27T00:00:00Z,132,resolution,118.80',
      'zendesk,ai-agent,zd-bot,2026-11-26T00:00:00Z,2026-11-27T00:00:00Z,40,resolution,',
      'zendesk,ai-agent,zd-bot,2026-11-26T00:00:00Z,2026-11-25T00:00:00Z,40,resolution,',
    ].join('\n');
    const first = (await (await harness.post('/v1/saas-usage', csv, { 'content-type': 'text/csv' })).json()) as { accepted: number; results: Array<{ reason?: string }> };
    expect(first).toMatchObject({ accepted: 2, rejected: 1 });
    expect(first.results[2]!.reason).toBe('events[2].data.periodEnd: must not be before periodStart');
    const asJson = JSON.stringify([{ vendor: 'intercom', product: 'fin', agent: 'support-fin', periodStart: '2026-11-26T00:00:00Z', periodEnd: '2026-11-27T00:00:00Z', quantity: 132, unit: 'resolution', cost: '118.80' }]);
    const second = await (await harness.post('/v1/saas-usage', asJson, { 'content-type': 'application/json' })).json();
    expect(second).toMatchObject({ accepted: 1 });
    expect(await (await harness.post('/v1/saas-usage', csv, { 'content-type': 'text/csv' })).json()).toMatchObject({ accepted: 2 });
    await harness.drained();
    const saas = (await harness.facts()).filter((fact) => fact.type === 'saas.usage');
    expect(saas.map((fact) => [fact.common?.agentId, fact.channel, fact.payload.case === 'saasUsage' ? fact.payload.value.quantity : '']).sort()).toEqual([
      ['support-fin', 'saas-import', '132'],
      ['zd-bot', 'saas-import', '40'],
    ]);
  });

  it('takes OTLP/HTTP traces (protobuf+gzip and JSON): GenAI spans become facts once, other spans are skipped and counted', async () => {
    const otlp = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/otlp/${name}`, import.meta.url)));
    const before = (await harness.facts()).length;
    const pb = await harness.post('/v1/traces', gzipSync(otlp('otel-genai.pb')), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(pb.status).toBe(200);
    expect(pb.headers.get('content-type')).toBe('application/x-protobuf');
    const json = await harness.post('/v1/traces', otlp('openinference.json'), { 'content-type': 'application/json' });
    expect(await json.json()).toEqual({});
    expect((await harness.post('/v1/traces', otlp('openllmetry.json'), { 'content-type': 'application/json' }, 'nope')).status).toBe(401);
    await harness.drained();
    // Three dialects, one span each: the same (source, id), so one llm.call and one tool.call.
    const otlpFacts = (await harness.facts()).slice(before);
    expect(otlpFacts.map((fact) => [fact.type, fact.channel, fact.common?.spanId, fact.common?.parentSpanId]).sort()).toEqual([
      ['llm.call', 'otlp', '00f067aa0ba902b7', '00f067aa0ba902b6'],
      ['tool.call', 'otlp', '00f067aa0ba902c1', '00f067aa0ba902b6'],
    ]);
    const metrics = await (await fetch(harness.url('/metrics'))).text();
    expect(metrics).toMatch(/agentledger_otlp_spans_skipped_total\{service="ingestion"\} 2\b/);
  });
});
