import type { SqlExecutor } from './apply-once.js';

/** A column of a bulk insert: its SQL name and type, and how to read it from a row. */
export interface Column<Row> {
  readonly name: string;
  /** A PostgreSQL type: text, bigint, integer, smallint, numeric, boolean, timestamptz, jsonb, bytea. */
  readonly type: string;
  readonly value: (row: Row) => unknown;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** A text element of an array literal: double-quoted, each backslash and quote escaped by a backslash. */
function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
}

/** A value as an element of a PostgreSQL array literal, exact (bigint and decimals as their digits). */
function element(value: unknown): string {
  if (value === undefined || value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'bigint':
    case 'number':
    case 'boolean':
      return String(value);
  }
  if (value instanceof Date) return `"${value.toISOString()}"`;
  // bytea's hex form, its backslash escaped for the array literal; the bytes are read in place, not copied.
  if (value instanceof Uint8Array) return `"\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}"`;
  return quoted(JSON.stringify(value));
}

/**
 * One column of the rows as a PostgreSQL array literal (`{"a","b",NULL}`), made in one pass and
 * one join. The driver would build the same text from a JS array, but by concatenating element by
 * element and escaping each through two regular-expression replaces: under load that was a sixth
 * of what pricing allocated (tools/bench/README.md).
 */
function arrayLiteral<Row>(rows: readonly Row[], column: Column<Row>): string {
  const elements = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) elements[i] = element(column.value(rows[i]!));
  return `{${elements.join(',')}}`;
}

/**
 * The statement `insertRows` runs, for use inside a larger one (e.g. a data-modifying CTE:
 * `WITH inserted AS (<sql> RETURNING …) INSERT INTO rollup SELECT … FROM inserted`).
 * Its parameters are `$1…$n`, one array literal per column, in `values`.
 */
export function insertRowsStatement<Row>(
  table: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  onConflict = 'ON CONFLICT DO NOTHING',
): { sql: string; values: unknown[] } {
  for (const name of [table, ...columns.map((column) => column.name)]) {
    if (!IDENTIFIER.test(name)) throw new Error(`invalid identifier ${name}`);
  }
  const values = columns.map((column) => arrayLiteral(rows, column));
  const unnest = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  const names = columns.map((column) => column.name).join(', ');
  return { sql: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest}) ${onConflict}`, values };
}

/**
 * Inserts many rows in one statement (`INSERT … SELECT FROM unnest(…)`, one array per column):
 * a batch costs one round trip whatever its size, where an ORM's createMany builds a
 * parameter per cell. Returns the number of rows inserted.
 */
export async function insertRows<Row>(
  tx: Pick<SqlExecutor, '$executeRawUnsafe'>,
  table: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  onConflict = 'ON CONFLICT DO NOTHING',
): Promise<number> {
  if (rows.length === 0) return 0;
  const { sql, values } = insertRowsStatement(table, columns, rows, onConflict);
  return tx.$executeRawUnsafe(sql, ...values);
}

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Columns whose row field is the camelCase of the column name: `columnsOf({ cost_id: 'text' })` reads `row.costId`. */
export function columnsOf<Row>(types: Record<string, string>): Column<Row>[] {
  return Object.entries(types).map(([name, type]) => {
    const field = camelCase(name);
    return { name, type, value: (row: Row) => (row as Record<string, unknown>)[field] };
  });
}
