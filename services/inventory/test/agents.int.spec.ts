import { fileURLToPath } from 'node:url';
import { AgentLifecycle, AgentPlatform, CallStatus, factCodec, toTimestamp, type CanonicalFact } from '@agentledger/contracts';
import { subjects } from '@agentledger/jetstream';
import type { ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { agentsProjection } from '../src/agents/agents.projection.js';
import { listAgents } from '../src/agents/agents.query.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

function fact(tenant: string, id: string, agentId: string, time: string, payload: CanonicalFact['payload'], team = ''): CanonicalFact {
  return factCodec.create({ schemaVersion: 1, tenant, eventId: id, source: `agent://${agentId}`, type: 'x', time: toTimestamp(new Date(time)), common: { agentId, team }, payload });
}

const call: CanonicalFact['payload'] = {
  case: 'llmCall',
  value: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1n, outputTokens: 1n }, attempt: 1, status: CallStatus.OK } as never,
};

describe('inventory agents projection (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let runner: ProjectionRunner<CanonicalFact, never>;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    runner = (await createTestProjection(bus, schema.db, 'inventory', agentsProjection as never)) as never;
  });

  afterAll(async () => {
    await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  const publish = (facts: CanonicalFact[], suffix = '') =>
    bus.publisher.publishAll(
      facts.map((f) => ({ subject: subjects.fact(bus.ns, f.tenant, 'llm_call'), payload: factCodec.encode(f), options: { msgID: `${f.tenant}|${f.eventId}${suffix}` } })),
    );

  it('keeps first and last seen by event time, registrations, and applies a redelivered fact once', async () => {
    const facts = [
      fact('acme', 'e3', 'support-bot', '2026-11-27T09:00:03Z', call, 'support'),
      fact('acme', 'e1', 'support-bot', '2026-11-27T09:00:01Z', call),
      fact('acme', 'e2', 'sales-qualifier', '2026-11-26T12:00:00Z', call, 'sales'),
      fact('acme', 'r1', 'zendesk-ai', '2026-11-20T12:00:00Z', {
        case: 'agentRegistered',
        value: { name: 'Zendesk AI agent', team: 'support', owner: 'ops@acme', platform: AgentPlatform.SAAS, vendor: 'zendesk', lifecycle: AgentLifecycle.PRODUCTION, workflows: [], description: '' } as never,
      }),
      fact('globex', 'e1', 'support-bot', '2026-11-28T00:00:00Z', call, 'cs'),
    ];
    await publish(facts);
    await publish([facts[0]!], '#again'); // the same fact again, past JetStream's dedupe: the ledger absorbs it
    runner.start();
    await runner.caughtUp();
    const agents = await listAgents(schema.db, 'acme');
    expect(agents).toEqual([
      { id: 'support-bot', name: null, team: 'support', owner: null, platform: null, vendor: null, lifecycle: null, firstSeen: '2026-11-27T09:00:01.000Z', lastSeen: '2026-11-27T09:00:03.000Z' },
      { id: 'sales-qualifier', name: null, team: 'sales', owner: null, platform: null, vendor: null, lifecycle: null, firstSeen: '2026-11-26T12:00:00.000Z', lastSeen: '2026-11-26T12:00:00.000Z' },
      { id: 'zendesk-ai', name: 'Zendesk AI agent', team: 'support', owner: 'ops@acme', platform: 'saas', vendor: 'zendesk', lifecycle: 'production', firstSeen: '2026-11-20T12:00:00.000Z', lastSeen: '2026-11-20T12:00:00.000Z' },
    ]);
    const events = await schema.query<{ agent_id: string; events: string }>('SELECT agent_id, events FROM agent WHERE tenant = $1 ORDER BY agent_id', ['acme']);
    expect(events).toEqual([
      { agent_id: 'sales-qualifier', events: '1' },
      { agent_id: 'support-bot', events: '2' },
      { agent_id: 'zendesk-ai', events: '0' },
    ]);
    expect((await listAgents(schema.db, 'globex')).map((agent) => agent.id)).toEqual(['support-bot']);
  });

  it('rebuild yields the same inventory', async () => {
    const before = await schema.query('SELECT * FROM agent ORDER BY tenant, agent_id');
    await runner.rebuild();
    expect(await schema.query('SELECT * FROM agent ORDER BY tenant, agent_id')).toEqual(before);
  });
});
