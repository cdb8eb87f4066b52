import { agentOverlapsQuery, agentQuery, agentsQuery, CallStatus, factCodec, inventoryAlertsQuery, registerAgentCommand, type CanonicalFact } from '@agentledger/contracts';
import { subjects } from '@agentledger/jetstream';
import { QueryClient, startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, createTestSchema, eventually, type TestBus, type TestSchema } from '@agentledger/testing';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { inventoryService } from '../src/inventory.service.js';
import { fact } from './inventory-harness.js';

const llmCall: CanonicalFact['payload'] = {
  case: 'llmCall',
  value: { provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1n, outputTokens: 1n }, attempt: 1, status: CallStatus.OK } as never,
};

// The service as deployed: its composition root, its configuration, the query bus.
describe('the inventory service over the query bus (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestSchema;
  let service: RunningService<PrismaClient>;
  let client: QueryClient;
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestSchema();
    service = (await startService(inventoryService, {
      port: 0,
      env: { FINOPS_NAMESPACE: bus.token, NATS_URL: bus.natsUrl, DATABASE_URL: schema.connectionString, DATABASE_SCHEMA: schema.schema, INVENTORY_IDLE_AFTER: '90m', LOG_LEVEL: 'error' },
      logWrite: () => undefined,
    })) as never;
    client = new QueryClient(bus.nc, bus.ns, 10_000);
  });

  afterAll(async () => {
    await service?.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  it('serves every part-D query and registerAgent; the idle threshold is the configured one', async () => {
    const facts = [fact('acme', 'e1', 'fresh-bot', minutesAgo(10), 'llm.call', llmCall, { team: 'support', workflow: 'triage' }), fact('acme', 'e2', 'stale-bot', minutesAgo(120), 'llm.call', llmCall, { workflow: 'triage' })];
    await bus.publisher.publishAll(facts.map((f) => ({ subject: subjects.fact(bus.ns, 'acme', 'llm_call'), payload: factCodec.encode(f), options: { msgID: f.eventId } })));
    const agents = await eventually(async () => {
      const listed = await client.ask(agentsQuery, { tenant: 'acme', args: {} });
      return listed.length === 2 ? listed : undefined;
    }, 20_000, 'both agents');
    expect(agents.map((agent) => [agent.id, agent.status, agent.registered])).toEqual([
      ['fresh-bot', 'ACTIVE', false],
      ['stale-bot', 'IDLE', false],
    ]);

    const registered = await client.ask(registerAgentCommand, { tenant: 'acme', actor: 'key:admin', args: { id: 'stale-bot', owner: 'ops@acme', team: 'support', lifecycle: 'retired' } });
    expect(registered).toMatchObject({ id: 'stale-bot', owner: 'ops@acme', team: 'support', lifecycle: 'retired', status: 'RETIRED', registered: true, activeAfterRetirement: false });
    expect(await client.ask(agentQuery, { tenant: 'acme', args: { id: 'stale-bot' } })).toEqual(registered);
    expect(await client.ask(agentQuery, { tenant: 'globex', args: { id: 'stale-bot' } })).toBeNull();
    expect((await client.ask(agentsQuery, { tenant: 'acme', args: { filter: { status: 'RETIRED' } } })).map((agent) => agent.id)).toEqual(['stale-bot']);
    expect(await client.ask(agentOverlapsQuery, { tenant: 'acme', args: {} })).toEqual([{ workflow: 'triage', agents: ['fresh-bot', 'stale-bot'], teams: ['support'] }]);

    await expect(client.ask(registerAgentCommand, { tenant: 'acme', args: { id: 'stale-bot', platform: 'mainframe' } })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'platform: "mainframe" is not one of internal, saas',
    });
    await expect(client.ask(registerAgentCommand, { tenant: 'acme', args: { id: '' } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(client.ask(agentsQuery, { tenant: 'acme', args: { filter: { status: 'DORMANT' } } as never })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });

    const alerts = await eventually(async () => {
      const raised = await client.ask(inventoryAlertsQuery, { tenant: 'acme', args: { from: minutesAgo(24 * 60), to: minutesAgo(-1) } });
      return raised.length === 2 ? raised : undefined;
    }, 20_000, 'the two AGENT_DISCOVERED alerts');
    expect(alerts.map((alert) => [alert.kind, alert.agentId])).toEqual([
      ['AGENT_DISCOVERED', 'stale-bot'],
      ['AGENT_DISCOVERED', 'fresh-bot'],
    ]);
    await expect(client.ask(inventoryAlertsQuery, { tenant: 'acme', args: { from: minutesAgo(0), to: minutesAgo(10) } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'to: must be after from' });
  });
});
