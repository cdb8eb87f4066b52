import type { SqlExecutor } from './apply-once.js';

/** A column of a bulk insert: its SQL name and type, and how to read it from a row. */
export interface Column<Row> {
  readonly name: string;
  /** A PostgreSQL type: text, bigint, integer, smallint, numeric, boolean, timestamptz, jsonb, bytea. */
  readonly type: string;
  readonly value: (row: Row) => unknown;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Values as PostgreSQL reads them from a text array: exact (bigint and decimals as strings). */
function wire(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * The statement `insertRows` runs, for use inside a larger one (e.g. a data-modifying CTE:
 * `WITH inserted AS (<sql> RETURNING …) INSERT INTO rollup SELECT … FROM inserted`).
 * Its parameters are `$1…$n`, one array per column, in `values`.
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
  const values = columns.map((column) => rows.map((row) => wire(column.value(row))));
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
