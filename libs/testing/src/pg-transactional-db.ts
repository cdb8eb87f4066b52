import pg from 'pg';
import { sqlDb, type SqlDb } from '@agentledger/service-kit';

export interface PgTransactionalDb extends SqlDb {
  end(): Promise<void>;
}

/** The services' bare-pool port (`sqlDb`) on a pool of its own in one schema: for lib tests that have no generated Prisma client. */
export function pgTransactionalDb(connectionString: string, schema: string): PgTransactionalDb {
  const pool = new pg.Pool({ connectionString, max: 4, options: `-c search_path="${schema}"` });
  return { ...sqlDb(pool), end: () => pool.end() };
}
