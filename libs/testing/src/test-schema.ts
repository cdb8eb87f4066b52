import pg from 'pg';
import { uniqueToken } from './unique.js';

export interface TestSchema {
  /** The server's connection string (the schema is separate, as services take it). */
  readonly connectionString: string;
  readonly schema: string;
  /** Runs SQL in the schema. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Drops the schema and everything in it. */
  cleanup(): Promise<void>;
}

export const testDatabaseUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty schema on the shared PostgreSQL; the service under test migrates it. */
export async function createTestSchema(): Promise<TestSchema> {
  const connectionString = testDatabaseUrl();
  const schema = uniqueToken('test_');
  const client = new pg.Client({ connectionString, options: `-c search_path="${schema}"` });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  return {
    connectionString,
    schema,
    async query(sql, values) {
      return (await client.query(sql, values)).rows;
    },
    async cleanup() {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
