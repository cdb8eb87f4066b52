import { Decimal } from 'decimal.js';
import { eventually } from '@agentledger/testing';
import { Stack } from './stack.js';

// A budget set over GraphQL holds the spend of events published over NATS, in its own time zone,
// events that arrived before it existed included; bad input names the field; viewers cannot set one.

const KEYS = { admin: 'budget-admin', viewer: 'budget-viewer', other: 'budget-other' };
const PRICE = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.15', outputPer1M: '0.60', effectiveFrom: '2026-01-01T00:00:00Z' };
const SET_PRICE = 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }';
const BUDGET_FIELDS = 'id name scope scopeId period limit thresholds enforcement timeZone periodStart periodEnd spent reserved remaining status forecast projectedBreachAt';
const SET_BUDGET = `mutation($input: BudgetInput!) { setBudget(input: $input) { ${BUDGET_FIELDS} } }`;

/** Calls a second ago (inside the current month in any zone but for a second after it turns), 1000 + n input tokens, 100 output. */
const now = Date.now();
const calls = Array.from({ length: 20 }, (_, n) => ({
  specversion: '1.0',
  id: `budget-call-${n}`,
  source: 'agent://support-bot',
  type: 'llm.call',
  time: new Date(now - 1_000).toISOString(),
  data: { agentId: 'support-bot', team: n % 4 === 0 ? 'sales' : 'support', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000 + n, outputTokens: 100 } },
}));
const costOf = (n: number) => new Decimal(1000 + n).times('0.15').plus(new Decimal(100).times('0.60')).div(1_000_000);
const supportSpend = calls.reduce((total, call, n) => (call.data.team === 'support' ? total.plus(costOf(n)) : total), new Decimal(0));

