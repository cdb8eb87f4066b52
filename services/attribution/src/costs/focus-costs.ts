import { formatDecimal, parseDecimal, ZERO, type Decimal } from '@agentledger/money';
import { MAX_FOCUS_PAGE, type ArgsOf, type FocusCostView, type focusCostsQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow } from './cost-window.js';

const DEFAULT_PAGE = 2_000;

interface FocusRow {
  fact_key: string;
  fact_type: string;
  time: string;
  agent_id: string;
  team: string;
  workflow: string;
  environment: string;
  provider: string;
  model: string;
  tool: string;
  vendor: string;
  trace_id: string;
  span_id: string;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  reasoning_tokens: string;
  cost: string;
  breakdowns: Array<Record<string, string> | null>;
  attributes: Record<string, string>;
  outcome: string | null;
  success: boolean | null;
}

/**
 * One row per fact: its first pricing (kind 0) gives the dimensions and tokens, every row of
 * the fact adds its cost; the run's latest outcome joined by trace. Keyset paging on
 * (time, fact_key), served by the (tenant, time) index.
 */
const FOCUS_PAGE = `
WITH page AS (
  SELECT fact_key, min(time) AS time,
         (array_agg(fact_type ORDER BY kind, cost_id))[1] AS fact_type,
         (array_agg(agent_id ORDER BY kind, cost_id))[1] AS agent_id,
         (array_agg(team ORDER BY kind, cost_id))[1] AS team,
         (array_agg(workflow ORDER BY kind, cost_id))[1] AS workflow,
         (array_agg(environment ORDER BY kind, cost_id))[1] AS environment,
         (array_agg(provider ORDER BY kind, cost_id))[1] AS provider,
         (array_agg(model ORDER BY kind, cost_id))[1] AS model,
         (array_agg(tool ORDER BY kind, cost_id))[1] AS tool,
         (array_agg(vendor ORDER BY kind, cost_id))[1] AS vendor,
         (array_agg(trace_id ORDER BY kind, cost_id))[1] AS trace_id,
         (array_agg(span_id ORDER BY kind, cost_id))[1] AS span_id,
         (array_agg(attributes ORDER BY kind, cost_id))[1] AS attributes,
         sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
         sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,
         sum(reasoning_tokens) AS reasoning_tokens,
         sum(cost) AS cost, sum(llm_calls) AS llm_calls, sum(tool_calls) AS tool_calls,
         jsonb_agg(breakdown ORDER BY kind, cost_id) AS breakdowns
    FROM cost_entry
   WHERE tenant = $1 AND time >= $2 AND time < $3
     AND ($4::timestamptz IS NULL OR (time, fact_key) > ($4::timestamptz, $5::text))
   GROUP BY time, fact_key
   ORDER BY time, fact_key
   LIMIT $6
)
SELECT p.fact_key,
       CASE WHEN p.fact_type <> '' THEN p.fact_type
            WHEN p.model <> '' THEN 'llm.call' WHEN p.tool <> '' THEN 'tool.call' ELSE 'saas.usage' END AS fact_type,
       to_char(p.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
       p.agent_id, p.team, p.workflow, p.environment, p.provider, p.model, p.tool, p.vendor, p.trace_id, p.span_id,
       p.input_tokens::text AS input_tokens, p.output_tokens::text AS output_tokens,
       p.cache_read_tokens::text AS cache_read_tokens, p.cache_write_tokens::text AS cache_write_tokens,
       p.reasoning_tokens::text AS reasoning_tokens, p.cost::text AS cost, p.breakdowns, p.attributes,
       o.outcome, o.success
  FROM page p
  LEFT JOIN LATERAL (
    SELECT f.outcome, f.success FROM fact_record f
     WHERE f.tenant = $1 AND p.trace_id <> '' AND f.trace_id = p.trace_id AND f.type = 'outcome.recorded'
     ORDER BY f.time DESC, f.fact_key DESC LIMIT 1
  ) o ON true
 ORDER BY p.time, p.fact_key`;

/** The parts of a fact's rows summed; null when any row was written without a breakdown. */
function summedBreakdown(breakdowns: ReadonlyArray<Record<string, string> | null>): Record<string, string> | null {
  const totals = new Map<string, Decimal>();
  for (const breakdown of breakdowns) {
    if (breakdown === null) return null;
    for (const [part, value] of Object.entries(breakdown)) totals.set(part, (totals.get(part) ?? ZERO).plus(parseDecimal(value)));
  }
  const parts: Record<string, string> = {};
  for (const [part, amount] of totals) if (!amount.isZero()) parts[part] = formatDecimal(amount);
  return parts;
}

function viewOf(row: FocusRow): FocusCostView {
  return {
    factKey: row.fact_key,
    factType: row.fact_type,
    time: row.time,
    agentId: row.agent_id,
    team: row.team,
    workflow: row.workflow,
    environment: row.environment,
    provider: row.provider,
    model: row.model,
    tool: row.tool,
    vendor: row.vendor,
    traceId: row.trace_id,
    spanId: row.span_id,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheReadTokens: row.cache_read_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    cost: formatDecimal(parseDecimal(row.cost)),
    breakdown: summedBreakdown(row.breakdowns),
    attributes: row.attributes ?? {},
    outcome: row.outcome ?? '',
    outcomeSuccess: row.success,
  };
}

/** A page of the tenant's priced events in [from, to) for the FOCUS export (see `focusCostsQuery`). */
export async function focusCosts(db: PrismaClient, request: QueryRequest<ArgsOf<typeof focusCostsQuery>>): Promise<FocusCostView[]> {
  const window = parseWindow(request.args);
  const limit = request.args.limit ?? DEFAULT_PAGE;
  if (limit > MAX_FOCUS_PAGE) throw new QueryError('BAD_USER_INPUT', `limit must be at most ${MAX_FOCUS_PAGE}`);
  const after = request.args.after ?? null;
  const rows = await db.$queryRawUnsafe<FocusRow[]>(
    FOCUS_PAGE,
    request.tenant,
    window.from,
    window.to,
    after ? new Date(after.time) : null,
    after ? after.factKey : null,
    limit,
  );
  return rows.map(viewOf);
}
