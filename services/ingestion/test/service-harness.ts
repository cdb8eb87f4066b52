import { startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, testDatabaseUrl, uniqueToken, type TestBus } from '@agentledger/testing';
import { factCodec, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, eventPayloads, STREAMS, streamIn } from '@agentledger/jetstream';
import { eventually } from '@agentledger/testing';
import pg from 'pg';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { ingestionService } from '../src/ingestion.service.js';

export const API_KEY = 'test-key-acme';

/** The whole ingestion service in this process (port 0), on a namespace and schema of its own. */
export class ServiceHarness {
  private constructor(
    readonly bus: TestBus,
    readonly service: RunningService<PrismaClient>,
    readonly schema: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ServiceHarness> {
    const bus = await createTestBus();
    const schema = uniqueToken('test_');
    const service = await startService(ingestionService, {
      port: 0,
      env: {
        FINOPS_NAMESPACE: bus.token,
        NATS_URL: bus.natsUrl,
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: schema,
        AGENTLEDGER_API_KEYS: `${API_KEY}=acme:admin,other-key=globex:viewer`,
        LOG_LEVEL: 'error',
        ...env,
      },
      logWrite: () => undefined,
    });
    return new ServiceHarness(bus, service, schema);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.service.port}${path}`;
  }

  post(path: string, body: string | Uint8Array, headers: Record<string, string>, key = API_KEY): Promise<Response> {
    return fetch(this.url(path), { method: 'POST', body, headers: { authorization: `Bearer ${key}`, ...headers } });
  }

  async drained(): Promise<void> {
    await eventually(async () => {
      const info = await this.bus.jsm.consumers.info(streamIn(this.bus.ns, STREAMS.in.name), CONSUMERS.ingestion.durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 20_000, 'ingestion to drain');
  }

  async facts(): Promise<CanonicalFact[]> {
    const name = streamIn(this.bus.ns, STREAMS.facts.name);
    const last = (await this.bus.jsm.streams.info(name)).state.last_seq;
    const facts: CanonicalFact[] = [];
    for (let seq = 1; seq <= last; seq++) {
      const msg = await this.bus.jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (msg) facts.push(...eventPayloads({ data: msg.data, headers: msg.header }).map((bytes) => factCodec.decode(bytes)));
    }
    return facts;
  }

  async stop(): Promise<void> {
    await this.service.stop();
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await client.end();
    await this.bus.cleanup();
  }
}
