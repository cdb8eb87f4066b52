import type { ArgsOf, RunSummaryView, RunView, RunsPageView, runQuery, runsQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow, type CostFilter } from '../costs/cost-window.js';
import { filterSql, iso, money, positiveInt, SqlParams } from '../queries/query-sql.js';
import { runCostSql, runsCte } from './runs-sql.js';
import { evaluationsOf, spanTreeOf, type FactSpanRow, type SpanCostRow } from './span-tree.js';

/** One run (trace) with its span tree and the self and total cost of every step; null when unknown. */
export async function run(db: PrismaClient, request: QueryRequest<ArgsOf<typeof runQuery>>): Promise<RunView | null> {
  const { traceId } = request.args;
  const facts = await db.$queryRawUnsafe<FactSpanRow[]>(
    `SELECT type, time, agent_id, team, workflow, span_id, parent_span_id, kind, name, model, tool, attempt, status,
            latency_ms::text AS latency_ms, escalated_from, evaluator, metric, score, passed
       FROM fact_record WHERE tenant = $1 AND trace_id = $2 ORDER BY time, fact_key`,
    request.tenant,
    traceId,
  );
  const costs = await db.$queryRawUnsafe<SpanCostRow[]>(
    `SELECT fact_key, span_id, min(agent_id) AS agent_id, min(team) AS team, min(workflow) AS workflow, min(model) AS model,
            min(tool) AS tool, min(time) AS time, sum(cost)::text AS cost
       FROM cost_entry WHERE tenant = $1 AND trace_id = $2 GROUP BY fact_key, span_id ORDER BY min(time), fact_key`,
    request.tenant,
    traceId,
  );
  if (facts.length === 0 && costs.length === 0) return null;
  return { traceId, ...spanTreeOf(facts, costs), evaluations: evaluationsOf(facts) };
}

const encodeCursor = (startedAt: string, traceId: string) => Buffer.from(JSON.stringify([startedAt, traceId])).toString('base64url');

function decodeCursor(cursor: unknown): [Date, string] | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const [startedAt, traceId] = JSON.parse(Buffer.from(String(cursor), 'base64url').toString()) as [string, string];
    const date = new Date(startedAt);
    if (typeof traceId !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return [date, traceId];
  } catch {
    throw new QueryError('BAD_USER_INPUT', 'after is not a cursor of this query');
  }
}

/** Runs started in [from, to), newest first, a page at a time. */
export async function runs(db: PrismaClient, request: QueryRequest<ArgsOf<typeof runsQuery>>): Promise<RunsPageView> {
  const { args } = request;
  const window = parseWindow(args);
  const first = positiveInt(args.first, 'first', 50, 500);
  const after = decodeCursor(args.after);
  const params = new SqlParams(request.tenant);
  const cte = runsCte(params, window);
  const { model, ...runFilter } = args.filter ?? {};
  let conditions = filterSql(params, runFilter, 'r');
  if (model !== undefined && model !== null) conditions += ` AND ${params.add(model)} = ANY(r.models)`;
  if (after) conditions += ` AND (r.started_at, r.trace_id) < (${params.add(after[0])}::timestamptz, ${params.add(after[1])})`;
  const rows = await db.$queryRawUnsafe<
    Array<{ trace_id: string; agent_id: string; status: string | null; started_at: Date; total_cost: string; outcome: string | null; outcome_success: boolean | null }>
  >(
    `WITH ${cte}
     SELECT r.trace_id, r.agent_id, r.status, r.started_at, ${runCostSql('r')}::text AS total_cost, r.outcome, r.outcome_success
       FROM run_in_window r WHERE true${conditions}
      ORDER BY r.started_at DESC, r.trace_id DESC
      LIMIT ${first + 1}`,
    ...params.values,
  );
  const page = rows.slice(0, first);
  const last = page.at(-1);
  return {
    nodes: page.map((row) => ({
      traceId: row.trace_id,
      agentId: row.agent_id,
      status: row.status,
      startedAt: iso(row.started_at)!,
      totalCost: money(row.total_cost),
      outcome: row.outcome,
      success: row.outcome_success,
    })),
    endCursor: last ? encodeCursor(iso(last.started_at)!, last.trace_id) : null,
    hasNextPage: rows.length > first,
  };
}
