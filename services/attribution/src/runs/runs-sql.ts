import type { SqlParams } from '../queries/query-sql.js';

/**
 * `run`: one row per trace with a fact in [from, to), derived from all of its facts whatever
 * their arrival order: started at its `run.started` (else its first fact), status and finish
 * from its latest `run.finished`, its latest outcome, whether any outcome succeeded.
 * Callers keep the runs whose `started_at` lies in the window.
 */
export function runsCte(params: SqlParams, window: { from: Date; to: Date }): string {
  const from = params.add(window.from);
  const to = params.add(window.to);
  const first = (column: string) =>
    `coalesce((array_agg(f.${column} ORDER BY f.type <> 'run.started', f.time, f.fact_key) FILTER (WHERE f.${column} <> ''))[1], '')`;
  return `
  candidate AS (
    SELECT DISTINCT trace_id FROM fact_record WHERE tenant = $1 AND trace_id <> '' AND time >= ${from} AND time < ${to}
  ),
  run AS (
    SELECT f.trace_id,
           coalesce(min(f.time) FILTER (WHERE f.type = 'run.started'), min(f.time)) AS started_at,
           max(f.time) FILTER (WHERE f.type = 'run.finished') AS finished_at,
           (array_agg(f.status ORDER BY f.time DESC, f.fact_key DESC) FILTER (WHERE f.type = 'run.finished'))[1] AS status,
           ${first('agent_id')} AS agent_id,
           ${first('team')} AS team,
           ${first('workflow')} AS workflow,
           ${first('environment')} AS environment,
           (array_agg(f.outcome ORDER BY f.time DESC, f.fact_key DESC) FILTER (WHERE f.type = 'outcome.recorded'))[1] AS outcome,
           (array_agg(f.success ORDER BY f.time DESC, f.fact_key DESC) FILTER (WHERE f.type = 'outcome.recorded'))[1] AS outcome_success,
           coalesce(bool_or(f.type = 'outcome.recorded' AND f.success), false) AS successful,
           array_agg(DISTINCT f.model) FILTER (WHERE f.model IS NOT NULL) AS models
      FROM fact_record f JOIN candidate USING (trace_id)
     WHERE f.tenant = $1
     GROUP BY f.trace_id
  ),
  run_in_window AS (
    SELECT * FROM run WHERE started_at >= ${from} AND started_at < ${to}
  )`;
}

/** The whole cost of run `alias` (every cost of its trace, corrections included). */
export const runCostSql = (alias: string) => `coalesce((SELECT sum(c.cost) FROM cost_entry c WHERE c.tenant = $1 AND c.trace_id = ${alias}.trace_id), 0)`;
