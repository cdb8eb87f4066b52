import { createServer } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ManagedProcess } from './managed-process.js';
import { NATS_STOP_SIGNAL, ensureNats, probeNats } from './nats-server.js';
import { parseNatsUrls } from './nats-url.js';
import { PrefixedOutput } from './prefixed-output.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('local NATS server', () => {
  let dataDir: string;
  let server: ManagedProcess | undefined;
  const terminal = new PassThrough();
  let printed = '';
  terminal.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const output = new PrefixedOutput(['start', 'nats'], false, 'json', terminal, terminal);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'agentledger-nats-'));
  });

  afterAll(async () => {
    await server?.stop(5_000, NATS_STOP_SIGNAL);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts nats-server with JetStream when nothing listens, then reuses it', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const endpoints = parseNatsUrls(url);
    const options = { dataDir, cwd: dataDir, output, say: () => undefined, onSpawn: () => undefined };
    expect(await probeNats(endpoints[0]!)).toEqual({ reachable: false });

    const started = await ensureNats(url, endpoints, options);
    server = started.server;
    expect(server?.running).toBe(true);
    expect(started.info.jetstream).toBe(true);
    expect((await stat(join(dataDir, 'nats'))).isDirectory()).toBe(true);
    expect(printed).toMatch(/^\[nats\] .*Starting nats-server/m);

    const reused = await ensureNats(url, endpoints, options);
    expect(reused.server).toBeUndefined();
    expect(reused.info.jetstream).toBe(true);

    const stopped = await server!.stop(5_000, NATS_STOP_SIGNAL);
    expect(stopped).toEqual({ code: 0, signal: null, forced: false });
    expect(await probeNats(endpoints[0]!)).toEqual({ reachable: false });
  }, 60_000);
});
