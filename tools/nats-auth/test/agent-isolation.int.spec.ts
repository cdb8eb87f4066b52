import { jetstream, jetstreamManager, AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AgentLedger } from '@agentledger/agent-sdk';
import {
  allStreams,
  connectToNats,
  deleteControlKey,
  openControlBucket,
  pauseKey,
  provisionStreams,
  putControlKey,
  ROOT_NAMESPACE,
  serviceInboxPrefix,
} from '@agentledger/jetstream';
import { eventually } from '@agentledger/testing';
import { generateAuth, type AuthCredentials } from '../src/credentials.js';
import type { ServiceName } from '../src/permissions.js';
import { startAuthServer, type AuthServer } from './auth-server.js';

// Tenant acme's agent credential against a nats-server started with the generated config.
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const llmCall = (tenant: string, id: string) => ({
  specversion: '1.0',
  id,
  source: 'agent://bot',
  type: 'llm.call',
  time: new Date().toISOString(),
  data: { agentId: `bot-${tenant}`, provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 10, outputTokens: 5 } },
});

/** The request is refused by the server's permissions (the client rejects it with a permissions violation). */
async function expectDenied(attempt: Promise<unknown>): Promise<void> {
  await expect(attempt).rejects.toThrow(/permissions violation/i);
}

let server: AuthServer;
let credentials: AuthCredentials;
let agentA: NatsConnection;
let budgeting: NatsConnection;
let agentJsm: JetStreamManager;

const serviceConnection = (service: ServiceName) =>
  connectToNats({ url: server.url, name: service, inboxPrefix: serviceInboxPrefix(service), user: credentials.services[service].user, password: credentials.services[service].password });

beforeAll(async () => {
  const generated = generateAuth({ tenants: ['acme', 'globex'] });
  credentials = generated.credentials;
  server = await startAuthServer(generated.serverConfig);
  budgeting = await serviceConnection('budgeting');
  // Budgeting's own user provisions the topology and the control bucket, and pauses one agent per tenant.
  await provisionStreams(await jetstreamManager(budgeting), ROOT_NAMESPACE, allStreams());
  const js = jetstream(budgeting);
  await openControlBucket(js, ROOT_NAMESPACE);
  for (const tenant of ['acme', 'globex']) {
    await putControlKey(js, ROOT_NAMESPACE, pauseKey(tenant, 'AGENT', `bot-${tenant}`), encode({ reason: 'over budget', by: 'test', at: '2026-12-07T00:00:00Z', budgetId: null }));
  }
  const acme = credentials.agents['acme']!;
  agentA = await connect({ servers: server.url, user: acme.user, pass: acme.password, inboxPrefix: acme.inboxPrefix });
  agentJsm = await jetstreamManager(agentA, { checkAPI: false });
}, 60_000);

afterAll(async () => {
  await agentA?.close();
  await budgeting?.close();
  await server?.stop();
});

