import { migrateSchema } from '@agentledger/projections';
import { databaseTables } from './database-tables.js';
import type { TableShape } from './table-shape.js';
import { createTestSchema, type TestSchema } from './test-schema.js';

export interface InPlaceIncrementsOptions {
  /** The service's `prisma/migrations` folder, applied as `migrateSchema` does at start-up. */
  readonly migrationsDir: string;
  /** Rollup tables whose rows are incremented in place, batch after batch. */
  readonly tables: readonly string[];
  /** Rows written to each table: enough for several full pages. */
  readonly rows?: number;
}

/**
 * Applies the migrations to a fresh schema on the real PostgreSQL, fills each table with rows
 * (several pages' worth), then adds to one measure of every row in one statement — what a batch
 * does to the rows of its hour — and fails, naming the table, unless every row's new version stayed
 * on its page. That is the condition for a HOT update (no new index entries, the old version pruned
 * from the page without VACUUM); on pages filled to the brim the new versions go elsewhere. One
 * round only: it needs room, not pruning, so another session's open snapshot cannot change the
 * outcome (later rounds would need the first round's versions pruned, which such a snapshot delays).
 */
export async function expectIncrementsInPlace(options: InPlaceIncrementsOptions): Promise<void> {
  const schema = await createTestSchema();
  try {
    await migrateSchema({ connectionString: schema.connectionString, schema: schema.schema, migrationsDir: options.migrationsDir });
    const tables = await databaseTables(schema);
    const moved: string[] = [];
    for (const table of options.tables) {
      const { rows, away } = await incrementEveryRow(schema, tables, table, options.rows ?? 2_000);
      if (away > 0) moved.push(`${table}: ${away} of ${rows} rows moved to another page when every row was incremented`);
    }
    if (moved.length > 0) throw new Error([`increments do not stay on their page (${moved.length}):`, ...moved.map((line) => `  - ${line}`)].join('\n'));
  } finally {
    await schema.cleanup();
  }
}

async function incrementEveryRow(schema: TestSchema, tables: readonly TableShape[], table: string, rows: number): Promise<{ rows: number; away: number }> {
  const shape = tables.find((candidate) => candidate.name === table);
  if (shape === undefined) throw new Error(`table ${table} is not made by the migrations`);
  const key = [...shape.indexes.values()].find((index) => index.kind === 'primary key')?.columns ?? [];
  const columns = [...shape.columns].map(([name, column]) => ({ name, type: column.type, key: key.includes(name) }));
  const measure = columns.find((column) => !column.key && /^(numeric|bigint|integer)/.test(column.type));
  if (measure === undefined) throw new Error(`table ${table} has no numeric column outside its key to increment`);
  // Row i: every text column 'k<i>', every timestamp i minutes after 2026-01-01, every number 1,
  // arrays and JSON empty — distinct keys.
  const values = columns.map((column) => {
    if (column.type === 'text') return `'k' || i`;
    if (column.type.startsWith('timestamp')) return `timestamptz '2026-01-01T00:00:00Z' + i * interval '1 minute'`;
    if (column.type === 'jsonb') return `'{}'::jsonb`;
    if (column.type.endsWith('[]')) return `'{}'`;
    return '1';
  });
  const name = `"${table}"`;
  const keyList = key.map((column) => `"${column}"`).join(', ');
  await schema.query(`INSERT INTO ${name} (${columns.map((column) => `"${column.name}"`).join(', ')}) SELECT ${values.join(', ')} FROM generate_series(1, ${rows}) AS i`);
  await schema.query(`CREATE TEMP TABLE before_increment AS SELECT ${keyList}, (ctid::text::point)[0] AS page FROM ${name}`);
  await schema.query(`UPDATE ${name} SET "${measure.name}" = "${measure.name}" + 1`);
  const [moved] = await schema.query<{ away: string }>(
    `SELECT count(*) AS away FROM ${name} t JOIN before_increment b USING (${keyList}) WHERE (t.ctid::text::point)[0] <> b.page`,
  );
  await schema.query('DROP TABLE before_increment');
  return { rows, away: Number(moved.away) };
}
