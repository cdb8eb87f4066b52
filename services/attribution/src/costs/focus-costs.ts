import { formatDecimal, parseDecimal, ZERO, type Decimal } from '@agentledger/money';
import { CostKind, MAX_FOCUS_PAGE, type ArgsOf, type FocusCostView, type focusCostsQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { money } from '../queries/query-sql.js';
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
 * One row per fact: the page is read off the first pricings (kind PRICED) alone, in (time, fact_key)
 * order from the (tenant, time) index, stopping at the page's size; each one's corrections
 * are then added in through the (tenant, fact_key) index, and the run's latest outcome joined
 * by trace. A correction carries its fact's event time, so the rows of a window hold exactly
 * the costs `costSummary` sums for it.
 */
const FOCUS_PAGE = `
WITH page AS (
  SELECT fact_key, time, fact_type, agent_id, team, workflow, environment, provider, model, tool, vendor, trace_id, span_id, attributes,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens
    FROM cost_entry
   WHERE tenant = $1 AND kind = $7 AND time >= $2 AND time < $3
     AND ($4::timestamptz IS NULL OR (time, fact_key) > ($4::timestamptz, $5::text))
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
       p.reasoning_tokens::text AS reasoning_tokens, c.cost::text AS cost, c.breakdowns, p.attributes,
       o.outcome, o.success
  FROM page p
 CROSS JOIN LATERAL (
    SELECT sum(e.cost) AS cost, jsonb_agg(e.breakdown ORDER BY e.kind, e.cost_id) AS breakdowns
      FROM cost_entry e WHERE e.tenant = $1 AND e.fact_key = p.fact_key
  ) c
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
    cost: money(row.cost),
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
    CostKind.PRICED,
  );
  return rows.map(viewOf);
}
