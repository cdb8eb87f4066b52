import { formatDecimal, ZERO, type Decimal } from '@agentledger/money';
import type { AgentEfficiencyView, ArgsOf, OutcomeEconomicsView, WasteView, agentEfficiencyQuery, outcomeEconomicsQuery, wasteQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow, windowRows } from '../costs/cost-window.js';
import { boundedRows, count, decimalOf, dimensionOf, money, positiveInt, quotient, rate, runDimensionSql, SqlParams, type Dimension } from '../queries/query-sql.js';
import { runCostSql, runsCte } from '../runs/runs-sql.js';

/** The whole cost in the window per value of one cost dimension (failed runs included). */
async function costByKey(db: PrismaClient, tenant: string, window: { from: Date; to: Date }, column: string): Promise<Map<string, Decimal>> {
  const { sql, values } = windowRows(tenant, window, null, `${column} AS key, cost`);
  const rows = await db.$queryRawUnsafe<Array<{ key: string; total_cost: string }>>(`SELECT key, sum(cost)::text AS total_cost FROM (${sql}) AS w GROUP BY key`, ...values);
  return new Map(rows.map((row) => [row.key, decimalOf(row.total_cost)]));
}

/**
 * The key of outcome (or evaluation) fact `alias` along a dimension: its own (or its run's)
 * agent, team, workflow, environment; for model, provider and tool, each value among its
 * run's costs, so an outcome counts for every model its run used.
 */
function keyedFacts(dimension: Dimension, alias: string): { key: string; join: string } {
  if (dimension.ofRun) return { key: runDimensionSql(alias, dimension.column), join: '' };
  return {
    key: 'k.key',
    join: `JOIN LATERAL (SELECT DISTINCT c.${dimension.column} AS key FROM cost_entry c
                          WHERE c.tenant = ${alias}.tenant AND ${alias}.trace_id <> '' AND c.trace_id = ${alias}.trace_id) k ON true`,
  };
}

/** Per group and outcome kind: successes, the group's whole cost per success, value, time saved, ROI. */
export async function outcomeEconomics(db: PrismaClient, request: QueryRequest<ArgsOf<typeof outcomeEconomicsQuery>>): Promise<OutcomeEconomicsView[]> {
  const { args } = request;
  const window = parseWindow(args);
  const dimension = dimensionOf(args.by);
  const keyed = keyedFacts(dimension, 'o');
  const rows = await boundedRows<{ key: string; outcome: string; successes: string | null; value: string | null; time_saved: number | null }>(
    db,
    'outcomeEconomics',
    `SELECT ${keyed.key} AS key, o.outcome,
            sum(o.quantity) FILTER (WHERE o.success)::text AS successes,
            sum(o.value) FILTER (WHERE o.success)::text AS value,
            sum(o.time_saved_minutes) FILTER (WHERE o.success) AS time_saved
       FROM fact_record o ${keyed.join}
      WHERE o.tenant = $1 AND o.type = 'outcome.recorded' AND o.time >= $2 AND o.time < $3
      GROUP BY 1, 2 ORDER BY 1, 2`,
    request.tenant,
    window.from,
    window.to,
  );
  const costs = await costByKey(db, request.tenant, window, dimension.column);
  return rows.map((row) => {
    const successes = decimalOf(row.successes);
    const value = decimalOf(row.value);
    const totalCost = costs.get(row.key) ?? ZERO;
    return {
      key: row.key,
      outcome: row.outcome,
      successes: successes.toNumber(),
      totalCost: formatDecimal(totalCost),
      costPerOutcome: quotient(totalCost, successes),
      value: formatDecimal(value),
      timeSavedMinutes: row.time_saved ?? 0,
      roi: quotient(value, totalCost),
    };
  });
}

/**
 * Runs started in [from, to) and their whole cost; waste is the cost of those that ended
 * (a `run.finished`) without a successful outcome. Runs still going are not waste yet.
 */
