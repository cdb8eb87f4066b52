import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, SERVICE_NAMES, SERVICE_PORT_VARIABLES, type ServiceName } from '@agentledger/testing';
import { waitFor } from './wait.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export const SERVICES = SERVICE_NAMES;
export type { ServiceName };

export interface ServiceEnvironment {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly apiKeys: string;
}

/** The built services as real processes (`node services/<name>/dist/main.js`), as `npm start` runs them. */
export class ServiceProcesses {
  private readonly processes = new Map<ServiceName, ChildProcess>();
  private readonly ports = new Map<ServiceName, number>();
  /** The last lines each service printed, for the report when something goes wrong. */
  readonly logs = new Map<ServiceName, string[]>();
  /** Services that exited without being told to, in order, each with the last lines it printed. */
  readonly crashes: Array<{ service: ServiceName; code: number | null; signal: string | null; tail: string }> = [];
  private readonly stopping = new Set<ChildProcess>();

  constructor(private readonly environment: ServiceEnvironment) {}

  url(service: ServiceName, path = ''): string {
    return `http://127.0.0.1:${this.ports.get(service)}${path}`;
  }

  async startAll(): Promise<void> {
    for (const service of SERVICES) this.ports.set(service, await freePort());
    await Promise.all(SERVICES.map((service) => this.start(service)));
  }

  async start(service: ServiceName): Promise<void> {
    const child = this.spawn(service, []);
    this.processes.set(service, child);
    child.once('exit', (code, signal) => {
      if (!this.stopping.has(child)) this.crashes.push({ service, code, signal, tail: this.tail(service, 10) });
    });
    await waitFor(`${service} to be ready`, 90_000, async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}: ${this.tail(service)}`);
      try {
        return (await fetch(this.url(service, '/readyz'))).status === 200;
      } catch {
        return false;
      }
    });
  }

  /** SIGKILL, as a crash or an OOM kill would: nothing is finished, drained or acked. */
  async kill(service: ServiceName): Promise<void> {
    const child = this.processes.get(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts again, as a supervisor would, every service that exited by itself; answers their names. */
  async restartCrashed(): Promise<ServiceName[]> {
    const crashed = [...this.processes].filter(([, child]) => !this.stopping.has(child) && (child.exitCode !== null || child.signalCode !== null)).map(([service]) => service);
    for (const service of crashed) await this.start(service);
    return crashed;
  }

  /** Stops the service, runs `main.js rebuild` (its read models dropped and replayed from the streams), starts it again. */
  async rebuild(service: ServiceName): Promise<void> {
    await this.stop(service);
    const child = this.spawn(service, ['rebuild']);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    if (code !== 0) throw new Error(`${service} rebuild exited with ${code}: ${this.tail(service)}`);
    await this.start(service);
  }

  async stopAll(): Promise<void> {
    await Promise.all(SERVICES.map((service) => this.stop(service)));
  }

  tail(service: ServiceName, lines = 20): string {
    return (this.logs.get(service) ?? []).slice(-lines).join('');
  }

  private async stop(service: ServiceName): Promise<void> {
    const child = this.processes.get(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    await this.kill(service);
  }

  private spawn(service: ServiceName, args: readonly string[]): ChildProcess {
    const child = spawn(process.execPath, [`services/${service}/dist/main.js`, ...args], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        NATS_URL: this.environment.natsUrl,
        DATABASE_URL: this.environment.databaseUrl,
        DATABASE_SCHEMA: service,
        [SERVICE_PORT_VARIABLES[service]]: String(this.ports.get(service)),
        AGENTLEDGER_API_KEYS: this.environment.apiKeys,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = this.logs.get(service) ?? [];
    this.logs.set(service, lines);
    const keep = (chunk: Buffer) => {
      lines.push(chunk.toString());
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    return child;
  }
}
