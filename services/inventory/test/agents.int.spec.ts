import { AgentLifecycle, AgentPlatform, CallStatus, registerAgentCommand, type AgentView, type CanonicalFact } from '@agentledger/contracts';
import { checkedRequest } from '@agentledger/service-kit';
import { findAgent, listAgents, listOverlaps } from '../src/agents/agents.query.js';
import { handleRegisterAgent } from '../src/agents/register-agent.handler.js';
import { listAlerts } from '../src/alerts/alerts.query.js';
import { fact, inventoryHarness, type InventoryHarness } from './inventory-harness.js';

const NOW = new Date('2026-12-08T12:00:00Z');
const WEEK_MS = 7 * 24 * 3600 * 1000;

const llmCall = (model: string): CanonicalFact['payload'] => ({
  case: 'llmCall',
  value: { provider: 'openai', model, usage: { inputTokens: 10n, outputTokens: 5n }, attempt: 1, status: CallStatus.OK } as never,
});
const toolCall = (tool: string): CanonicalFact['payload'] => ({ case: 'toolCall', value: { tool, attempt: 1, status: CallStatus.OK } as never });
const saasUsage = (vendor: string): CanonicalFact['payload'] => ({
  case: 'saasUsage',
  value: { vendor, product: 'ai-agent', quantity: '1', unit: 'seat', periodStart: '2026-12-01', periodEnd: '2026-12-31', cost: '' } as never,
});
const runStarted: CanonicalFact['payload'] = { case: 'runStarted', value: { trigger: 'schedule' } as never };
const registration = (fields: { name?: string; team?: string; owner?: string; platform?: AgentPlatform; vendor?: string; workflows?: string[]; lifecycle?: AgentLifecycle }): CanonicalFact['payload'] => ({
  case: 'agentRegistered',
  value: { name: '', team: '', owner: '', platform: AgentPlatform.UNSPECIFIED, vendor: '', workflows: [], description: '', lifecycle: AgentLifecycle.UNSPECIFIED, ...fields } as never,
});

const agent = (id: string, overrides: Partial<AgentView>): AgentView => ({
  id,
  name: null,
  team: null,
  owner: null,
  platform: 'internal',
  vendor: null,
  lifecycle: null,
  description: null,
  workflows: [],
  registered: false,
  status: 'IDLE',
  firstSeen: null,
  lastSeen: null,
  models: [],
  tools: [],
  retiredAt: null,
  activeAfterRetirement: false,
  ...overrides,
});

