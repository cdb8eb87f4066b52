import pg from 'pg';
import { Decimal } from 'decimal.js';
import { classifyFailure } from '@agentledger/jetstream';
import { sqlDb, SqlTimeoutError, type SqlDb } from '../src/sql-db.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// A schema of this file's own (libs/testing builds on this lib, so it is made here by hand).
const schema = `sk_sql_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe('sqlDb: the bare-pool transaction port (real PostgreSQL)', () => {
  let admin: pg.Pool;
  let pool: pg.Pool;
  let db: SqlDb;

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`CREATE TABLE "${schema}".entry (id text PRIMARY KEY, amount numeric NOT NULL, n bigint NOT NULL, at timestamptz NOT NULL, doc jsonb)`);
  });

  beforeEach(async () => {
    pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path="${schema}"` });
    db = sqlDb(pool);
    await db.$executeRawUnsafe('TRUNCATE entry');
  });

  afterEach(async () => {
    await pool.end();
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });

  const count = async () => Number((await db.$queryRawUnsafe<Array<{ n: bigint }>>('SELECT count(*) AS n FROM entry'))[0]!.n);

  it('commits, and reads back what Prisma raw queries would: int8 as BigInt, NUMERIC as exact text, timestamptz as Date, jsonb parsed', async () => {
    const at = new Date('2026-03-29T01:30:00.123Z');
    const inserted = await db.$transaction(async (tx) => {
      const rows = await tx.$executeRawUnsafe(
        'INSERT INTO entry (id, amount, n, at, doc) SELECT * FROM unnest($1::text[], $2::numeric[], $3::bigint[], $4::timestamptz[], $5::jsonb[])',
        ['a', 'b'],
        [new Decimal('0.000000000000000001'), '12345678901234567890.5'],
        [9007199254740993n, 1n],
        [at, new Date(at.getTime() + 1)],
        [JSON.stringify({ k: 'v' }), null],
      );
      // A Decimal and a Date as single parameters go as their exact text and UTC instant.
      await tx.$executeRawUnsafe('UPDATE entry SET amount = amount + $1, at = $2 WHERE id = $3', new Decimal('1e-18'), at, 'b');
      return rows;
    });
    expect(inserted).toBe(2);
    const rows = await db.$queryRawUnsafe<Array<{ id: string; amount: string; n: bigint; at: Date; doc: unknown }>>('SELECT id, amount, n, at, doc FROM entry ORDER BY id');
    expect(rows).toEqual([
      { id: 'a', amount: '0.000000000000000001', n: 9007199254740993n, at, doc: { k: 'v' } },
      { id: 'b', amount: '12345678901234567890.500000000000000001', n: 1n, at, doc: null },
    ]);
  });

  it('rolls back when the work throws, keeps the SQLSTATE, and the connection serves again', async () => {
    await db.$executeRawUnsafe(`INSERT INTO entry VALUES ('x', 1, 1, now(), NULL)`);
    const failure = await db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO entry VALUES ('y', 1, 1, now(), NULL)`);
        await tx.$executeRawUnsafe(`INSERT INTO entry VALUES ('x', 1, 1, now(), NULL)`);
      })
      .catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('23505');
    expect(await count()).toBe(1);
    const thrown = await db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO entry VALUES ('z', 1, 1, now(), NULL)`);
        throw new Error('the work itself failed');
      })
      .catch((error: unknown) => error);
    expect((thrown as Error).message).toBe('the work itself failed');
    expect(await count()).toBe(1);
    // Both connections went back to the pool (rolled back), none was dropped.
    expect(pool.totalCount).toBeLessThanOrEqual(2);
    expect(await db.$transaction((tx) => tx.$queryRawUnsafe<Array<{ one: number }>>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('gives up a transaction past its timeout with a retryable error, drops the connection, commits nothing', async () => {
    const started = Date.now();
    const failure = await db
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`INSERT INTO entry VALUES ('slow', 1, 1, now(), NULL)`);
          await tx.$queryRawUnsafe('SELECT pg_sleep(3)');
        },
        { timeout: 300 },
      )
      .catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(failure).toBeInstanceOf(SqlTimeoutError);
    expect((failure as Error).message).toMatch(/longer than its 300 ms/);
    expect(classifyFailure(failure)).toBe('transient');
    // The timed-out connection was closed, not handed to the next caller mid-statement.
    expect(pool.totalCount).toBe(0);
    expect(await count()).toBe(0);
  });

  it('waits at most maxWait for a connection, and a connection that comes later goes back to the pool', async () => {
    const small = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path="${schema}"` });
    const only = sqlDb(small);
    try {
      let release!: () => void;
      const holding = only.$transaction(async (tx) => {
        await tx.$queryRawUnsafe('SELECT 1');
        await new Promise<void>((resolve) => (release = resolve));
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const failure = await only.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1'), { maxWait: 200 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SqlTimeoutError);
      expect(classifyFailure(failure)).toBe('transient');
      release();
      await holding;
      // The connection the refused caller would have had is idle again, not leaked.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(small.idleCount).toBe(1);
      expect(await only.$transaction((tx) => tx.$queryRawUnsafe<Array<{ two: number }>>('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
    } finally {
      await small.end();
    }
  });

  it('survives the server ending its connection mid-transaction (a restart): the transaction fails, the process lives, the pool serves again', async () => {
    const failure = await db
      .$transaction(async (tx) => {
        const [{ pid }] = await tx.$queryRawUnsafe<Array<{ pid: number }>>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // The socket's error arrives between statements, while no query is in flight.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.$executeRawUnsafe(`INSERT INTO entry VALUES ('lost', 1, 1, now(), null)`);
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(await count()).toBe(0);
    expect(await db.$transaction((tx) => tx.$queryRawUnsafe<Array<{ two: number }>>('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
  });
});
