import net from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { classifyFailure } from '@agentledger/jetstream';
import { prismaAdapter } from '@agentledger/service-kit';
import { createTestDatabase, testDatabaseUrl, uniqueToken, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/** The error a call raised (a call that succeeds fails the test). */
async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** What Prisma 7 really raises, classified: the batch consumer's retry or dead-letter decision rests on it. */
describe('Prisma 7 failures, classified from their driver codes (real PostgreSQL)', () => {
  let schema: TestDatabase<PrismaClient>;
  const clients: PrismaClient[] = [];
  const clientOf = (connectionString: string) => {
    const client = new PrismaClient({ adapter: prismaAdapter({ connectionString, schema: schema.schema, poolSize: 2 }) });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.$disconnect().catch(() => undefined)));
    await schema.cleanup();
  });

  it('a database that refuses connections is unavailable (raw query and transaction)', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(testDatabaseUrl());
    url.hostname = '127.0.0.1';
    url.port = String((server.address() as net.AddressInfo).port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const db = clientOf(url.toString());
    const raw = await failureOf(() => db.$queryRawUnsafe('SELECT 1'));
    expect(raw).toMatchObject({ code: 'P2010' });
    expect(classifyFailure(raw)).toBe('unavailable');
    expect(classifyFailure(await failureOf(() => db.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1'))))).toBe('unavailable');
  });

  it('too many connections (a role at its connection limit) is unavailable', async () => {
    const role = uniqueToken('rel_');
    await schema.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
    try {
      const url = new URL(testDatabaseUrl());
      url.username = role;
      const failure = await failureOf(() => clientOf(url.toString()).$queryRawUnsafe('SELECT 1'));
      expect(failure).toMatchObject({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'TooManyConnections', originalCode: '53300' } } } });
      expect(classifyFailure(failure)).toBe('unavailable');
    } finally {
      await schema.query(`DROP ROLE ${role}`);
    }
  });

  it('a connection terminated by the server mid-query is unavailable', async () => {
    const db = clientOf(testDatabaseUrl());
    const tag = uniqueToken('sleeper_');
    const sleeping = failureOf(() => db.$queryRawUnsafe(`SELECT pg_sleep(30) /* ${tag} */`));
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      let terminated = 0;
      for (let tries = 0; terminated === 0 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const result = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`, [`%${tag}%`]);
        terminated = result.rowCount ?? 0;
      }
      expect(terminated).toBe(1);
    } finally {
      await admin.end();
    }
    expect(classifyFailure(await sleeping)).toBe('unavailable');
  });

  it.each([
    ['40001', 'transient'], // serialization failure
    ['40P01', 'transient'], // deadlock
    ['55P03', 'transient'], // lock not available
    ['57P01', 'unavailable'], // admin shutdown
    ['53300', 'unavailable'], // too many connections
    ['08006', 'unavailable'], // connection failure
    ['22023', 'unknown'], // invalid parameter value: retrying cannot help
  ])('SQLSTATE %s raised in a raw query is %s', async (sqlState, kind) => {
    const db = clientOf(testDatabaseUrl());
    const failure = await failureOf(() => db.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'raised for the test' USING ERRCODE = '${sqlState}'; END $$`));
    expect(failure).toMatchObject({ code: 'P2010' });
    expect(classifyFailure(failure)).toBe(kind);
  });

  it('a statement timeout is transient; a unique violation and a syntax error are not', async () => {
    const db = clientOf(testDatabaseUrl());
    const timeout = await failureOf(() => db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = '50ms'`);
      await tx.$queryRawUnsafe('SELECT pg_sleep(2)');
    }));
    expect(classifyFailure(timeout)).toBe('transient');
    await db.$executeRawUnsafe(`INSERT INTO projection_applied (projection, event_key) VALUES ('test', 'once')`);
    const duplicate = await failureOf(() => db.$executeRawUnsafe(`INSERT INTO projection_applied (projection, event_key) VALUES ('test', 'once')`));
    expect(classifyFailure(duplicate)).toBe('unknown');
    expect(classifyFailure(await failureOf(() => db.$queryRawUnsafe('SELEC 1')))).toBe('unknown');
  });
});
