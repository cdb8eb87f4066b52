import { createHash } from 'node:crypto';
import { agentsQuery, budgetsQuery, pauseCommand, pausedScopesQuery, resumeCommand, costBreakdownQuery, costSummaryQuery, operationalSummaryQuery, outcomeEconomicsQuery, runQuery, runsQuery, setPriceCommand, spendOverTimeQuery, type ArgsOf, type Contract, type ResultOf } from '@agentledger/contracts';
import { QueryError, QueryServer, startService, type QueryRequest, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../src/gateway.service.js';

// The real gateway on the real NATS, in a namespace of its own. The services it asks are fakes
// at our own port: real QueryServers on the same namespace, answering as the services would.

const KEYS = { adminA: 'admin-a-7f3e', viewerA: 'viewer-a-0c91', adminB: 'admin-b-55d2' };
const API_KEYS = `${KEYS.adminA}=tenantA:admin,${KEYS.viewerA}=tenantA:viewer,${KEYS.adminB}=tenantB:admin`;
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

const codesOf = (response: GraphQLResponse) => response.body.errors?.map((error) => error.extensions?.code);

const SUMMARY_QUERY = `query Summary($from: DateTime!, $to: DateTime!, $filter: CostFilter) {
  costSummary(from: $from, to: $to, filter: $filter) {
    totalCost llmCalls toolCalls inputTokens outputTokens cacheReadTokens cacheWriteTokens reasoningTokens
    retries retryCost escalations escalationCost unpricedCalls
  }
}`;

const SET_PRICE = `mutation Set($input: PriceInput!) {
  setPrice(input: $input) { provider model inputPer1M outputPer1M cacheReadPer1M cacheWritePer1M reasoningPer1M requestFee effectiveFrom effectiveTo }
}`;

const summaryFor = (tenant: string) => ({
  totalCost: tenant === 'tenantA' ? '0.0015' : '1234567.890123456789',
  llmCalls: tenant === 'tenantA' ? 3 : 7,
  toolCalls: 1,
  inputTokens: 1200,
  outputTokens: 300,
  cacheReadTokens: 200,
  cacheWriteTokens: 0,
  reasoningTokens: 50,
  retries: 1,
  retryCost: '0.0005',
  escalations: 0,
  escalationCost: '0',
  unpricedCalls: 0,
});

describe('gateway over the query bus', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let limited: RunningService<undefined>;
  const fakes: QueryServer[] = [];
  const asked: Record<string, QueryRequest[]> = {};
  const logged: Array<{ level: string; msg: string }> = [];
  const errorLines = () => logged.filter((line) => line.level === 'error').map((line) => line.msg);

  // Fakes answer whatever the test needs, as the contract's result type.
  const fake = <C extends Contract>(contract: C, answer: (request: QueryRequest<ArgsOf<C>>) => unknown) => {
    const server = new QueryServer(bus.nc, bus.ns, contract.service).handle(contract, async (request) => {
      (asked[`${contract.service}.${contract.name}`] ??= []).push(request);
      return answer(request) as ResultOf<C>;
    });
    fakes.push(server);
  };

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: API_KEYS, LOG_LEVEL: 'warn' };
    const logWrite = (line: string) => void logged.push(JSON.parse(line));
    gateway = await startService(gatewayService, { env, port: 0, logWrite });
    limited = await startService(gatewayService, { env: { ...env, GATEWAY_MAX_QUERY_DEPTH: '2', GATEWAY_MAX_QUERY_FIELDS: '4' }, port: 0, logWrite: () => undefined });

    fake(costSummaryQuery, (request) => summaryFor(request.tenant));
    fake(spendOverTimeQuery, () => [
      { bucketStart: '2025-03-01T00:00:00.000Z', key: null, totalCost: '0.10' },
      { bucketStart: '2025-03-02T00:00:00.000Z', key: null, totalCost: '0.0000001' },
    ]);
    fake(runQuery, (request) =>
      request.args.traceId !== 'trace-1'
        ? null
        : {
            traceId: 'trace-1',
            agentId: 'support-bot',
            totalCost: '0.0042',
            status: 'succeeded',
            spans: [
              { spanId: 's1', parentSpanId: null, kind: 'llm', name: 'gpt-4o', cost: '0.0040', attempt: 1 },
              { spanId: 's2', parentSpanId: 's1', kind: 'tool', name: 'search', cost: '0.0002', attempt: 2 },
            ],
          },
    );
    fake(costBreakdownQuery, () => {
      throw new QueryError('BAD_USER_INPUT', 'by TOOL is not supported for llm costs');
    });
    fake(outcomeEconomicsQuery, () => {
      throw new Error('relation "outcome_rollup" does not exist');
    });
    fake(setPriceCommand, (request) => ({ ...request.args, effectiveTo: null }));
    fake(budgetsQuery, () => []);
    fake(pauseCommand, (request) => ({ ...request.args, by: request.actor ?? '', budgetId: null, pausedAt: '2026-12-02T10:00:00.000Z' }));
    fake(resumeCommand, (request) => request.args.scope === 'AGENT' && request.args.scopeId === 'support-bot');
    fake(pausedScopesQuery, (request) =>
      request.tenant !== 'tenantA'
        ? []
        : [
            { scope: 'TENANT', scopeId: null, reason: 'month closed', by: 'ops', budgetId: null, pausedAt: '2026-12-01T08:00:00.000Z' },
            { scope: 'TEAM', scopeId: 'research', reason: 'Budget b-7 exceeded', by: 'budget:b-7', budgetId: 'b-7', pausedAt: '2026-12-02T09:15:30.250Z' },
          ],
    );
    fake(runsQuery, (request) => {
      const after = request.args.after ?? null;
      const page = after === null ? ['t1', 't2'] : ['t3'];
      return {
        nodes: page.map((traceId, i) => ({ traceId, agentId: i === 0 ? 'support-bot' : 'ghost', status: 'succeeded', startedAt: '2025-03-01T10:00:00.000Z', totalCost: '0.01', outcome: null, success: null })),
        endCursor: after === null ? 'cursor-2' : null,
        hasNextPage: after === null,
      };
    });
    fake(agentsQuery, () => [{ id: 'support-bot', name: 'Support', team: 'support', owner: 'ana', platform: 'internal', vendor: null, lifecycle: 'production', description: null, workflows: [], registered: true, status: 'IDLE', models: [], tools: [], retiredAt: null, activeAfterRetirement: false, firstSeen: null, lastSeen: null }]);
    fake(operationalSummaryQuery, () => ({
      calls: 4, retries: 1, retryRate: '0.25', retryCost: '0.001', escalations: 1, escalationRate: '0.25', escalationCost: '0.05', errors: 1, errorRate: '0.25',
      latencyByModel: [{ model: 'gpt-4o', calls: 2, p50Ms: 800, p95Ms: null }],
    }));
    await bus.nc.flush();
  });

  afterAll(async () => {
    for (const server of fakes) await server.stop();
    await limited?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  it('forwards costSummary in the key’s tenant and passes decimals through exactly', async () => {
    const response = await graphql(gateway.port, SUMMARY_QUERY, {
      key: KEYS.viewerA,
      variables: { from: '2025-03-01T00:00:00Z', to: '2025-03-08T00:00:00+01:00', filter: { team: 'support', model: null } },
    });
    expect(response).toEqual({ status: 200, body: { data: { costSummary: summaryFor('tenantA') } } });
    expect(asked['attribution.costSummary']).toEqual([
      {
        tenant: 'tenantA',
        actor: keyId(KEYS.viewerA),
        args: { from: '2025-03-01T00:00:00.000Z', to: '2025-03-07T23:00:00.000Z', filter: { team: 'support' } },
      },
    ]);
  });

  it('keeps tenants apart: each key’s request reaches the service with its own tenant only', async () => {
    asked['attribution.costSummary'] = [];
    const variables = { from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z' };
    const [a, b] = await Promise.all([
      graphql(gateway.port, SUMMARY_QUERY, { key: KEYS.adminA, variables }),
      graphql(gateway.port, SUMMARY_QUERY, { key: KEYS.adminB, variables }),
    ]);
    expect((a.body.data?.costSummary as { totalCost: string }).totalCost).toBe('0.0015');
    expect((b.body.data?.costSummary as { totalCost: string }).totalCost).toBe('1234567.890123456789');
    const seen = asked['attribution.costSummary']!.map((request) => [request.tenant, request.actor]).sort();
    expect(seen).toEqual([
      ['tenantA', keyId(KEYS.adminA)],
      ['tenantB', keyId(KEYS.adminB)],
    ]);
  });

  it('turns away a request without a key, with a malformed header or an unknown key: 401 UNAUTHENTICATED', async () => {
    const query = '{ budgets { id } }';
    const missing = await graphql(gateway.port, query);
    expect(missing).toEqual({
      status: 401,
      body: { errors: [{ message: 'An API key is required: send "Authorization: Bearer <key>"', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    expect(codesOf(await graphql(gateway.port, query, { key: 'not-a-key' }))).toEqual(['UNAUTHENTICATED']);
    const basic = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${KEYS.adminA}` },
      body: JSON.stringify({ query }),
    });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer');
    expect(asked['budgeting.budgets']).toBeUndefined();
  });

  it('answers introspection without a key (the schema is the public contract)', async () => {
    const response = await graphql(gateway.port, '{ __schema { queryType { name } mutationType { name } } }');
    expect(response).toEqual({ status: 200, body: { data: { __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } } } } });
  });

  it('forbids setPrice to a viewer key, and never asks pricing', async () => {
    const input = { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.50', outputPer1M: '10', effectiveFrom: '2025-01-01T00:00:00Z' };
    const response = await graphql(gateway.port, SET_PRICE, { key: KEYS.viewerA, variables: { input } });
    expect(response).toEqual({
      status: 200,
      body: { data: null, errors: [{ message: 'This operation needs an admin API key', locations: [{ line: 2, column: 3 }], path: ['setPrice'], extensions: { code: 'FORBIDDEN' } }] },
    });
    expect(asked['pricing.setPrice']).toBeUndefined();
    expect(errorLines()).toEqual([]); // a refusal is not a server error
  });

  it('forwards an admin’s setPrice with the decimals as written and the key as actor', async () => {
    const input = { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.50', outputPer1M: '10.000', cacheReadPer1M: '1.25', effectiveFrom: '2025-01-01T00:00:00+02:00' };
    const response = await graphql(gateway.port, SET_PRICE, { key: KEYS.adminA, variables: { input } });
    const forwarded = {
      provider: 'openai',
      model: 'gpt-4o',
      inputPer1M: '2.50',
      outputPer1M: '10.000',
      cacheReadPer1M: '1.25',
      cacheWritePer1M: null,
      reasoningPer1M: null,
      requestFee: null,
      effectiveFrom: '2024-12-31T22:00:00.000Z',
    };
    expect(asked['pricing.setPrice']).toEqual([{ tenant: 'tenantA', actor: keyId(KEYS.adminA), args: forwarded }]);
    expect(response).toEqual({ status: 200, body: { data: { setPrice: { ...forwarded, effectiveTo: null } } } });
  });

  it('rejects a bad Decimal as BAD_USER_INPUT, in variables and in the query text', async () => {
    const input = { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.5e-3', outputPer1M: '10', effectiveFrom: '2025-01-01T00:00:00Z' };
    const inVariables = await graphql(gateway.port, SET_PRICE, { key: KEYS.adminA, variables: { input } });
    expect(inVariables.status).toBe(400);
    expect(codesOf(inVariables)).toEqual(['BAD_USER_INPUT']);
    expect(inVariables.body.errors?.[0]?.message).toContain('Decimal: "2.5e-3" is not a decimal such as "12.34"');
    const asNumber = await graphql(gateway.port, SET_PRICE, { key: KEYS.adminA, variables: { input: { ...input, inputPer1M: 0.1 } } });
    expect(codesOf(asNumber)).toEqual(['BAD_USER_INPUT']);
    const literal = await graphql(
      gateway.port,
      'mutation { setPrice(input: { provider: "openai", model: "gpt-4o", inputPer1M: 2.5, outputPer1M: "10", effectiveFrom: "2025-01-01T00:00:00Z" }) { model } }',
      { key: KEYS.adminA },
    );
    expect(codesOf(literal)).toEqual(['BAD_USER_INPUT']);
    expect(asked['pricing.setPrice']).toHaveLength(1); // only the admin's valid call above
  });

  it('rejects a bad DateTime, an empty window and one over 400 days as BAD_USER_INPUT', async () => {
    const ask = (from: string, to: string) => graphql(gateway.port, SUMMARY_QUERY, { key: KEYS.viewerA, variables: { from, to } });
    expect(codesOf(await ask('2025-03-01', '2025-03-02T00:00:00Z'))).toEqual(['BAD_USER_INPUT']);
    const reversed = await ask('2025-03-02T00:00:00Z', '2025-03-01T00:00:00Z');
    expect(reversed.body).toEqual({
      data: null,
      errors: [
        {
          message: 'The window is empty: from (2025-03-02T00:00:00.000Z) must be before to (2025-03-01T00:00:00.000Z)',
          locations: [{ line: 2, column: 3 }],
          path: ['costSummary'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(codesOf(await ask('2024-01-01T00:00:00Z', '2025-03-01T00:00:00Z'))).toEqual(['BAD_USER_INPUT']);
  });

  it('sends enum names and a missing grouping as null to the service', async () => {
    const response = await graphql(gateway.port, '{ spendOverTime(from: "2025-03-01T00:00:00Z", to: "2025-03-03T00:00:00Z", bucket: DAY) { bucketStart key totalCost } }', {
      key: KEYS.viewerA,
    });
    expect(response.body).toEqual({
      data: {
        spendOverTime: [
          { bucketStart: '2025-03-01T00:00:00.000Z', key: null, totalCost: '0.10' },
          { bucketStart: '2025-03-02T00:00:00.000Z', key: null, totalCost: '0.0000001' },
        ],
      },
    });
    expect(asked['attribution.spendOverTime']?.[0]?.args).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-03T00:00:00.000Z',
      bucket: 'DAY',
      by: null,
      filter: {},
    });
  });

  it('returns a run with its spans, and null for an unknown trace', async () => {
    const query = 'query Run($id: ID!) { run(traceId: $id) { traceId agentId totalCost status spans { spanId parentSpanId kind name cost attempt } } }';
    const found = await graphql(gateway.port, query, { key: KEYS.viewerA, variables: { id: 'trace-1' } });
    expect(found.body.data?.run).toEqual({
      traceId: 'trace-1',
      agentId: 'support-bot',
      totalCost: '0.0042',
      status: 'succeeded',
      spans: [
        { spanId: 's1', parentSpanId: null, kind: 'llm', name: 'gpt-4o', cost: '0.0040', attempt: 1 },
        { spanId: 's2', parentSpanId: 's1', kind: 'tool', name: 'search', cost: '0.0002', attempt: 2 },
      ],
    });
    expect(await graphql(gateway.port, query, { key: KEYS.viewerA, variables: { id: 'nope' } })).toEqual({ status: 200, body: { data: { run: null } } });
  });

  it('maps service failures: its own words for bad input, a safe sentence for an outage or a bug', async () => {
    const window = 'from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z"';
    const badInput = await graphql(gateway.port, `{ costBreakdown(${window}, by: TOOL) { key } }`, { key: KEYS.viewerA });
    expect(badInput.body.errors?.map(({ message, extensions }) => [message, extensions?.code])).toEqual([['by TOOL is not supported for llm costs', 'BAD_USER_INPUT']]);
    const bug = await graphql(gateway.port, `{ outcomeEconomics(${window}, by: AGENT) { key } }`, { key: KEYS.viewerA });
    expect(bug.body.errors?.map(({ message, extensions }) => [message, extensions?.code])).toEqual([
      ['The attribution service failed to answer outcomeEconomics', 'INTERNAL_SERVER_ERROR'],
    ]);
    expect(logged.at(-1)).toMatchObject({ level: 'warn', msg: 'service query failed', query: 'attribution.outcomeEconomics', code: 'INTERNAL' });
    const down = await graphql(gateway.port, '{ deadLetters(from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z") { reason } }', { key: KEYS.viewerA }); // no ingestion here
    expect(down.body.errors?.map(({ message, extensions }) => [message, extensions?.code])).toEqual([
      ['The ingestion service is not available right now; try again shortly', 'SERVICE_UNAVAILABLE'],
    ]);
    expect(errorLines()).toEqual([]);
  });

  it('pages through runs, forwarding the cursor, and joins each run’s agent with one inventory question per page', async () => {
    const query = `query Runs($after: String) { runs(from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z", first: 2, after: $after, filter: { team: "support" }) {
      nodes { traceId totalCost agent { id owner } } pageInfo { endCursor hasNextPage } } }`;
    const first = await graphql(gateway.port, query, { key: KEYS.viewerA });
    expect(first.body.data?.runs).toEqual({
      nodes: [
        { traceId: 't1', totalCost: '0.01', agent: { id: 'support-bot', owner: 'ana' } },
        { traceId: 't2', totalCost: '0.01', agent: null },
      ],
      pageInfo: { endCursor: 'cursor-2', hasNextPage: true },
    });
    expect(asked['inventory.agents']).toHaveLength(1);
    const second = await graphql(gateway.port, query, { key: KEYS.viewerA, variables: { after: 'cursor-2' } });
    expect(second.body.data?.runs).toEqual({ nodes: [{ traceId: 't3', totalCost: '0.01', agent: { id: 'support-bot', owner: 'ana' } }], pageInfo: { endCursor: null, hasNextPage: false } });
    expect(asked['attribution.runs']?.map((request) => request.args)).toEqual([
      { from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z', filter: { team: 'support' }, first: 2, after: null },
      { from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z', filter: { team: 'support' }, first: 2, after: 'cursor-2' },
    ]);
    expect(asked['inventory.agents']).toHaveLength(2);
    const tooMany = await graphql(gateway.port, '{ runs(from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z", first: 501) { nodes { traceId } } }', { key: KEYS.viewerA });
    expect(codesOf(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it('forwards operationalSummary with its rates as exact decimals', async () => {
    const response = await graphql(gateway.port, '{ operationalSummary(from: "2025-03-01T00:00:00Z", to: "2025-03-02T00:00:00Z") { calls retryRate escalationCost errorRate latencyByModel { model p50Ms p95Ms } } }', { key: KEYS.viewerA });
    expect(response.body).toEqual({ data: { operationalSummary: { calls: 4, retryRate: '0.25', escalationCost: '0.05', errorRate: '0.25', latencyByModel: [{ model: 'gpt-4o', p50Ms: 800, p95Ms: null }] } } });
  });

  it('answers budgets as an empty list', async () => {
    expect(await graphql(gateway.port, '{ budgets { id limit spent remaining status } }', { key: KEYS.viewerA })).toEqual({ status: 200, body: { data: { budgets: [] } } });
  });

  describe('pauses', () => {
    const PAUSE = 'mutation Pause($scope: BudgetScope!, $scopeId: String, $reason: String!) { pause(scope: $scope, scopeId: $scopeId, reason: $reason) { scope scopeId reason by budgetId pausedAt } }';
    const RESUME = 'mutation Resume($scope: BudgetScope!, $scopeId: String) { resume(scope: $scope, scopeId: $scopeId) }';
    const forbidden = (field: string) => ({
      status: 200,
      body: { data: null, errors: [{ message: 'This operation needs an admin API key', locations: [{ line: 1, column: expect.any(Number) }], path: [field], extensions: { code: 'FORBIDDEN' } }] },
    });

    it('lists the paused scopes of the key’s tenant to a viewer too', async () => {
      const query = '{ pausedScopes { scope scopeId reason by budgetId pausedAt } }';
      expect(await graphql(gateway.port, query, { key: KEYS.viewerA })).toEqual({
        status: 200,
        body: {
          data: {
            pausedScopes: [
              { scope: 'TENANT', scopeId: null, reason: 'month closed', by: 'ops', budgetId: null, pausedAt: '2026-12-01T08:00:00.000Z' },
              { scope: 'TEAM', scopeId: 'research', reason: 'Budget b-7 exceeded', by: 'budget:b-7', budgetId: 'b-7', pausedAt: '2026-12-02T09:15:30.250Z' },
            ],
          },
        },
      });
      expect((await graphql(gateway.port, query, { key: KEYS.adminB })).body).toEqual({ data: { pausedScopes: [] } });
      expect(asked['budgeting.pausedScopes']?.map((request) => [request.tenant, request.args])).toEqual([
        ['tenantA', {}],
        ['tenantB', {}],
      ]);
    });

    it('forbids pause and resume to a viewer key (FORBIDDEN, as setBudget), and never asks budgeting', async () => {
      expect(await graphql(gateway.port, PAUSE, { key: KEYS.viewerA, variables: { scope: 'AGENT', scopeId: 'support-bot', reason: 'runaway' } })).toEqual(forbidden('pause'));
      expect(await graphql(gateway.port, RESUME, { key: KEYS.viewerA, variables: { scope: 'AGENT', scopeId: 'support-bot' } })).toEqual(forbidden('resume'));
      const setBudget = await graphql(gateway.port, 'mutation { setBudget(input: { scope: TENANT, period: DAY, limit: "10" }) { id } }', { key: KEYS.viewerA });
      expect(codesOf(setBudget)).toEqual(['FORBIDDEN']);
      expect(asked['budgeting.pause']).toBeUndefined();
      expect(asked['budgeting.resume']).toBeUndefined();
      expect(errorLines()).toEqual([]);
    });

    it('sends an admin’s pause and resume to budgeting’s command subjects with the scope, the reason and the key as actor', async () => {
      const paused = await graphql(gateway.port, PAUSE, { key: KEYS.adminA, variables: { scope: 'AGENT', scopeId: 'support-bot', reason: 'runaway loop' } });
      expect(paused).toEqual({
        status: 200,
        body: { data: { pause: { scope: 'AGENT', scopeId: 'support-bot', reason: 'runaway loop', by: keyId(KEYS.adminA), budgetId: null, pausedAt: '2026-12-02T10:00:00.000Z' } } },
      });
      const tenantWide = await graphql(gateway.port, 'mutation { pause(scope: TENANT, reason: "quarter closed") { scope scopeId } }', { key: KEYS.adminB });
      expect(tenantWide.body).toEqual({ data: { pause: { scope: 'TENANT', scopeId: null } } });
      expect(asked['budgeting.pause']).toEqual([
        { tenant: 'tenantA', actor: keyId(KEYS.adminA), args: { scope: 'AGENT', scopeId: 'support-bot', reason: 'runaway loop' } },
        { tenant: 'tenantB', actor: keyId(KEYS.adminB), args: { scope: 'TENANT', scopeId: null, reason: 'quarter closed' } },
      ]);

      expect((await graphql(gateway.port, RESUME, { key: KEYS.adminA, variables: { scope: 'AGENT', scopeId: 'support-bot' } })).body).toEqual({ data: { resume: true } });
      expect((await graphql(gateway.port, 'mutation { resume(scope: TEAM, scopeId: "research") }', { key: KEYS.adminA })).body).toEqual({ data: { resume: false } });
      expect(asked['budgeting.resume']).toEqual([
        { tenant: 'tenantA', actor: keyId(KEYS.adminA), args: { scope: 'AGENT', scopeId: 'support-bot' } },
        { tenant: 'tenantA', actor: keyId(KEYS.adminA), args: { scope: 'TEAM', scopeId: 'research' } },
      ]);
    });

    it('rejects a scope outside BudgetScope before asking budgeting, and passes on budgeting’s refusal of an empty reason', async () => {
      const [pausesBefore, resumesBefore] = [asked['budgeting.pause']?.length ?? 0, asked['budgeting.resume']?.length ?? 0];
      const asVariable = await graphql(gateway.port, PAUSE, { key: KEYS.adminA, variables: { scope: 'PROJECT', scopeId: 'x', reason: 'r' } });
      expect(asVariable.status).toBe(400);
      expect(codesOf(asVariable)).toEqual(['BAD_USER_INPUT']);
      expect(asVariable.body.errors?.[0]?.message).toContain('Value "PROJECT" does not exist in "BudgetScope" enum');
      const asLiteral = await graphql(gateway.port, 'mutation { resume(scope: tenant) }', { key: KEYS.adminA });
      expect(asLiteral.status).toBe(400);
      expect(asLiteral.body.errors?.map(({ message, extensions }) => [message, extensions?.code])).toEqual([
        ['Value "tenant" does not exist in "BudgetScope" enum. Did you mean the enum value "TENANT" or "TEAM"?', 'GRAPHQL_VALIDATION_FAILED'],
      ]);
      expect(asked['budgeting.resume']?.length ?? 0).toBe(resumesBefore);
      const emptyReason = await graphql(gateway.port, PAUSE, { key: KEYS.adminA, variables: { scope: 'TEAM', scopeId: 'support', reason: '' } });
      expect(emptyReason.body.errors?.map(({ message, extensions }) => [message, extensions?.code])).toEqual([['reason: must be at least 1 characters', 'BAD_USER_INPUT']]);
      expect(asked['budgeting.pause']?.length ?? 0).toBe(pausesBefore); // the contract refused it before the handler
    });
  });

  it('rejects a query deeper or wider than the configured limits before asking any service', async () => {
    asked['attribution.run'] = [];
    const deep = await graphql(limited.port, '{ run(traceId: "trace-1") { spans { spanId } } }', { key: KEYS.viewerA });
    expect(deep).toEqual({
      status: 400,
      body: { errors: [{ message: 'The operation is 3 levels deep; the limit is 2', locations: [{ line: 1, column: 1 }], extensions: { limit: 'depth', code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    });
    const wide = await graphql(limited.port, '{ a: run(traceId: "trace-1") { traceId agentId } b: run(traceId: "trace-1") { traceId agentId } }', { key: KEYS.viewerA });
    expect(wide.body.errors?.map((error) => error.message)).toEqual(['The operation selects 6 fields; the limit is 4']);
    expect(asked['attribution.run']).toEqual([]);
  });

  it('is ready once NATS answers', async () => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true, checks: { nats: { ok: true }, 'nats-round-trip': { ok: true }, consumers: { ok: true } } });
  });
});
