import { connect, type NatsConnection } from '@nats-io/transport-node';
import { eventually } from '@agentledger/testing';
import { generateAuth, type AuthCredentials } from '../src/credentials.js';
import { startAuthServer, type AuthServer } from './auth-server.js';
import { ServiceStack } from './stack.js';

// Every service, built, each under its own NATS user on a server started with the generated
// config: an agent's event goes in and comes out as a fact, a priced cost and a GraphQL answer,
// and the server logs not one permission violation.
const ACME_KEY = 'natsauth-acme-admin';
const GLOBEX_KEY = 'natsauth-globex-admin';
const FROM = new Date(Date.now() - 86_400_000).toISOString();
const TO = new Date(Date.now() + 86_400_000).toISOString();
const SUMMARY = `query Summary { costSummary(from: "${FROM}", to: "${TO}") { llmCalls inputTokens outputTokens } }`;

let server: AuthServer;
let credentials: AuthCredentials;
let stack: ServiceStack;
let agent: NatsConnection;

beforeAll(async () => {
  // The strictest users: with an admin user, services may not change a stream's configuration.
  const generated = generateAuth({ tenants: ['acme', 'globex'], admin: true });
  credentials = generated.credentials;
  server = await startAuthServer(generated.serverConfig);
  stack = await ServiceStack.start(server.url, credentials, `${ACME_KEY}=acme:admin,${GLOBEX_KEY}=globex:admin`);
  const acme = credentials.agents['acme']!;
  agent = await connect({ servers: server.url, user: acme.user, pass: acme.password, inboxPrefix: acme.inboxPrefix });
}, 300_000);

afterAll(async () => {
  await agent?.close();
  await stack?.stop();
  await server?.stop();
}, 60_000);

describe('the services under their own NATS users', () => {
  it('all start, provision and bind their consumers; an agent event becomes a fact, a cost and an answer', async () => {
    const event = {
      specversion: '1.0',
      id: 'natsauth-1',
      source: 'agent://support-bot',
      type: 'llm.call',
      time: new Date().toISOString(),
      data: { agentId: 'support-bot', provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 200 } },
    };
    await agent.request('finops.in.acme.llm_call', new TextEncoder().encode(JSON.stringify(event)), { timeout: 15_000 });
    const summary = await eventually(async () => {
      const answer = await stack.graphql(ACME_KEY, SUMMARY);
      const costSummary = answer.data?.['costSummary'] as { llmCalls: number } | undefined;
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      return costSummary && costSummary.llmCalls === 1 ? costSummary : undefined;
    }, 120_000, 'the call in acme’s costSummary');
    expect(summary).toEqual({ llmCalls: 1, inputTokens: 1000, outputTokens: 200 });
    await server.settledViolations();
    expect(server.violations()).toEqual([]);
  }, 150_000);

  it('the gateway answers for the tenant of the key, whatever the request says', async () => {
    // globex's key, with acme named wherever a request could carry it: variables, headers, extensions.
    const asked = await stack.graphql(GLOBEX_KEY, SUMMARY, { tenant: 'acme' }, { headers: { 'x-tenant': 'acme', 'x-agentledger-tenant': 'acme' }, body: { tenant: 'acme', extensions: { tenant: 'acme' } } });
    expect(asked).toEqual({ data: { costSummary: { llmCalls: 0, inputTokens: 0, outputTokens: 0 } } });
    const own = await stack.graphql(ACME_KEY, SUMMARY, { tenant: 'globex' }, { headers: { 'x-tenant': 'globex' } });
    expect(own.data?.['costSummary']).toEqual({ llmCalls: 1, inputTokens: 1000, outputTokens: 200 });
  });

  it('budgeting answers an agent’s own check under its own user', async () => {
    const reply = await agent.request('finops.control.check.acme', new TextEncoder().encode(JSON.stringify({ agentId: 'support-bot', estimatedCost: '0.01' })), { timeout: 15_000 });
    expect(reply.json()).toMatchObject({ decision: 'ALLOW', paused: false });
    await server.settledViolations();
    expect(server.violations()).toEqual([]);
  });

  it('commands reach every aggregate and the control bucket (setPrice, setBudget, registerAgent, pause, resume) with no violation', async () => {
    const mutations = [
      `mutation { setPrice(input: { provider: "acme-ai", model: "m1", inputPer1M: "1.00", outputPer1M: "2.00", effectiveFrom: "2026-01-01T00:00:00Z" }) { model inputPer1M } }`,
      `mutation { setBudget(input: { scope: TENANT, period: MONTH, limit: "100.00", enforcement: BLOCK }) { id limit } }`,
      `mutation { registerAgent(input: { id: "support-bot", team: "support" }) { id registered } }`,
      `mutation { pause(scope: AGENT, scopeId: "support-bot", reason: "test") { scopeId } }`,
      `mutation { resume(scope: AGENT, scopeId: "support-bot") }`,
    ];
    for (const mutation of mutations) {
      const answer = await stack.graphql(ACME_KEY, mutation);
      expect([mutation, answer.errors]).toEqual([mutation, undefined]);
    }
    const budgets = await stack.graphql(ACME_KEY, 'query { budgets { limit } agents { id registered } }');
    expect(budgets.data).toEqual({ budgets: [{ limit: '100' }], agents: [{ id: 'support-bot', registered: true }] });
    await server.settledViolations();
    expect(server.violations()).toEqual([]);
  }, 60_000);

  it('a priced call past a threshold raises an alert, and a bad event is dead-lettered and listed, with no violation', async () => {
    const encoder = new TextEncoder();
    const call = {
      specversion: '1.0',
      id: 'natsauth-2',
      source: 'agent://support-bot',
      type: 'llm.call',
      time: new Date().toISOString(),
      data: { agentId: 'support-bot', provider: 'acme-ai', model: 'm1', usage: { inputTokens: 60_000_000, outputTokens: 0 } },
    };
    await agent.request('finops.in.acme.llm_call', encoder.encode(JSON.stringify(call)), { timeout: 15_000 });
    await agent.request('finops.in.acme.llm_call', encoder.encode('{"not": "an event"'), { timeout: 15_000 });
    const alerts = await eventually(async () => {
      const answer = await stack.graphql(ACME_KEY, `query { alerts(from: "${FROM}", to: "${TO}") { kind threshold } deadLetters(from: "${FROM}", to: "${TO}") { subject } }`);
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      const data = answer.data as { alerts: unknown[]; deadLetters: unknown[] };
      const threshold = (data.alerts as Array<{ kind: string }>).some((alert) => alert.kind === 'BUDGET_THRESHOLD');
      return threshold && data.deadLetters.length > 0 ? data : undefined;
    }, 120_000, 'the threshold alert and the dead letter');
    // The inventory's discovery of support-bot is an alert too (it went through inventory's outbox).
    expect(alerts).toEqual({
      alerts: expect.arrayContaining([{ kind: 'BUDGET_THRESHOLD', threshold: 50 }, { kind: 'AGENT_DISCOVERED', threshold: null }]),
      deadLetters: [{ subject: 'finops.in.acme.llm_call' }],
    });
    await server.settledViolations();
    expect(server.violations()).toEqual([]);
  }, 150_000);
});
