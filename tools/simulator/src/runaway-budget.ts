import { formatDecimal, parseDecimal } from '@agentledger/money';
import { RUNAWAY_AGENT } from './runaway-agent.js';

export const RUNAWAY_BUDGET_NAME = 'Simulated runaway agent (daily)';

/** The budget the runaway agent runs into: its agent scope, per day, enforced. Thresholds are the defaults, 50/80/100. */
export const runawayBudgetInput = (limit: string) => ({
  name: RUNAWAY_BUDGET_NAME,
  scope: 'AGENT',
  scopeId: RUNAWAY_AGENT.agentId,
  period: 'DAY',
  limit,
  thresholds: [50, 80, 100],
  enforcement: 'BLOCK',
});

/** The mutation to run by hand when the simulator has no admin key. */
export const runawayBudgetMutation = (allowance: string): string =>
  `mutation { setBudget(input: { name: "${RUNAWAY_BUDGET_NAME}", scope: AGENT, scopeId: "${RUNAWAY_AGENT.agentId}", period: DAY, limit: "${allowance}", thresholds: [50, 80, 100], enforcement: BLOCK }) { id limit spent } }`;

interface BudgetRow {
  id: string;
  name: string | null;
  scope: string;
  scopeId: string | null;
  enforcement: string;
  limit: string;
  spent: string;
}

export type GraphqlCall = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** POSTs to the gateway with a bearer key; throws with GraphQL's own message on an error answer. */
export function gatewayClient(url: string, apiKey: string, fetchFn: typeof fetch = fetch): GraphqlCall {
  return async (query, variables) => {
    const response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
    if (!response.ok || !body.data) throw new Error(`${url} answered HTTP ${response.status}`);
    return body.data;
  };
}

const FIELDS = 'id name scope scopeId enforcement limit spent';

/**
 * Makes sure the runaway agent has a BLOCK budget with `allowance` left for this simulation:
 * created on the first run, its limit raised to today's spend + allowance on the next ones (an
 * exceeded BLOCK budget would stop it at once). Alerts are once per budget, period and
 * threshold, so a second run on the same day is blocked again but raises no new alerts.
 */
export async function ensureRunawayBudget(graphql: GraphqlCall, allowance: string): Promise<BudgetRow> {
  const { budgets } = (await graphql(`{ budgets { ${FIELDS} } }`)) as { budgets: BudgetRow[] };
  const mutation = `mutation SetBudget($input: BudgetInput!) { setBudget(input: $input) { ${FIELDS} } }`;
  let budget = budgets.find((row) => row.name === RUNAWAY_BUDGET_NAME && row.scope === 'AGENT' && row.scopeId === RUNAWAY_AGENT.agentId);
  if (!budget) budget = ((await graphql(mutation, { input: runawayBudgetInput(allowance) })) as { setBudget: BudgetRow }).setBudget;
  const spent = parseDecimal(budget.spent);
  if (spent.isZero() && parseDecimal(budget.limit).eq(parseDecimal(allowance))) return budget;
  const limit = formatDecimal(spent.plus(parseDecimal(allowance)));
  return ((await graphql(mutation, { input: { id: budget.id, ...runawayBudgetInput(limit) } })) as { setBudget: BudgetRow }).setBudget;
}
