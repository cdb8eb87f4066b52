// deploy/postgres/10-service-roles.sh against a real Postgres: the roles it makes can migrate and
// use their own schema and nothing else. Role names are unique to the run (the script takes its
// service list from AGENTLEDGER_DATABASE_SERVICES), in a database of their own, dropped after.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrateSchema } from '@agentledger/projections';
import { testDatabaseUrl, uniqueToken } from '@agentledger/testing';
import { repoRoot } from './support/contract.js';

const run = promisify(execFile);
const script = join(repoRoot, 'deploy/postgres/10-service-roles.sh');
const admin = new URL(testDatabaseUrl());
const token = uniqueToken('dchk');
const database = token;
const [first, second] = [`${token}_a`, `${token}_b`];
const urlAs = (user: string): string => {
  const url = new URL(admin);
  url.username = user;
  url.password = `pw_${user}`;
  url.pathname = `/${database}`;
  return url.toString();
};

async function asAdmin(sql: string, db = admin.pathname.slice(1)): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: Object.assign(new URL(admin), { pathname: `/${db}` }).toString() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function asRole(user: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: urlAs(user) });
  await client.connect();
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}

const runScript = () =>
  run('sh', [script], {
    env: {
      PATH: process.env.PATH,
      PGHOST: admin.hostname,
      PGPORT: admin.port || '5432',
      PGUSER: decodeURIComponent(admin.username),
      PGPASSWORD: decodeURIComponent(admin.password),
      PGDATABASE: database,
      AGENTLEDGER_DATABASE_SERVICES: `${first} ${second}`,
      [`${first.toUpperCase()}_DATABASE_URL`]: urlAs(first),
      [`${second.toUpperCase()}_DATABASE_URL`]: urlAs(second),
    },
  });

describe('deploy/postgres/10-service-roles.sh on a real Postgres', () => {
  beforeAll(async () => {
    await asAdmin(`CREATE DATABASE "${database}"`);
    // A database that ran with one shared role: the first service's schema exists, owned by the superuser.
    await asAdmin(`CREATE SCHEMA "${first}"; CREATE TABLE "${first}".legacy (id int)`, database);
    await runScript();
  }, 60_000);

  afterAll(async () => {
    await asAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await asAdmin(`DROP ROLE IF EXISTS "${first}"; DROP ROLE IF EXISTS "${second}"`);
  });

  it('makes login roles that are no superuser and cannot create roles or databases', async () => {
    const { rows } = await asAdmin(`SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname IN ('${first}', '${second}') ORDER BY rolname`);
    expect(rows).toEqual([first, second].map((rolname) => ({ rolname, rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false })));
    expect(await asRole(first, `CREATE ROLE "${token}_c"`)).toBe('42501');
  });

  it('gives each role its schema, objects included, and a real service’s migrations run as it', async () => {
    const { rows } = await asAdmin(`SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname LIKE '${token}%' ORDER BY 1`, database);
    expect(rows).toEqual([first, second].map((name) => ({ nspname: name, owner: name })));
    expect(await asRole(first, `INSERT INTO "${first}".legacy VALUES (1)`)).toBe('ok');
    const applied = await migrateSchema({ connectionString: urlAs(second), schema: second, migrationsDir: join(repoRoot, 'services/budgeting/prisma/migrations') });
    expect(applied.length).toBeGreaterThan(2);
  }, 60_000);

  it('keeps every role out of the other schemas and out of public', async () => {
    expect(await asRole(second, `SELECT * FROM "${first}".legacy`)).toBe('42501');
    expect(await asRole(first, `CREATE TABLE "${second}".intruder (id int)`)).toBe('42501');
    expect(await asRole(first, 'CREATE TABLE public.intruder (id int)')).toBe('42501');
  });

  it('is idempotent: a second run changes nothing and succeeds', async () => {
    await expect(runScript()).resolves.toBeDefined();
    expect(await asRole(first, `SELECT count(*) FROM "${first}".legacy`)).toBe('ok');
  });

  it('refuses a URL whose user is not the service', async () => {
    const env = { PATH: process.env.PATH, PGHOST: admin.hostname, PGUSER: decodeURIComponent(admin.username), PGDATABASE: database, AGENTLEDGER_DATABASE_SERVICES: first, [`${first.toUpperCase()}_DATABASE_URL`]: urlAs('someone') };
    await expect(run('sh', [script], { env })).rejects.toMatchObject({ stderr: expect.stringContaining(`must be postgres://${first}:<password>@`) });
  });
});
