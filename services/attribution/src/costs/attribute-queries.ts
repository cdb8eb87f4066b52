import type { ArgsOf, AttributeGroupView, attributeBreakdownQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { boundedRows, exactCount, money } from '../queries/query-sql.js';
import { filterCondition, parameters, parseWindow, wholeHours, type CostFilter } from './cost-window.js';

const MEASURES = 'llm_calls, tool_calls, input_tokens, output_tokens, cost';

/**
 * The rows of [from, to) for one attribute, as SQL: whole hours from `cost_attribute_hourly`,
 * the partial hours at either edge from `cost_entry`. The hourly rollup has no other
 * dimension, so a filtered query reads the entries of the whole window (still exact).
 */
function attributeWindowRows(tenant: string, window: { from: Date; to: Date }, attribute: string, filter: CostFilter | null | undefined) {
  const values: unknown[] = [tenant];
  const param = parameters(values);
  const key = param(attribute);
  const filterSql = filterCondition(filter, param);
  const entries = `SELECT coalesce(attributes ->> ${key}, '') AS key, ${MEASURES} FROM cost_entry WHERE tenant = $1${filterSql}`;
  const { firstWholeHour, endOfWholeHours } = wholeHours(window);
  const from = param(window.from);
  const to = param(window.to);
  if (filterSql !== '' || firstWholeHour >= endOfWholeHours) {
    return { sql: `${entries} AND time >= ${from} AND time < ${to}`, values };
  }
  const h1 = param(new Date(firstWholeHour));
  const h2 = param(new Date(endOfWholeHours));
  const sql = `
    SELECT value AS key, ${MEASURES} FROM cost_attribute_hourly
     WHERE tenant = $1 AND attribute = ${key} AND bucket_start >= ${h1} AND bucket_start < ${h2}
    UNION ALL
    ${entries} AND ((time >= ${from} AND time < ${h1}) OR (time >= ${h2} AND time < ${to}))`;
  return { sql, values };
}

/**
 * Totals per value of one configured custom attribute over [from, to) by event time, most
 * expensive first. Costs without the attribute are grouped under the key ''.
 */
export async function attributeBreakdown(db: PrismaClient, rollupAttributes: readonly string[], request: QueryRequest<ArgsOf<typeof attributeBreakdownQuery>>): Promise<AttributeGroupView[]> {
  const { args } = request;
  const window = parseWindow(args);
  if (typeof args.attribute !== 'string' || !rollupAttributes.includes(args.attribute)) {
    const configured = rollupAttributes.length ? rollupAttributes.join(', ') : 'none (ATTRIBUTION_ROLLUP_ATTRIBUTES is empty)';
    throw new QueryError('BAD_USER_INPUT', `attribute must be one of the rolled-up attributes: ${configured}`);
  }
  const { sql, values } = attributeWindowRows(request.tenant, window, args.attribute, args.filter);
  const rows = await boundedRows<Record<string, string | null>>(
    db,
    'costByAttribute',
    `SELECT key, sum(cost)::text AS total_cost, sum(llm_calls)::text AS llm_calls, sum(tool_calls)::text AS tool_calls,
            sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens
       FROM (${sql}) AS window_rows GROUP BY key ORDER BY sum(cost) DESC, key`,
    ...values,
  );
  return rows.map((row) => ({
    key: row.key ?? '',
    totalCost: money(row.total_cost),
    llmCalls: Number(row.llm_calls ?? '0'),
    toolCalls: Number(row.tool_calls ?? '0'),
    inputTokens: Number(row.input_tokens ?? '0'),
    outputTokens: Number(row.output_tokens ?? '0'),
    inputTokensTotal: exactCount(row.input_tokens),
    outputTokensTotal: exactCount(row.output_tokens),
  }));
}
