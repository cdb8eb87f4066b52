import { Decimal } from 'decimal.js';
import pg from 'pg';
import { testDatabaseUrl } from '@agentledger/testing';
import { Stack } from './stack.js';

const ADMIN = 'crash-admin-key';
const EVENTS = 20_000;
const BATCH = 100;

const NOW = Date.now();
const DAY_MS = 86_400_000;
const SUMMARY = `query { costSummary(from: "${new Date(NOW - 30 * DAY_MS).toISOString()}", to: "${new Date(NOW + DAY_MS).toISOString()}") {
  totalCost llmCalls inputTokens } }`;

/** Event n: a priced llm.call with its own token counts, spread over the last three weeks by event time. */
function event(n: number) {
  return {
    specversion: '1.0',
    id: `crash-${n}`,
    source: 'agent://load',
    type: 'llm.call',
    time: new Date(NOW - 60_000 - (n % 997) * 30 * 60_000).toISOString(),
    data: { agentId: `agent-${n % 7}`, provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000 + (n % 997), outputTokens: 10 + (n % 89) } },
  };
}

describe('a service killed mid-batch and restarted loses nothing', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ services: ['ingestion', 'pricing', 'attribution', 'gateway'], apiKeys: `${ADMIN}=acme:admin` });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('kills pricing and attribution with SIGKILL while events flow; totals come out exact', async () => {
    const price = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.15', outputPer1M: '0.60', effectiveFrom: '2026-01-01T00:00:00Z' };
    const set = await stack.graphql(ADMIN, `mutation($input: PriceInput!) { setPrice(input: $input) { model } }`, { input: price });
    expect(set.errors).toBeUndefined();

    let expected = new Decimal(0);
    let inputTokens = 0;
    const encoder = new TextEncoder();
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, i) => event(start + i));
      for (const e of batch) {
        expected = expected.plus(new Decimal(e.data.usage.inputTokens).times('0.15').plus(new Decimal(e.data.usage.outputTokens).times('0.60')).div(1_000_000));
        inputTokens += e.data.usage.inputTokens;
      }
      await stack.bus.publisher.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.batch`, encoder.encode(JSON.stringify(batch)));
    }

    // Wait until attribution is part-way through, then kill both downstream services mid-batch.
    const db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    const applied = async () => Number((await db.query(`SELECT count(*) FROM "${stack.schemaOf('attribution')}".cost_entry`)).rows[0].count);
    const deadline = Date.now() + 60_000;
    while ((await applied()) < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const atKill = await applied();
    await Promise.all([stack.kill('pricing'), stack.kill('attribution')]);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(EVENTS);

    await Promise.all([stack.startService('pricing'), stack.startService('attribution')]);
    const finalDeadline = Date.now() + 90_000;
    let summary: { totalCost: string; llmCalls: number; inputTokens: number } | undefined;
    while (Date.now() < finalDeadline) {
      const result = await stack.graphql<{ costSummary: typeof summary }>(ADMIN, SUMMARY);
      summary = result.data?.costSummary;
      if (summary?.llmCalls === EVENTS) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await db.end();
    expect(summary).toEqual({ totalCost: expected.toFixed(), llmCalls: EVENTS, inputTokens });
  }, 240_000);
});
