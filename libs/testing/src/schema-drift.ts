import { readFile } from 'node:fs/promises';
import { migrateSchema } from '@agentledger/projections';
import { databaseTables, printGeneratedDefaults } from './database-tables.js';
import { parsePrismaSchema } from './prisma-schema-wasm.js';
import { prismaTables } from './prisma-tables.js';
import type { IndexShape, TableShape } from './table-shape.js';
import { createTestSchema } from './test-schema.js';

/** Tables libs/projections makes in every service schema; no schema.prisma models them. */
export const PROJECTION_STORE_TABLES = ['schema_migrations', 'projection_applied', 'applied_key', 'outbox', 'projection_stream'] as const;

export interface SchemaInStepOptions {
  /** The service's `prisma/migrations` folder, applied as `migrateSchema` does at start-up. */
  readonly migrationsDir: string;
  readonly schemaPath: string;
  /** Tables the migrations make that schema.prisma leaves out, besides PROJECTION_STORE_TABLES. */
  readonly ignoreTables?: readonly string[];
  /** Indexes schema.prisma does not express (on expressions, say), by name. */
  readonly ignoreIndexes?: readonly string[];
}

/**
 * Applies the migrations to a fresh schema on the real PostgreSQL and fails, naming every
 * difference, unless they make exactly the tables, columns, types, nullability, defaults,
 * primary keys and indexes schema.prisma (the generated client's source) describes.
 */
export async function expectSchemaInStep(options: SchemaInStepOptions): Promise<void> {
  const modelled = prismaTables(parsePrismaSchema(await readFile(options.schemaPath, 'utf8')));
  const schema = await createTestSchema();
  let expected: TableShape[];
  let actual: TableShape[];
  try {
    await migrateSchema({ connectionString: schema.connectionString, schema: schema.schema, migrationsDir: options.migrationsDir });
    actual = await databaseTables(schema);
    expected = await printGeneratedDefaults(schema, modelled);
  } finally {
    await schema.cleanup();
  }
  const drift = schemaDrift(expected, actual, options);
  if (drift.length > 0) {
    throw new Error(
      [`${options.schemaPath} and the migrations in ${options.migrationsDir} disagree (${drift.length}):`, ...drift.map((line) => `  - ${line}`)].join('\n'),
    );
  }
}

/** Every difference between what schema.prisma says and what the migrations give, one a line. */
export function schemaDrift(
  expected: readonly TableShape[],
  actual: readonly TableShape[],
  options: Pick<SchemaInStepOptions, 'ignoreTables' | 'ignoreIndexes'> = {},
): string[] {
  const ignoredTables = new Set([...PROJECTION_STORE_TABLES, ...(options.ignoreTables ?? [])]);
  const ignoredIndexes = new Set(options.ignoreIndexes ?? []);
  const actualByName = new Map(actual.map((table) => [table.name, table]));
  const drift: string[] = [];
  for (const table of expected) {
    const made = actualByName.get(table.name);
    if (made === undefined) drift.push(`table ${table.name}: in schema.prisma (${table.origin}), not made by the migrations`);
    else drift.push(...tableDrift(table, made, ignoredIndexes));
  }
  const modelled = new Set(expected.map((table) => table.name));
  for (const table of actual) {
    if (!modelled.has(table.name) && !ignoredTables.has(table.name)) drift.push(`table ${table.name}: made by the migrations, not in schema.prisma`);
  }
  return drift;
}

function tableDrift(expected: TableShape, actual: TableShape, ignoredIndexes: ReadonlySet<string>): string[] {
  const drift: string[] = [];
  for (const [name, column] of expected.columns) {
    const made = actual.columns.get(name);
    const at = `${expected.name}.${name}`;
    if (made === undefined) {
      drift.push(`${at}: in schema.prisma (${column.type}), not in the migrations`);
      continue;
    }
    if (made.type !== column.type) drift.push(`${at} type: schema says ${column.type}, migrations give ${made.type}`);
    if (made.nullable !== column.nullable) drift.push(`${at} nullability: schema says ${nullability(column.nullable)}, migrations give ${nullability(made.nullable)}`);
    if (made.default !== column.default) drift.push(`${at} default: schema says ${column.default ?? 'none'}, migrations give ${made.default ?? 'none'}`);
  }
  for (const [name, column] of actual.columns) {
    if (!expected.columns.has(name)) drift.push(`${expected.name}.${name}: in the migrations (${column.type}), not in schema.prisma`);
  }
  const unmatched = new Map([...actual.indexes].filter(([name]) => !ignoredIndexes.has(name) && !expected.indexes.has(name)));
  for (const [name, index] of expected.indexes) {
    const made = actual.indexes.get(name);
    if (made !== undefined) {
      if (describe(made) !== describe(index)) drift.push(`${expected.name} ${index.kind} ${name}: schema says ${describe(index)}, migrations give ${describe(made)}`);
      continue;
    }
    const renamed = [...unmatched].find(([, candidate]) => describe(candidate) === describe(index))?.[0];
    if (renamed === undefined) {
      drift.push(`${expected.name} ${index.kind} ${name} ${describe(index)}: in schema.prisma, not in the migrations`);
    } else {
      unmatched.delete(renamed);
      drift.push(`${expected.name} ${index.kind} ${describe(index)}: schema says it is named ${name}, migrations name it ${renamed} (map: "${renamed}" in schema.prisma, or rename it in a new migration)`);
    }
  }
  for (const [name, index] of unmatched) {
    const hint = index.where === undefined ? '' : ` (a partial index: declare it with where: raw("${index.where}") and previewFeatures = ["partialIndexes"], or pass it in ignoreIndexes)`;
    drift.push(`${expected.name} ${index.kind} ${name} ${describe(index)}${index.where === undefined ? '' : ` WHERE ${index.where}`}: in the migrations, not in schema.prisma${hint}`);
  }
  return drift;
}

const nullability = (nullable: boolean) => (nullable ? 'NULL' : 'NOT NULL');
// What is compared of an index besides its name: not a partial index's predicate (see IndexShape.where).
const describe = (index: IndexShape) => `${index.kind === 'unique' ? 'unique ' : ''}(${index.columns.join(', ')})`;
