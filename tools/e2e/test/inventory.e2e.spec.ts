import { eventually } from '@agentledger/testing';
import { readFileSync } from 'node:fs';
import { costOf, dec, exact, PRICES, sum, type ScenarioEvent } from './fleet-scenario.js';
import { INVENTORY_QUESTIONS } from './finops-questions.js';
import { Stack } from './stack.js';

// The inventory and governance over real processes: a fleet with each kind of agent told in
// events over NATS (and one registered over GraphQL), then every part-D inventory field, the
// filters, the overlaps, the governance summary, lifecycle economics and the discovery alert
// asked over GraphQL. Every figure is computed here from the events sent.

const KEYS = { admin: 'inventory-e2e-admin', viewer: 'inventory-e2e-viewer' };
const HOUR = 3_600_000;
const DAY_MS = 24 * HOUR;
const NOW = Date.now();
const iso = (ago: number) => new Date(NOW - ago).toISOString();
const WINDOW = { from: iso(30 * DAY_MS), to: new Date(NOW + HOUR).toISOString() };
const AGENT_FIELDS = 'id name team owner platform vendor lifecycle description workflows registered status firstSeen lastSeen models tools retiredAt activeAfterRetirement';

let n = 0;
const event = (type: string, ago: number, data: Record<string, unknown>): ScenarioEvent => ({ specversion: '1.0', id: `inv-${++n}`, source: `agent://${String(data.agentId)}`, type, time: iso(ago), data });
const llm = (ago: number, agentId: string, common: Record<string, unknown>, model: string, inputTokens: number, outputTokens: number) =>
  event('llm.call', ago, { agentId, ...common, spanId: `s-${n + 1}`, provider: 'openai', model, usage: { inputTokens, outputTokens }, status: 'ok', attempt: 1 });

const RETIRED_AT = iso(5 * DAY_MS);
const REGISTRATIONS: ScenarioEvent[] = [
  event('agent.registered', 6 * DAY_MS, { agentId: 'support-bot', name: 'Support bot', team: 'support', owner: 'ana@example.com', platform: 'internal', lifecycle: 'production', workflows: ['resolve-ticket'], description: 'Answers tickets' }),
  event('agent.registered', 6 * DAY_MS, { agentId: 'it-bot', name: 'IT helpdesk', team: 'it', owner: 'raj@example.com', platform: 'internal', lifecycle: 'staging', workflows: ['resolve-ticket'] }),
  event('agent.registered', 40 * DAY_MS, { agentId: 'seat-bot', name: 'Forecast seat', team: 'finance', owner: 'fpa@example.com', platform: 'saas', vendor: 'anaplan', lifecycle: 'production' }),
  event('agent.registered', 20 * DAY_MS, { agentId: 'old-bot', name: 'Old triage', team: 'ops', platform: 'internal', lifecycle: 'production', workflows: ['triage'] }),
  // Retired later; it gives no owner, so the agent has none.
  event('agent.registered', 5 * DAY_MS, { agentId: 'old-bot', lifecycle: 'retired' }),
];
const ZENDESK = { id: 'zendesk-ai', name: 'Zendesk AI', team: 'support', owner: 'support-ops@example.com', platform: 'saas', vendor: 'zendesk', workflows: ['deflect-ticket'], lifecycle: 'production' };

const support = { team: 'support', workflow: 'resolve-ticket', traceId: 'inv-t1' };
const ACTIVITY: ScenarioEvent[] = [
  event('run.started', 2 * HOUR, { agentId: 'support-bot', ...support, spanId: 'r1' }),
  llm(2 * HOUR - 1000, 'support-bot', support, 'gpt-4o-mini', 2000, 300),
  event('tool.call', 2 * HOUR - 2000, { agentId: 'support-bot', ...support, spanId: 't1', tool: 'kb-search', cost: '0.0004', status: 'ok' }),
  event('evaluation.scored', 2 * HOUR - 3000, { agentId: 'support-bot', ...support, evaluator: 'judge', metric: 'faithfulness', score: 0.9, passed: true }),
  event('outcome.recorded', 2 * HOUR - 4000, { agentId: 'support-bot', ...support, outcome: 'ticket_resolved', success: true }),
  event('run.finished', 2 * HOUR - 5000, { agentId: 'support-bot', ...support, spanId: 'r1', status: 'succeeded' }),
  // IT automates the same workflow.
  llm(3 * HOUR, 'it-bot', { team: 'it', workflow: 'resolve-ticket', environment: 'production' }, 'gpt-4o', 1000, 100),
  // Nobody registered it; it runs in an experiment environment.
  llm(30 * 60_000, 'shadow-bot', { team: 'marketing', workflow: 'write-copy', environment: 'experiment' }, 'gpt-4o', 4000, 800),
  // A SaaS agent reporting usage.
  event('saas.usage', 4 * HOUR, { agentId: 'zendesk-ai', team: 'support', workflow: 'deflect-ticket', vendor: 'zendesk', product: 'resolutions', quantity: 3, unit: 'resolution', periodStart: iso(5 * HOUR), periodEnd: iso(4 * HOUR), cost: '4.50' }),
  // A seat billed ten days ago and idle since.
  event('saas.usage', 10 * DAY_MS, { agentId: 'seat-bot', team: 'finance', workflow: 'forecast', vendor: 'anaplan', product: 'seat', quantity: 1, unit: 'seat-month', periodStart: iso(40 * DAY_MS), periodEnd: iso(10 * DAY_MS), cost: '270.00' }),
  // Retired five days ago, still calling a model.
  llm(8 * DAY_MS, 'old-bot', { team: 'ops', workflow: 'triage' }, 'gpt-4o-mini', 500, 50),
  llm(HOUR, 'old-bot', { team: 'ops', workflow: 'triage' }, 'gpt-4o-mini', 700, 70),
];

