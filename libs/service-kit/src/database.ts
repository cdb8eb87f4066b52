import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { assertSchemaName } from '@agentledger/projections';

export interface DatabaseOptions {
  readonly connectionString: string;
  /** The service's own schema: generated and raw queries both run in it. */
  readonly schema: string;
  readonly poolSize?: number;
  /** Each statement on these connections is cancelled after this long (PostgreSQL `statement_timeout`); unset, never. */
  readonly statementTimeoutMs?: number;
}

/**
 * The `options` startup parameter of every connection: the schema on the search path, and the
 * statement timeout when there is one.
 */
function connectionOptions(options: DatabaseOptions): string {
  assertSchemaName(options.schema);
  const timeout = options.statementTimeoutMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) throw new Error(`statementTimeoutMs must be a positive integer (got ${timeout})`);
  // Raw SQL resolves unqualified names through search_path; generated queries use `schema`.
  return `-c search_path="${options.schema}"${timeout ? ` -c statement_timeout=${timeout}` : ''}`;
}

/** A Prisma driver adapter on a pg pool whose connections live in the service's schema. */
export function prismaAdapter(options: DatabaseOptions): PrismaPg {
  return new PrismaPg({ connectionString: options.connectionString, max: options.poolSize ?? 10, options: connectionOptions(options) }, { schema: options.schema });
}

/**
 * A plain pg pool in the service's schema, for the few hot paths where one SQL round trip must
 * do the work (a pre-call check is one function call) and an ORM's per-query cost would show.
 */
export function sqlPool(options: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, options: connectionOptions(options) });
  // When the server ends an idle connection (a restart, a failover, an admin's kill), the pool
  // emits 'error'; unheard, that event would end the process. The pool has already dropped the
  // connection and opens a new one for the next query, whose own failure its caller handles.
  pool.on('error', () => undefined);
  return pool;
}
