import { SeededRandom } from './random.js';

/** A CloudEvent as agents publish it (CONTRACT.md part A). */
export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

export interface FleetOptions {
  readonly seed: number;
  /** Part of every event id, so a second simulation with the same seed is not deduplicated away. */
  readonly epoch: number;
}

/** How an agent's runs go (each a method of the fleet below). */
type RunKind = 'support' | 'lead' | 'failing' | 'saas' | 'simple';

interface AgentProfile {
  readonly id: string;
  /** What it registers at start; none for an agent nobody registered (shadow AI). */
  readonly registration?: Record<string, unknown>;
  /** How often it runs, relative to the others; 0 for one that no longer runs. */
  readonly weight: number;
  readonly kind: RunKind;
  /** For a `simple` run: its team, workflow and model, and whether it ends in an outcome. */
  readonly simple?: { readonly team: string; readonly workflow: string; readonly model: string; readonly outcome?: string };
}

/** How long before the start the idle SaaS seat was last billed: past the inventory's 7-day idle threshold. */
export const IDLE_SEAT_DAYS_AGO = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

export const AGENTS: readonly AgentProfile[] = [
  {
    id: 'support-assistant',
    weight: 5,
    kind: 'support',
    registration: { name: 'Support assistant', team: 'support', owner: 'support-eng@example.com', platform: 'internal', workflows: ['resolve-ticket'], lifecycle: 'production', description: 'Answers tickets with retrieval over the help centre' },
  },
  {
    id: 'lead-qualifier',
    weight: 3,
    kind: 'lead',
    registration: { name: 'Sales lead qualifier', team: 'sales', owner: 'revops@example.com', platform: 'internal', workflows: ['qualify-lead'], lifecycle: 'production' },
  },
  {
    id: 'contract-summarizer',
    weight: 2,
    kind: 'failing',
    registration: { name: 'Contract summarizer (beta)', team: 'legal', owner: 'legal-ops@example.com', platform: 'internal', workflows: ['summarize-contract'], lifecycle: 'experiment', description: 'Fails often; has produced no outcome yet' },
  },
  {
    id: 'zendesk-ai',
    weight: 1,
    kind: 'saas',
    registration: { name: 'Zendesk AI agent', team: 'support', owner: 'support-ops@example.com', platform: 'saas', vendor: 'zendesk', workflows: ['deflect-ticket'], lifecycle: 'production' },
  },
  // IT answers tickets too: the same workflow as support's assistant, automated twice.
  {
    id: 'it-helpdesk',
    weight: 2,
    kind: 'simple',
    simple: { team: 'it', workflow: 'resolve-ticket', model: 'gpt-4o-mini', outcome: 'ticket_resolved' },
    registration: { name: 'IT helpdesk bot', team: 'it', owner: 'it-ops@example.com', platform: 'internal', workflows: ['resolve-ticket'], lifecycle: 'staging' },
  },
  // Nobody registered it: the inventory discovers it from its traffic.
  { id: 'shadow-copywriter', weight: 1, kind: 'simple', simple: { team: 'marketing', workflow: 'write-copy', model: 'gpt-4o' } },
  // Retired, yet still sending events.
  {
    id: 'legacy-triage',
    weight: 1,
    kind: 'simple',
    simple: { team: 'support', workflow: 'triage-ticket', model: 'gpt-4o-mini' },
    registration: { name: 'Legacy triage bot', team: 'support', owner: 'support-eng@example.com', platform: 'internal', workflows: ['triage-ticket'], lifecycle: 'retired', description: 'Replaced by the support assistant; should be off' },
  },
  // A SaaS seat still paid for, idle since its last bill (see `history`).
  {
    id: 'forecast-seat',
    weight: 0,
    kind: 'saas',
    registration: { name: 'Forecasting copilot seat', team: 'finance', owner: 'fpa@example.com', platform: 'saas', vendor: 'anaplan', workflows: ['forecast'], lifecycle: 'production' },
  },
];

/**
 * The simulated fleet: pure and deterministic for a seed and epoch. Each call to `nextRun`
 * tells one whole run (run.started … run.finished) of one agent, in event time from `at`.
 */
export class Fleet {
  private readonly random: SeededRandom;
  private sequence = 0;
  private runs = 0;

  constructor(private readonly options: FleetOptions) {
    this.random = new SeededRandom(options.seed);
  }

  /** The registrations of every agent that has one (the shadow agent has none). */
  registrations(at: number): CloudEvent[] {
    return AGENTS.filter((agent) => agent.registration).map((agent) => this.event('agent.registered', agent.id, at, { agentId: agent.id, ...agent.registration }));
  }

