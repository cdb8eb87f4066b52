import pg from 'pg';
import type { SqlExecutor, TransactionalDb } from '@agentledger/projections';

/**
 * Our `TransactionalDb` port straight on a pg pool: the hot read models' transactions without an
 * ORM between them and the driver (Prisma's raw-query path walks every parameter and every row
 * cell, which showed as 13–17 % of each consumer's CPU). Raw SQL only: `$n` parameters, as
 * Prisma's `$queryRawUnsafe` takes them, and results shaped as Prisma's raw queries return them
 * where our code reads them (int8 as BigInt, timestamptz as Date, jsonb parsed), except NUMERIC,
 * which stays exact text (`StoredDecimal`).
 */
export interface SqlDb extends TransactionalDb<SqlExecutor>, SqlExecutor {}

/** Prisma's defaults for an interactive transaction, kept so that either port behaves the same. */
const DEFAULT_MAX_WAIT_MS = 2_000;
const DEFAULT_TIMEOUT_MS = 5_000;
/** How long a ROLLBACK after a failure may take before the connection is dropped instead. */
const ROLLBACK_TIMEOUT_MS = 5_000;

const INT8 = 20;
const parseInt8 = (text: string) => BigInt(text);
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A transaction or query that ran out of time (the transaction's `timeout`, or no connection
 * within `maxWait`): worth a retry, never a reason to dead-letter what it carried.
 */
export class SqlTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    // `TimeoutError` is what the batch consumer's failure classification retries.
    this.name = 'TimeoutError';
  }
}

/**
 * A parameter as PostgreSQL should read it, as Prisma would send it: a Date as UTC ISO text
 * (pg's own conversion uses the process's local zone), a decimal as its exact digits (pg would
 * JSON-encode the object, quotes included), arrays element by element.
 */
function parameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(parameter);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && typeof (value as { toFixed?: unknown }).toFixed === 'function') {
    return (value as { toFixed(): string }).toFixed();
  }
  return value;
}

function queryConfig(text: string, values: readonly unknown[], queryTimeout?: number): pg.QueryConfig & { query_timeout?: number } {
  return { text, values: values.map(parameter), types: TYPES, ...(queryTimeout === undefined ? {} : { query_timeout: queryTimeout }) };
}

/** A `SqlDb` on this pool. The pool stays the caller's (it may be shared with a Prisma adapter). */
export function sqlDb(pool: pg.Pool): SqlDb {
  return {
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      return (await pool.query(queryConfig(query, values))).rowCount ?? 0;
    },
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return (await pool.query(queryConfig(query, values))).rows as T;
    },
    $transaction: (fn, options = {}) => transaction(pool, fn, options.maxWait ?? DEFAULT_MAX_WAIT_MS, options.timeout ?? DEFAULT_TIMEOUT_MS),
  };
}

/**
 * BEGIN, `fn`, COMMIT on one connection. Every statement of it must finish by the transaction's
 * deadline (a client-side timer, so a frozen server cannot hold it either); a connection that
 * timed out, or whose ROLLBACK failed, is dropped rather than returned to the pool.
 */
async function transaction<R>(pool: pg.Pool, fn: (tx: SqlExecutor) => Promise<R>, maxWait: number, timeout: number): Promise<R> {
  const client = await connectWithin(pool, maxWait);
  // A checked-out connection has no pool listener: when the server goes away mid-transaction (a
  // restart, a failover) the client emits 'error', which unheard would end the process. The
  // statement in flight, or the next one, fails with it, and the catch below drops the connection.
  client.on('error', ignoreConnectionError);
  const deadline = Date.now() + timeout;
  const run = async (text: string, values: readonly unknown[]) => {
    const left = deadline - Date.now();
    if (left <= 0) throw new SqlTimeoutError(`transaction took longer than its ${timeout} ms`);
    try {
      return await client.query(queryConfig(text, values, left));
    } catch (error) {
      if ((error as Error).message === 'Query read timeout') throw new SqlTimeoutError(`transaction took longer than its ${timeout} ms`);
      throw error;
    }
  };
  const tx: SqlExecutor = {
    $executeRawUnsafe: async (query, ...values) => (await run(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await run(query, values)).rows as T,
  };
  try {
    await run('BEGIN', []);
    const result = await fn(tx);
    await run('COMMIT', []);
    client.removeListener('error', ignoreConnectionError);
    client.release();
    return result;
  } catch (error) {
    // A connection whose state is unknown (timed out, broken, stuck) is closed, not reused.
    const reusable = !(error instanceof SqlTimeoutError) && (await rollBack(client));
    // One that goes back to the pool gets the pool's idle listener; one that is closed keeps ours.
    if (reusable) client.removeListener('error', ignoreConnectionError);
    client.release(reusable ? undefined : (error as Error));
    throw error;
  }
}

function ignoreConnectionError(): void {}

/** Whether ROLLBACK succeeded within its own short deadline. */
function rollBack(client: pg.PoolClient): Promise<boolean> {
  return client.query({ text: 'ROLLBACK', query_timeout: ROLLBACK_TIMEOUT_MS } as pg.QueryConfig).then(
    () => true,
    () => false,
  );
}

/** A pool connection within `maxWait` ms, or a `SqlTimeoutError`; one that arrives later goes back to the pool. */
async function connectWithin(pool: pg.Pool, maxWait: number): Promise<pg.PoolClient> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const connecting = pool.connect();
  try {
    return await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          late = true;
          reject(new SqlTimeoutError(`no database connection within ${maxWait} ms`));
        }, maxWait);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (late) connecting.then((client) => client.release(), () => undefined);
  }
}
