import { formatDecimal, parseDecimal, storedText } from '@agentledger/money';
import type { ArgsOf, ReconciliationView, UnpricedModelView, reconciliationQuery, unpricedModelsQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

function window(request: QueryRequest<ArgsOf<typeof unpricedModelsQuery | typeof reconciliationQuery>>): { from: Date; to: Date } {
  const from = new Date(request.args.from);
  const to = new Date(request.args.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new QueryError('BAD_USER_INPUT', 'from and to must be RFC 3339 date-times');
  if (to <= from) throw new QueryError('BAD_USER_INPUT', 'to must be after from');
  return { from, to };
}

/** Postgres numerics come back as text: exact, then trimmed of trailing zeros. */
const money = (value: string | null) => storedText(value ?? '0');

/** Only well-formed decimal strings count as a reported cost. */
const REPORTED = `CASE WHEN reported_cost ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN reported_cost::numeric END`;

/** Model calls in [from, to) that no price covers (now), per (provider, model) as sent. */
export async function unpricedModels(db: PrismaClient, request: QueryRequest<ArgsOf<typeof unpricedModelsQuery>>): Promise<UnpricedModelView[]> {
  const { from, to } = window(request);
  const rows = await db.$queryRawUnsafe<Array<{ provider: string; model: string; calls: number; input: string; output: string; reported: string | null }>>(
    `SELECT provider, model, count(*)::int AS calls, sum(input_tokens)::text AS input, sum(output_tokens)::text AS output,
            sum(${REPORTED})::text AS reported
       FROM priced_usage
      WHERE tenant = $1 AND NOT priced AND fact_type = 'llm.call' AND time >= $2 AND time < $3
      GROUP BY provider, model
      ORDER BY count(*) DESC, provider, model`,
    request.tenant,
    from,
    to,
  );
  return rows.map((row) => ({
    provider: row.provider,
    model: row.model,
    calls: row.calls,
    inputTokens: row.input,
    outputTokens: row.output,
    reportedCost: money(row.reported),
  }));
}

/** Where agents sent `reportedCost`: reported against computed, per (provider, model), over [from, to). */
export async function reconciliation(db: PrismaClient, request: QueryRequest<ArgsOf<typeof reconciliationQuery>>): Promise<ReconciliationView[]> {
  const { from, to } = window(request);
  const rows = await db.$queryRawUnsafe<Array<{ provider: string; model: string; calls: number; priced_calls: number; reported: string; computed: string }>>(
    `SELECT provider, model, count(*)::int AS calls, count(*) FILTER (WHERE priced)::int AS priced_calls,
            sum(${REPORTED})::text AS reported, sum(cost)::text AS computed
       FROM priced_usage
      WHERE tenant = $1 AND fact_type = 'llm.call' AND time >= $2 AND time < $3 AND (${REPORTED}) IS NOT NULL
      GROUP BY provider, model
      ORDER BY provider, model`,
    request.tenant,
    from,
    to,
  );
  return rows.map((row) => {
    const reported = parseDecimal(money(row.reported));
    const computed = parseDecimal(money(row.computed));
    return {
      provider: row.provider,
      model: row.model,
      calls: row.calls,
      pricedCalls: row.priced_calls,
      reportedCost: formatDecimal(reported),
      computedCost: formatDecimal(computed),
      difference: formatDecimal(reported.minus(computed)),
    };
  });
}
