import { FILTER_COLUMNS, parameters, windowParts, type CostFilter, type TimeRange } from './cost-window.js';

/**
 * The rows of one dimension's rollups a question needs: every value of `dimension` (key null) or
 * one. `dimension` is a cost_entry column, or 'all' for the tenant's totals (key '').
 */
export interface DimensionSlice {
  readonly dimension: string;
  readonly key: string | null;
}

/**
 * Which slice of the per-dimension rollups answers a question grouped by the column `by` (null:
 * not grouped) under `filter`; undefined when the question spans two dimensions (a filter on one,
 * a grouping or a second filter on another) and only cost_hourly and cost_daily, keyed on all of them, can.
 */
export function sliceFor(by: string | null, filter: CostFilter | null | undefined): DimensionSlice | undefined {
  const given = (Object.entries(FILTER_COLUMNS) as Array<[keyof CostFilter, string]>).filter(([field]) => filter?.[field] !== undefined && filter?.[field] !== null);
  if (given.length > 1) return undefined;
  if (given.length === 0) return { dimension: by ?? 'all', key: null };
  const [field, column] = given[0]!;
  if (by !== null && by !== column) return undefined;
  return { dimension: column, key: String(filter![field]) };
}

/**
 * The rows of a window [from, to) by event time along one slice, as SQL: whole UTC days from
 * cost_dimension_daily (when `grain` is 'day'), the whole hours around them from
 * cost_dimension_hourly, and the partial hours at either edge from cost_entry. Returns a subquery
 * with `time` (bucket start or entry time), `key` and the measure columns; every row's `time`
 * lies in the grain's bucket it adds to, so grouping by date_trunc(grain, time) stays exact.
 */
export function dimensionRows(tenant: string, window: { from: Date; to: Date }, slice: DimensionSlice, grain: 'hour' | 'day', measures: string) {
  const values: unknown[] = [tenant];
  const param = parameters(values);
  // Placed only where used: Postgres refuses a parameter no statement part types.
  let dimensionParam: string | undefined;
  const dimension = () => (dimensionParam ??= param(slice.dimension));
  const keyCondition = (column: string) => (slice.key === null ? '' : ` AND ${column} = ${param(slice.key)}`);
  const rollup = (table: string, from: number, to: number) =>
    `SELECT bucket_start AS time, key, ${measures} FROM ${table}
      WHERE tenant = $1 AND dimension = ${dimension()} AND bucket_start >= ${param(new Date(from))} AND bucket_start < ${param(new Date(to))}${keyCondition('key')}`;
  const entryKey = slice.dimension === 'all' ? `''` : slice.dimension;
  const entries = (ranges: readonly TimeRange[]) =>
    `SELECT time, ${entryKey} AS key, ${measures} FROM cost_entry
      WHERE tenant = $1 AND (${ranges.map(([from, to]) => `(time >= ${param(new Date(from))} AND time < ${param(new Date(to))})`).join(' OR ')})${keyCondition(entryKey)}`;

  const { days, hours, edges } = windowParts(window, grain);
  const parts = [
    entries(edges),
    ...(days ? [rollup('cost_dimension_daily', ...days)] : []),
    ...hours.map(([from, to]) => rollup('cost_dimension_hourly', from, to)),
  ];
  return { sql: parts.join('\n      UNION ALL\n'), values };
}
