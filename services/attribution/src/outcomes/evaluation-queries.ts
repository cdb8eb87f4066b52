import type { ArgsOf, EvaluationSummaryView, evaluationSummaryQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { parseWindow } from '../costs/cost-window.js';
import { count, decimalOf, dimensionOf, fromCount, money, quotient, runDimensionSql } from '../queries/query-sql.js';

/**
 * Evaluations in [from, to) per group, evaluator and metric. A group's cost is the cost of
 * the runs it judged (for model, provider and tool: their costs on that model, provider or
 * tool); cost per passing evaluation divides it by the passing ones. A step evaluation is
 * keyed by the model or tool of the step it judged.
 */
export async function evaluationSummary(db: PrismaClient, request: QueryRequest<ArgsOf<typeof evaluationSummaryQuery>>): Promise<EvaluationSummaryView[]> {
  const { args } = request;
  const window = parseWindow(args);
  const dimension = dimensionOf(args.by);
  const key = dimension.ofRun
    ? runDimensionSql('e', dimension.column)
    : `coalesce((SELECT s.${dimension.column} FROM fact_record s WHERE s.tenant = e.tenant AND e.span_id <> '' AND s.trace_id = e.trace_id
                  AND s.span_id = e.span_id AND s.type IN ('llm.call', 'tool.call') ORDER BY s.time LIMIT 1), '')`;
  const costMatch = dimension.ofRun ? '' : ` AND c.${dimension.column} = g.key`;
  const rows = await db.$queryRawUnsafe<
    Array<{ key: string; evaluator: string; metric: string; count: string; passed: string; average_score: number; total_cost: string | null }>
  >(
    `WITH evaluation AS (
       SELECT ${key} AS key, e.evaluator, e.metric, e.trace_id, e.passed, e.score
         FROM fact_record e WHERE e.tenant = $1 AND e.type = 'evaluation.scored' AND e.time >= $2 AND e.time < $3
     ),
     judged AS (
       SELECT g.key, g.evaluator, g.metric, sum(c.cost) AS total_cost
         FROM (SELECT DISTINCT key, evaluator, metric, trace_id FROM evaluation WHERE trace_id <> '') g
         JOIN cost_entry c ON c.tenant = $1 AND c.trace_id = g.trace_id${costMatch}
        GROUP BY 1, 2, 3
     )
     SELECT e.key, e.evaluator, e.metric, count(*)::text AS count, count(*) FILTER (WHERE e.passed)::text AS passed,
            avg(e.score) AS average_score, min(j.total_cost)::text AS total_cost
       FROM evaluation e LEFT JOIN judged j USING (key, evaluator, metric)
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    request.tenant,
    window.from,
    window.to,
  );
  return rows.map((row) => ({
    key: row.key,
    evaluator: row.evaluator,
    metric: row.metric,
    count: count(row.count),
    passed: count(row.passed),
    averageScore: row.average_score,
    totalCost: money(row.total_cost),
    costPerPassing: quotient(decimalOf(row.total_cost), fromCount(count(row.passed))),
  }));
}
