import type { CostFilterArgs } from '@agentledger/contracts';
import { QueryError } from '@agentledger/service-kit';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_WINDOW_MS = 400 * 24 * HOUR_MS;

/** The filter as the contract defines it: every field given narrows the costs. */
export type CostFilter = CostFilterArgs;

export const FILTER_COLUMNS: Record<keyof CostFilter, string> = {
  agentId: 'agent_id',
  team: 'team',
  workflow: 'workflow',
  model: 'model',
  environment: 'environment',
};

export const DIMENSION_COLUMNS = {
  AGENT: 'agent_id',
  TEAM: 'team',
  WORKFLOW: 'workflow',
  MODEL: 'model',
  PROVIDER: 'provider',
  ENVIRONMENT: 'environment',
  TOOL: 'tool',
} as const;
export type CostDimension = keyof typeof DIMENSION_COLUMNS;

export function dimensionColumn(by: unknown): string {
  if (typeof by !== 'string' || !(by in DIMENSION_COLUMNS)) {
    throw new QueryError('BAD_USER_INPUT', `by must be one of ${Object.keys(DIMENSION_COLUMNS).join(', ')}`);
  }
  return DIMENSION_COLUMNS[by as CostDimension];
}

export function parseWindow(args: { from?: unknown; to?: unknown }): { from: Date; to: Date } {
  const from = new Date(String(args.from ?? ''));
  const to = new Date(String(args.to ?? ''));
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new QueryError('BAD_USER_INPUT', 'from and to must be RFC 3339 date-times');
  if (from >= to) throw new QueryError('BAD_USER_INPUT', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw new QueryError('BAD_USER_INPUT', 'the window must not exceed 400 days');
  return { from, to };
}

/** A placeholder maker appending to `values`: `param(x)` pushes x and returns `$n`. */
export function parameters(values: unknown[]): (value: unknown) => string {
  return (value) => {
    values.push(value);
    return `$${values.length}`;
  };
}

/** ` AND column = $n …` for every field of the filter given, or ''. */
export function filterCondition(filter: CostFilter | null | undefined, param: (value: unknown) => string): string {
  const conditions: string[] = [];
  for (const [key, column] of Object.entries(FILTER_COLUMNS) as Array<[keyof CostFilter, string]>) {
    const value = filter?.[key];
    if (value !== undefined && value !== null) conditions.push(`${column} = ${param(value)}`);
  }
  return conditions.length ? ` AND ${conditions.join(' AND ')}` : '';
}

/** The whole hours of a window: [firstWholeHour, endOfWholeHours), empty when first ≥ end. */
export function wholeHours(window: { from: Date; to: Date }): { firstWholeHour: number; endOfWholeHours: number } {
  return {
    firstWholeHour: Math.ceil(window.from.getTime() / HOUR_MS) * HOUR_MS,
    endOfWholeHours: Math.floor(window.to.getTime() / HOUR_MS) * HOUR_MS,
  };
}

/**
 * The rows of a window [from, to) by event time, as SQL over the read models: whole UTC days from
 * the daily rollup (when `grain` is 'day'), the whole hours around them from the hourly rollup,
 * the partial hours at either edge from the entries. Returns a subquery with the dimension and
 * measure columns plus `time` (bucket start or entry time); every row's `time` lies in the
 * grain's bucket it adds to, so grouping by date_trunc(grain, time) stays exact.
 */
export function windowRows(tenant: string, window: { from: Date; to: Date }, filter: CostFilter | null | undefined, columns: string, grain: 'hour' | 'day' = 'hour') {
  const values: unknown[] = [tenant];
  const param = parameters(values);
  const filterSql = filterCondition(filter, param);
  const { firstWholeHour, endOfWholeHours } = wholeHours(window);
  let sql: string;
  if (firstWholeHour < endOfWholeHours) {
    const from = param(window.from);
    const to = param(window.to);
    const h1 = param(new Date(firstWholeHour));
    const h2 = param(new Date(endOfWholeHours));
    const rollup = (table: string, start: string, end: string) =>
      `SELECT bucket_start AS time, ${columns} FROM ${table}
       WHERE tenant = $1 AND bucket_start >= ${start} AND bucket_start < ${end}${filterSql}`;
    const firstWholeDay = Math.ceil(firstWholeHour / DAY_MS) * DAY_MS;
    const endOfWholeDays = Math.floor(endOfWholeHours / DAY_MS) * DAY_MS;
    const rollups: string[] = [];
    if (grain === 'day' && firstWholeDay < endOfWholeDays) {
      const d1 = param(new Date(firstWholeDay));
      const d2 = param(new Date(endOfWholeDays));
      rollups.push(rollup('cost_daily', d1, d2));
      if (firstWholeHour < firstWholeDay) rollups.push(rollup('cost_hourly', h1, d1));
      if (endOfWholeDays < endOfWholeHours) rollups.push(rollup('cost_hourly', d2, h2));
    } else {
      rollups.push(rollup('cost_hourly', h1, h2));
    }
    sql = `
      ${rollups.join('\n      UNION ALL\n      ')}
      UNION ALL
      SELECT time, ${columns} FROM cost_entry
       WHERE tenant = $1 AND ((time >= ${from} AND time < ${h1}) OR (time >= ${h2} AND time < ${to}))${filterSql}`;
  } else {
    sql = `SELECT time, ${columns} FROM cost_entry WHERE tenant = $1 AND time >= ${param(window.from)} AND time < ${param(window.to)}${filterSql}`;
  }
  return { sql, values };
}
