import { costBreakdownQuery, costSummaryQuery } from '@agentledger/contracts';
import { QueryServer, startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../gateway.service.js';

// The real gateway on the real NATS; attribution is a fake QueryServer answering totals past 2^31 (and past 2^53).

const KEY = 'viewer-tokens-7c1d';
const WINDOW = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
const SUMMARY = {
  totalCost: '9000.5',
  llmCalls: 3,
  toolCalls: 0,
  inputTokens: 9007199254740992,
  outputTokens: 3000000000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 2147483647,
  retries: 0,
  retryCost: '0',
  escalations: 0,
  escalationCost: '0',
  unpricedCalls: 0,
  inputTokensTotal: '9007199254740993',
  outputTokensTotal: '3000000000',
  cacheReadTokensTotal: '0',
  cacheWriteTokensTotal: '0',
  reasoningTokensTotal: '2147483647',
};

describe('token totals past GraphQL Int', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let fake: QueryServer;

  const graphql = async (query: string) => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query, variables: WINDOW }),
    });
    return (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
  };

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEY}=tenantA:viewer`, LOG_LEVEL: 'warn' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: () => undefined });
    fake = new QueryServer(bus.nc, bus.ns, 'attribution')
      .handle(costSummaryQuery, async () => SUMMARY)
      // An attribution from before the exact totals: the gateway derives them from the numbers.
      .handle(costBreakdownQuery, async () => [{ key: 'support-bot', totalCost: '1', llmCalls: 1, toolCalls: 0, inputTokens: 3000000000, outputTokens: 5, retries: 0, retryCost: '0', escalations: 0, escalationCost: '0', unpricedCalls: 0 }]);
    await bus.nc.flush();
  });

  afterAll(async () => {
    await fake?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  it('the *Total fields answer any size exactly, without error; an Int at its limit still answers', async () => {
    const response = await graphql(`query ($from: DateTime!, $to: DateTime!) {
      costSummary(from: $from, to: $to) { totalCost llmCalls reasoningTokens inputTokensTotal outputTokensTotal cacheReadTokensTotal cacheWriteTokensTotal reasoningTokensTotal }
      costBreakdown(from: $from, to: $to, by: AGENT) { key inputTokensTotal outputTokensTotal outputTokens }
    }`);
    expect(response).toEqual({
      data: {
        costSummary: {
          totalCost: '9000.5',
          llmCalls: 3,
          reasoningTokens: 2147483647,
          inputTokensTotal: '9007199254740993',
          outputTokensTotal: '3000000000',
          cacheReadTokensTotal: '0',
          cacheWriteTokensTotal: '0',
          reasoningTokensTotal: '2147483647',
        },
        costBreakdown: [{ key: 'support-bot', inputTokensTotal: '3000000000', outputTokensTotal: '5', outputTokens: 5 }],
      },
    });
  });

  it('the contract’s Int field past 2^31 − 1 is a typed error naming the field, its exact value and the field to read instead — never a clamped number', async () => {
    const response = await graphql(`query ($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost outputTokens } }`);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      {
        message: 'CostSummary.outputTokens is 3000000000, more than GraphQL Int holds (2147483647): read outputTokensTotal (BigInt, an integer string) instead',
        locations: expect.any(Array),
        path: ['costSummary', 'outputTokens'],
        extensions: { code: 'OUT_OF_RANGE', field: 'CostSummary.outputTokens', value: '3000000000', use: 'outputTokensTotal' },
      },
    ]);
    const group = await graphql(`query ($from: DateTime!, $to: DateTime!) { costBreakdown(from: $from, to: $to, by: AGENT) { key inputTokens } }`);
    expect(group.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.use])).toEqual([[['costBreakdown', 0, 'inputTokens'], 'OUT_OF_RANGE', 'inputTokensTotal']]);
  });
});
