import { createHash } from 'node:crypto';
import { unitPriceHistoryQuery, type UnitPriceHistoryEntryView } from '@agentledger/contracts';
import { QueryError, QueryServer, startService, type QueryRequest, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../gateway.service.js';

// The real gateway on the real NATS, in a namespace of its own; pricing is a fake QueryServer
// on the same namespace answering as the service would.

const KEYS = { adminA: 'admin-a-7f3e', viewerA: 'viewer-a-0c91' };
const API_KEYS = `${KEYS.adminA}=tenantA:admin,${KEYS.viewerA}=tenantA:viewer`;
const keyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 8);

interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

async function graphql(port: number, query: string, options: { key?: string; variables?: Record<string, unknown> } = {}): Promise<GraphQLResponse> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

const HISTORY = `query History($kind: UnitPriceKind!, $vendor: String, $name: String!, $unit: String!) {
  unitPriceHistory(kind: $kind, vendor: $vendor, name: $name, unit: $unit) {
    kind vendor name unit pricePerUnit currency effectiveFrom effectiveTo setBy setAt
    previousPriceRef previousPricePerUnit repricedFacts repricingDelta repricingDone
  }
}`;

const ENTRIES: UnitPriceHistoryEntryView[] = [
  {
    kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search', pricePerUnit: '0.01', currency: 'USD',
    effectiveFrom: '2026-03-01T00:00:00.000Z', effectiveTo: null, setBy: 'key:alice', setAt: '2026-03-02T08:00:00.000Z',
    previousPriceRef: null, previousPricePerUnit: null, repricedFacts: 0, repricingDelta: '0', repricingDone: true,
  },
  {
    kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search', pricePerUnit: '0.012500000000000000000001', currency: 'USD',
    effectiveFrom: '2026-03-01T00:00:00.000Z', effectiveTo: '2026-04-01T00:00:00.000Z', setBy: 'key:bob', setAt: '2026-03-03T09:30:00.000Z',
    previousPriceRef: 'tenant:tenantA:tool:serpapi/web_search/search@2026-03-01T00:00:00.000Z', previousPricePerUnit: '0.01',
    repricedFacts: 2, repricingDelta: '-0.000000000000000000000123', repricingDone: false,
  },
];

describe('gateway unitPriceHistory over the query bus', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let pricing: QueryServer;
  const asked: QueryRequest[] = [];

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: API_KEYS, LOG_LEVEL: 'warn' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: () => undefined });
    pricing = new QueryServer(bus.nc, bus.ns, 'pricing').handle(unitPriceHistoryQuery, async (request) => {
      asked.push(request);
      if (request.args.kind === 'SAAS') throw new QueryError('BAD_USER_INPUT', 'vendor: required for a SAAS unit price');
      return ENTRIES;
    });
    await bus.nc.flush();
  }, 60_000);

  afterAll(async () => {
    await pricing?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  it('answers a viewer with every entry, money as exact decimals, forwarding names as written and an absent vendor as null', async () => {
    const response = await graphql(gateway.port, HISTORY, { key: KEYS.viewerA, variables: { kind: 'TOOL', vendor: 'SerpAPI', name: 'Web_Search', unit: 'search' } });
    expect(response).toEqual({ status: 200, body: { data: { unitPriceHistory: ENTRIES } } });
    await graphql(gateway.port, HISTORY, { key: KEYS.adminA, variables: { kind: 'TOOL', name: 'web_search', unit: 'search' } });
    expect(asked).toEqual([
      { tenant: 'tenantA', actor: keyId(KEYS.viewerA), args: { kind: 'TOOL', vendor: 'SerpAPI', name: 'Web_Search', unit: 'search' } },
      { tenant: 'tenantA', actor: keyId(KEYS.adminA), args: { kind: 'TOOL', vendor: null, name: 'web_search', unit: 'search' } },
    ]);
  });

  it("passes the service's BAD_USER_INPUT through, and rejects an unknown kind before asking", async () => {
    const saas = await graphql(gateway.port, HISTORY, { key: KEYS.viewerA, variables: { kind: 'SAAS', name: 'fin', unit: 'resolution' } });
    expect(saas.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['vendor: required for a SAAS unit price', 'BAD_USER_INPUT']]);
    const before = asked.length;
    const bad = await graphql(gateway.port, HISTORY, { key: KEYS.viewerA, variables: { kind: 'LLM', name: 'x', unit: 'y' } });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(asked).toHaveLength(before);
  });
});
