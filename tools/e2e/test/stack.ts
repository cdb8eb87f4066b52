import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestBus, eventually, freePort, SERVICE_PORT_VARIABLES, testDatabaseUrl, type ServiceName, type TestBus } from '@agentledger/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export { type ServiceName };

export interface StackOptions {
  readonly services: readonly ServiceName[];
  readonly apiKeys: string;
}

/**
 * The built services as real processes (`node services/<name>/dist/main.js`), on the shared
 * NATS and Postgres, in a namespace and schemas of their own: what `npm start` runs, per test.
 */
export class Stack {
  /** By instance: a service's name, or `<service>#<n>` for its further replicas. */
  private readonly processes = new Map<string, ChildProcess>();
  readonly ports = new Map<string, number>();
  readonly logs = new Map<string, string[]>();

  private constructor(
    readonly bus: TestBus,
    private readonly options: StackOptions,
  ) {}

  static async start(options: StackOptions): Promise<Stack> {
    const stack = new Stack(await createTestBus(), options);
    for (const service of options.services) stack.ports.set(service, await freePort());
    await Promise.all(options.services.map((service) => stack.startService(service)));
    return stack;
  }

  schemaOf(service: ServiceName): string {
    return `${this.bus.token}_${service}`;
  }

  url(instance: string, path = ''): string {
    return `http://127.0.0.1:${this.ports.get(instance)}${path}`;
  }

  /** Another process of a service on the same schema and durables (a replica); answers its instance name. */
  async startReplica(service: ServiceName): Promise<string> {
    let n = 2;
    while (this.processes.has(`${service}#${n}`)) n++;
    const instance = `${service}#${n}`;
    this.ports.set(instance, await freePort());
    await this.startService(service, instance);
    return instance;
  }

  async startService(service: ServiceName, instance: string = service): Promise<void> {
    const child = spawn(process.execPath, [`services/${service}/dist/main.js`], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        NATS_URL: this.bus.natsUrl,
        FINOPS_NAMESPACE: this.bus.token,
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: this.schemaOf(service),
        [SERVICE_PORT_VARIABLES[service]]: String(this.ports.get(instance)),
        AGENTLEDGER_API_KEYS: this.options.apiKeys,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = this.logs.get(instance) ?? [];
    this.logs.set(instance, lines);
    child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    this.processes.set(instance, child);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${instance} exited with ${child.exitCode}: ${lines.join('')}`);
        const response = await fetch(this.url(instance, '/readyz'));
        return response.status === 200;
      },
      60_000,
      `${instance} to be ready`,
    );
  }

  /** Kills a service without letting it finish anything (SIGKILL), as a crash would. */
  async kill(instance: string): Promise<void> {
    const child = this.processes.get(instance);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }),
    );
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    for (const service of this.options.services) await client.query(`DROP SCHEMA IF EXISTS "${this.schemaOf(service)}" CASCADE`);
    await client.end();
    await this.bus.cleanup();
  }

  /** POST /graphql on the gateway with an API key. */
  async graphql<T = Record<string, unknown>>(apiKey: string | undefined, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(this.url('gateway', '/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  }
}
