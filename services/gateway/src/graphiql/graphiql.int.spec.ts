import { costSummaryQuery } from '@agentledger/contracts';
import { QueryServer, startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../gateway.service.js';

// The real gateway on the real NATS: a browser opening /graphql gets GraphiQL and every file it
// loads from the gateway itself; everything else at /graphql is answered as before.

const SUMMARY = {
  totalCost: '12.3456789', llmCalls: 2, toolCalls: 1, inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
  retries: 0, retryCost: '0', escalations: 0, escalationCost: '0', unpricedCalls: 0,
  inputTokensTotal: '10', outputTokensTotal: '5', cacheReadTokensTotal: '0', cacheWriteTokensTotal: '0', reasoningTokensTotal: '0',
};
const PRODUCTION_KEY = 'f3a9c1d27b8e4605a1c9e2d7b3f80a4c';
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('GraphiQL at GET /graphql', () => {
  let bus: TestBus;
  let development: RunningService<undefined>;
  let production: RunningService<undefined>;
  let attribution: QueryServer;
  const url = (gateway: RunningService<undefined>, path: string) => `http://127.0.0.1:${gateway.port}${path}`;
  const settingsOf = (html: string) => JSON.parse(/<script id="graphiql-settings" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { url: string; headers: string };

  beforeAll(async () => {
    bus = await createTestBus();
    const base = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, LOG_LEVEL: 'warn' };
    // No keys configured: the contract's development keys, key1 (admin) pre-filled.
    development = await startService(gatewayService, { env: base, port: 0, logWrite: () => undefined });
    production = await startService(gatewayService, { env: { ...base, NODE_ENV: 'production', AGENTLEDGER_API_KEYS: `${PRODUCTION_KEY}=acme:admin` }, port: 0, logWrite: () => undefined });
    attribution = new QueryServer(bus.nc, bus.ns, 'attribution').handle(costSummaryQuery, async () => SUMMARY);
    await bus.nc.flush();
  });

  afterAll(async () => {
    await attribution?.stop();
    await development?.stop();
    await production?.stop();
    await bus?.cleanup();
  });

  it('answers a browser with the GraphiQL page, every asset it loads served by the gateway', async () => {
    const page = await fetch(url(development, '/graphql'), { headers: BROWSER });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<title>AgentLedger GraphQL</title>');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(['/graphiql/graphiql.min.css', '/graphiql/react.production.min.js', '/graphiql/react-dom.production.min.js', '/graphiql/graphiql.min.js', '/graphiql/start.js']);
    for (const asset of assets) {
      const response = await fetch(url(development, asset));
      expect([asset, response.status]).toEqual([asset, 200]);
      expect(response.headers.get('content-type')).toBe(asset.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(asset === '/graphiql/start.js' ? 100 : 10_000);
    }
    expect(html).not.toMatch(/https?:\/\//);
    expect((await fetch(url(development, '/graphiql/..%2Fpackage.json'))).status).toBe(404);
    expect((await fetch(url(development, '/graphiql/nope.js'))).status).toBe(404);
  });

  it('pre-fills the development key in development', async () => {
    const settings = settingsOf(await (await fetch(url(development, '/graphql'), { headers: BROWSER })).text());
    expect(settings.url).toBe('/graphql');
    expect(JSON.parse(settings.headers)).toEqual({ Authorization: 'Bearer key1' });
  });

  it('pre-fills no key in production, and shows none', async () => {
    const page = await fetch(url(production, '/graphql'), { headers: BROWSER });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(JSON.parse(settingsOf(html).headers)).toEqual({});
    expect(html).not.toContain('key1');
    expect(html).not.toContain(PRODUCTION_KEY);
    expect((await fetch(url(production, '/graphiql/graphiql.min.js'))).status).toBe(200);
  });

  it('still answers POST queries, and still refuses a GET query without a CSRF-safe header', async () => {
    const post = await fetch(url(development, '/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer key2' },
      body: JSON.stringify({ query: 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost llmCalls } }', variables: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } }),
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ data: { costSummary: { totalCost: '12.3456789', llmCalls: 2 } } });

    const query = encodeURIComponent('{ __typename }');
    const plain = await fetch(url(development, `/graphql?query=${query}`), { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(400);
    expect(await plain.text()).toMatch(/CSRF/);
    const preflighted = await fetch(url(development, `/graphql?query=${query}`), { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
