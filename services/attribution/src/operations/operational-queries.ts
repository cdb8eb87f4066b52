import type { ArgsOf, OperationalSummaryView, RoutingDecisionView, operationalSummaryQuery, routingDecisionsQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow, type CostFilter } from '../costs/cost-window.js';
import { count, factCostSql, filterSql, fromCount, money, rate, SqlParams } from '../queries/query-sql.js';

/** `status` values that count as errors (a cancelled call was stopped, not failed). */
const ERROR_STATUSES = "('error', 'timeout')";

/** LLM and tool calls in [from, to) by event time: retries, escalations, errors and latency per model. */
export async function operationalSummary(db: PrismaClient, request: QueryRequest<ArgsOf<typeof operationalSummaryQuery>>): Promise<OperationalSummaryView> {
  const { args } = request;
  const window = parseWindow(args);
  const params = new SqlParams(request.tenant);
  const where = `f.tenant = $1 AND f.time >= ${params.add(window.from)} AND f.time < ${params.add(window.to)}${filterSql(params, args.filter, 'f')}`;
  const [totals] = await db.$queryRawUnsafe<Array<Record<string, string | null>>>(
    `SELECT count(*)::text AS calls,
            count(*) FILTER (WHERE attempt > 1)::text AS retries,
            sum(cost) FILTER (WHERE attempt > 1)::text AS retry_cost,
            count(*) FILTER (WHERE escalated_from IS NOT NULL)::text AS escalations,
            sum(cost) FILTER (WHERE escalated_from IS NOT NULL)::text AS escalation_cost,
            count(*) FILTER (WHERE status IN ${ERROR_STATUSES})::text AS errors
       FROM (SELECT f.attempt, f.escalated_from, f.status, ${factCostSql('f')} AS cost
               FROM fact_record f WHERE f.type IN ('llm.call', 'tool.call') AND ${where}) AS calls`,
    ...params.values,
  );
  const latency = await db.$queryRawUnsafe<Array<{ model: string; calls: string; p50: number | null; p95: number | null }>>(
    `SELECT f.model, count(*)::text AS calls,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY f.latency_ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY f.latency_ms) AS p95
       FROM fact_record f WHERE f.type = 'llm.call' AND ${where}
      GROUP BY f.model ORDER BY f.model`,
    ...params.values,
  );
  const calls = fromCount(count(totals?.calls));
  const retries = count(totals?.retries);
  const escalations = count(totals?.escalations);
  const errors = count(totals?.errors);
  return {
    calls: calls.toNumber(),
    retries,
    retryRate: rate(fromCount(retries), calls),
    retryCost: money(totals?.retry_cost),
    escalations,
    escalationRate: rate(fromCount(escalations), calls),
    escalationCost: money(totals?.escalation_cost),
    errors,
    errorRate: rate(fromCount(errors), calls),
    latencyByModel: latency.map((row) => ({ model: row.model, calls: count(row.calls), p50Ms: row.p50 ?? null, p95Ms: row.p95 ?? null })),
  };
}

/** LLM calls in [from, to) per router and decision, with what the calls routed that way cost. */
export async function routingDecisions(db: PrismaClient, request: QueryRequest<ArgsOf<typeof routingDecisionsQuery>>): Promise<RoutingDecisionView[]> {
  const window = parseWindow(request.args);
  const rows = await db.$queryRawUnsafe<Array<{ router: string; decision: string; count: string; total_cost: string }>>(
    `SELECT router, decision, count(*)::text AS count, sum(cost)::text AS total_cost
       FROM (SELECT f.router, coalesce(f.decision, '') AS decision, ${factCostSql('f')} AS cost
               FROM fact_record f
              WHERE f.tenant = $1 AND f.type = 'llm.call' AND f.router IS NOT NULL AND f.time >= $2 AND f.time < $3) AS routed
      GROUP BY router, decision ORDER BY count(*) DESC, router, decision`,
    request.tenant,
    window.from,
    window.to,
  );
  return rows.map((row) => ({ router: row.router, decision: row.decision, count: count(row.count), totalCost: money(row.total_cost) }));
}