export async function waste(db: PrismaClient, request: QueryRequest<ArgsOf<typeof wasteQuery>>): Promise<WasteView[]> {
  const { args } = request;
  const window = parseWindow(args);
  const dimension = dimensionOf(args.by);
  const params = new SqlParams(request.tenant);
  const cte = runsCte(params, window);
  const source = dimension.ofRun
    ? `SELECT r.trace_id, r.unsuccessful, r.${dimension.column} AS key, ${runCostSql('r')} AS cost FROM ended r`
    : `SELECT r.trace_id, r.unsuccessful, coalesce(c.${dimension.column}, '') AS key, coalesce(c.cost, 0) AS cost
         FROM ended r LEFT JOIN cost_entry c ON c.tenant = $1 AND c.trace_id = r.trace_id`;
  const rows = await boundedRows<{ key: string; runs: string; unsuccessful_runs: string; wasted_cost: string | null; total_cost: string | null }>(
    db,
    'waste',
    `WITH ${cte},
     ended AS (SELECT *, (status IS NOT NULL AND NOT successful) AS unsuccessful FROM run_in_window)
     SELECT key, count(DISTINCT trace_id)::text AS runs, count(DISTINCT trace_id) FILTER (WHERE unsuccessful)::text AS unsuccessful_runs,
            sum(cost) FILTER (WHERE unsuccessful)::text AS wasted_cost, sum(cost)::text AS total_cost
       FROM (${source}) AS run_costs
      GROUP BY key ORDER BY coalesce(sum(cost) FILTER (WHERE unsuccessful), 0) DESC, key`,
    ...params.values,
  );
  return rows.map((row) => ({
    key: row.key,
    runs: count(row.runs),
    unsuccessfulRuns: count(row.unsuccessful_runs),
    wastedCost: money(row.wasted_cost),
    totalCost: money(row.total_cost),
  }));
}

/** Agents that consume the most relative to their outcomes: share of cost minus share of successes, descending. */
export async function agentEfficiency(db: PrismaClient, request: QueryRequest<ArgsOf<typeof agentEfficiencyQuery>>): Promise<AgentEfficiencyView[]> {
  const { args } = request;
  const window = parseWindow(args);
  const limit = positiveInt(args.limit, 'limit', 10, 500);
  const costs = await costByKey(db, request.tenant, window, 'agent_id');
  const outcomes = await db.$queryRawUnsafe<Array<{ agent_id: string; successes: string | null; value: string | null }>>(
    `SELECT agent_id, sum(quantity) FILTER (WHERE success)::text AS successes, sum(value) FILTER (WHERE success)::text AS value
       FROM fact_record WHERE tenant = $1 AND type = 'outcome.recorded' AND time >= $2 AND time < $3 GROUP BY agent_id`,
    request.tenant,
    window.from,
    window.to,
  );
  const byAgent = new Map(outcomes.map((row) => [row.agent_id, { successes: decimalOf(row.successes), value: decimalOf(row.value) }]));
  const agents = [...new Set([...costs.keys(), ...byAgent.keys()])];
  const totalCost = [...costs.values()].reduce((a, b) => a.plus(b), ZERO);
  const totalSuccesses = [...byAgent.values()].reduce((a, b) => a.plus(b.successes), ZERO);
  const ranked = agents.map((agentId) => {
    const cost = costs.get(agentId) ?? ZERO;
    const { successes, value } = byAgent.get(agentId) ?? { successes: ZERO, value: ZERO };
    const costShare = totalCost.isZero() ? ZERO : cost.div(totalCost);
    const successShare = totalSuccesses.isZero() ? ZERO : successes.div(totalSuccesses);
    return {
      gap: costShare.minus(successShare),
      view: {
        agentId,
        totalCost: formatDecimal(cost),
        shareOfCost: rate(cost, totalCost),
        successes: successes.toNumber(),
        shareOfSuccesses: rate(successes, totalSuccesses),
        value: formatDecimal(value),
        costPerOutcome: quotient(cost, successes),
        roi: quotient(value, cost),
      },
    };
  });
  ranked.sort((a, b) => b.gap.comparedTo(a.gap) || a.view.agentId.localeCompare(b.view.agentId));
  return ranked.slice(0, limit).map((entry) => entry.view);
}
