import { createServer } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';
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

const workspaceRoot = resolve(import.meta.dirname, '../../..');
const request = (url: string, subject: string, credentials: { user?: string; pass?: string; inboxPrefix?: string } = {}) =>
  connect({ servers: url, ...credentials }).then(async (nc) => {
    try {
      return await nc.request(subject, 'x', { timeout: 2_000 }).then(
        () => 'answered',
        (error: Error) => error.message,
      );
    } finally {
      await nc.close();
    }
  });

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
    const options = { dataDir, cwd: dataDir, workspaceRoot, output, say: () => undefined, onSpawn: () => undefined };
    expect(await probeNats(endpoints[0]!)).toEqual({ reachable: false });

    const started = await ensureNats(url, endpoints, options);
    server = started.server;
    expect(server?.running).toBe(true);
    expect(started.info.jetstream).toBe(true);
    // With a no_auth_user the server does not announce auth_required; it authorizes every client all the same.
    expect(started.info.authRequired).toBe(false);
    expect((await stat(join(dataDir, 'nats'))).isDirectory()).toBe(true);
    // Each service has its user; a client without credentials is the development agent.
    expect(Object.keys(started.serviceCredentials ?? {})).toEqual(['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway']);
    const gateway = started.serviceCredentials!['gateway']!;
    expect(await request(url, 'finops.query.attribution.costSummary', { user: gateway['NATS_USER'], pass: gateway['NATS_PASSWORD'], inboxPrefix: '_INBOX_gateway' })).toMatch(/no responders/i);
    expect(await request(url, 'finops.in.acme.llm_call')).toMatch(/no responders/i);
    expect(await request(url, 'finops.control.check.acme')).toMatch(/no responders/i);
    expect(await request(url, 'finops.query.attribution.costSummary')).toMatch(/permissions violation/i);
    expect(await request(url, 'finops.facts.acme.llm_call')).toMatch(/permissions violation/i);
    expect(await request(url, '$JS.API.STREAM.DELETE.FINOPS_IN')).toMatch(/permissions violation/i);
    expect(printed).toMatch(/^\[nats\] .*Starting nats-server/m);

    const reused = await ensureNats(url, endpoints, options);
    expect(reused.server).toBeUndefined();
    expect(reused.serviceCredentials).toBeUndefined();
    expect(reused.info.jetstream).toBe(true);

    const stopped = await server!.stop(5_000, NATS_STOP_SIGNAL);
    expect(stopped).toEqual({ code: 0, signal: null, forced: false });
    expect(await probeNats(endpoints[0]!)).toEqual({ reachable: false });
  }, 60_000);
});
