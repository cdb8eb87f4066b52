import { readFileSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import { Stack } from './stack.js';

const sample = JSON.parse(readFileSync(new URL('../../samples/support-run.json', import.meta.url), 'utf8')) as Array<{
  type: string;
  data: Record<string, any>;
}>;
const prices = JSON.parse(readFileSync(new URL('../../samples/prices.json', import.meta.url), 'utf8')) as Array<Record<string, string>>;

const ADMIN = 'e2e-admin-key';
const VIEWER = 'e2e-viewer-key';
const OTHER_TENANT = 'e2e-other-key';

/** The expected total, computed here from what the test sends, by the contract's formula (not our code). */
function expectedCost() {
  const D = Decimal.clone({ precision: 60 });
  let total = new D(0);
  let retryCost = new D(0);
  let escalationCost = new D(0);
  for (const event of sample) {
    const data = event.data;
    let cost = new D(0);
    if (event.type === 'llm.call') {
      const price = prices.find((p) => p.model === data.model)!;
      const rate = (value: string | undefined, fallback: string) => new D(value ?? fallback).div(1_000_000);
      const u = data.usage;
      const cacheRead = u.cacheReadTokens ?? 0;
      const cacheWrite = u.cacheWriteTokens ?? 0;
      const reasoning = u.reasoningTokens ?? 0;
      cost = rate(price.inputPer1M, '0').times(u.inputTokens - cacheRead - cacheWrite)
        .plus(rate(price.cacheReadPer1M, price.inputPer1M).times(cacheRead))
        .plus(rate(price.cacheWritePer1M, price.inputPer1M).times(cacheWrite))
        .plus(rate(price.outputPer1M, '0').times(u.outputTokens - reasoning))
        .plus(rate(price.reasoningPer1M, price.outputPer1M).times(reasoning));
      if ((data.attempt ?? 1) > 1) retryCost = retryCost.plus(cost);
      if (data.escalatedFrom) escalationCost = escalationCost.plus(cost);
    } else if (event.type === 'tool.call' || event.type === 'saas.usage') {
      cost = new D(data.cost ?? '0');
    }
    total = total.plus(cost);
  }
  return { total: total.toFixed(), retryCost: retryCost.toFixed(), escalationCost: escalationCost.toFixed() };
}

const COST_SUMMARY = `query Summary($from: DateTime!, $to: DateTime!) {
  costSummary(from: $from, to: $to) { totalCost llmCalls toolCalls inputTokens outputTokens cacheReadTokens cacheWriteTokens
    reasoningTokens retries retryCost escalations escalationCost unpricedCalls } }`;
const SET_PRICE = `mutation Set($input: PriceInput!) { setPrice(input: $input) { provider model inputPer1M outputPer1M effectiveFrom } }`;
const WINDOW = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' };

describe('walking skeleton: an agent event flows to a GraphQL answer', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({
      services: ['ingestion', 'pricing', 'attribution', 'gateway'],
      apiKeys: `${ADMIN}=acme:admin,${VIEWER}=acme:viewer,${OTHER_TENANT}=globex:admin`,
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('prices the sample run exactly, for prices set with setPrice', async () => {
    for (const price of prices) {
      const result = await stack.graphql(ADMIN, SET_PRICE, { input: price });
      expect(result.errors).toBeUndefined();
    }
    const viewerAttempt = await stack.graphql(VIEWER, SET_PRICE, { input: prices[0] });
    expect(viewerAttempt.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // As an agent would: core NATS, one event per message, on finops.in.<tenant>.<type>.
    const encoder = new TextEncoder();
    for (const event of sample) {
      stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.${event.type.replace('.', '_')}`, encoder.encode(JSON.stringify(event)));
    }
    await stack.bus.nc.flush();

    const expected = expectedCost();
    const summary = await waitForTotal(stack, ADMIN, expected.total);
    expect(summary).toEqual({
      totalCost: '618.0604178',
      llmCalls: 3,
      toolCalls: 1,
      inputTokens: 33668,
      outputTokens: 1652,
      cacheReadTokens: 22048,
      cacheWriteTokens: 5000,
      reasoningTokens: 0,
      retries: 1,
      retryCost: expected.retryCost,
      escalations: 1,
      escalationCost: expected.escalationCost,
      unpricedCalls: 0,
    });
    expect(expected.total).toBe('618.0604178');

    // Another tenant sees nothing of it; no key sees nothing at all.
    const other = await stack.graphql<{ costSummary: { totalCost: string } }>(OTHER_TENANT, COST_SUMMARY, WINDOW);
    expect(other.data?.costSummary.totalCost).toBe('0');
    const anonymous = await stack.graphql(undefined, COST_SUMMARY, WINDOW);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 60_000);

  it('publishing the same run again changes nothing (dedupe by tenant, source and id)', async () => {
    const encoder = new TextEncoder();
    stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.batch`, encoder.encode(JSON.stringify(sample)));
    await stack.bus.nc.flush();
    // Wait until ingestion has taken the batch, then until nothing is in flight anywhere.
    await waitForQuiet(stack);
    const summary = await stack.graphql<{ costSummary: { totalCost: string; llmCalls: number } }>(ADMIN, COST_SUMMARY, WINDOW);
    expect(summary.data?.costSummary).toMatchObject({ totalCost: '618.0604178', llmCalls: 3 });
  });
});

async function waitForTotal(stack: Stack, key: string, total: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await stack.graphql<{ costSummary: Record<string, unknown> }>(key, COST_SUMMARY, WINDOW);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    if (result.data?.costSummary.totalCost === total || Date.now() > deadline) return result.data?.costSummary;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForQuiet(stack: Stack) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let busy = 0;
    for await (const stream of stack.bus.jsm.streams.list()) {
      if (!stream.config.name.startsWith(stack.bus.ns.streamPrefix)) continue;
      for await (const consumer of stack.bus.jsm.consumers.list(stream.config.name)) busy += consumer.num_pending + consumer.num_ack_pending;
    }
    if (busy === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
