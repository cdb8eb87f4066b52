import type { ArgsOf, CostGroupView, CostSummaryView, SpendPointView, costBreakdownQuery, costSummaryQuery, spendOverTimeQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { boundedRows, count, exactCount, money } from '../queries/query-sql.js';
import { dimensionColumn, parseWindow, windowRows } from './cost-window.js';
import { dimensionRows, sliceFor } from './dimension-window.js';

const MEASURE_COLUMNS =
  'llm_calls, tool_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, retries, retry_cost, escalations, escalation_cost, unpriced_calls, cost';

type Row = Record<string, string | null>;

/** Totals over [from, to) by event time, LLM, tool and SaaS costs together. */
export async function costSummary(db: PrismaClient, request: QueryRequest<ArgsOf<typeof costSummaryQuery>>): Promise<CostSummaryView> {
  const { args } = request;
  const window = parseWindow(args);
  const slice = sliceFor(null, args.filter);
  const { sql, values } = slice ? dimensionRows(request.tenant, window, slice, 'day', MEASURE_COLUMNS) : windowRows(request.tenant, window, args.filter, MEASURE_COLUMNS, 'day');
  const [row] = await db.$queryRawUnsafe<Row[]>(
    `SELECT sum(cost)::text AS total_cost, sum(llm_calls)::text AS llm_calls, sum(tool_calls)::text AS tool_calls,
            sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
            sum(cache_read_tokens)::text AS cache_read_tokens, sum(cache_write_tokens)::text AS cache_write_tokens,
            sum(reasoning_tokens)::text AS reasoning_tokens, sum(retries)::text AS retries, sum(retry_cost)::text AS retry_cost,
            sum(escalations)::text AS escalations, sum(escalation_cost)::text AS escalation_cost, sum(unpriced_calls)::text AS unpriced_calls
       FROM (${sql}) AS window_rows`,
    ...values,
  );
  const r = row ?? {};
  return {
    totalCost: money(r.total_cost ?? null),
    llmCalls: count(r.llm_calls ?? null),
    toolCalls: count(r.tool_calls ?? null),
    inputTokens: count(r.input_tokens ?? null),
    outputTokens: count(r.output_tokens ?? null),
    cacheReadTokens: count(r.cache_read_tokens ?? null),
    cacheWriteTokens: count(r.cache_write_tokens ?? null),
    reasoningTokens: count(r.reasoning_tokens ?? null),
    retries: count(r.retries ?? null),
    retryCost: money(r.retry_cost ?? null),
    escalations: count(r.escalations ?? null),
    escalationCost: money(r.escalation_cost ?? null),
    unpricedCalls: count(r.unpriced_calls ?? null),
    inputTokensTotal: exactCount(r.input_tokens),
    outputTokensTotal: exactCount(r.output_tokens),
    cacheReadTokensTotal: exactCount(r.cache_read_tokens),
    cacheWriteTokensTotal: exactCount(r.cache_write_tokens),
    reasoningTokensTotal: exactCount(r.reasoning_tokens),
  };
}

/** Totals per value of one dimension, most expensive first. */
export async function costBreakdown(db: PrismaClient, request: QueryRequest<ArgsOf<typeof costBreakdownQuery>>): Promise<CostGroupView[]> {
  const { args } = request;
  const column = dimensionColumn(args.by);
  const window = parseWindow(args);
  const slice = sliceFor(column, args.filter);
  const { sql, values } = slice
    ? dimensionRows(request.tenant, window, slice, 'day', MEASURE_COLUMNS)
    : windowRows(request.tenant, window, args.filter, `${column} AS key, ${MEASURE_COLUMNS}`, 'day');
  const rows = await boundedRows<Row>(
    db,
    'costBreakdown',
    `SELECT key, sum(cost)::text AS total_cost, sum(llm_calls)::text AS llm_calls, sum(tool_calls)::text AS tool_calls,
            sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
            sum(retries)::text AS retries, sum(retry_cost)::text AS retry_cost, sum(escalations)::text AS escalations,
            sum(escalation_cost)::text AS escalation_cost, sum(unpriced_calls)::text AS unpriced_calls
       FROM (${sql}) AS window_rows GROUP BY key ORDER BY sum(cost) DESC, key`,
    ...values,
  );
  return rows.map((row) => ({
    key: row.key ?? '',
    totalCost: money(row.total_cost ?? null),
    llmCalls: count(row.llm_calls ?? null),
    toolCalls: count(row.tool_calls ?? null),
    inputTokens: count(row.input_tokens ?? null),
    outputTokens: count(row.output_tokens ?? null),
    retries: count(row.retries ?? null),
    retryCost: money(row.retry_cost ?? null),
    escalations: count(row.escalations ?? null),
    escalationCost: money(row.escalation_cost ?? null),
    unpricedCalls: count(row.unpriced_calls ?? null),
    inputTokensTotal: exactCount(row.input_tokens),
    outputTokensTotal: exactCount(row.output_tokens),
  }));
}

/** Spend per HOUR or DAY (UTC) bucket, optionally per value of one dimension. */
export async function spendOverTime(db: PrismaClient, request: QueryRequest<ArgsOf<typeof spendOverTimeQuery>>): Promise<SpendPointView[]> {
  const { args } = request;
  if (args.bucket !== 'HOUR' && args.bucket !== 'DAY') throw new QueryError('BAD_USER_INPUT', 'bucket must be HOUR or DAY');
  const unit = args.bucket === 'HOUR' ? 'hour' : 'day';
  const column = args.by ? dimensionColumn(args.by) : null;
  const window = parseWindow(args);
  const slice = sliceFor(column, args.filter);
  // Without a grouping the key is NULL, whichever rollup the rows come from.
  const { sql, values } = slice
    ? dimensionRows(request.tenant, window, slice, unit, 'cost')
    : windowRows(request.tenant, window, args.filter, `${column ?? 'NULL::text'} AS key, cost`, unit);
  const keySql = slice && !column ? 'NULL::text' : 'key';
  const rows = await boundedRows<{ bucket_start: Date; key: string | null; total_cost: string }>(
    db,
    'spendOverTime',
    `SELECT date_trunc('${unit}', time, 'UTC') AS bucket_start, ${keySql} AS key, sum(cost)::text AS total_cost
       FROM (${sql}) AS window_rows GROUP BY 1, 2 ORDER BY 1, 2`,
    ...values,
  );
  return rows.map((row) => ({ bucketStart: new Date(row.bucket_start).toISOString(), key: row.key, totalCost: money(row.total_cost) }));
}
