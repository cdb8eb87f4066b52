import { createServer } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
