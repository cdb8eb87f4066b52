import { z } from 'zod';
import { defineQuery, returns } from './contract.js';
import { windowArgs } from './args.js';

// The dimensions costs are grouped by, as the GraphQL enum names them.
export const COST_DIMENSIONS = ['AGENT', 'TEAM', 'WORKFLOW', 'MODEL', 'PROVIDER', 'ENVIRONMENT', 'TOOL'] as const;
export type CostDimensionName = (typeof COST_DIMENSIONS)[number];

const dimension = z.enum(COST_DIMENSIONS);
const optionalText = z.string().nullish();

/** Narrows costs to events matching every field given. */
export const costFilterSchema = z.object({ agentId: optionalText, team: optionalText, workflow: optionalText, model: optionalText, environment: optionalText });
export type CostFilterArgs = z.output<typeof costFilterSchema>;

const filter = costFilterSchema.nullish();
const positiveInt = z.int().min(1).nullish();

export interface CostSummaryView {
  totalCost: string;
  llmCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  retries: number;
  retryCost: string;
  escalations: number;
  escalationCost: string;
  unpricedCalls: number;
  /** The token totals exact, as integer strings of any size (the numbers above lose digits past 2^53; GraphQL's Int stops at 2^31 − 1). */
  inputTokensTotal?: string;
  outputTokensTotal?: string;
  cacheReadTokensTotal?: string;
  cacheWriteTokensTotal?: string;
  reasoningTokensTotal?: string;
}

export interface CostGroupView {
  key: string;
  totalCost: string;
  llmCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  retries: number;
  retryCost: string;
  escalations: number;
  escalationCost: string;
  unpricedCalls: number;
  /** Exact token totals, integer strings of any size. */
  inputTokensTotal?: string;
  outputTokensTotal?: string;
}

/** A group of `attributeBreakdown`: key '' for the costs that do not carry the attribute. */
export type AttributeGroupView = Pick<CostGroupView, 'key' | 'totalCost' | 'llmCalls' | 'toolCalls' | 'inputTokens' | 'outputTokens' | 'inputTokensTotal' | 'outputTokensTotal'>;

export interface SpendPointView {
  bucketStart: string;
  key: string | null;
  totalCost: string;
}

export interface OutcomeEconomicsView {
  key: string;
  outcome: string;
  successes: number;
  totalCost: string;
  costPerOutcome: string | null;
  value: string;
  timeSavedMinutes: number;
  roi: string | null;
}

export interface SpanView {
  spanId: string;
  parentSpanId: string | null;
  kind: string;
  name: string;
  /** The span's own cost. */
  cost: string;
  /** Its own cost plus its descendants'. */
  totalCost: string;
  attempt: number;
  status: string | null;
  model: string | null;
  tool: string | null;
  latencyMs: number | null;
  escalatedFrom: string | null;
}

/** An `evaluation.scored` of a run: who judged what, and the step judged when it was named. */
export interface RunEvaluationView {
  evaluator: string;
  metric: string;
  score: number;
  passed: boolean | null;
  /** The step judged (`spanId` of the event), null when the whole run was. */
  spanId: string | null;
  time: string;
}

export interface RunView {
  traceId: string;
  agentId: string;
  team: string;
  workflow: string;
  status: string | null;
  startedAt: string;
  finishedAt: string | null;
  totalCost: string;
  spans: SpanView[];
  /** The run's evaluations, in time order. */
  evaluations: RunEvaluationView[];
}

export interface RunSummaryView {
  traceId: string;
  agentId: string;
  status: string | null;
  startedAt: string;
  totalCost: string;
  outcome: string | null;
  success: boolean | null;
}

