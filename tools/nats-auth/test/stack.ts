import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { eventually, freePort, SERVICE_PORT_VARIABLES, testDatabaseUrl, uniqueToken } from '@agentledger/testing';
import { serviceEnv, type AuthCredentials } from '../src/credentials.js';
import { SERVICES, type ServiceName } from '../src/permissions.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** The built services (`services/<name>/dist/main.js`) as processes, each under its own NATS user. */
export class ServiceStack {
  private constructor(
    private readonly children: ChildProcess[],
    readonly ports: Record<ServiceName, number>,
    private readonly schemaPrefix: string,
  ) {}

  static async start(natsUrl: string, credentials: AuthCredentials, apiKeys: string, services: readonly ServiceName[] = SERVICES): Promise<ServiceStack> {
    const ports = {} as Record<ServiceName, number>;
    for (const service of SERVICES) ports[service] = await freePort();
    const portEnv = Object.fromEntries(SERVICES.map((service) => [SERVICE_PORT_VARIABLES[service], String(ports[service])]));
    const schemaPrefix = uniqueToken('natsauth_');
    const children = services.map((service) =>
      spawn(process.execPath, [`services/${service}/dist/main.js`], {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          ...portEnv,
          NATS_URL: natsUrl,
          ...serviceEnv(credentials, service),
          DATABASE_URL: testDatabaseUrl(),
          DATABASE_SCHEMA: `${schemaPrefix}_${service}`,
          AGENTLEDGER_API_KEYS: apiKeys,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', process.env.NATS_AUTH_TEST_LOG ? 'inherit' : 'ignore'],
      }),
    );
    const stack = new ServiceStack(children, ports, schemaPrefix);
    try {
      await Promise.all(
        services.map((service) =>
          eventually(async () => (await fetch(`http://127.0.0.1:${ports[service]}/readyz`).catch(() => undefined))?.status === 200, 180_000, `${service} to be ready`),
        ),
      );
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  async graphql(
    apiKey: string,
    query: string,
    variables: Record<string, unknown> = {},
    extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
  ): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
    const response = await fetch(`http://127.0.0.1:${this.ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...extra.headers },
      body: JSON.stringify({ query, variables, ...extra.body }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    for (const service of SERVICES) await client.query(`DROP SCHEMA IF EXISTS "${this.schemaPrefix}_${service}" CASCADE`);
    await client.end();
  }
}
