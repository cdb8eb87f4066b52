import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { APPLIED_KEY_MIGRATION } from './applied-keys.js';
import { OUTBOX_MIGRATION } from './outbox.js';
import { PROJECTION_STREAM_MIGRATION } from './stream-identity.js';

/** Tables every service schema has: the first ledger of applied event keys (emptied into `applied_key` by APPLIED_KEY_MIGRATION). */
export const PROJECTION_STORE_MIGRATION = {
  name: '000_projection_store',
  sql: `
CREATE TABLE IF NOT EXISTS projection_applied (
  projection TEXT NOT NULL,
  event_key  TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, event_key)
);`,
};

export interface Migration {
  readonly name: string;
  readonly sql: string;
}

export interface MigrateOptions {
  readonly connectionString: string;
  /** The service's own schema; created when missing. */
  readonly schema: string;
  /** A Prisma-style folder: `<dir>/<NNN_name>/migration.sql`. */
  readonly migrationsDir: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)} (expected [a-z_][a-z0-9_]*)`);
}

export async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const folders = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(folders.map(async (name) => ({ name, sql: await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8') })));
}

/**
 * Applies the service's SQL migrations to its schema, each once, in order, each in its own
 * transaction, under an advisory lock so replicas starting together do not race.
 * Returns the names applied now.
 */
export async function migrateSchema(options: MigrateOptions): Promise<string[]> {
  assertSchemaName(options.schema);
  const migrations = [PROJECTION_STORE_MIGRATION, OUTBOX_MIGRATION, PROJECTION_STREAM_MIGRATION, APPLIED_KEY_MIGRATION, ...(await readMigrations(options.migrationsDir))];
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`agentledger.migrate.${options.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await client.query(`SET search_path TO "${options.schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const done = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows.map((row) => [row.name, row.checksum]),
    );
    for (const migration of migrations) {
      const checksum = createHash('sha256').update(migration.sql).digest('hex');
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${migration.name} was changed after it was applied to schema ${options.schema}`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed on schema ${options.schema}: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.name);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`agentledger.migrate.${options.schema}`]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
