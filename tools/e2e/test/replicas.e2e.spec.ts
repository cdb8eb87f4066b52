import { Decimal } from 'decimal.js';
import { eventually } from '@agentledger/testing';
import { Stack, type ServiceName } from './stack.js';

// Scaling out: a second process of every consumer on the same durables and schemas. Each event is
// applied once whichever replica pulls it, so the totals are exact to the last decimal, as with one.

const ADMIN = 'replicas-admin';
const PRICE = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.15', outputPer1M: '0.60', effectiveFrom: '2026-01-01T00:00:00Z' };
const CONSUMING: readonly ServiceName[] = ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory'];
const EVENTS = 6_000;
const BATCH = 50;
const NOW = Date.now();
const WINDOW = { from: new Date(NOW - 3 * 86_400_000).toISOString(), to: new Date(NOW + 86_400_000).toISOString() };

function event(n: number) {
  return {
    specversion: '1.0',
    id: `replica-${n}`,
    source: 'agent://fleet',
    type: 'llm.call',
    // The last two days, so a budget's MONTH may not hold them all: it is compared with its own period.
    time: new Date(NOW - 60_000 - (n % 2_880) * 60_000).toISOString(),
    data: { agentId: `agent-${n % 13}`, team: n % 2 ? 'support' : 'sales', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 500 + (n % 1_000), outputTokens: 20 + (n % 300) } },
  };
}
const costOf = (e: ReturnType<typeof event>) => new Decimal(e.data.usage.inputTokens).times(PRICE.inputPer1M).plus(new Decimal(e.data.usage.outputTokens).times(PRICE.outputPer1M)).div(1_000_000);

describe('two replicas of every consumer give the same exact totals as one', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ services: [...CONSUMING, 'gateway'], apiKeys: `${ADMIN}=acme:admin` });
    for (const service of CONSUMING) await stack.startReplica(service);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('every event counted once: calls, tokens, cost, each agent, the budget and the inventory', async () => {
    expect((await stack.graphql(ADMIN, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input: PRICE })).errors).toBeUndefined();
    const budget = await stack.graphql<{ setBudget: { id: string } }>(ADMIN, 'mutation($input: BudgetInput!) { setBudget(input: $input) { id } }', {
      input: { scope: 'TEAM', scopeId: 'support', period: 'MONTH', limit: '100000' },
    });
    expect(budget.errors).toBeUndefined();

    const events = Array.from({ length: EVENTS }, (_, n) => event(n));
    const encoder = new TextEncoder();
    for (let start = 0; start < EVENTS; start += BATCH) {
      await stack.bus.publisher.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.batch`, encoder.encode(JSON.stringify(events.slice(start, start + BATCH))));
    }
    // Half the events again, as an agent retrying after a lost ack would: counted once all the same.
    for (let start = 0; start < EVENTS / 2; start += BATCH) {
      await stack.bus.publisher.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.batch`, encoder.encode(JSON.stringify(events.slice(start, start + BATCH))));
    }

    const total = events.reduce((sum, e) => sum.plus(costOf(e)), new Decimal(0));
    const summary = await eventually(
      async () => {
        const answer = await stack.graphql<{ costSummary: { totalCost: string; llmCalls: number; inputTokens: number } }>(
          ADMIN,
          'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost llmCalls inputTokens } }',
          WINDOW,
        );
        const value = answer.data?.costSummary;
        return value && value.llmCalls >= EVENTS && new Decimal(value.totalCost).gte(total) ? value : undefined;
      },
      180_000,
      'every event priced and projected',
    );
    expect(summary).toEqual({ totalCost: total.toFixed(), llmCalls: EVENTS, inputTokens: events.reduce((sum, e) => sum + e.data.usage.inputTokens, 0) });

    const groups = await stack.graphql<{ costBreakdown: Array<{ key: string; totalCost: string; llmCalls: number }> }>(
      ADMIN,
      'query($from: DateTime!, $to: DateTime!) { costBreakdown(from: $from, to: $to, by: AGENT) { key totalCost llmCalls } }',
      WINDOW,
    );
    const byAgent = new Map<string, Decimal>();
    for (const e of events) byAgent.set(e.data.agentId, (byAgent.get(e.data.agentId) ?? new Decimal(0)).plus(costOf(e)));
    expect(new Map(groups.data!.costBreakdown.map((group) => [group.key, group.totalCost]))).toEqual(new Map([...byAgent].map(([agent, cost]) => [agent, cost.toFixed()])));

    const budgetView = await eventually(
      async () => {
        const answer = await stack.graphql<{ budget: { spent: string; periodStart: string; periodEnd: string } }>(ADMIN, 'query($id: ID!) { budget(id: $id) { spent periodStart periodEnd } }', {
          id: budget.data!.setBudget.id,
        });
        const view = answer.data!.budget;
        const expected = events
          .filter((e) => e.data.team === 'support' && Date.parse(e.time) >= Date.parse(view.periodStart) && Date.parse(e.time) < Date.parse(view.periodEnd))
          .reduce((sum, e) => sum.plus(costOf(e)), new Decimal(0));
        return new Decimal(view.spent).eq(expected) ? { spent: view.spent, expected: expected.toFixed() } : undefined;
      },
      60_000,
      "the team budget's spend",
    );
    expect(budgetView.spent).toBe(budgetView.expected);

    const agents = await eventually(
      async () => {
        const answer = await stack.graphql<{ agents: Array<{ id: string }> }>(ADMIN, '{ agents { id } }');
        return answer.data?.agents.length === 13 ? answer.data.agents : undefined;
      },
      60_000,
      'the inventory',
    );
    expect(agents.map((agent) => agent.id).sort()).toEqual(Array.from({ length: 13 }, (_, n) => `agent-${n}`).sort());
    const dead = await stack.graphql<{ deadLetters: unknown[] }>(ADMIN, 'query($from: DateTime!, $to: DateTime!) { deadLetters(from: $from, to: $to) { reason } }', WINDOW);
    expect(dead.data!.deadLetters).toEqual([]);
  }, 300_000);
});
