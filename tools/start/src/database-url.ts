import { StartError } from './start-error.js';

/** The database every service shares; each service owns one schema in it. */
export const DEFAULT_DATABASE_NAME = 'agentledger';

/** Where the services' database lives: a server and a database name on it. */
export interface DatabaseTarget {
  /** Connection URL of the server, pointing at no particular database. */
  serverUrl: string;
  database: string;
}

/**
 * Reads `DATABASE_URL`. A URL that names a database keeps it (the operator chose it);
 * a bare server URL gets the default database.
 */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StartError('DATABASE_URL is not a URL (expected e.g. postgres://user:password@host:5432/agentledger)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StartError(`DATABASE_URL must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  const named = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return { serverUrl: withDatabase(value, ''), database: named === '' ? DEFAULT_DATABASE_NAME : named };
}

/** The same server URL (credentials and query options kept) pointing at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = database === '' ? '' : `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** For printing: the password never reaches the terminal. */
export function redactPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password !== '') url.password = '***';
  return url.toString();
}

export function embeddedServerUrl(port: number, user: string, password: string): string {
  // 127.0.0.1 rather than localhost: the cluster listens on both, and this skips a ::1 attempt.
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}
