import type { ActiveAgentView, ArgsOf, activeAgentsQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow, windowRows } from '../costs/cost-window.js';
import { boundedRows, count, iso, money } from '../queries/query-sql.js';

/** Agents with a fact or a cost in [from, to): their LLM and tool calls, cost, and last event time. */
export async function activeAgents(db: PrismaClient, request: QueryRequest<ArgsOf<typeof activeAgentsQuery>>): Promise<ActiveAgentView[]> {
  const window = parseWindow(request.args);
  const { sql, values } = windowRows(request.tenant, window, null, 'agent_id, team, cost');
  const from = `$${values.length + 1}`;
  const to = `$${values.length + 2}`;
  const rows = await boundedRows<{ agent_id: string; team: string; calls: string; total_cost: string; last_seen: Date | null }>(
    db,
    'activeAgents',
    `WITH costs AS (
       SELECT agent_id, max(team) AS team, sum(cost) AS total_cost, max(time) AS last_cost FROM (${sql}) AS w GROUP BY agent_id
     ),
     facts AS (
       SELECT agent_id, max(team) AS team, count(*) FILTER (WHERE type IN ('llm.call', 'tool.call')) AS calls, max(time) AS last_seen
         FROM fact_record WHERE tenant = $1 AND time >= ${from} AND time < ${to} AND agent_id <> '' GROUP BY agent_id
     )
     SELECT agent_id, coalesce(nullif(f.team, ''), c.team, '') AS team, coalesce(f.calls, 0)::text AS calls,
            coalesce(c.total_cost, 0)::text AS total_cost, coalesce(f.last_seen, c.last_cost) AS last_seen
       FROM facts f FULL JOIN costs c USING (agent_id)
      ORDER BY coalesce(c.total_cost, 0) DESC, agent_id`,
    ...values,
    window.from,
    window.to,
  );
  return rows.map((row) => ({ agentId: row.agent_id, team: row.team, calls: count(row.calls), totalCost: money(row.total_cost), lastSeen: iso(row.last_seen)! }));
}
