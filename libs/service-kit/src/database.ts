import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { assertSchemaName } from '@agentledger/projections';

export interface DatabaseOptions {
  readonly connectionString: string;
  /** The service's own schema: generated and raw queries both run in it. */
  readonly schema: string;
  readonly poolSize?: number;
}

/** A Prisma driver adapter on a pg pool whose connections live in the service's schema. */
export function prismaAdapter(options: DatabaseOptions): PrismaPg {
  assertSchemaName(options.schema);
  return new PrismaPg(
    {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // Raw SQL resolves unqualified names through search_path; generated queries use `schema`.
      options: `-c search_path="${options.schema}"`,
    },
    { schema: options.schema },
  );
}

/**
 * A plain pg pool in the service's schema, for the few hot paths where one SQL round trip must
 * do the work (a pre-call check is one function call) and an ORM's per-query cost would show.
 */
export function sqlPool(options: DatabaseOptions): pg.Pool {
  assertSchemaName(options.schema);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, options: `-c search_path="${options.schema}"` });
  // When the server ends an idle connection (a restart, a failover, an admin's kill), the pool
  // emits 'error'; unheard, that event would end the process. The pool has already dropped the
  // connection and opens a new one for the next query, whose own failure its caller handles.
  pool.on('error', () => undefined);
  return pool;
}