const costOfAgent = (agentId: string) => sum(ACTIVITY.filter((e) => e.data.agentId === agentId).map(costOf));
const timesOf = (agentId: string) => ACTIVITY.filter((e) => e.data.agentId === agentId).map((e) => e.time).sort();

/** Every part-D field of each agent, as the contract derives it from what was sent. */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'support-bot': { name: 'Support bot', team: 'support', owner: 'ana@example.com', platform: 'internal', vendor: null, lifecycle: 'production', description: 'Answers tickets', workflows: ['resolve-ticket'], registered: true, status: 'ACTIVE', models: ['gpt-4o-mini'], tools: ['kb-search'], retiredAt: null, activeAfterRetirement: false },
  'it-bot': { name: 'IT helpdesk', team: 'it', owner: 'raj@example.com', platform: 'internal', vendor: null, lifecycle: 'staging', description: null, workflows: ['resolve-ticket'], registered: true, status: 'ACTIVE', models: ['gpt-4o'], tools: [], retiredAt: null, activeAfterRetirement: false },
  'shadow-bot': { name: null, team: 'marketing', owner: null, platform: 'internal', vendor: null, lifecycle: null, description: null, workflows: ['write-copy'], registered: false, status: 'ACTIVE', models: ['gpt-4o'], tools: [], retiredAt: null, activeAfterRetirement: false },
  'zendesk-ai': { name: 'Zendesk AI', team: 'support', owner: 'support-ops@example.com', platform: 'saas', vendor: 'zendesk', lifecycle: 'production', description: null, workflows: ['deflect-ticket'], registered: true, status: 'ACTIVE', models: [], tools: [], retiredAt: null, activeAfterRetirement: false },
  'seat-bot': { name: 'Forecast seat', team: 'finance', owner: 'fpa@example.com', platform: 'saas', vendor: 'anaplan', lifecycle: 'production', description: null, workflows: ['forecast'], registered: true, status: 'IDLE', models: [], tools: [], retiredAt: null, activeAfterRetirement: false },
  'old-bot': { name: 'Old triage', team: 'ops', owner: null, platform: 'internal', vendor: null, lifecycle: 'retired', description: null, workflows: ['triage'], registered: true, status: 'RETIRED', models: ['gpt-4o-mini'], tools: [], retiredAt: RETIRED_AT, activeAfterRetirement: true },
};
const expectedAgent = (id: string) => ({ id, ...EXPECTED[id], firstSeen: timesOf(id)[0] ?? null, lastSeen: timesOf(id).at(-1) ?? null });
const ids = (agents: Array<{ id: string }>) => agents.map((agent) => agent.id).sort();

