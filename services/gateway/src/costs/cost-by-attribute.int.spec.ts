import { QueryError, QueryServer, startService, type QueryRequest, type RunningService } from '@agentledger/service-kit';
import { attributeBreakdownQuery } from '@agentledger/contracts';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../gateway.service.js';

// The real gateway on the real NATS; attribution is a fake QueryServer in the same namespace.

const KEY = 'viewer-attr-19ab';
const QUERY = `query ByAttribute($from: DateTime!, $to: DateTime!, $attribute: String!, $filter: CostFilter) {
  costByAttribute(from: $from, to: $to, attribute: $attribute, filter: $filter) { key totalCost llmCalls inputTokens outputTokens }
}`;

describe('costByAttribute', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let fake: QueryServer;
  const asked: QueryRequest[] = [];

  const graphql = async (variables: Record<string, unknown>) => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: QUERY, variables }),
    });
    return (await response.json()) as { data?: { costByAttribute: unknown } | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  };

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEY}=tenantA:viewer`, LOG_LEVEL: 'warn' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: () => undefined });
    fake = new QueryServer(bus.nc, bus.ns, 'attribution').handle(attributeBreakdownQuery, async (request) => {
      asked.push(request);
      if (request.args.attribute !== 'customer') throw new QueryError('BAD_USER_INPUT', 'attribute must be one of the rolled-up attributes: customer, feature');
      return [
        { key: 'c-2', totalCost: '1.25', llmCalls: 2, toolCalls: 0, inputTokens: 140, outputTokens: 20 },
        { key: '', totalCost: '0.0000005', llmCalls: 1, toolCalls: 0, inputTokens: 100, outputTokens: 10 },
      ];
    });
    await bus.nc.flush();
  });

  afterAll(async () => {
    await fake?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  it('asks attribution for the attribute in the caller’s tenant and returns its groups, exact', async () => {
    const window = { from: '2026-11-27T09:45:00Z', to: '2026-11-27T11:00:00Z' };
    const response = await graphql({ ...window, attribute: 'customer', filter: { agentId: 'support-bot' } });
    expect(response).toEqual({
      data: {
        costByAttribute: [
          { key: 'c-2', totalCost: '1.25', llmCalls: 2, inputTokens: 140, outputTokens: 20 },
          { key: '', totalCost: '0.0000005', llmCalls: 1, inputTokens: 100, outputTokens: 10 },
        ],
      },
    });
    expect(asked.at(-1)).toMatchObject({
      tenant: 'tenantA',
      args: { from: '2026-11-27T09:45:00.000Z', to: '2026-11-27T11:00:00.000Z', attribute: 'customer', filter: { agentId: 'support-bot' } },
    });
  });

  it('an attribute that is not rolled up is BAD_USER_INPUT', async () => {
    const response = await graphql({ from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z', attribute: 'region' });
    expect(response.errors?.map(({ message, extensions }) => [message, extensions?.code])).toEqual([
      ['attribute must be one of the rolled-up attributes: customer, feature', 'BAD_USER_INPUT'],
    ]);
  });
});