  /** What happened before `at`: the idle seat's last bill, IDLE_SEAT_DAYS_AGO days back, a month of seat fee. */
  history(at: number): CloudEvent[] {
    const billed = at - IDLE_SEAT_DAYS_AGO * DAY_MS;
    return [
      this.event('saas.usage', 'forecast-seat', billed, {
        agentId: 'forecast-seat',
        team: 'finance',
        workflow: 'forecast',
        vendor: 'anaplan',
        product: 'copilot-seat',
        quantity: 3,
        unit: 'seat-month',
        periodStart: new Date(billed - 30 * DAY_MS).toISOString(),
        periodEnd: new Date(billed).toISOString(),
        cost: '270.00',
      }),
    ];
  }

  nextRun(at: number): CloudEvent[] {
    const total = AGENTS.reduce((sum, agent) => sum + agent.weight, 0);
    let pick = this.random.next() * total;
    const agent = AGENTS.find((candidate) => (pick -= candidate.weight) < 0) ?? AGENTS[0]!;
    this.runs += 1;
    const traceId = `trace-${this.options.seed}-${this.options.epoch}-${this.runs}`;
    switch (agent.kind) {
      case 'support':
        return this.supportRun(traceId, at);
      case 'lead':
        return this.leadRun(traceId, at);
      case 'failing':
        return this.failingRun(traceId, at);
      case 'saas':
        return this.saasUsage(at);
      case 'simple':
        return this.simpleRun(agent.id, agent.simple!, traceId, at);
      default: {
        const unknownKind: never = agent.kind;
        throw new Error(`no run for kind ${String(unknownKind)}`);
      }
    }
  }

  /** One model call in a run of its own; an outcome when the profile names one. */
  private simpleRun(agentId: string, profile: NonNullable<AgentProfile['simple']>, traceId: string, at: number): CloudEvent[] {
    const common = { agentId, team: profile.team, workflow: profile.workflow, traceId };
    const root = `${traceId}-root`;
    let t = at;
    const events = [this.event('run.started', agentId, t, { ...common, spanId: root, trigger: 'schedule' })];
    const usage = { inputTokens: this.random.between(500, 3000), outputTokens: this.random.between(50, 500) };
    events.push(this.event('llm.call', agentId, (t += 700), { ...common, spanId: `${traceId}-call`, parentSpanId: root, provider: 'openai', model: profile.model, usage, latencyMs: this.random.between(300, 1500), status: 'ok', attempt: 1 }));
    if (profile.outcome) events.push(this.event('outcome.recorded', agentId, (t += 10), { ...common, outcome: profile.outcome, success: this.random.chance(0.7) }));
    events.push(this.event('run.finished', agentId, (t += 10), { ...common, spanId: root, status: 'succeeded', durationMs: t - at }));
    return events;
  }

  /** Retrieval, a routed model call that sometimes fails and is retried, sometimes escalated; judged; mostly resolved. */
  private supportRun(traceId: string, at: number): CloudEvent[] {
    const common = { agentId: 'support-assistant', team: 'support', workflow: 'resolve-ticket', traceId };
    const root = `${traceId}-root`;
    let t = at;
    const events: CloudEvent[] = [this.event('run.started', common.agentId, t, { ...common, spanId: root, trigger: 'ticket.created' })];
    events.push(this.event('tool.call', common.agentId, (t += 120), { ...common, spanId: `${traceId}-retrieve`, parentSpanId: root, tool: 'help-center-search', vendor: 'pinecone', cost: '0.0004', latencyMs: this.random.between(40, 180), status: 'ok' }));
    const hard = this.random.chance(0.25);
    const routing = { router: 'complexity-router', decision: hard ? 'large' : 'small', reason: hard ? 'long ticket' : 'short ticket', candidates: ['gpt-4o-mini', 'gpt-4o'] };
    const model = hard ? 'gpt-4o' : 'gpt-4o-mini';
    const usage = () => ({ inputTokens: this.random.between(1500, 4000), outputTokens: this.random.between(150, 600), cacheReadTokens: 1024 });
    let answer = `${traceId}-answer`;
    if (this.random.chance(0.15)) {
      events.push(this.event('llm.call', common.agentId, (t += 900), { ...common, spanId: answer, parentSpanId: root, provider: 'openai', model, usage: usage(), latencyMs: 30_000, status: 'timeout', attempt: 1, routing }));
      const retry = `${traceId}-answer-retry`;
      events.push(this.event('llm.call', common.agentId, (t += 1200), { ...common, spanId: retry, parentSpanId: root, provider: 'openai', model, usage: usage(), latencyMs: this.random.between(700, 2500), status: 'ok', attempt: 2, retryOf: answer }));
      answer = retry;
    } else {
      events.push(this.event('llm.call', common.agentId, (t += 900), { ...common, spanId: answer, parentSpanId: root, provider: 'openai', model, usage: usage(), latencyMs: this.random.between(500, 2000), status: 'ok', attempt: 1, routing }));
    }
    if (!hard && this.random.chance(0.1)) {
      const escalation = `${traceId}-escalate`;
      events.push(this.event('llm.call', common.agentId, (t += 1500), { ...common, spanId: escalation, parentSpanId: root, provider: 'openai', model: 'gpt-4o', usage: usage(), latencyMs: this.random.between(1200, 4000), status: 'ok', attempt: 1, escalatedFrom: 'gpt-4o-mini' }));
      answer = escalation;
    }
    const score = Math.round(this.random.next() * 100) / 100;
    events.push(this.event('evaluation.scored', common.agentId, (t += 50), { ...common, spanId: answer, evaluator: 'groundedness-judge', metric: 'faithfulness', score, passed: score >= 0.7 }));
    const resolved = this.random.chance(0.8);
    if (resolved) events.push(this.event('outcome.recorded', common.agentId, (t += 10), { ...common, outcome: 'ticket_resolved', success: true, value: '12.00', timeSavedMinutes: 15 }));
    events.push(this.event('run.finished', common.agentId, (t += 10), { ...common, spanId: root, status: resolved ? 'succeeded' : 'handed_off', durationMs: t - at }));
    return events;
  }