describe('the agent inventory (real NATS JetStream + PostgreSQL)', () => {
  let inventory: InventoryHarness;
  const register = (args: Record<string, unknown>, tenant = 'acme') =>
    handleRegisterAgent(inventory.deps, checkedRequest(registerAgentCommand, { tenant, actor: 'key:admin', args }));

  beforeAll(async () => {
    inventory = await inventoryHarness(NOW, WEEK_MS);
  });

  afterAll(async () => {
    await inventory.cleanup();
  });

  const expected = [
    agent('support-bot', {
      name: 'Support bot',
      team: 'support',
      owner: 'ops@acme',
      lifecycle: 'production',
      workflows: ['resolve-ticket', 'triage'],
      registered: true,
      status: 'ACTIVE',
      firstSeen: '2026-12-07T09:00:00.000Z',
      lastSeen: '2026-12-07T09:05:00.000Z',
      models: ['gpt-4o', 'gpt-4o-mini'],
      tools: ['zendesk.search'],
    }),
    agent('sales-qualifier', {
      team: 'revenue',
      workflows: ['qualify-lead', 'resolve-ticket'],
      registered: true,
      status: 'ACTIVE',
      firstSeen: '2026-12-06T10:00:00.000Z',
      lastSeen: '2026-12-06T10:00:00.000Z',
      models: ['claude-sonnet-4'],
    }),
    agent('zendesk-ai', { team: 'support', platform: 'saas', vendor: 'zendesk', workflows: ['resolve-ticket'], status: 'ACTIVE', firstSeen: '2026-12-05T00:00:00.000Z', lastSeen: '2026-12-05T00:00:00.000Z' }),
    agent('old-bot', {
      team: 'ops',
      owner: 'legacy@acme',
      lifecycle: 'retired',
      registered: true,
      status: 'RETIRED',
      firstSeen: '2026-12-04T00:00:00.000Z',
      lastSeen: '2026-12-04T00:00:00.000Z',
      retiredAt: '2026-12-03T00:00:00.000Z',
      activeAfterRetirement: true,
    }),
    agent('idle-bot', { team: 'research', status: 'IDLE', firstSeen: '2026-11-20T00:00:00.000Z', lastSeen: '2026-11-30T11:59:59.999Z', models: ['gpt-4o-mini'] }),
    agent('planned-bot', { name: 'Planned', owner: 'cto@acme', platform: 'saas', vendor: 'salesforce', lifecycle: 'experiment', workflows: ['forecast'], registered: true }),
  ];

  it('registrations before and after activity, and out of order in one batch; activity from usage, runs and outcomes only', async () => {
    // Registered before it is ever seen: a registration is not activity.
    await inventory.publish([
      fact('acme', 'r-support', 'support-bot', '2026-12-01T00:00:00Z', 'agent.registered', registration({ name: 'Support bot', team: 'support', owner: 'ops@acme', platform: AgentPlatform.INTERNAL, workflows: ['triage', 'resolve-ticket'], lifecycle: AgentLifecycle.PRODUCTION })),
    ]);
    for (const runner of inventory.runners) runner.start();
    await inventory.caughtUp();
    expect(await findAgent(inventory.deps, 'acme', 'support-bot')).toMatchObject({ registered: true, firstSeen: null, lastSeen: null, status: 'IDLE' });

    const batch = [
      fact('acme', 'e1', 'support-bot', '2026-12-07T09:05:00Z', 'llm.call', llmCall('gpt-4o'), { team: 'support', workflow: 'resolve-ticket' }),
      fact('acme', 'e2', 'support-bot', '2026-12-07T09:00:00Z', 'llm.call', llmCall('gpt-4o-mini'), { team: 'support' }),
      fact('acme', 'e3', 'support-bot', '2026-12-07T09:01:00Z', 'tool.call', toolCall('zendesk.search')),
      fact('acme', 'e4', 'sales-qualifier', '2026-12-06T10:00:00Z', 'llm.call', llmCall('claude-sonnet-4'), { team: 'sales', workflow: 'qualify-lead' }),
      fact('acme', 'e5', 'zendesk-ai', '2026-12-05T00:00:00Z', 'saas.usage', saasUsage('zendesk'), { team: 'support', workflow: 'resolve-ticket' }),
      // The newer registration first, the older after it, in the same batch: the older overrides none of its fields.
      fact('acme', 'r-old-2', 'old-bot', '2026-12-03T00:00:00Z', 'agent.registered', registration({ lifecycle: AgentLifecycle.RETIRED })),
      fact('acme', 'r-old-1', 'old-bot', '2026-11-01T00:00:00Z', 'agent.registered', registration({ team: 'ops', owner: 'legacy@acme', lifecycle: AgentLifecycle.PRODUCTION })),
      fact('acme', 'e6', 'old-bot', '2026-12-04T00:00:00Z', 'run.started', runStarted),
      // Its latest event names the team; seen last 7 days and a millisecond before now: idle.
      fact('acme', 'e7', 'idle-bot', '2026-11-30T11:59:59.999Z', 'llm.call', llmCall('gpt-4o-mini'), { team: 'research' }),
      fact('acme', 'e8', 'idle-bot', '2026-11-20T00:00:00Z', 'llm.call', llmCall('gpt-4o-mini'), { team: 'lab' }),
      fact('globex', 'e1', 'support-bot', '2026-12-07T00:00:00Z', 'llm.call', llmCall('gpt-4o'), { team: 'cs' }),
    ];
    await inventory.publish(batch);
    await inventory.publish([batch[0]!, batch[3]!], '#again'); // past JetStream's dedupe window: the ledger absorbs them
    await inventory.caughtUp();

    // Registered after its activity: the team it gives overrides the events' team.
    await inventory.publish([fact('acme', 'r-sales', 'sales-qualifier', '2026-12-07T00:00:00Z', 'agent.registered', registration({ team: 'revenue' }), { workflow: 'resolve-ticket' })]);
    const planned = await register({ id: 'planned-bot', name: 'Planned', owner: 'cto@acme', platform: 'saas', vendor: 'salesforce', lifecycle: 'experiment', workflows: ['forecast'] });
    expect(planned).toEqual(expected[5]);
    await inventory.caughtUp();

    expect(await listAgents(inventory.deps, 'acme')).toEqual(expected);
    expect(await listAgents(inventory.deps, 'globex')).toEqual([
      agent('support-bot', { team: 'cs', status: 'ACTIVE', firstSeen: '2026-12-07T00:00:00.000Z', lastSeen: '2026-12-07T00:00:00.000Z', models: ['gpt-4o'] }),
    ]);
    expect(await findAgent(inventory.deps, 'acme', 'nobody')).toBeNull();
  });

  it('raises AGENT_DISCOVERED once for each agent first seen unregistered, and publishes the lifecycle events once', async () => {
    const window = { from: '2026-11-01T00:00:00Z', to: '2026-12-09T00:00:00Z' };
    const alerts = await listAlerts(inventory.schema.db, { tenant: 'acme', args: window });
    expect(alerts.map((alert) => [alert.kind, alert.agentId, alert.at])).toEqual([
      ['AGENT_DISCOVERED', 'idle-bot', '2026-11-20T00:00:00.000Z'],
      ['AGENT_DISCOVERED', 'zendesk-ai', '2026-12-05T00:00:00.000Z'],
      ['AGENT_DISCOVERED', 'sales-qualifier', '2026-12-06T10:00:00.000Z'],
    ]);
    expect(alerts[2]).toEqual({
      id: 'agent-discovered:sales-qualifier',
      kind: 'AGENT_DISCOVERED',
      budgetId: null,
      threshold: null,
      agentId: 'sales-qualifier',
      spent: null,
      limit: null,
      periodStart: null,
      message: 'Unregistered agent "sales-qualifier" (team sales) started sending events at 2026-12-06T10:00:00.000Z: register it with its owner and lifecycle, or stop it.',
      at: '2026-12-06T10:00:00.000Z',
    });
    const published = (await inventory.published('alerts')).filter(({ subject }) => subject === 'finops.alerts.acme');
    expect(published.map(({ event }) => [event.type, event.id, event.time]).sort()).toEqual(alerts.map((alert) => ['alert.raised', alert.id, alert.at]).sort());
    expect(published.map(({ event }) => event.data).sort((a, b) => String(a.at).localeCompare(String(b.at)))).toEqual(alerts);
    expect((await listAlerts(inventory.schema.db, { tenant: 'globex', args: window })).map((alert) => alert.agentId)).toEqual(['support-bot']);

    const lifecycle = await inventory.published('agents');
    const acme = lifecycle.filter(({ subject }) => subject.startsWith('finops.agents.acme.'));
    // In the order of their batches, which a registration by command races: compared as sets.
    expect(acme.map(({ subject, event }) => [subject, event.type, event.data.agentId]).sort()).toEqual([
      ['finops.agents.acme.lifecycle.registered', 'agent.registered', 'support-bot'],
      ['finops.agents.acme.lifecycle.discovered', 'agent.discovered', 'sales-qualifier'],
      ['finops.agents.acme.lifecycle.discovered', 'agent.discovered', 'zendesk-ai'],
      ['finops.agents.acme.lifecycle.discovered', 'agent.discovered', 'idle-bot'],
      ['finops.agents.acme.lifecycle.registered', 'agent.registered', 'old-bot'],
      ['finops.agents.acme.lifecycle.retired', 'agent.retired', 'old-bot'],
      ['finops.agents.acme.lifecycle.registered', 'agent.registered', 'old-bot'],
      ['finops.agents.acme.lifecycle.registered', 'agent.registered', 'planned-bot'],
      ['finops.agents.acme.lifecycle.registered', 'agent.registered', 'sales-qualifier'],
    ].sort());
    const retired = acme.find(({ event }) => event.type === 'agent.retired')!;
    expect(retired.event.data).toEqual({ agentId: 'old-bot', retiredAt: '2026-12-03T00:00:00.000Z' });
    const plannedRegistered = acme.find(({ event }) => event.type === 'agent.registered' && event.data.agentId === 'planned-bot')!;
    expect(plannedRegistered.event.data).toMatchObject({ origin: 'command', actor: 'key:admin', fields: { name: 'Planned', owner: 'cto@acme', platform: 'saas', vendor: 'salesforce', lifecycle: 'experiment', workflows: ['forecast'] } });
  });

  it('registerAgent: the answer and agent(id) show it; a later one overrides only what it gives; bad values are BAD_USER_INPUT naming the field', async () => {
    const answer = await register({ id: 'support-bot', owner: 'care-lead@acme', description: 'Answers tickets' });
    expect(answer).toEqual({ ...expected[0], owner: 'care-lead@acme', description: 'Answers tickets' });
    expect(await findAgent(inventory.deps, 'acme', 'support-bot')).toEqual(answer);
    await expect(register({ id: 'support-bot', platform: 'cloud' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'platform: "cloud" is not one of internal, saas' });
    await expect(register({ id: 'support-bot', lifecycle: 'paused' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'lifecycle: "paused" is not one of experiment, staging, production, retired' });
    // Nothing of a rejected registration is kept.
    expect(await findAgent(inventory.deps, 'acme', 'support-bot')).toEqual(answer);
  });

  it('concurrent registrations of one agent all land, each after the other on its subject (optimistic concurrency)', async () => {
    const owners = ['a@acme', 'b@acme', 'c@acme', 'd@acme'];
    const answers = await Promise.all(owners.map((owner, index) => register({ id: 'zendesk-ai', owner, workflows: [`flow-${index}`] })));
    expect(answers.map((answer) => answer.registered)).toEqual([true, true, true, true]);
    const info = await inventory.bus.jsm.streams.getMessage(`${inventory.bus.ns.streamPrefix}FINOPS_AGENTS`, { last_by_subj: `${inventory.bus.ns.subjectPrefix}finops.agents.acme.agent.zendesk-ai` });
    const consumer = await inventory.bus.js.consumers.get(`${inventory.bus.ns.streamPrefix}FINOPS_AGENTS`, { filter_subjects: `${inventory.bus.ns.subjectPrefix}finops.agents.acme.agent.zendesk-ai` });
    const times: string[] = [];
    for (let i = 0; i < owners.length; i++) times.push(JSON.parse(new TextDecoder().decode((await consumer.next({ expires: 5_000 }))!.data)).at);
    await consumer.delete();
    expect(info).not.toBeNull();
    // Each appended after the one before on the stream, its event time after it too: the last one appended wins.
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(4);
    const last = await findAgent(inventory.deps, 'acme', 'zendesk-ai');
    expect(last).toMatchObject({ registered: true, platform: 'saas', vendor: 'zendesk' });
    expect(owners).toContain(last!.owner);
    expect(last!.workflows.filter((workflow) => workflow.startsWith('flow-'))).toHaveLength(1);
    // Put back as before for what follows.
    await register({ id: 'zendesk-ai', owner: 'support-ops@acme', workflows: ['resolve-ticket'] });
  });

  it('filters by status (against the clock now), platform, team, lifecycle and registered; overlaps list workflows served by several agents', async () => {
    const ids = async (filter: Record<string, unknown>) => (await listAgents(inventory.deps, 'acme', filter as never)).map((agent) => agent.id);
    expect(await ids({ status: 'ACTIVE' })).toEqual(['support-bot', 'sales-qualifier', 'zendesk-ai']);
    expect(await ids({ status: 'IDLE' })).toEqual(['idle-bot', 'planned-bot']);
    expect(await ids({ status: 'RETIRED' })).toEqual(['old-bot']);
    expect(await ids({ platform: 'saas' })).toEqual(['zendesk-ai', 'planned-bot']);
    expect(await ids({ team: 'support', registered: true })).toEqual(['support-bot', 'zendesk-ai']);
    expect(await ids({ registered: false })).toEqual(['idle-bot']);
    expect(await ids({ lifecycle: 'experiment' })).toEqual(['planned-bot']);
    expect(await ids({ status: 'ACTIVE', platform: 'internal', team: 'revenue' })).toEqual(['sales-qualifier']);
    // A week later, nothing is active any more.
    const later = { ...inventory.deps, clock: () => new Date(NOW.getTime() + WEEK_MS) };
    expect((await listAgents(later, 'acme', { status: 'ACTIVE' })).map((agent) => agent.id)).toEqual([]);

    expect(await listOverlaps(inventory.deps, 'acme')).toEqual([{ workflow: 'resolve-ticket', agents: ['sales-qualifier', 'support-bot', 'zendesk-ai'], teams: ['revenue', 'support'] }]);
    expect(await listOverlaps(inventory.deps, 'globex')).toEqual([]);
  });

  it('redelivery and rebuild change nothing: the same agents, alerts and lifecycle events, none raised or published again', async () => {
    const snapshot = async () => ({
      agents: await listAgents(inventory.deps, 'acme'),
      alerts: await listAlerts(inventory.schema.db, { tenant: 'acme', args: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' } }),
      published: (await inventory.published('alerts')).length,
      lifecycle: (await inventory.published('agents')).length,
      rows: await inventory.schema.query('SELECT * FROM agent_activity ORDER BY tenant, agent_id'),
    });
    const before = await snapshot();
    await inventory.publish([fact('acme', 'e4', 'sales-qualifier', '2026-12-06T10:00:00Z', 'llm.call', llmCall('claude-sonnet-4'), { team: 'sales', workflow: 'qualify-lead' })], '#third');
    await inventory.caughtUp();
    for (const runner of inventory.runners) await runner.rebuild();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // what a rebuild staged by mistake would be out by now
    expect(await snapshot()).toEqual(before);
  });
});
