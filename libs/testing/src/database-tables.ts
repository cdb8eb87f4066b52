import { databaseDefault } from './column-default.js';
import type { TestSchema } from './test-schema.js';
import type { ColumnShape, IndexShape, TableShape } from './table-shape.js';

/** The tables of a schema as PostgreSQL has them (pg_catalog), with their columns and indexes. */
export async function databaseTables(schema: Pick<TestSchema, 'schema' | 'query'>): Promise<TableShape[]> {
  const tables = await schema.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    [schema.schema],
  );
  const columns = await schema.query<{ table: string; name: string; type: string; not_null: boolean; identity: boolean; default: string | null }>(
    // format_type quotes an enum's name when it needs quotes; schema.prisma names it bare.
    `SELECT c.relname AS table, a.attname AS name,
            CASE WHEN t.typtype = 'e' THEN t.typname
                 WHEN element.typtype = 'e' THEN element.typname || '[]'
                 ELSE format_type(a.atttypid, a.atttypmod) END AS type,
            a.attnotnull AS not_null, a.attidentity <> '' AS identity, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type element ON element.oid = t.typelem AND t.typelem <> 0
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema.schema],
  );
  // Unique constraints are backed by unique indexes of the same name, so pg_index sees them all.
  const indexes = await schema.query<{ table: string; name: string; primary: boolean; unique: boolean; where: string | null; columns: string[] }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique,
            pg_get_expr(x.indpred, x.indrelid) AS where,
            ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(x.indexrelid, k, true)) -- an expression has no column
                    FROM generate_series(1, x.indnkeyatts) AS k
                    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1] AND x.indkey[k - 1] <> 0
                   ORDER BY k) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 ORDER BY t.relname, i.relname`,
    [schema.schema],
  );
  return tables.map(({ name }) => ({
    name,
    origin: name,
    columns: new Map<string, ColumnShape>(
      columns
        .filter((column) => column.table === name)
        .map((column) => [column.name, { type: column.type, nullable: !column.not_null, default: columnDefault(column) }]),
    ),
    indexes: new Map<string, IndexShape>(
      indexes
        .filter((index) => index.table === name)
        .map((index) => [
          index.name,
          { kind: index.primary ? 'primary key' : index.unique ? 'unique' : 'index', columns: index.columns, ...(index.where === null ? {} : { where: index.where }) },
        ]),
    ),
  }));
}

function columnDefault(column: { type: string; identity: boolean; default: string | null }): string | undefined {
  if (column.identity) return 'autoincrement()';
  return column.default === null ? undefined : databaseDefault(column.default, column.type);
}

/** Has PostgreSQL print schema.prisma's `dbgenerated(…)` defaults, as it prints the migrations'. */
export async function printGeneratedDefaults(schema: Pick<TestSchema, 'query'>, tables: readonly TableShape[]): Promise<TableShape[]> {
  const printed: TableShape[] = [];
  for (const table of tables) {
    const columns = new Map<string, ColumnShape>();
    for (const [name, column] of table.columns) {
      columns.set(name, column.dbgenerated === undefined ? column : { ...column, default: await printDefault(schema, column.type, column.dbgenerated) });
    }
    printed.push({ ...table, columns });
  }
  return printed;
}

async function printDefault(schema: Pick<TestSchema, 'query'>, type: string, sql: string): Promise<string> {
  await schema.query('BEGIN');
  try {
    await schema.query(`CREATE TEMP TABLE default_probe (probe ${type} DEFAULT ${sql})`);
    const [row] = await schema.query<{ expression: string }>(
      `SELECT pg_get_expr(d.adbin, d.adrelid) AS expression FROM pg_attrdef d WHERE d.adrelid = 'pg_temp.default_probe'::regclass`,
    );
    return databaseDefault(row!.expression, type);
  } finally {
    await schema.query('ROLLBACK');
  }
}