  /** A CRM look-up and one cheap model call; qualifies a lead now and then. */
  private leadRun(traceId: string, at: number): CloudEvent[] {
    const common = { agentId: 'lead-qualifier', team: 'sales', workflow: 'qualify-lead', traceId };
    const root = `${traceId}-root`;
    let t = at;
    const events = [this.event('run.started', common.agentId, t, { ...common, spanId: root, trigger: 'lead.created' })];
    events.push(this.event('tool.call', common.agentId, (t += 200), { ...common, spanId: `${traceId}-crm`, parentSpanId: root, tool: 'crm-lookup', vendor: 'salesforce', cost: '0.002', latencyMs: this.random.between(100, 400), status: 'ok' }));
    events.push(this.event('llm.call', common.agentId, (t += 800), { ...common, spanId: `${traceId}-score`, parentSpanId: root, provider: 'anthropic', model: 'claude-3-5-haiku', usage: { inputTokens: this.random.between(800, 2000), outputTokens: this.random.between(50, 200) }, latencyMs: this.random.between(400, 1200), status: 'ok', attempt: 1 }));
    const qualified = this.random.chance(0.4);
    events.push(this.event('outcome.recorded', common.agentId, (t += 10), { ...common, outcome: 'lead_qualified', success: qualified, value: qualified ? '50.00' : '0', timeSavedMinutes: qualified ? 20 : 5 }));
    events.push(this.event('run.finished', common.agentId, (t += 10), { ...common, spanId: root, status: 'succeeded', durationMs: t - at }));
    return events;
  }

  /** An expensive model that errors, retries, and ends in failure: all cost, no outcome. */
  private failingRun(traceId: string, at: number): CloudEvent[] {
    const common = { agentId: 'contract-summarizer', team: 'legal', workflow: 'summarize-contract', traceId };
    const root = `${traceId}-root`;
    let t = at;
    const events = [this.event('run.started', common.agentId, t, { ...common, spanId: root, trigger: 'document.uploaded' })];
    let previous: string | undefined;
    const attempts = this.random.between(1, 3);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const spanId = `${traceId}-summarize-${attempt}`;
      const usage = { inputTokens: this.random.between(20_000, 60_000), outputTokens: this.random.between(0, 400), reasoningTokens: 0 };
      events.push(this.event('llm.call', common.agentId, (t += 5_000), { ...common, spanId, parentSpanId: root, provider: 'openai', model: 'gpt-4o', usage, latencyMs: 60_000, status: attempt % 2 === 1 ? 'timeout' : 'error', attempt, ...(previous ? { retryOf: previous } : {}) }));
      previous = spanId;
    }
    events.push(this.event('run.finished', common.agentId, (t += 10), { ...common, spanId: root, status: 'failed', durationMs: t - at }));
    return events;
  }

  /** A third-party agent: no tokens, only the vendor's metered usage for the last minute. */
  private saasUsage(at: number): CloudEvent[] {
    const quantity = this.random.between(1, 20);
    return [
      this.event('saas.usage', 'zendesk-ai', at, {
        agentId: 'zendesk-ai',
        team: 'support',
        workflow: 'deflect-ticket',
        vendor: 'zendesk',
        product: 'ai-agent-resolutions',
        quantity,
        unit: 'resolution',
        periodStart: new Date(at - 60_000).toISOString(),
        periodEnd: new Date(at).toISOString(),
        cost: (quantity * 1.5).toFixed(2),
      }),
    ];
  }

  private event(type: string, agentId: string, at: number, data: Record<string, unknown>): CloudEvent {
    this.sequence += 1;
    return { specversion: '1.0', id: `sim-${this.options.seed}-${this.options.epoch}-${this.sequence}`, source: `agent://${agentId}`, type, time: new Date(at).toISOString(), data };
  }
}

/** `finops.in.<tenant>.<type>` with the type's dots as underscores. */
export const subjectFor = (prefix: string, tenant: string, type: string): string => `${prefix}finops.in.${tenant}.${type.replace(/\./g, '_')}`;
