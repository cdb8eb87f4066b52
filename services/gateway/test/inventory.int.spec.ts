import { agentActivityQuery, agentOverlapsQuery, agentQuery, agentsQuery, alertsQuery, inventoryAlertsQuery, registerAgentCommand, type AgentActivityView, type AgentView, type AlertView, type ArgsOf, type Contract, type ResultOf } from '@agentledger/contracts';
import { QueryError, QueryServer, startService, type QueryRequest, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../src/gateway.service.js';

// The inventory and governance views of the real gateway on the real NATS. The inventory,
// attribution and budgeting it asks are fakes at our own port: QueryServers answering on the query bus.

const KEYS = { admin: 'inventory-admin-1d7e', viewer: 'inventory-viewer-93a0' };
const WINDOW = { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' };
const WINDOW_ISO = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-31T00:00:00.000Z' };

const agentOf = (id: string, overrides: Partial<AgentView> = {}): AgentView => ({
  id,
  name: `Agent ${id}`,
  team: 'support',
  owner: 'ana@example.com',
  platform: 'internal',
  vendor: null,
  lifecycle: 'production',
  description: null,
  workflows: ['resolve-ticket'],
  registered: true,
  status: 'ACTIVE',
  firstSeen: '2026-10-02T08:00:00.000Z',
  lastSeen: '2026-10-30T08:00:00.000Z',
  models: ['gpt-4o-mini'],
  tools: [],
  retiredAt: null,
  activeAfterRetirement: false,
  ...overrides,
});

// 24 ordinary agents and four that governance should point at.
const FLEET: AgentView[] = [
  ...Array.from({ length: 24 }, (_, n) => agentOf(`bot-${String(n).padStart(2, '0')}`)),
  agentOf('shadow-gpt', { name: null, owner: null, team: 'marketing', registered: false, lifecycle: null, workflows: ['write-copy'] }),
  agentOf('zendesk-ai', { platform: 'saas', vendor: 'zendesk', status: 'IDLE', lastSeen: '2026-10-10T00:00:00.000Z', models: [] }),
  agentOf('old-router', { owner: null, lifecycle: 'retired', status: 'RETIRED', retiredAt: '2026-10-05T00:00:00.000Z', activeAfterRetirement: true }),
  agentOf('beta-summarizer', { lifecycle: 'experiment', team: 'legal' }),
];

/** Each agent's activity: a cost with more digits than a float holds, in production, and the experiment's in staging too. */
function activityOf(agentId: string): AgentActivityView {
  const n = FLEET.findIndex((agent) => agent.id === agentId);
  if (n === -1) return { agentId, totalCost: '0', llmCalls: 0, toolCalls: 0, successfulOutcomes: '0', evaluations: 0, passedEvaluations: 0, byEnvironment: [] };
  const cost = `${n}.10000000000000000${n % 10}`;
  const environments = agentId === 'beta-summarizer' ? [{ environment: 'production', totalCost: cost, evaluations: 1, passedEvaluations: 1 }, { environment: 'staging', totalCost: '0.4', evaluations: 3, passedEvaluations: 0 }] : [{ environment: agentId === 'shadow-gpt' ? 'experiment' : 'production', totalCost: cost, evaluations: n % 2, passedEvaluations: 0 }];
  const total = environments.reduce((sum, e) => sum + e.evaluations, 0);
  return {
    agentId,
    totalCost: agentId === 'beta-summarizer' ? `${n}.50000000000000000${n % 10}` : cost,
    llmCalls: n,
    toolCalls: 1,
    successfulOutcomes: n % 3 === 0 ? '2' : '0.5',
    evaluations: total,
    passedEvaluations: environments.reduce((sum, e) => sum + e.passedEvaluations, 0),
    byEnvironment: environments,
  };
}

const cost = (id: string) => activityOf(id).totalCost;
const alert = (id: string, kind: string, at: string, agentId: string | null = null): AlertView => ({ id, kind, budgetId: kind.startsWith('BUDGET') ? 'b-1' : null, threshold: kind === 'BUDGET_THRESHOLD' ? 80 : null, agentId, spent: null, limit: null, periodStart: null, message: `${kind} ${id}`, at });

describe('gateway: inventory and governance over the query bus', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  const fakes: QueryServer[] = [];
  const asked: Record<string, QueryRequest[]> = {};
  const count = (name: string) => asked[name]?.length ?? 0;

  const fake = <C extends Contract>(contract: C, answer: (request: QueryRequest<ArgsOf<C>>) => unknown) => {
    fakes.push(
      new QueryServer(bus.nc, bus.ns, contract.service).handle(contract, async (request) => {
        (asked[`${contract.service}.${contract.name}`] ??= []).push(request);
        return answer(request) as ResultOf<C>;
      }),
    );
  };

  async function graphql(query: string, key: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string } }> };
  }

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEYS.admin}=acme:admin,${KEYS.viewer}=acme:viewer`, LOG_LEVEL: 'warn' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: () => undefined });
    fake(agentsQuery, (request) => {
      const filter = request.args.filter ?? {};
      return FLEET.filter((agent) => (filter.status ? agent.status === filter.status : true) && (filter.registered === undefined || filter.registered === null || agent.registered === filter.registered));
    });
    fake(agentQuery, (request) => FLEET.find((agent) => agent.id === request.args.id) ?? null);
    fake(agentOverlapsQuery, () => [{ workflow: 'resolve-ticket', agents: ['bot-00', 'zendesk-ai'], teams: ['support'] }]);
    fake(registerAgentCommand, (request) => {
      if (request.args.platform && !['internal', 'saas'].includes(request.args.platform)) throw new QueryError('BAD_USER_INPUT', 'platform: must be internal or saas');
      return agentOf(request.args.id, { name: request.args.name ?? null, owner: request.args.owner ?? null, status: 'IDLE', firstSeen: null, lastSeen: null, models: [] });
    });
    fake(agentActivityQuery, (request) => (request.args.agentIds ?? FLEET.map((agent) => agent.id)).map(activityOf));
    fake(alertsQuery, () => [alert('b-1', 'BUDGET_THRESHOLD', '2026-10-05T10:00:00.000Z'), alert('b-2', 'BUDGET_EXCEEDED', '2026-10-06T10:00:00.000Z')]);
    fake(inventoryAlertsQuery, () => [alert('i-1', 'AGENT_DISCOVERED', '2026-10-05T09:00:00.000Z', 'shadow-gpt'), alert('i-2', 'AGENT_DISCOVERED', '2026-10-05T10:00:00.000Z', 'zendesk-ai')]);
    await bus.nc.flush();
  });

  afterAll(async () => {
    for (const server of fakes) await server.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  it('passes the filter to the inventory as written and returns every part-D field', async () => {
    const fields = 'id name team owner platform vendor lifecycle description workflows registered status firstSeen lastSeen models tools retiredAt activeAfterRetirement';
    const response = await graphql(`{ agents(filter: { status: IDLE, platform: "saas", registered: true }) { ${fields} } }`, KEYS.viewer);
    expect(response).toEqual({ data: { agents: [FLEET.find((agent) => agent.id === 'zendesk-ai')] } });
    expect(asked['inventory.agents']?.at(-1)).toMatchObject({ tenant: 'acme', args: { filter: { status: 'IDLE', platform: 'saas', registered: true } } });
    // No filter at all: the inventory is asked with none.
    expect((await graphql('{ agents { id } }', KEYS.viewer)).data.agents).toHaveLength(FLEET.length);
    expect(asked['inventory.agents']?.at(-1)?.args).toEqual({ filter: null });
    const badStatus = await graphql('{ agents(filter: { status: DORMANT }) { id } }', KEYS.viewer);
    expect(badStatus.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('answers one agent, null for an unknown one, and the overlaps', async () => {
    expect((await graphql('{ agent(id: "shadow-gpt") { id registered owner workflows } }', KEYS.viewer)).data).toEqual({ agent: { id: 'shadow-gpt', registered: false, owner: null, workflows: ['write-copy'] } });
    expect((await graphql('{ agent(id: "nobody") { id } }', KEYS.viewer)).data).toEqual({ agent: null });
    expect((await graphql('{ agentOverlaps { workflow agents teams } }', KEYS.viewer)).data).toEqual({ agentOverlaps: [{ workflow: 'resolve-ticket', agents: ['bot-00', 'zendesk-ai'], teams: ['support'] }] });
  });

  it('asks attribution once for the cost, calls and successes of every agent in the list, per window', async () => {
    const before = count('attribution.agentActivity');
    const query = `query($from: DateTime!, $to: DateTime!) { agents { id cost(from: $from, to: $to) calls(from: $from, to: $to) successfulOutcomes(from: $from, to: $to)
      lastDay: cost(from: "2026-10-30T00:00:00Z", to: "2026-10-31T00:00:00Z") } }`;
    const response = await graphql(query, KEYS.viewer, WINDOW);
    expect(response.errors).toBeUndefined();
    const rows = response.data.agents as Array<{ id: string; cost: string; calls: number; successfulOutcomes: string; lastDay: string }>;
    expect(rows).toHaveLength(FLEET.length);
    for (const row of rows) {
      const expected = activityOf(row.id);
      expect(row).toEqual({ id: row.id, cost: expected.totalCost, calls: expected.llmCalls + expected.toolCalls, successfulOutcomes: expected.successfulOutcomes, lastDay: expected.totalCost });
    }
    // One question per window, whatever the number of agents and fields.
    const calls = asked['attribution.agentActivity']!.slice(before) as Array<QueryRequest<ArgsOf<typeof agentActivityQuery>>>;
    expect(calls.map((request) => [request.args.from, request.args.to, request.args.agentIds?.length]).sort()).toEqual([
      [WINDOW_ISO.from, WINDOW_ISO.to, FLEET.length],
      ['2026-10-30T00:00:00.000Z', '2026-10-31T00:00:00.000Z', FLEET.length],
    ]);
    expect(calls[0]!.args.agentIds).toEqual(expect.arrayContaining(FLEET.map((agent) => agent.id)));
    const empty = await graphql('{ agent(id: "bot-01") { cost(from: "2026-10-02T00:00:00Z", to: "2026-10-01T00:00:00Z") } }', KEYS.viewer);
    expect(empty.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['BAD_USER_INPUT', ['agent', 'cost']]]);
  });

  it('summarises governance with exact totals, in one attribution question shared with the agents’ own cost fields', async () => {
    const before = count('attribution.agentActivity');
    const group = `count totalCost agents { id cost(from: $from, to: $to) }`;
    const response = await graphql(`query($from: DateTime!, $to: DateTime!) { governance(from: $from, to: $to) { from to unregistered { ${group} } unowned { ${group} } idleWithCost { ${group} } retiredStillSending { ${group} } } }`, KEYS.viewer, WINDOW);
    expect(response.errors).toBeUndefined();
    expect(response.data.governance).toEqual({
      ...WINDOW_ISO,
      unregistered: { count: 1, totalCost: cost('shadow-gpt'), agents: [{ id: 'shadow-gpt', cost: cost('shadow-gpt') }] },
      unowned: { count: 2, totalCost: '50.20000000000000001', agents: [{ id: 'old-router', cost: cost('old-router') }, { id: 'shadow-gpt', cost: cost('shadow-gpt') }] },
      idleWithCost: { count: 1, totalCost: cost('zendesk-ai'), agents: [{ id: 'zendesk-ai', cost: cost('zendesk-ai') }] },
      retiredStillSending: { count: 1, totalCost: cost('old-router'), agents: [{ id: 'old-router', cost: cost('old-router') }] },
    });
    expect(count('attribution.agentActivity') - before).toBe(1);
  });

  it('answers lifecycle economics by registered lifecycle, else environment, adding up to every cost', async () => {
    const response = await graphql('query($from: DateTime!, $to: DateTime!) { lifecycleEconomics(from: $from, to: $to) { stage agents totalCost evaluations passedEvaluations costPerEvaluation costPerPassingEvaluation } }', KEYS.viewer, WINDOW);
    expect(response.errors).toBeUndefined();
    const stages = response.data.lifecycleEconomics as Array<{ stage: string; totalCost: string }>;
    expect(stages.map((stage) => stage.stage)).toEqual(['experiment', 'staging', 'production', 'retired']);
    // beta-summarizer (registered experiment) counts wholly in experiment, its staging events too; shadow-gpt by its events' environment.
    expect(stages[0]).toEqual({ stage: 'experiment', agents: 2, totalCost: '51.600000000000000011', evaluations: 4, passedEvaluations: 1, costPerEvaluation: '12.900000000000000003', costPerPassingEvaluation: '51.600000000000000011' });
    expect(stages[1]).toEqual({ stage: 'staging', agents: 0, totalCost: '0', evaluations: 0, passedEvaluations: 0, costPerEvaluation: null, costPerPassingEvaluation: null });
    expect(stages[3]).toMatchObject({ stage: 'retired', agents: 1, totalCost: cost('old-router') });
    const all = FLEET.flatMap((agent) => activityOf(agent.id).byEnvironment.map((e) => e.totalCost));
    expect(sumExact(stages.map((stage) => stage.totalCost))).toBe(sumExact(all));
    expect(asked['attribution.agentActivity']?.at(-1)?.args).toEqual({ ...WINDOW_ISO, agentIds: undefined });
  });

  it('lists the inventory’s AGENT_DISCOVERED alerts with budgeting’s, by when they were raised', async () => {
    const response = await graphql('query($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { id kind agentId at } }', KEYS.viewer, WINDOW);
    expect(response.data.alerts).toEqual([
      { id: 'i-1', kind: 'AGENT_DISCOVERED', agentId: 'shadow-gpt', at: '2026-10-05T09:00:00.000Z' },
      { id: 'b-1', kind: 'BUDGET_THRESHOLD', agentId: null, at: '2026-10-05T10:00:00.000Z' },
      { id: 'i-2', kind: 'AGENT_DISCOVERED', agentId: 'zendesk-ai', at: '2026-10-05T10:00:00.000Z' },
      { id: 'b-2', kind: 'BUDGET_EXCEEDED', agentId: null, at: '2026-10-06T10:00:00.000Z' },
    ]);
    expect(asked['inventory.alerts']?.at(-1)?.args).toEqual(WINDOW_ISO);
    expect(asked['budgeting.alerts']?.at(-1)?.args).toEqual(WINDOW_ISO);
  });

  it('registers an agent for an admin; a viewer gets FORBIDDEN and the inventory is never asked; bad input is BAD_USER_INPUT', async () => {
    const REGISTER = 'mutation($input: AgentInput!) { registerAgent(input: $input) { id name owner registered status } }';
    const input = { id: 'new-bot', name: 'New bot', owner: 'li@example.com', workflows: ['triage'], lifecycle: 'staging' };
    const refused = await graphql(REGISTER, KEYS.viewer, { input });
    expect(refused).toEqual({ data: null, errors: [expect.objectContaining({ message: 'This operation needs an admin API key', path: ['registerAgent'], extensions: { code: 'FORBIDDEN' } })] });
    expect(count('inventory.registerAgent')).toBe(0);
    const registered = await graphql(REGISTER, KEYS.admin, { input });
    expect(registered).toEqual({ data: { registerAgent: { id: 'new-bot', name: 'New bot', owner: 'li@example.com', registered: true, status: 'IDLE' } } });
    // Fields left out stay out: a registration overrides only what it gives.
    expect(asked['inventory.registerAgent']).toEqual([expect.objectContaining({ tenant: 'acme', args: input })]);
    const badPlatform = await graphql(REGISTER, KEYS.admin, { input: { id: 'x', platform: 'cloud' } });
    expect(badPlatform.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['platform: must be internal or saas', 'BAD_USER_INPUT']]);
    const emptyId = await graphql(REGISTER, KEYS.admin, { input: { id: '' } });
    expect(emptyId.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['id: must be at least 1 characters', 'BAD_USER_INPUT']]);
    expect(count('inventory.registerAgent')).toBe(2);
  });
});

function sumExact(values: string[]): string {
  // Integer arithmetic on the digits: the test does not lean on the code under test.
  const scale = 18;
  const units = values.reduce((total, value) => {
    const [whole, fraction = ''] = value.split('.');
    return total + BigInt(whole!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0'));
  }, 0n);
  const text = units.toString().padStart(scale + 1, '0');
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`.replace(/\.?0+$/, '');
}
