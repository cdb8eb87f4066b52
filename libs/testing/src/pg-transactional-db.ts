import pg from 'pg';
import type { SqlExecutor, TransactionalDb } from '@agentledger/projections';

export interface PgTransactionalDb extends TransactionalDb<SqlExecutor>, SqlExecutor {
  end(): Promise<void>;
}

/**
 * Our `TransactionalDb` port on a plain pg pool in one schema: for lib tests that have no
 * generated Prisma client. `$queryRawUnsafe`/`$executeRawUnsafe` take `$n` parameters as Prisma's do.
 */
export function pgTransactionalDb(connectionString: string, schema: string): PgTransactionalDb {
  const pool = new pg.Pool({ connectionString, max: 4, options: `-c search_path="${schema}"` });
  const executor = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rowCount ?? 0;
    },
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rows as T;
    },
  });
  return {
    ...executor(pool),
    async $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}
