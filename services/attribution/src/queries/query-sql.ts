import { formatDecimal, fromCount, parseDecimal, ZERO, type Decimal } from '@agentledger/money';

export { fromCount };
import { QueryError } from '@agentledger/service-kit';
import { dimensionColumn, FILTER_COLUMNS, type CostFilter } from '../costs/cost-window.js';

/** Positional SQL parameters, `$1` being the tenant. */
export class SqlParams {
  readonly values: unknown[];

  constructor(tenant: string) {
    this.values = [tenant];
  }

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The most rows a list query answers. A window of hours × agents can hold millions of groups; past
 * this bound the query is refused with a typed error that says how to narrow it, rather than
 * truncated (a silent lie) or built in memory until the process dies.
 */
export const MAX_ANSWER_ROWS = 50_000;

/** Runs `sql` (which must end in its ORDER BY) with a LIMIT one past the bound; refuses an answer over it. */
export async function boundedRows<T>(db: { $queryRawUnsafe<R>(sql: string, ...values: unknown[]): Promise<R> }, query: string, sql: string, ...values: unknown[]): Promise<T[]> {
  const rows = await db.$queryRawUnsafe<T[]>(`${sql}\n LIMIT ${MAX_ANSWER_ROWS + 1}`, ...values);
  if (rows.length > MAX_ANSWER_ROWS) {
    throw new QueryError('BAD_USER_INPUT', `${query} would answer more than ${MAX_ANSWER_ROWS.toLocaleString('en-US')} rows: ask for a shorter window, a coarser bucket or a narrower filter`);
  }
  return rows;
}

/** Quotients (rates, cost per outcome, ROI) are rounded half-even to this many decimals. */
export const QUOTIENT_DECIMALS = 18;

export const decimalOf = (value: string | null | undefined): Decimal => (value === null || value === undefined ? ZERO : parseDecimal(value));
export const money = (value: string | null | undefined): string => formatDecimal(decimalOf(value));
export const count = (value: string | number | null | undefined): number => Number(value ?? 0);
/** A sum of counts exact, as an integer string of any size (a bigint sum is numeric: never rounded). */
export const exactCount = (value: string | null | undefined): string => BigInt(value ?? '0').toString();

/** a / b as a decimal string, or null when b is zero. */
export function quotient(a: Decimal, b: Decimal): string | null {
  if (b.isZero()) return null;
  return formatDecimal(a.div(b).toDecimalPlaces(QUOTIENT_DECIMALS));
}

/** a / b, "0" when b is zero (a rate over nothing). */
export const rate = (a: Decimal, b: Decimal): string => quotient(a, b) ?? '0';

/** Dimensions a run (and its outcomes, evaluations) carries itself; the others come from its costs. */
const RUN_DIMENSIONS = new Set(['agent_id', 'team', 'workflow', 'environment']);

export interface Dimension {
  column: string;
  /** True for agent, team, workflow, environment; false for model, provider, tool. */
  ofRun: boolean;
}

export function dimensionOf(by: unknown): Dimension {
  const column = dimensionColumn(by);
  return { column, ofRun: RUN_DIMENSIONS.has(column) };
}

/**
 * A run-level dimension of fact `alias`, falling back to the first non-empty value among
 * the facts of its trace (an evaluation often names only the agent and the workflow).
 */
export function runDimensionSql(alias: string, column: string): string {
  return `coalesce(nullif(${alias}.${column}, ''),
    (SELECT max(t.${column}) FROM fact_record t WHERE t.tenant = ${alias}.tenant AND ${alias}.trace_id <> '' AND t.trace_id = ${alias}.trace_id AND t.${column} <> ''), '')`;
}

/** ` AND alias.column = $n` for each filter field set. */
export function filterSql(params: SqlParams, filter: CostFilter | null | undefined, alias: string, columns: Partial<Record<keyof CostFilter, string>> = FILTER_COLUMNS): string {
  if (filter !== undefined && filter !== null && typeof filter !== 'object') throw new QueryError('BAD_USER_INPUT', 'filter must be an object');
  let sql = '';
  for (const [key, column] of Object.entries(columns) as Array<[keyof CostFilter, string]>) {
    const value = filter?.[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new QueryError('BAD_USER_INPUT', `filter.${key} must be a string`);
    sql += ` AND ${alias}.${column} = ${params.add(value)}`;
  }
  return sql;
}

/** The current cost of fact `alias` (its pricing plus every correction), 0 while unpriced. */
export const factCostSql = (alias: string) =>
  `coalesce((SELECT sum(c.cost) FROM cost_entry c WHERE c.tenant = ${alias}.tenant AND c.fact_key = ${alias}.fact_key), 0)`;

export const iso = (value: Date | string | null | undefined): string | null => (value === null || value === undefined ? null : new Date(value).toISOString());

export function positiveInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new QueryError('BAD_USER_INPUT', `${name} must be an integer from 1 to ${max}`);
  }
  return value;
}
