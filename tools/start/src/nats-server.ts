import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './executable-lookup.js';
import { ManagedProcess } from './managed-process.js';
import { parseInfoLine, type NatsServerInfo } from './nats-info.js';
import type { NatsEndpoint } from './nats-url.js';
import type { PrefixedOutput } from './prefixed-output.js';
import { StartError } from './start-error.js';

/** Where package managers put nats-server when it is not on PATH (Debian: /usr/sbin). */
const NATS_SERVER_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/opt/homebrew/bin'];
const STARTUP_TIMEOUT_MS = 15_000;

/**
 * nats-server shuts down just as gracefully on SIGTERM, but then exits with code 1; SIGINT
 * gives the same shutdown and a clean 0.
 */
export const NATS_STOP_SIGNAL: NodeJS.Signals = 'SIGINT';

export type NatsProbe = { reachable: false } | ({ reachable: true } & NatsServerInfo);

/**
 * Connects and reads the server's INFO line. That is enough to know that a NATS server is there
 * and whether it has JetStream, without a client library or credentials.
 */
export function probeNats(endpoint: NatsEndpoint, timeoutMs = 1_500): Promise<NatsProbe> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    let received = '';
    const finish = (probe: NatsProbe) => {
      socket.destroy();
      resolve(probe);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => finish({ reachable: false }));
    socket.on('error', () => finish({ reachable: false }));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end < 0) return;
      const info = parseInfoLine(received.slice(0, end));
      finish(info === undefined ? { reachable: false } : { reachable: true, ...info });
    });
  });
}

export interface NatsSetup {
  /** The server we started, to stop on exit; undefined when an existing one is reused. */
  server: ManagedProcess | undefined;
  info: NatsServerInfo;
  /** Each service's NATS user (`NATS_USER`, `NATS_PASSWORD`) on the server we started with authorization. */
  serviceCredentials: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined;
}

/** Where `npm start` keeps the generated authorization of its own nats-server (passwords kept between runs). */
export const natsAuthDir = (dataDir: string) => join(dataDir, 'nats-auth');

/**
 * Generates (or extends) the authorization of `npm start`'s own nats-server with `tools/nats-auth`:
 * one least-privilege user per service, and clients without credentials — agents and tools
 * written against the contract, which names no credentials — mapped to the development agent,
 * whose rights are an agent's (publish events, ask checks, watch pauses, hear alerts) for every
 * tenant, never a service's.
 */
export async function generateDevAuth(workspaceRoot: string, dataDir: string): Promise<{ configFile: string; serviceCredentials: Record<string, Record<string, string>> }> {
  const generator = join(workspaceRoot, 'tools', 'nats-auth', 'dist', 'main.js');
  if (!existsSync(generator)) throw new StartError(`${generator} is missing: run \`npm run build\``);
  const out = natsAuthDir(dataDir);
  await promisify(execFile)(process.execPath, [generator, '--out', out, '--dev-agent'], { cwd: workspaceRoot });
  const credentials = JSON.parse(await readFile(join(out, 'credentials.json'), 'utf8')) as { services: Record<string, { user: string; password: string }> };
  const serviceCredentials = Object.fromEntries(
    Object.entries(credentials.services).map(([service, { user, password }]) => [service, { NATS_USER: user, NATS_PASSWORD: password }]),
  );
  return { configFile: join(out, 'nats-server.conf'), serviceCredentials };
}

/**
 * Reuses a running NATS server if `NATS_URL` reaches one, as it is (its own authorization, if
 * any, is the operator's business); otherwise starts `nats-server -js` on the URL's port with its
 * store under `.data/nats` and the generated authorization (`generateDevAuth`). Only a loopback
 * address can be replaced: for a remote URL a local server would not be the one the services
 * connect to.
 */
export async function ensureNats(
  natsUrl: string,
  endpoints: readonly NatsEndpoint[],
  options: {
    dataDir: string;
    cwd: string;
    /** The repository root, where `tools/nats-auth` is built (default `cwd`). */
    workspaceRoot?: string;
    output: PrefixedOutput;
    say: (line: string) => void;
    /** Called as soon as the server is spawned, so a Ctrl-C during start-up can still stop it. */
    onSpawn: (server: ManagedProcess) => void;
  },
): Promise<NatsSetup> {
  for (const endpoint of endpoints) {
    const probe = await probeNats(endpoint);
    if (probe.reachable) return { server: undefined, info: probe, serviceCredentials: undefined };
  }
  const local = endpoints[0] as NatsEndpoint;
  if (!local.loopback) {
    throw new StartError(`NATS at ${natsUrl} is not reachable. Start it, or unset NATS_URL to run a local nats-server.`);
  }
  const binary = findExecutable('nats-server', process.env['PATH'], NATS_SERVER_DIRS);
  if (binary === undefined) throw new StartError(missingNatsServerAdvice());

  const storeDir = join(options.dataDir, 'nats');
  await mkdir(storeDir, { recursive: true });
  const auth = await generateDevAuth(options.workspaceRoot ?? options.cwd, options.dataDir);
  const bindAddress = local.host === 'localhost' ? '127.0.0.1' : local.host;
  options.say(`no NATS server at ${natsUrl}; starting ${binary} (JetStream store in ${storeDir}, authorization from ${auth.configFile})`);
  const server = ManagedProcess.start(
    'nats',
    binary,
    ['-c', auth.configFile, '-js', '-a', bindAddress, '-p', String(local.port), '-sd', storeDir],
    { cwd: options.cwd, output: options.output },
  );
  options.onSpawn(server);
  const info = await waitForNats(local, server);
  return { server, info, serviceCredentials: auth.serviceCredentials };
}

async function waitForNats(endpoint: NatsEndpoint, server: ManagedProcess): Promise<NatsServerInfo> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!server.running) {
      const status = await server.exited;
      throw new StartError(`nats-server stopped during start-up (code ${status.code ?? status.signal}); see its log above`);
    }
    const probe = await probeNats(endpoint, 500);
    if (probe.reachable) return probe;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop(2_000, NATS_STOP_SIGNAL);
  throw new StartError(`nats-server did not accept connections on port ${endpoint.port} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

export function missingNatsServerAdvice(): string {
  return [
    'nats-server was not found (looked on PATH and in /usr/sbin, /usr/local/bin).',
    'AgentLedger needs a NATS server with JetStream. Either:',
    '  - install it: `apt-get install nats-server` (Debian/Ubuntu), `brew install nats-server` (macOS),',
    '    or download a binary from https://github.com/nats-io/nats-server/releases and put it on PATH;',
    '  - or start one yourself (`nats-server -js`) and point NATS_URL at it;',
    '  - or run the whole stack with `docker compose up`.',
  ].join('\n');
}
