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

/** A range of event time [start, end), in ms. */
export type TimeRange = readonly [number, number];

/**
 * How a window [from, to) splits over the read models: whole UTC days for the daily rollups
 * (`grain` 'day' only), the whole hours around them for the hourly ones, and the partial hours at
 * either edge for the entries. Every part lies inside the grain's buckets it adds to.
 */
export function windowParts(window: { from: Date; to: Date }, grain: 'hour' | 'day'): { days?: TimeRange; hours: TimeRange[]; edges: TimeRange[] } {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const { firstWholeHour, endOfWholeHours } = wholeHours(window);
  if (firstWholeHour >= endOfWholeHours) return { hours: [], edges: [[from, to]] };
  const edges: TimeRange[] = [
    [from, firstWholeHour],
    [endOfWholeHours, to],
  ];
  const firstWholeDay = Math.ceil(firstWholeHour / DAY_MS) * DAY_MS;
  const endOfWholeDays = Math.floor(endOfWholeHours / DAY_MS) * DAY_MS;
  if (grain === 'hour' || firstWholeDay >= endOfWholeDays) return { hours: [[firstWholeHour, endOfWholeHours]], edges };
  const hours: TimeRange[] = [];
  if (firstWholeHour < firstWholeDay) hours.push([firstWholeHour, firstWholeDay]);
  if (endOfWholeDays < endOfWholeHours) hours.push([endOfWholeDays, endOfWholeHours]);
  return { days: [firstWholeDay, endOfWholeDays], hours, edges };
}

/**
 * The rows of a window [from, to) by event time, as SQL over the read models on all dimensions
 * (`windowParts`: cost_daily, cost_hourly, cost_entry). Returns a subquery with the dimension and
 * measure columns plus `time` (bucket start or entry time); every row's `time` lies in the grain's
 * bucket it adds to, so grouping by date_trunc(grain, time) stays exact.
 */
export function windowRows(tenant: string, window: { from: Date; to: Date }, filter: CostFilter | null | undefined, columns: string, grain: 'hour' | 'day' = 'hour') {
  const values: unknown[] = [tenant];
  const param = parameters(values);
  const filterSql = filterCondition(filter, param);
  const between = (column: string, [start, end]: TimeRange) => `${column} >= ${param(new Date(start))} AND ${column} < ${param(new Date(end))}`;
  const rollup = (table: string, range: TimeRange) => `SELECT bucket_start AS time, ${columns} FROM ${table} WHERE tenant = $1 AND ${between('bucket_start', range)}${filterSql}`;
  const { days, hours, edges } = windowParts(window, grain);
  const parts = [
    ...(days ? [rollup('cost_daily', days)] : []),
    ...hours.map((range) => rollup('cost_hourly', range)),
    `SELECT time, ${columns} FROM cost_entry WHERE tenant = $1 AND (${edges.map((range) => `(${between('time', range)})`).join(' OR ')})${filterSql}`,
  ];
  return { sql: parts.join('\n      UNION ALL\n      '), values };
}