export interface RunsPageView {
  nodes: RunSummaryView[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ModelLatencyView {
  model: string;
  calls: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface OperationalSummaryView {
  calls: number;
  retries: number;
  retryRate: string;
  retryCost: string;
  escalations: number;
  escalationRate: string;
  escalationCost: string;
  errors: number;
  errorRate: string;
  latencyByModel: ModelLatencyView[];
}

export interface RoutingDecisionView {
  router: string;
  decision: string;
  count: number;
  totalCost: string;
}

export interface EvaluationSummaryView {
  key: string;
  evaluator: string;
  metric: string;
  count: number;
  passed: number;
  averageScore: number;
  totalCost: string;
  costPerPassing: string | null;
}

export interface WasteView {
  key: string;
  runs: number;
  unsuccessfulRuns: number;
  wastedCost: string;
  totalCost: string;
}

export interface AgentEfficiencyView {
  agentId: string;
  totalCost: string;
  shareOfCost: string;
  successes: number;
  shareOfSuccesses: string;
  value: string;
  costPerOutcome: string | null;
  roi: string | null;
}

export interface ActiveAgentView {
  agentId: string;
  team: string;
  calls: number;
  totalCost: string;
  lastSeen: string;
}

const service = 'attribution';

export const costSummaryQuery = defineQuery({ service, name: 'costSummary', args: z.object({ ...windowArgs, filter }), result: returns<CostSummaryView>() });

export const costBreakdownQuery = defineQuery({
  service,
  name: 'costBreakdown',
  args: z.object({ ...windowArgs, by: dimension, filter }),
  result: returns<CostGroupView[]>(),
});

export const attributeBreakdownQuery = defineQuery({
  service,
  name: 'attributeBreakdown',
  args: z.object({ ...windowArgs, attribute: z.string(), filter }),
  result: returns<AttributeGroupView[]>(),
});

export const spendOverTimeQuery = defineQuery({
  service,
  name: 'spendOverTime',
  args: z.object({ ...windowArgs, bucket: z.enum(['HOUR', 'DAY']), by: dimension.nullish(), filter }),
  result: returns<SpendPointView[]>(),
});

export const outcomeEconomicsQuery = defineQuery({
  service,
  name: 'outcomeEconomics',
  args: z.object({ ...windowArgs, by: dimension }),
  result: returns<OutcomeEconomicsView[]>(),
});

export const runQuery = defineQuery({ service, name: 'run', args: z.object({ traceId: z.string().min(1) }), result: returns<RunView | null>() });

export const runsQuery = defineQuery({
  service,
  name: 'runs',
  args: z.object({ ...windowArgs, filter, first: positiveInt, after: z.string().nullish() }),
  result: returns<RunsPageView>(),
});

export const operationalSummaryQuery = defineQuery({
  service,
  name: 'operationalSummary',
  args: z.object({ ...windowArgs, filter }),
  result: returns<OperationalSummaryView>(),
});

export const routingDecisionsQuery = defineQuery({ service, name: 'routingDecisions', args: z.object(windowArgs), result: returns<RoutingDecisionView[]>() });

export const evaluationSummaryQuery = defineQuery({
  service,
  name: 'evaluationSummary',
  args: z.object({ ...windowArgs, by: dimension }),
  result: returns<EvaluationSummaryView[]>(),
});

export const wasteQuery = defineQuery({ service, name: 'waste', args: z.object({ ...windowArgs, by: dimension }), result: returns<WasteView[]>() });

export const agentEfficiencyQuery = defineQuery({
  service,
  name: 'agentEfficiency',
  args: z.object({ ...windowArgs, limit: positiveInt }),
  result: returns<AgentEfficiencyView[]>(),
});

export const activeAgentsQuery = defineQuery({ service, name: 'activeAgents', args: z.object(windowArgs), result: returns<ActiveAgentView[]>() });

/** One agent's activity in a window, in one environment. */
export interface AgentEnvironmentActivityView {
  /** As the events say (absent = `production`). */
  environment: string;
  totalCost: string;
  evaluations: number;
  passedEvaluations: number;
}

/** One agent's activity in a window: the same cost and calls as its `costBreakdown(by: AGENT)` group. */
export interface AgentActivityView {
  agentId: string;
  totalCost: string;
  llmCalls: number;
  toolCalls: number;
  /** Sum of `quantity` of its successful outcomes. */
  successfulOutcomes: string;
  evaluations: number;
  passedEvaluations: number;
  /** The same figures per environment of its events, sorted by environment; they add up to the agent's. */
  byEnvironment: AgentEnvironmentActivityView[];
}

/** The most agent ids one `agentActivity` may name: a page of the inventory. */
export const MAX_AGENT_ACTIVITY_IDS = 10_000;

/**
 * Cost, calls, successful outcomes and evaluations per agent in one look-up: for the agents
 * named (each of them answered, with zeros when it did nothing), or for every agent with
 * activity in the window when `agentIds` is left out. Sorted by agent id.
 */
export const agentActivityQuery = defineQuery({
  service,
  name: 'agentActivity',
  args: z.object({ ...windowArgs, agentIds: z.array(z.string().min(1).max(200)).max(MAX_AGENT_ACTIVITY_IDS).nullish() }),
  result: returns<AgentActivityView[]>(),
});

/** One priced event as the FOCUS export needs it: its first pricing and every correction, summed. */
export interface FocusCostView {
  factKey: string;
  /** `llm.call`, `tool.call` or `saas.usage`. */
  factType: string;
  /** The event's time, ISO 8601 in UTC with milliseconds. */
  time: string;
  agentId: string;
  team: string;
  workflow: string;
  environment: string;
  provider: string;
  model: string;
  tool: string;
  vendor: string;
  traceId: string;
  spanId: string;
  inputTokens: string;
  outputTokens: string;
  cacheReadTokens: string;
  cacheWriteTokens: string;
  reasoningTokens: string;
  /** The event's cost after every correction, exact. */
  cost: string;
  /**
   * The cost by part (`input`, `cacheRead`, `cacheWrite`, `output`, `reasoning`, `requestFee`,
   * `other`), parts that are zero left out, summing to `cost`; null for events recorded before
   * attribution kept breakdowns (until a rebuild).
   */
  breakdown: Record<string, string> | null;
  /** The configured rollup attributes the event carries. */
  attributes: Record<string, string>;
  /** The latest outcome recorded in the event's run, '' when none. */
  outcome: string;
  outcomeSuccess: boolean | null;
}

/** The most rows one `focusCosts` page may hold. */
export const MAX_FOCUS_PAGE = 5_000;

/**
 * A page of the tenant's priced events in [from, to), ordered by (time, factKey): pass the last
 * row's `time` and `factKey` as `after` to read the next page. Keyset paging, so an export of
 * any size reads each row once and holds one page at a time.
 */
export const focusCostsQuery = defineQuery({
  service,
  name: 'focusCosts',
  args: z.object({
    ...windowArgs,
    after: z.object({ time: windowArgs.from, factKey: z.string().min(1).max(1_000) }).nullish(),
    limit: z.int().min(1).max(MAX_FOCUS_PAGE).nullish(),
  }),
  result: returns<FocusCostView[]>(),
});
