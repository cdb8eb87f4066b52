import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

/**
 * A nats-server of the suite's own, JetStream on a file store in a temporary directory, so that it
 * can be killed with SIGKILL and restarted on the same store without touching the machine's server.
 */
export class ChaosNats {
  private server?: ChildProcess;

  private constructor(
    private readonly binary: string,
    private readonly storeDir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async create(port: number): Promise<ChaosNats> {
    const binary = natsServerBinary();
    const nats = new ChaosNats(binary, await mkdtemp(join(tmpdir(), 'agentledger-chaos-nats-')), port);
    await nats.start();
    return nats;
  }

  async start(): Promise<void> {
    const server = spawn(this.binary, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], { stdio: 'ignore' });
    this.server = server;
    await waitFor(`nats-server on port ${this.port}`, 30_000, async () => {
      if (server.exitCode !== null) throw new Error(`nats-server exited with ${server.exitCode} during start-up`);
      return listening(this.port);
    });
  }

  /** SIGKILL: no flush, no goodbye to the clients; the file store recovers at the next start. */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    const server = this.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await this.kill();
    }
    await rm(this.storeDir, { recursive: true, force: true });
  }
}

function natsServerBinary(): string {
  const candidates = [...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'nats-server')), '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];
  const found = candidates.find((path) => path !== 'nats-server' && existsSync(path));
  if (!found) throw new Error('nats-server is not installed (apt-get install nats-server): the chaos suite kills and restarts a server of its own');
  return found;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