describe('budgets over GraphQL', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({
      services: ['ingestion', 'pricing', 'budgeting', 'inventory', 'gateway'],
      apiKeys: `${KEYS.admin}=acme:admin,${KEYS.viewer}=acme:viewer,${KEYS.other}=globex:admin`,
    });
    expect((await stack.graphql(KEYS.admin, SET_PRICE, { input: PRICE })).errors).toBeUndefined();
    const encoder = new TextEncoder();
    for (const call of calls) stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.llm_call`, encoder.encode(JSON.stringify(call)));
    await stack.bus.nc.flush();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('sets a monthly team budget that holds the spend of events published before it, exactly', async () => {
    const input = { name: 'Support monthly', scope: 'TEAM', scopeId: 'support', period: 'MONTH', limit: '10', timeZone: 'Asia/Kolkata', enforcement: 'BLOCK' };
    const set = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input });
    expect(set.errors).toBeUndefined();
    const id = set.data.setBudget.id as string;
    expect(set.data.setBudget).toMatchObject({ name: 'Support monthly', scope: 'TEAM', scopeId: 'support', period: 'MONTH', limit: '10', thresholds: [50, 80, 100], enforcement: 'BLOCK', timeZone: 'Asia/Kolkata', reserved: '0' });
    // A month in Kolkata (+05:30) starts at 18:30 UTC on the last day of the month before.
    expect(set.data.setBudget.periodStart).toMatch(/T18:30:00\.000Z$/);

    const budget = await eventually(async () => {
      const answer = await stack.graphql<any>(KEYS.viewer, `query($id: ID!) { budget(id: $id) { ${BUDGET_FIELDS} } }`, { id });
      return answer.data?.budget?.spent === supportSpend.toFixed() ? answer.data.budget : undefined;
    }, 60_000, 'the support team’s spend');
    expect(budget).toMatchObject({ id, spent: supportSpend.toFixed(), remaining: new Decimal(10).minus(supportSpend).toFixed(), status: 'OK' });
    expect((await stack.graphql<any>(KEYS.viewer, `{ budgets { id spent } }`)).data.budgets).toEqual([{ id, spent: supportSpend.toFixed() }]);
    expect((await stack.graphql<any>(KEYS.other, `{ budgets { id } }`)).data.budgets).toEqual([]);

    // A limit at exactly the spend is EXCEEDED (≥, not >).
    const exact = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { ...input, id, limit: supportSpend.toFixed() } });
    expect(exact.data.setBudget).toMatchObject({ id, status: 'EXCEEDED', remaining: '0' });

    // Set past every threshold: 50, 80 and 100 % are raised at once, each once, listed and published.
    const window = { from: new Date(now - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
    const ALERTS = 'query($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { id kind budgetId threshold spent limit periodStart message at } }';
    const listed = await eventually(async () => {
      const answer = await stack.graphql<any>(KEYS.viewer, ALERTS, window);
      const all = (answer.data?.alerts ?? []) as any[];
      return all.filter((alert) => alert.kind !== 'AGENT_DISCOVERED').length === 3 && all.some((alert) => alert.kind === 'AGENT_DISCOVERED') ? all : undefined;
    }, 30_000, 'three budget alerts and the discovery of the unregistered agent');
    // Nobody registered support-bot: the inventory noticed it once, at its first event, among the budget's alerts.
    expect(listed.filter((alert: any) => alert.kind === 'AGENT_DISCOVERED').map((alert: any) => [alert.id, alert.budgetId, alert.at])).toEqual([['agent-discovered:support-bot', null, calls[0]!.time]]);
    const alerts = listed.filter((alert: any) => alert.kind !== 'AGENT_DISCOVERED');
    expect(alerts.map((alert: any) => [alert.kind, alert.budgetId, alert.threshold, alert.spent])).toEqual([
      ['BUDGET_THRESHOLD', id, 50, supportSpend.toFixed()],
      ['BUDGET_THRESHOLD', id, 80, supportSpend.toFixed()],
      ['BUDGET_EXCEEDED', id, 100, supportSpend.toFixed()],
    ]);
    expect((await stack.graphql<any>(KEYS.other, ALERTS, window)).data.alerts).toEqual([]);
    const stream = `${stack.bus.ns.streamPrefix}FINOPS_ALERTS`;
    await eventually(async () => (await stack.bus.jsm.streams.info(stream)).state.messages === 4, 30_000, 'four alerts on FINOPS_ALERTS');
    const published = await Promise.all([1, 2, 3, 4].map((seq) => stack.bus.jsm.streams.getMessage(stream, { seq })));
    const first = published.find((message) => JSON.parse(new TextDecoder().decode(message!.data)).id === alerts[0].id);
    expect(first?.subject).toBe(`${stack.bus.ns.subjectPrefix}finops.alerts.acme`);
    expect(JSON.parse(new TextDecoder().decode(first!.data))).toMatchObject({ specversion: '1.0', type: 'alert.raised', id: alerts[0].id, data: alerts[0] });
  });

  it('names the field of bad input, keeps viewers from changing budgets, deletes once', async () => {
    const bad = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { scope: 'TEAM', period: 'DAY', limit: '5' } });
    expect(bad.errors?.[0]).toMatchObject({ message: 'scopeId: required for a TEAM budget', extensions: { code: 'BAD_USER_INPUT' } });
    const zone = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { scope: 'TENANT', period: 'DAY', limit: '5', timeZone: '+05:30' } });
    expect(zone.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(zone.errors?.[0]?.message).toMatch(/^timeZone: /);
    const viewer = await stack.graphql<any>(KEYS.viewer, SET_BUDGET, { input: { scope: 'TENANT', period: 'DAY', limit: '5' } });
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const tenantBudget = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { scope: 'TENANT', period: 'DAY', limit: '5' } });
    const id = tenantBudget.data.setBudget.id as string;
    const remove = `mutation($id: ID!) { deleteBudget(id: $id) }`;
    expect((await stack.graphql<any>(KEYS.other, remove, { id })).data).toEqual({ deleteBudget: false });
    expect((await stack.graphql<any>(KEYS.admin, remove, { id })).data).toEqual({ deleteBudget: true });
    expect((await stack.graphql<any>(KEYS.admin, remove, { id })).data).toEqual({ deleteBudget: false });
    const replaced = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { id, scope: 'TENANT', period: 'DAY', limit: '5' } });
    expect(replaced.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});
