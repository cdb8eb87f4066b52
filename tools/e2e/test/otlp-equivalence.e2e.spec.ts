import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Decimal } from 'decimal.js';
import { Stack } from './stack.js';

/** The three OTLP GenAI dialects, and the CloudEvents they stand for (fixtures of the ingestion service). */
const fixture = (name: string) => readFileSync(new URL(`../../../services/ingestion/test/fixtures/otlp/${name}`, import.meta.url));
const DIALECTS = ['otel-genai', 'openinference', 'openllmetry'] as const;
const KEYS = { 'otel-genai': 'k-otel', openinference: 'k-oi', openllmetry: 'k-ol', cloudevents: 'k-ce' } as const;
const PRICE = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.15', outputPer1M: '0.60', cacheReadPer1M: '0.075', effectiveFrom: '2026-01-01T00:00:00Z' };
const SUMMARY = `{ costSummary(from: "2026-11-27T00:00:00Z", to: "2026-11-28T00:00:00Z") {
  totalCost llmCalls toolCalls inputTokens outputTokens cacheReadTokens cacheWriteTokens reasoningTokens unpricedCalls } }`;

describe('OTLP spans of every dialect cost the same as the equivalent CloudEvent', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({
      services: ['ingestion', 'pricing', 'attribution', 'gateway'],
      apiKeys: Object.entries(KEYS).map(([tenant, key]) => `${key}=${tenant}:admin`).join(','),
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('JSON and protobuf (gzip) spans → the same canonical calls and the same exact cost', async () => {
    for (const key of Object.values(KEYS)) {
      const set = await stack.graphql(key, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input: PRICE });
      expect(set.errors).toBeUndefined();
    }
    for (const dialect of DIALECTS) {
      // The same spans twice, as JSON and as gzipped protobuf: applied once.
      const json = await fetch(stack.url('ingestion', '/v1/traces'), {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS[dialect]}`, 'content-type': 'application/json' },
        body: fixture(`${dialect}.json`),
      });
      expect(json.status).toBe(200);
      const protobuf = await fetch(stack.url('ingestion', '/v1/traces'), {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS[dialect]}`, 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
        body: gzipSync(fixture(`${dialect}.pb`)),
      });
      expect(protobuf.status).toBe(200);
    }
    const encoder = new TextEncoder();
    for (const name of ['equivalent-llm-call.json', 'equivalent-tool-call.json']) {
      const event = JSON.parse(fixture(name).toString('utf8')) as { type: string };
      stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.cloudevents.${event.type.replace('.', '_')}`, encoder.encode(JSON.stringify(event)));
    }
    await stack.bus.nc.flush();

    // (1834 − 1024 − 10)·0.15 + 1024·0.075 + 10·0.15 (no cache-write rate: input rate) + 240·0.60, per 1M tokens.
    const expected = new Decimal(800).times('0.15').plus(new Decimal(1024).times('0.075')).plus(new Decimal(10).times('0.15')).plus(new Decimal(240).times('0.60')).div(1_000_000);
    const summaries: Record<string, unknown> = {};
    for (const [tenant, key] of Object.entries(KEYS)) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const result = await stack.graphql<{ costSummary: { totalCost: string; toolCalls: number } }>(key, SUMMARY);
        summaries[tenant] = result.data?.costSummary;
        if ((result.data?.costSummary.totalCost === expected.toFixed() && result.data.costSummary.toolCalls === 1) || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const cloudEvent = {
      totalCost: '0.0003423',
      llmCalls: 1,
      toolCalls: 1,
      inputTokens: 1834,
      outputTokens: 240,
      cacheReadTokens: 1024,
      cacheWriteTokens: 10,
      reasoningTokens: 0,
      unpricedCalls: 1, // the tool call: no cost reported, no unit price set
    };
    expect(expected.toFixed()).toBe('0.0003423');
    expect(summaries).toEqual({ 'otel-genai': cloudEvent, openinference: cloudEvent, openllmetry: cloudEvent, cloudevents: cloudEvent });
  }, 90_000);
});