describe('a tenant agent credential (acme)', () => {
  it('publishes its own events, core NATS and JetStream (the stream acks them)', async () => {
    const violations = await server.settledViolations();
    const ack = await jetstream(agentA).publish('finops.in.acme.llm_call', encode(llmCall('acme', 'e1')));
    expect(ack.stream).toBe('FINOPS_IN');
    const ledger = await AgentLedger.connect({ tenant: 'acme', agentId: 'bot-acme', servers: server.url, user: credentials.agents['acme']!.user, password: credentials.agents['acme']!.password, flushIntervalMs: 0 });
    ledger.llmCall({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1, outputTokens: 1 } });
    await ledger.close();
    const info = await (await jetstreamManager(budgeting)).streams.info('FINOPS_IN', { subjects_filter: 'finops.in.>' });
    expect(info.state.subjects).toEqual({ 'finops.in.acme.llm_call': 1, 'finops.in.acme.batch': 1 });
    await server.settledViolations();
    expect(server.violations().slice(violations)).toEqual([]);
  });

  it("cannot publish to another tenant's subjects, with core NATS or JetStream", async () => {
    await expectDenied(agentA.request('finops.in.globex.llm_call', encode(llmCall('globex', 'x1')), { timeout: 2_000 }));
    await expectDenied(jetstream(agentA).publish('finops.in.globex.batch', encode([llmCall('globex', 'x2')])));
  });

  it('cannot write facts, costs, prices, budgets, agents, alerts or pause keys past validation', async () => {
    for (const subject of [
      'finops.facts.acme.llm_call',
      'finops.costs.acme.priced',
      'finops.prices.acme.openai.gpt-4o',
      'finops.budgets.acme.b1',
      'finops.agents.acme.agent.bot',
      'finops.alerts.acme',
      'finops.dlq.acme.ingestion',
      '$KV.finops_control.paused.acme.tenant._',
    ]) {
      await expectDenied(agentA.request(subject, encode({}), { timeout: 2_000 }));
    }
  });

  it('cannot call query or command subjects, not even for its own tenant', async () => {
    await expectDenied(agentA.request('finops.query.attribution.costSummary', encode({ tenant: 'globex', args: {} }), { timeout: 2_000 }));
    await expectDenied(agentA.request('finops.query.attribution.costSummary', encode({ tenant: 'acme', args: {} }), { timeout: 2_000 }));
    await expectDenied(agentA.request('finops.command.pricing.setPrice', encode({ tenant: 'globex', args: {} }), { timeout: 2_000 }));
  });

  it("asks its own checks and releases, never another tenant's", async () => {
    // Budgeting's user answers (a stand-in for the check server: same subjects, same queue group).
    const answers = ['finops.control.check.*', 'finops.control.release.*'].map((subject) =>
      budgeting.subscribe(subject, { queue: 'budgeting', callback: (error, msg) => void (error ?? msg.respond(encode({ decision: 'ALLOW', subject: msg.subject }))) }),
    );
    await budgeting.flush();
    try {
      const reply = await agentA.request('finops.control.check.acme', encode({ agentId: 'bot-acme', estimatedCost: '0.01' }), { timeout: 2_000 });
      expect(reply.json()).toEqual({ decision: 'ALLOW', subject: 'finops.control.check.acme' });
      const released = await agentA.request('finops.control.release.acme', encode({ reservationId: 'r1' }), { timeout: 2_000 });
      expect(released.json()).toEqual({ decision: 'ALLOW', subject: 'finops.control.release.acme' });
      await expectDenied(agentA.request('finops.control.check.globex', encode({ agentId: 'bot-globex' }), { timeout: 2_000 }));
      await expectDenied(agentA.request('finops.control.release.globex', encode({ reservationId: 'r1' }), { timeout: 2_000 }));
    } finally {
      for (const subscription of answers) subscription.unsubscribe();
    }
  });

  it('watches its own pause keys (the SDK) and no other tenant’s', async () => {
    const violations = await server.settledViolations();
    const ledger = await AgentLedger.connect({ tenant: 'acme', agentId: 'bot-acme', servers: server.url, user: credentials.agents['acme']!.user, password: credentials.agents['acme']!.password, flushIntervalMs: 0 });
    try {
      const watch = await ledger.watchPauses();
      await server.settledViolations();
      expect(server.violations().slice(violations)).toEqual([]);
      expect(watch.pauses().map((pause) => [pause.scope, pause.scopeId])).toEqual([['AGENT', 'bot-acme']]);
      expect(ledger.isPaused()).toBe(true);
      // Live: globex's tenant-wide pause stays unheard; acme's resume is heard.
      const budgetingJs = jetstream(budgeting);
      await putControlKey(budgetingJs, ROOT_NAMESPACE, pauseKey('globex', 'TENANT', null), encode({ reason: 'r', by: 'test', at: '2026-12-07T00:00:00Z', budgetId: null }));
      await deleteControlKey(budgetingJs, ROOT_NAMESPACE, pauseKey('acme', 'AGENT', 'bot-acme'));
      await eventually(() => watch.pauses().length === 0, 5_000, 'the resume of bot-acme');
      expect(ledger.isPaused()).toBe(false);
    } finally {
      await ledger.close();
    }
    await server.settledViolations();
    expect(server.violations().slice(violations)).toEqual([]);
    const kv = await new Kvm(jetstream(agentA)).open('finops_control');
    await expectDenied(kv.watch({ key: 'paused.globex.>' }));
    await expectDenied(kv.watch({ key: 'paused.>' }));
    await expectDenied(kv.watch({ key: '>' }));
  });

  it('cannot smuggle another filter into the body of a consumer create allowed by subject', async () => {
    const request = {
      stream_name: 'KV_finops_control',
      config: { name: 'sneaky', filter_subject: '$KV.finops_control.paused.globex.>', deliver_subject: `${credentials.agents['acme']!.inboxPrefix}.x`, ack_policy: AckPolicy.None },
    };
    const reply = await agentA.request('$JS.API.CONSUMER.CREATE.KV_finops_control.sneaky.$KV.finops_control.paused.acme.>', encode(request), { timeout: 2_000 });
    expect((reply.json() as { error?: { code: number; description: string } }).error).toMatchObject({ code: 400, description: expect.stringMatching(/filter/i) });
  });

  it('cannot read any stream, create a consumer on one, list, purge or delete them', async () => {
    await expectDenied(agentJsm.streams.info('KV_finops_control', { subjects_filter: '$KV.finops_control.>' }));
    await expectDenied(agentJsm.getAccountInfo());
    await expectDenied(agentJsm.streams.info('FINOPS_FACTS'));
    await expectDenied(agentJsm.streams.info('FINOPS_IN'));
    await expectDenied(agentJsm.streams.getMessage('FINOPS_IN', { seq: 1 }));
    await expectDenied(agentJsm.consumers.add('FINOPS_FACTS', { name: 'peek', ack_policy: AckPolicy.None, filter_subject: 'finops.facts.globex.>' }));
    await expectDenied(agentJsm.consumers.add('FINOPS_FACTS', { durable_name: 'peek', ack_policy: AckPolicy.Explicit }));
    await expectDenied(agentJsm.consumers.info('FINOPS_FACTS', 'pricing'));
    await expectDenied(agentJsm.streams.purge('FINOPS_IN'));
    await expectDenied(agentJsm.streams.delete('FINOPS_IN'));
    await expectDenied(agentJsm.streams.delete('KV_finops_control'));
    await expectDenied(agentJsm.streams.add({ name: 'MINE', subjects: ['finops.in.globex.>'] }));
    await expectDenied(agentA.request('$JS.API.STREAM.NAMES', encode({}), { timeout: 2_000 }));
    await expectDenied(agentA.request('$JS.API.STREAM.LIST', encode({}), { timeout: 2_000 }));
  });

  it('cannot listen to other subjects: events, facts, queries, replies of others', async () => {
    for (const subject of ['finops.in.>', 'finops.facts.>', 'finops.query.>', '_INBOX.>', '_INBOX_gateway.>', '_INBOX_agent_globex.>', 'finops.alerts.globex', '>']) {
      const subscription = agentA.subscribe(subject);
      await agentA.flush();
      const closed = await Promise.race([subscription.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 1_000))]);
      expect([subject, String(closed)]).toEqual([subject, expect.stringMatching(/permissions violation/i)]);
    }
  });

  it('each refusal is a permissions violation in the server log (what the stack test counts as zero)', async () => {
    await server.settledViolations();
    expect(server.violations().length).toBeGreaterThan(20);
    expect(server.violations().every((line) => line.includes('agent-acme'))).toBe(true);
  });
});
