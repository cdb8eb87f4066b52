import type { AgentActivityView, AgentView } from '@agentledger/contracts';
import { governanceSummary } from './governance-summary.js';
import { lifecycleEconomics } from './lifecycle-economics.js';

const WINDOW = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-31T00:00:00.000Z' };

const agent = (id: string, overrides: Partial<AgentView> = {}): AgentView => ({
  id,
  name: null,
  team: null,
  owner: 'ana@example.com',
  platform: 'internal',
  vendor: null,
  lifecycle: 'production',
  description: null,
  workflows: [],
  registered: true,
  status: 'ACTIVE',
  firstSeen: '2026-10-02T00:00:00.000Z',
  lastSeen: '2026-10-30T00:00:00.000Z',
  models: [],
  tools: [],
  retiredAt: null,
  activeAfterRetirement: false,
  ...overrides,
});

const activity = (agentId: string, environments: Array<[environment: string, cost: string, evaluations?: number, passed?: number]>): AgentActivityView => ({
  agentId,
  totalCost: 'not summed here',
  llmCalls: 0,
  toolCalls: 0,
  successfulOutcomes: '0',
  evaluations: 0,
  passedEvaluations: 0,
  byEnvironment: environments.map(([environment, totalCost, evaluations = 0, passedEvaluations = 0]) => ({ environment, totalCost, evaluations, passedEvaluations })),
});

describe('governanceSummary', () => {
  const agents = [
    agent('registered-busy'),
    agent('shadow', { registered: false, owner: null, lifecycle: null }),
    agent('shadow-free', { registered: false, owner: null, lifecycle: null }),
    agent('seat', { platform: 'saas', vendor: 'zendesk', status: 'IDLE', owner: '  ' }),
    agent('idle-free', { status: 'IDLE' }),
    agent('retired-running', { lifecycle: 'retired', status: 'RETIRED', retiredAt: '2026-10-10T00:00:00.000Z', activeAfterRetirement: true }),
    agent('retired-quiet', { lifecycle: 'retired', status: 'RETIRED', retiredAt: '2026-10-10T00:00:00.000Z' }),
  ];
  const cost = (agentId: string, totalCost: string) => [agentId, { ...activity(agentId, []), totalCost }] as const;
  const costs = new Map([cost('registered-busy', '9.5'), cost('shadow', '0.000000000000000001'), cost('seat', '120.00'), cost('retired-running', '0.25')]);

  it('groups each concern, the most expensive first, with exact totals', () => {
    const summary = governanceSummary(WINDOW, agents, costs);
    const ids = (group: { agents: AgentView[] }) => group.agents.map((a) => a.id);
    expect(summary.from).toBe(WINDOW.from);
    expect([ids(summary.unregistered), summary.unregistered.count, summary.unregistered.totalCost]).toEqual([['shadow', 'shadow-free'], 2, '0.000000000000000001']);
    expect([ids(summary.unowned), summary.unowned.totalCost]).toEqual([['seat', 'shadow', 'shadow-free'], '120.000000000000000001']);
    expect([ids(summary.idleWithCost), summary.idleWithCost.count, summary.idleWithCost.totalCost]).toEqual([['seat'], 1, '120']);
    expect([ids(summary.retiredStillSending), summary.retiredStillSending.totalCost]).toEqual([['retired-running'], '0.25']);
  });

  it('answers empty groups for a tidy inventory', () => {
    const summary = governanceSummary(WINDOW, [agent('tidy')], new Map());
    expect(summary.unregistered).toEqual({ count: 0, totalCost: '0', agents: [] });
    expect(summary.idleWithCost).toEqual({ count: 0, totalCost: '0', agents: [] });
  });
});

describe('lifecycleEconomics', () => {
  const agents = [
    agent('prod-bot'),
    agent('beta-bot', { lifecycle: 'experiment' }),
    agent('old-bot', { lifecycle: 'retired', status: 'RETIRED' }),
    agent('unlabelled', { lifecycle: null }),
    agent('shadow', { registered: false, lifecycle: null, owner: null }),
  ];
  const activities = [
    // A registered lifecycle wins over the environment its events name.
    activity('beta-bot', [['production', '0.1', 2, 1], ['staging', '0.2', 1, 1]]),
    activity('prod-bot', [['production', '1.000000000000000001', 3, 2]]),
    activity('old-bot', [['production', '0.05']]),
    // Without a registered lifecycle: the environment of each event.
    activity('unlabelled', [['staging', '0.3', 3, 0], ['dev', '0.01']]),
    activity('shadow', [['production', '0.5', 1, 1]]),
    // Not (yet) in the inventory: its environment too.
    activity('newcomer', [['experiment', '0.7']]),
  ];

  it('puts each cost in one stage: the registered lifecycle, else the environment', () => {
    expect(lifecycleEconomics(agents, activities)).toEqual([
      { stage: 'experiment', agents: 2, totalCost: '1', evaluations: 3, passedEvaluations: 2, costPerEvaluation: '0.333333333333333333', costPerPassingEvaluation: '0.5' },
      { stage: 'staging', agents: 1, totalCost: '0.3', evaluations: 3, passedEvaluations: 0, costPerEvaluation: '0.1', costPerPassingEvaluation: null },
      { stage: 'production', agents: 2, totalCost: '1.500000000000000001', evaluations: 4, passedEvaluations: 3, costPerEvaluation: '0.375', costPerPassingEvaluation: '0.5' },
      { stage: 'dev', agents: 1, totalCost: '0.01', evaluations: 0, passedEvaluations: 0, costPerEvaluation: null, costPerPassingEvaluation: null },
      { stage: 'retired', agents: 1, totalCost: '0.05', evaluations: 0, passedEvaluations: 0, costPerEvaluation: null, costPerPassingEvaluation: null },
    ]);
  });

  it('always lists experiment, staging and production, at zero when nothing ran', () => {
    expect(lifecycleEconomics([], []).map((stage) => [stage.stage, stage.totalCost, stage.costPerEvaluation])).toEqual([
      ['experiment', '0', null],
      ['staging', '0', null],
      ['production', '0', null],
    ]);
  });
});
