/** The gateway's answers the suite compares: what a user reads, before and after faults and rebuilds. */
export interface GraphqlClient {
  <T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export function graphqlClient(url: string, apiKey: string): GraphqlClient {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`}`);
    return body.data;
  };
}

export interface Window {
  readonly from: string;
  readonly to: string;
}

export interface CostFigures {
  readonly totalCost: string;
  readonly llmCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface BudgetFigures {
  readonly id: string;
  readonly scope: string;
  readonly scopeId: string | null;
  readonly limit: string;
  readonly thresholds: readonly number[];
  readonly spent: string;
  readonly periodStart: string;
  readonly periodEnd: string;
}

export interface DeadLetterView {
  readonly reason: string;
  readonly subject: string;
  readonly receivedAt: string;
}

/** Every view the suite reads, in a stable order so that two snapshots compare as JSON. */
export interface ViewSnapshot {
  readonly summary: CostFigures;
  readonly byAgent: ReadonlyArray<{ key: string; totalCost: string; llmCalls: number; inputTokens: number; outputTokens: number }>;
  readonly byModel: ReadonlyArray<{ key: string; totalCost: string; llmCalls: number }>;
  readonly hourlyByTeam: ReadonlyArray<{ bucketStart: string; key: string | null; totalCost: string }>;
  readonly budgets: readonly BudgetFigures[];
  readonly agents: ReadonlyArray<{ id: string; team: string | null; firstSeen: string | null; lastSeen: string | null; models: string[] }>;
  readonly deadLetters: readonly DeadLetterView[];
  readonly alerts: readonly AlertView[];
}

export interface AlertView {
  readonly kind: string;
  readonly budgetId: string | null;
  readonly threshold: number | null;
  readonly agentId: string | null;
  readonly periodStart: string | null;
}

const SNAPSHOT = `query($from: DateTime!, $to: DateTime!) {
  costSummary(from: $from, to: $to) { totalCost llmCalls inputTokens outputTokens }
  byAgent: costBreakdown(from: $from, to: $to, by: AGENT) { key totalCost llmCalls inputTokens outputTokens }
  byModel: costBreakdown(from: $from, to: $to, by: MODEL) { key totalCost llmCalls }
  hourlyByTeam: spendOverTime(from: $from, to: $to, bucket: HOUR, by: TEAM) { bucketStart key totalCost }
  budgets { id scope scopeId limit thresholds spent periodStart periodEnd }
  agents { id team firstSeen lastSeen models }
  deadLetters(from: $from, to: $to) { reason subject receivedAt }
  alerts(from: $from, to: $to) { kind budgetId threshold agentId periodStart }
}`;

const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export async function readViews(graphql: GraphqlClient, window: Window): Promise<ViewSnapshot> {
  const data = await graphql<{
    costSummary: CostFigures;
    byAgent: ViewSnapshot['byAgent'];
    byModel: ViewSnapshot['byModel'];
    hourlyByTeam: ViewSnapshot['hourlyByTeam'];
    budgets: BudgetFigures[];
    agents: ViewSnapshot['agents'];
    deadLetters: DeadLetterView[];
    alerts: AlertView[];
  }>(SNAPSHOT, { ...window });
  return {
    summary: data.costSummary,
    byAgent: [...data.byAgent].sort(byKey((group) => group.key)),
    byModel: [...data.byModel].sort(byKey((group) => group.key)),
    hourlyByTeam: [...data.hourlyByTeam].sort(byKey((point) => `${point.bucketStart}|${point.key}`)),
    budgets: [...data.budgets].sort(byKey((budget) => budget.id)),
    agents: [...data.agents].sort(byKey((agent) => agent.id)),
    deadLetters: [...data.deadLetters].sort(byKey((letter) => `${letter.receivedAt}|${letter.subject}|${letter.reason}`)),
    alerts: [...data.alerts].sort(byKey((alert) => `${alert.kind}|${alert.budgetId}|${alert.threshold}|${alert.agentId}|${alert.periodStart}`)),
  };
}

/** The first view in which two snapshots differ, in words; undefined when they are equal. */
export function firstDifference(before: ViewSnapshot, after: ViewSnapshot): string | undefined {
  for (const view of Object.keys(before) as Array<keyof ViewSnapshot>) {
    const a = JSON.stringify(before[view]);
    const b = JSON.stringify(after[view]);
    if (a !== b) return `${view}: ${a.slice(0, 300)} ≠ ${b.slice(0, 300)}`;
  }
  return undefined;
}