describe('inventory and governance over NATS and GraphQL', () => {
  let stack: Stack;
  const ask = async <T = any>(query: string, variables: Record<string, unknown> = WINDOW, key = KEYS.viewer): Promise<T> => {
    const result = await stack.graphql<T>(key, query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  };
  const publish = async (events: ScenarioEvent[]) => {
    const encoder = new TextEncoder();
    for (const e of events) stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.${e.type.replace('.', '_')}`, encoder.encode(JSON.stringify(e)));
    await stack.bus.nc.flush();
  };

  beforeAll(async () => {
    stack = await Stack.start({ services: ['ingestion', 'pricing', 'attribution', 'inventory', 'budgeting', 'gateway'], apiKeys: `${KEYS.admin}=acme:admin,${KEYS.viewer}=acme:viewer` });
    for (const input of PRICES) expect((await stack.graphql(KEYS.admin, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input })).errors).toBeUndefined();
    // Registrations first, so only the agent nobody registered is discovered.
    await publish(REGISTRATIONS);
    const registered = await stack.graphql<any>(KEYS.admin, 'mutation($input: AgentInput!) { registerAgent(input: $input) { id registered owner } }', { input: ZENDESK });
    expect(registered).toEqual({ data: { registerAgent: { id: 'zendesk-ai', registered: true, owner: 'support-ops@example.com' } } });
    await eventually(async () => (await ask('{ agents(filter: { registered: true }) { id lifecycle } }')).agents.some((a: any) => a.id === 'old-bot' && a.lifecycle === 'retired') && (await ask('{ agents { id } }')).agents.length === 5, 60_000, 'the registrations');
    await publish(ACTIVITY);
    const total = sum(ACTIVITY.map(costOf)).toFixed();
    await eventually(async () => exact((await ask('query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost } }')).costSummary.totalCost) === total, 60_000, 'every cost');
    await eventually(async () => {
      const agents = (await ask(`{ agents { id lastSeen } }`)).agents as Array<{ id: string; lastSeen: string | null }>;
      return agents.length === 6 && agents.every((agent) => agent.lastSeen === (timesOf(agent.id).at(-1) ?? null));
    }, 60_000, 'the inventory to see every activity');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('shows every part-D field of each kind of agent, and one by id', async () => {
    const { agents } = await ask(`{ agents { ${AGENT_FIELDS} } }`);
    expect([...agents].sort((a: any, b: any) => a.id.localeCompare(b.id))).toEqual(Object.keys(EXPECTED).sort().map(expectedAgent));
    expect((await ask(`query($id: String!) { agent(id: $id) { ${AGENT_FIELDS} } }`, { id: 'old-bot' })).agent).toEqual(expectedAgent('old-bot'));
    expect((await ask('{ agent(id: "nobody") { id } }')).agent).toBeNull();
  });

  it('filters by status, platform, team, lifecycle and registration', async () => {
    const filtered = async (filter: string) => ids((await ask(`{ agents(filter: ${filter}) { id } }`)).agents);
    expect(await filtered('{ status: IDLE }')).toEqual(['seat-bot']);
    expect(await filtered('{ status: RETIRED }')).toEqual(['old-bot']);
    expect(await filtered('{ status: ACTIVE }')).toEqual(['it-bot', 'shadow-bot', 'support-bot', 'zendesk-ai']);
    expect(await filtered('{ platform: "saas" }')).toEqual(['seat-bot', 'zendesk-ai']);
    expect(await filtered('{ team: "support" }')).toEqual(['support-bot', 'zendesk-ai']);
    expect(await filtered('{ lifecycle: "staging" }')).toEqual(['it-bot']);
    expect(await filtered('{ registered: false }')).toEqual(['shadow-bot']);
    expect(await filtered('{ platform: "saas", status: ACTIVE }')).toEqual(['zendesk-ai']);
  });

  it('14. where two teams automate the same thing (the README’s query, word for word)', async () => {
    expect((await ask(INVENTORY_QUESTIONS.overlaps, {})).agentOverlaps).toEqual([{ workflow: 'resolve-ticket', agents: ['it-bot', 'support-bot'], teams: ['it', 'support'] }]);
  });

  it('13. which agents are idle, unowned or unregistered, and what they cost (the README’s query, word for word)', async () => {
    const { governance } = await ask(INVENTORY_QUESTIONS.governance);
    const cost = (id: string) => costOfAgent(id).toFixed();
    const group = (g: any) => ({ count: g.count, totalCost: exact(g.totalCost), agents: g.agents.map((a: any) => [a.id, exact(a.cost)]) });
    expect(group(governance.unregistered)).toEqual({ count: 1, totalCost: cost('shadow-bot'), agents: [['shadow-bot', cost('shadow-bot')]] });
    // Most expensive first.
    const unowned = [['shadow-bot', cost('shadow-bot')], ['old-bot', cost('old-bot')]].sort((a, b) => dec(b[1]!).comparedTo(a[1]!));
    expect(group(governance.unowned)).toEqual({ count: 2, totalCost: costOfAgent('shadow-bot').plus(costOfAgent('old-bot')).toFixed(), agents: unowned });
    expect(group(governance.idleWithCost)).toEqual({ count: 1, totalCost: '270', agents: [['seat-bot', '270']] });
    expect(governance.idleWithCost.agents[0]).toMatchObject({ owner: 'fpa@example.com', platform: 'saas', vendor: 'anaplan', lastSeen: timesOf('seat-bot')[0] });
    expect(group(governance.retiredStillSending)).toEqual({ count: 1, totalCost: cost('old-bot'), agents: [['old-bot', cost('old-bot')]] });
    expect(governance.retiredStillSending.agents[0]).toMatchObject({ owner: null, retiredAt: RETIRED_AT, lastSeen: timesOf('old-bot').at(-1) });
  });

  it('answers each agent’s cost as costBreakdown(by: AGENT) does, to the last decimal, with its calls and successes', async () => {
    const data = await ask(`query($from: DateTime!, $to: DateTime!) {
      agents { id cost(from: $from, to: $to) calls(from: $from, to: $to) successfulOutcomes(from: $from, to: $to) }
      costBreakdown(from: $from, to: $to, by: AGENT) { key totalCost }
    }`);
    const breakdown = new Map((data.costBreakdown as Array<{ key: string; totalCost: string }>).map((group) => [group.key, group.totalCost]));
    expect(breakdown.size).toBe(6);
    for (const agent of data.agents) {
      expect([agent.id, agent.cost]).toEqual([agent.id, breakdown.get(agent.id)]);
      expect([agent.id, exact(agent.cost)]).toEqual([agent.id, costOfAgent(agent.id).toFixed()]);
      const calls = ACTIVITY.filter((e) => e.data.agentId === agent.id && (e.type === 'llm.call' || e.type === 'tool.call')).length;
      expect([agent.id, agent.calls, exact(agent.successfulOutcomes)]).toEqual([agent.id, calls, agent.id === 'support-bot' ? '1' : '0']);
    }
    // The most expensive idle agent, in one query.
    expect((await ask('query($from: DateTime!, $to: DateTime!) { agents(filter: { status: IDLE }) { id cost(from: $from, to: $to) } }')).agents).toEqual([{ id: 'seat-bot', cost: breakdown.get('seat-bot') }]);
  });

  it('answers lifecycle economics: registered lifecycle, else the events’ environment, adding up to the tenant’s cost', async () => {
    const data = await ask(`query($from: DateTime!, $to: DateTime!) {
      lifecycleEconomics(from: $from, to: $to) { stage agents totalCost evaluations passedEvaluations costPerEvaluation }
      costSummary(from: $from, to: $to) { totalCost }
    }`);
    const production = ['support-bot', 'zendesk-ai', 'seat-bot'];
    expect(data.lifecycleEconomics.map((s: any) => [s.stage, s.agents, exact(s.totalCost), s.evaluations, s.passedEvaluations])).toEqual([
      ['experiment', 1, cost('shadow-bot'), 0, 0],
      // it-bot is registered staging: its production events count there.
      ['staging', 1, cost('it-bot'), 0, 0],
      ['production', 3, sum(production.map(costOfAgent)).toFixed(), 1, 1],
      ['retired', 1, cost('old-bot'), 0, 0],
    ]);
    expect(exact(data.lifecycleEconomics[2].costPerEvaluation)).toBe(sum(production.map(costOfAgent)).toFixed());
    expect(sum(data.lifecycleEconomics.map((s: any) => dec(s.totalCost))).toFixed()).toBe(exact(data.costSummary.totalCost));
  });

  it('lists the discovery of the unregistered agent among the alerts, once', async () => {
    const alerts = await eventually(async () => {
      const list = (await ask('query($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { id kind agentId at } }')).alerts;
      return list.length > 0 ? list : undefined;
    }, 30_000, 'the discovery alert');
    expect(alerts).toEqual([{ id: 'agent-discovered:shadow-bot', kind: 'AGENT_DISCOVERED', agentId: 'shadow-bot', at: timesOf('shadow-bot')[0] }]);
  });

  it('lets only an admin register, and names a bad value', async () => {
    const viewer = await stack.graphql<any>(KEYS.viewer, 'mutation { registerAgent(input: { id: "shadow-bot", owner: "me" }) { id } }');
    expect(viewer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const bad = await stack.graphql<any>(KEYS.admin, 'mutation { registerAgent(input: { id: "shadow-bot", platform: "cloud" }) { id } }');
    expect(bad.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.message).toContain('platform');
    expect((await ask('{ agent(id: "shadow-bot") { registered owner platform } }')).agent).toEqual({ registered: false, owner: null, platform: 'internal' });
  });

  it('the README asks questions 13 and 14 word for word', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('### 13. Which agents are idle, unowned or unregistered, and what do they cost?');
    expect(readme).toContain('### 14. Where do two teams automate the same thing?');
    for (const query of Object.values(INVENTORY_QUESTIONS)) expect(readme).toContain(query);
  });
});

const cost = (id: string) => costOfAgent(id).toFixed();
