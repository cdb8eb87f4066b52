import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateSchema } from './migrate.js';

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('migrateSchema (real PostgreSQL)', () => {
  let dir: string;
  const schema = `test_migrate_${process.pid}_${Date.now() % 100000}`;
  const client = new pg.Client({ connectionString });

  beforeAll(async () => {
    await client.connect();
    dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await mkdir(join(dir, '001_init'));
    await writeFile(join(dir, '001_init', 'migration.sql'), 'CREATE TABLE widget (id TEXT PRIMARY KEY);');
  });

  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies each migration once, in order, into the service schema; replicas starting together do not race', async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrateSchema({ connectionString, schema, migrationsDir: dir })));
    expect(results.flat().sort()).toEqual(['000_applied_key', '000_outbox', '000_projection_store', '000_projection_stream', '001_init']);
    const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    expect(tables.rows.map((row) => row.table_name)).toEqual(['applied_key', 'outbox', 'projection_applied', 'projection_stream', 'schema_migrations', 'widget']);

    await mkdir(join(dir, '002_more'));
    await writeFile(join(dir, '002_more', 'migration.sql'), 'ALTER TABLE widget ADD COLUMN name TEXT;');
    expect(await migrateSchema({ connectionString, schema, migrationsDir: dir })).toEqual(['002_more']);
    expect(await migrateSchema({ connectionString, schema, migrationsDir: dir })).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    await writeFile(join(dir, '001_init', 'migration.sql'), 'CREATE TABLE widget (id TEXT PRIMARY KEY, edited BOOLEAN);');
    await expect(migrateSchema({ connectionString, schema, migrationsDir: dir })).rejects.toThrow(
      `migration 001_init was changed after it was applied to schema ${schema}`,
    );
  });

  it('rolls a failing migration back and names it', async () => {
    await writeFile(join(dir, '001_init', 'migration.sql'), 'CREATE TABLE widget (id TEXT PRIMARY KEY);');
    await mkdir(join(dir, '003_broken'));
    await writeFile(join(dir, '003_broken', 'migration.sql'), 'CREATE TABLE gadget (id TEXT); SELECT no_such_function();');
    await expect(migrateSchema({ connectionString, schema, migrationsDir: dir })).rejects.toThrow(/^migration 003_broken failed on schema/);
    const gadget = await client.query(`SELECT to_regclass($1) AS name`, [`"${schema}".gadget`]);
    expect(gadget.rows[0].name).toBeNull();
  });

  it('rejects schema names that are not plain identifiers', async () => {
    await expect(migrateSchema({ connectionString, schema: 'x"; DROP SCHEMA public; --', migrationsDir: dir })).rejects.toThrow('invalid schema name');
  });
});
