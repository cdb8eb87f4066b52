import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './cpu-time.js';
import { withServiceProcessSettings } from '@agentledger/service-kit/process-settings';
import { createTestBus, createTestSchema, eventually, freePort, SERVICE_NAMES, SERVICE_PORT_VARIABLES, type ServiceName, type TestBus, type TestSchema } from '@agentledger/testing';

// The six services as `npm start` runs them (`node services/<name>/dist/main.js`), but on a
// namespace of their own on the machine's NATS and a schema each on the machine's PostgreSQL,
// all removed by `destroy()`. Every consumer may run as several replicas on the same durables.

export const SERVICES = SERVICE_NAMES;
export type { ServiceName };
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Replica {
  readonly service: ServiceName;
  readonly port: number;
  child: ChildProcess;
}

export interface StackOptions {
  /** Processes of every consumer (the gateway runs once). */
  readonly replicas: number;
  /** `key=tenant:role`, as AGENTLEDGER_API_KEYS. */
  readonly apiKeys: string;
}

export class OwnStack {
  private readonly replicas: Replica[] = [];
  private readonly stopping = new Set<ChildProcess>();

  private constructor(
    readonly bus: TestBus,
    readonly schemas: Record<ServiceName, TestSchema>,
    private readonly options: StackOptions,
  ) {}

  static async start(options: StackOptions): Promise<OwnStack> {
    const bus = await createTestBus();
    const schemas = {} as Record<ServiceName, TestSchema>;
    for (const service of SERVICES) schemas[service] = await createTestSchema();
    const stack = new OwnStack(bus, schemas, options);
    try {
      for (const service of SERVICES) {
        const count = service === 'gateway' ? 1 : options.replicas;
        for (let i = 0; i < count; i++) stack.replicas.push({ service, port: await freePort(), child: undefined as never });
      }
      // One at a time: the first of each migrates its schema, and two cores start six processes slowly anyway.
      for (const replica of stack.replicas) await stack.run(replica);
      return stack;
    } catch (error) {
      await stack.destroy();
      throw error;
    }
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.replicas.find((replica) => replica.service === 'gateway')!.port}${path}`;
  }

  /** Peak resident set (VmHWM) of each process so far, in MB, e.g. `pricing#1`. */
  peakRssMb(): Array<{ process: string; mb: number }> {
    return this.replicas.map((replica, index) => ({ process: this.processName(index), mb: vmHwmMb(replica.child.pid!) }));
  }

  /** CPU seconds (user + system) of each process so far, e.g. `pricing#1`. */
  cpuSeconds(): Array<{ process: string; seconds: number }> {
    return this.replicas.map((replica, index) => ({ process: this.processName(index), seconds: processCpuSeconds(replica.child.pid!) }));
  }

  private processName(index: number): string {
    const { service } = this.replicas[index]!;
    return `${service}#${this.replicas.slice(0, index + 1).filter((other) => other.service === service).length}`;
  }

  /**
   * Stops every process of the service, times `main.js rebuild`, and starts them again. Answers the
   * rebuild's seconds and the restart's (until /readyz): the rebuild's own start-up is about the latter.
   */
  async rebuild(service: ServiceName): Promise<{ seconds: number; startSeconds: number }> {
    const own = this.replicas.filter((replica) => replica.service === service);
    for (const replica of own) await this.stop(replica.child);
    const started = performance.now();
    const child = this.spawn(own[0]!, ['rebuild']);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`${service} rebuild exited with ${code}`);
    const restarting = performance.now();
    for (const replica of own) await this.run(replica);
    return { seconds, startSeconds: (performance.now() - restarting) / 1000 / own.length };
  }

  async destroy(): Promise<void> {
    for (const replica of this.replicas) if (replica.child) await this.stop(replica.child);
    for (const schema of Object.values(this.schemas)) await schema.cleanup();
    await this.bus.cleanup();
  }

  private async run(replica: Replica): Promise<void> {
    const child = this.spawn(replica, []);
    replica.child = child;
    child.once('exit', (code, signal) => {
      if (!this.stopping.has(child)) process.stderr.write(`bench: ${replica.service} on port ${replica.port} exited by itself (${code ?? signal})\n`);
    });
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${replica.service} exited with ${child.exitCode}`);
        return (await fetch(`http://127.0.0.1:${replica.port}/readyz`).catch(() => null))?.status === 200;
      },
      90_000,
      `${replica.service} to be ready`,
    );
  }

  private spawn(replica: Replica, args: string[]): ChildProcess {
    // CPU_PROFILE_DIR, as for npm start: each process writes a V8 CPU profile there when it stops.
    const profile = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : [];
    return spawn(process.execPath, [...profile, `services/${replica.service}/dist/main.js`, ...args], {
      cwd: repoRoot,
      // As npm start runs them, with the same process settings.
      env: withServiceProcessSettings({
        ...process.env,
        NATS_URL: this.bus.natsUrl,
        FINOPS_NAMESPACE: this.bus.token,
        DATABASE_URL: this.schemas[replica.service].connectionString,
        DATABASE_SCHEMA: this.schemas[replica.service].schema,
        [SERVICE_PORT_VARIABLES[replica.service]]: String(replica.port),
        AGENTLEDGER_API_KEYS: this.options.apiKeys,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  private async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Linux's VmHWM: the process's peak resident set so far. */
function vmHwmMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((candidate) => candidate.startsWith('VmHWM:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}
