import { eventually } from '@agentledger/testing';
import { QUESTIONS } from './finops-questions.js';
import { costOf, DAY, exact, fleetScenario, PRICES, sum } from './fleet-scenario.js';
import { Stack } from './stack.js';

// Two tenants, two keys each side: tenant A runs the whole fleet, tenant B one call of its own
// at its own price. Nothing of one shows in any answer to the other; a viewer cannot mutate.

const KEYS = { adminA: 'iso-admin-a', viewerA: 'iso-viewer-a', adminB: 'iso-admin-b' };
const fleetA = fleetScenario('isoA');
const B_PRICE = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '7', outputPer1M: '11', effectiveFrom: '2026-01-01T00:00:00Z' };
const callB = {
  specversion: '1.0',
  id: 'isoB-1',
  source: 'agent://b-only-agent',
  type: 'llm.call',
  time: '2026-10-05T12:00:00Z',
  data: { agentId: 'b-only-agent', team: 'b-team', workflow: 'b-flow', traceId: 'isoB-t1', spanId: 'B-S1', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000, outputTokens: 1000 }, status: 'ok', attempt: 1 },
};
const costB = '0.018'; // 1000 × 7/1M + 1000 × 11/1M, at B's own price
const SET_PRICE = 'mutation($input: PriceInput!) { setPrice(input: $input) { model inputPer1M } }';

describe('tenant isolation', () => {
  let stack: Stack;
  const ask = async (key: string, query: string, variables: Record<string, unknown> = DAY) => {
    const result = await stack.graphql<any>(key, query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };

  beforeAll(async () => {
    stack = await Stack.start({
      services: ['ingestion', 'pricing', 'attribution', 'inventory', 'gateway'],
      apiKeys: `${KEYS.adminA}=tenantA:admin,${KEYS.viewerA}=tenantA:viewer,${KEYS.adminB}=tenantB:admin`,
    });
    for (const input of PRICES) expect((await stack.graphql(KEYS.adminA, SET_PRICE, { input })).errors).toBeUndefined();
    expect((await stack.graphql(KEYS.adminB, SET_PRICE, { input: B_PRICE })).errors).toBeUndefined();
    const encoder = new TextEncoder();
    const prefix = stack.bus.ns.subjectPrefix;
    for (const event of fleetA) stack.bus.nc.publish(`${prefix}finops.in.tenantA.${event.type.replace('.', '_')}`, encoder.encode(JSON.stringify(event)));
    stack.bus.nc.publish(`${prefix}finops.in.tenantB.llm_call`, encoder.encode(JSON.stringify(callB)));
    await stack.bus.nc.flush();
    const totalA = sum(fleetA.map(costOf)).toFixed();
    await eventually(async () => exact((await ask(KEYS.viewerA, QUESTIONS.spend)).costSummary.totalCost) === totalA, 60_000, "tenant A's costs");
    await eventually(async () => exact((await ask(KEYS.adminB, QUESTIONS.spend)).costSummary.totalCost) === costB, 60_000, "tenant B's cost");
    await eventually(async () => (await ask(KEYS.viewerA, QUESTIONS.oneRun, { traceId: 'isoA-tC' })).run?.status === 'failed', 30_000, "A's runs");
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("prices each tenant's calls at its own prices only", async () => {
    const a = (await ask(KEYS.viewerA, QUESTIONS.spend)).costSummary;
    const b = (await ask(KEYS.adminB, QUESTIONS.spend)).costSummary;
    expect([exact(a.totalCost), a.llmCalls]).toEqual([sum(fleetA.map(costOf)).toFixed(), 5]);
    expect([exact(b.totalCost), b.llmCalls, b.toolCalls, b.retries, b.escalations]).toEqual([costB, 1, 0, 0, 0]);
  });

  it("shows B nothing of A, in every list and every group", async () => {
    const keysOf = (rows: any[], field: string) => rows.map((row) => row[field]).sort();
    expect(keysOf((await ask(KEYS.adminB, QUESTIONS.spendByTeam)).costBreakdown, 'key')).toEqual(['b-team']);
    expect((await ask(KEYS.adminB, QUESTIONS.spendTrend)).spendOverTime.map((p: any) => exact(p.totalCost))).toEqual([costB]);
    expect(keysOf((await ask(KEYS.adminB, QUESTIONS.activeAgents)).activeAgents, 'agentId')).toEqual(['b-only-agent']);
    expect((await ask(KEYS.adminB, QUESTIONS.valueByWorkflow)).outcomeEconomics).toEqual([]);
    const ops = await ask(KEYS.adminB, QUESTIONS.retriesAndEscalations);
    expect([ops.operationalSummary.calls, ops.operationalSummary.retries, ops.routingDecisions]).toEqual([1, 0, []]);
    expect(keysOf((await ask(KEYS.adminB, QUESTIONS.waste)).waste, 'key').filter((key: string) => key !== 'b-only-agent')).toEqual([]);
    expect(keysOf((await ask(KEYS.adminB, QUESTIONS.disproportionateAgents)).agentEfficiency, 'agentId')).toEqual(['b-only-agent']);
    expect((await ask(KEYS.adminB, QUESTIONS.qualityPerDollar)).evaluationSummary).toEqual([]);
    expect((await ask(KEYS.adminB, QUESTIONS.oneRun, { traceId: 'isoA-tA' })).run).toBeNull();
    const runsB = await ask(KEYS.adminB, '{ runs(from: "2026-10-05T00:00:00Z", to: "2026-10-06T00:00:00Z") { nodes { traceId } pageInfo { hasNextPage } } }');
    expect(runsB.runs.nodes.map((run: any) => run.traceId).filter((id: string) => id.startsWith('isoA'))).toEqual([]);
    const agentsB = (await ask(KEYS.adminB, '{ agents { id } }')).agents.map((agent: any) => agent.id);
    expect(agentsB.filter((id: string) => id !== 'b-only-agent')).toEqual([]);
  });

  it("shows A nothing of B", async () => {
    const agentsA = (await ask(KEYS.viewerA, '{ agents { id } }')).agents.map((agent: any) => agent.id);
    expect(agentsA).not.toContain('b-only-agent');
    expect((await ask(KEYS.viewerA, QUESTIONS.oneRun, { traceId: 'isoB-t1' })).run).toBeNull();
    expect((await ask(KEYS.viewerA, QUESTIONS.spendByTeam)).costBreakdown.map((g: any) => g.key)).not.toContain('b-team');
  });

  it('refuses a mutation to a viewer key, and the price stays as the admin set it', async () => {
    const attempt = await stack.graphql(KEYS.viewerA, SET_PRICE, { input: { ...PRICES[0], inputPer1M: '0' } });
    expect(attempt.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const a = (await ask(KEYS.viewerA, QUESTIONS.spend)).costSummary;
    expect(exact(a.totalCost)).toBe(sum(fleetA.map(costOf)).toFixed());
  });
});
