import { createHash } from 'node:crypto';
import { redriveDeadLettersCommand, type RedriveReportView } from '@agentledger/contracts';
import { QueryServer, startService, type QueryRequest, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../src/gateway.service.js';

// The real gateway on the real NATS; ingestion is a fake at our own port (a real QueryServer).

const KEYS = { admin: 'admin-r-41c2', viewer: 'viewer-r-9d07' };
const keyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 8);

const REDRIVE = `mutation Redrive($selection: DeadLetterSelection!) {
  redriveDeadLetters(selection: $selection) { selected redriven rejected alreadyCounted rejections { id reason } }
}`;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string } }>;
}

describe('redriveDeadLetters over the gateway', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let ingestion: QueryServer;
  const asked: QueryRequest[] = [];
  const report: RedriveReportView = { selected: 3, redriven: 1, rejected: 1, alreadyCounted: 1, rejections: [{ id: '7', reason: 'type: unknown event type' }] };

  const graphql = async (key: string, variables: Record<string, unknown>): Promise<GraphQLBody> => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: REDRIVE, variables }),
    });
    return (await response.json()) as GraphQLBody;
  };

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEYS.admin}=tenantA:admin,${KEYS.viewer}=tenantA:viewer`, LOG_LEVEL: 'error' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: () => undefined });
    ingestion = new QueryServer(bus.nc, bus.ns, 'ingestion').handle(redriveDeadLettersCommand, async (request) => {
      asked.push(request);
      return report;
    });
  });

  afterAll(async () => {
    await ingestion?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  it("forwards an admin's selection to ingestion in the key's tenant and answers its report", async () => {
    const body = await graphql(KEYS.admin, { selection: { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z', reason: 'max deliveries' } });
    expect(body).toEqual({ data: { redriveDeadLetters: report } });
    const byIds = await graphql(KEYS.admin, { selection: { ids: ['7', '12'] } });
    expect(byIds).toEqual({ data: { redriveDeadLetters: report } });
    expect(asked).toEqual([
      { tenant: 'tenantA', actor: keyId(KEYS.admin), args: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', reason: 'max deliveries' } },
      { tenant: 'tenantA', actor: keyId(KEYS.admin), args: { ids: ['7', '12'] } },
    ]);
  });

  it('gives a viewer key FORBIDDEN, as other mutations do, and never asks ingestion', async () => {
    const before = asked.length;
    const body = await graphql(KEYS.viewer, { selection: { ids: ['7'] } });
    expect(body).toEqual({
      data: null,
      errors: [{ message: 'This operation needs an admin API key', locations: [{ line: 2, column: 3 }], path: ['redriveDeadLetters'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(asked.length).toBe(before);
  });

  it('answers BAD_USER_INPUT, from ingestion’s contract, for a selection with neither ids nor a window', async () => {
    const body = await graphql(KEYS.admin, { selection: { reason: 'x' } });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
