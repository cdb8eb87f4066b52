import pg from 'pg';
import { redactPassword, withDatabase } from './database-url.js';
import { StartError } from './start-error.js';

/** Postgres error codes we act on. */
const INVALID_CATALOG_NAME = '3D000';
const INVALID_AUTHORIZATION = '28000';
const INSUFFICIENT_PRIVILEGE = '42501';
const DUPLICATE_DATABASE = '42P04';
const CANNOT_CONNECT_NOW = '57P03';
const NO_MAINTENANCE_ACCESS = new Set([INVALID_CATALOG_NAME, INVALID_AUTHORIZATION, INSUFFICIENT_PRIVILEGE]);
/** Where `CREATE DATABASE` is issued from; every cluster has it unless an admin dropped it. */
const MAINTENANCE_DATABASE = 'postgres';
const TRANSIENT_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

export type DatabaseProvisioning = 'created' | 'existing';

/**
 * Makes sure `database` exists on the server. Services create their own schemas but cannot
 * create the database they connect to. Asking `pg_database` (rather than trying to connect)
 * keeps a "database does not exist" FATAL out of the server log on every first run. Retries
 * for a while, because an external server (e.g. a container started alongside) may still be
 * coming up.
 */
export async function ensureDatabase(
  serverUrl: string,
  database: string,
  { attempts = 20, delayMs = 500 }: { attempts?: number; delayMs?: number } = {},
): Promise<DatabaseProvisioning> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await provision(serverUrl, database);
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw explain(error, serverUrl, database);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

async function provision(serverUrl: string, database: string): Promise<DatabaseProvisioning> {
  try {
    return await withClient(withDatabase(serverUrl, MAINTENANCE_DATABASE), async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount !== 0) return 'existing';
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
        return 'created';
      } catch (error) {
        // Someone else (a second `npm start`, a service) created it in the meantime.
        if (codeOf(error) === DUPLICATE_DATABASE) return 'existing';
        throw error;
      }
    });
  } catch (error) {
    // A managed server may not let this user into `postgres`; the database may still be there.
    if (!NO_MAINTENANCE_ACCESS.has(codeOf(error) ?? '')) throw error;
    await withClient(withDatabase(serverUrl, database), async () => undefined);
    return 'existing';
  }
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // Without a listener, a late socket error would crash the process instead of failing here.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) return code === CANNOT_CONNECT_NOW || TRANSIENT_NETWORK.has(code);
  return error instanceof Error && /timeout|terminated unexpectedly/i.test(error.message);
}

function explain(error: unknown, serverUrl: string, database: string): StartError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StartError(`could not prepare database "${database}" on ${redactPassword(serverUrl)}: ${reason}`);
}
