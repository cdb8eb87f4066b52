import { formatDecimal, sum, ZERO, type Decimal } from '@agentledger/money';
import type { AgentActivityView, AgentEnvironmentActivityView, ArgsOf, agentActivityQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow, windowRows } from '../costs/cost-window.js';
import { count, decimalOf } from '../queries/query-sql.js';

interface EnvironmentRow {
  agent_id: string;
  environment: string;
  total_cost: string | null;
  llm_calls: string | null;
  tool_calls: string | null;
  successes: string | null;
  evaluations: string | null;
  passed: string | null;
}

interface EnvironmentTotals {
  environment: string;
  cost: Decimal;
  llmCalls: number;
  toolCalls: number;
  successes: Decimal;
  evaluations: number;
  passed: number;
}

/**
 * Per agent and environment in [from, to): cost and calls from the same rows `costBreakdown`
 * sums (whole hours from the rollup, the edges from the entries), so an agent's cost is its
 * `costBreakdown(by: AGENT)` group to the last decimal; successful outcomes and evaluations
 * from the facts. One statement for any number of agents.
 */
export async function agentActivity(db: PrismaClient, request: QueryRequest<ArgsOf<typeof agentActivityQuery>>): Promise<AgentActivityView[]> {
  const window = parseWindow(request.args);
  const agentIds = request.args.agentIds ?? null;
  if (agentIds !== null && agentIds.length === 0) return [];
  const { sql, values } = windowRows(request.tenant, window, null, 'agent_id, environment, cost, llm_calls, tool_calls');
  const from = `$${values.length + 1}`;
  const to = `$${values.length + 2}`;
  const ids = `$${values.length + 3}`;
  const named = (column: string) => `(${ids}::text[] IS NULL OR ${column} = ANY(${ids}::text[]))`;
  const rows = await db.$queryRawUnsafe<EnvironmentRow[]>(
    `WITH costs AS (
       SELECT agent_id, environment, sum(cost) AS total_cost, sum(llm_calls) AS llm_calls, sum(tool_calls) AS tool_calls
         FROM (${sql}) AS w WHERE ${named('agent_id')} GROUP BY agent_id, environment
     ),
     facts AS (
       SELECT agent_id, environment,
              sum(quantity) FILTER (WHERE type = 'outcome.recorded' AND success) AS successes,
              count(*) FILTER (WHERE type = 'evaluation.scored') AS evaluations,
              count(*) FILTER (WHERE type = 'evaluation.scored' AND passed) AS passed
         FROM fact_record
        WHERE tenant = $1 AND type IN ('outcome.recorded', 'evaluation.scored') AND time >= ${from} AND time < ${to} AND ${named('agent_id')}
        GROUP BY agent_id, environment
     )
     SELECT agent_id, environment, c.total_cost::text AS total_cost, c.llm_calls::text AS llm_calls, c.tool_calls::text AS tool_calls,
            f.successes::text AS successes, f.evaluations::text AS evaluations, f.passed::text AS passed
       FROM costs c FULL JOIN facts f USING (agent_id, environment)
      ORDER BY agent_id, environment`,
    ...values,
    window.from,
    window.to,
    agentIds,
  );
  const byAgent = new Map<string, EnvironmentTotals[]>();
  for (const id of agentIds ?? []) byAgent.set(id, []);
  for (const row of rows) {
    const environments = byAgent.get(row.agent_id) ?? [];
    byAgent.set(row.agent_id, environments);
    environments.push({
      environment: row.environment,
      cost: decimalOf(row.total_cost),
      llmCalls: count(row.llm_calls),
      toolCalls: count(row.tool_calls),
      successes: decimalOf(row.successes),
      evaluations: count(row.evaluations),
      passed: count(row.passed),
    });
  }
  return [...byAgent.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([agentId, environments]) => activityOf(agentId, environments));
}

function activityOf(agentId: string, environments: EnvironmentTotals[]): AgentActivityView {
  const total = <K extends 'llmCalls' | 'toolCalls' | 'evaluations' | 'passed'>(key: K) => environments.reduce((n, e) => n + e[key], 0);
  return {
    agentId,
    totalCost: formatDecimal(sum(environments.map((e) => e.cost))),
    llmCalls: total('llmCalls'),
    toolCalls: total('toolCalls'),
    successfulOutcomes: formatDecimal(environments.reduce((n, e) => n.plus(e.successes), ZERO)),
    evaluations: total('evaluations'),
    passedEvaluations: total('passed'),
    byEnvironment: environments.map(
      (e): AgentEnvironmentActivityView => ({ environment: e.environment, totalCost: formatDecimal(e.cost), evaluations: e.evaluations, passedEvaluations: e.passed }),
    ),
  };
}
