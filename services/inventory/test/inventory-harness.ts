import { fileURLToPath } from 'node:url';
import { factCodec, toTimestamp, typeToken, type CanonicalFact, type EventType } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { OutboxRelay, type ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { activityProjection } from '../src/agents/activity.projection.js';
import { agentEventCodec } from '../src/agents/agent-wire.js';
import type { RegisterAgentDeps } from '../src/agents/register-agent.handler.js';
import { registrationsProjection } from '../src/agents/registrations.projection.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/** A canonical fact of `type` (e.g. "llm.call") with its payload; common data from `common`. */
export function fact(tenant: string, id: string, agentId: string, time: string, type: string, payload: CanonicalFact['payload'], common: { team?: string; workflow?: string } = {}): CanonicalFact {
  return factCodec.create({ schemaVersion: 1, tenant, eventId: id, source: `agent://${agentId}`, type, time: toTimestamp(new Date(time)), common: { agentId, ...common }, payload });
}

export interface InventoryHarness {
  readonly bus: TestBus;
  readonly schema: TestDatabase<PrismaClient>;
  readonly runners: ReadonlyArray<ProjectionRunner<unknown, never>>;
  readonly deps: RegisterAgentDeps;
  publish(facts: readonly CanonicalFact[], msgIdSuffix?: string): Promise<void>;
  caughtUp(): Promise<void>;
  /** The CloudEvents published on a stream, in order, with their subjects (namespace removed). */
  published(stream: 'agents' | 'alerts'): Promise<Array<{ subject: string; event: { id: string; type: string; time: string; data: Record<string, unknown> } }>>;
  cleanup(): Promise<void>;
}

/** Both inventory projections, the agent aggregates and the outbox on a bus and a database of the test's own, the clock at `now`. */
export async function inventoryHarness(now: Date, idleAfterMs: number): Promise<InventoryHarness> {
  const bus = await createTestBus();
  const schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
  const runners = [
    (await createTestProjection(bus, schema.db, 'inventory', activityProjection({ ns: bus.ns }) as never, undefined, outbox)) as ProjectionRunner<unknown, never>,
    (await createTestProjection(bus, schema.db, 'inventory', registrationsProjection({ ns: bus.ns }) as never, undefined, outbox)) as ProjectionRunner<unknown, never>,
  ];
  const store = new JetStreamAggregateStore({ js: bus.js, jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.agents.name), codec: agentEventCodec });
  const deps: RegisterAgentDeps = { db: schema.db, clock: () => now, idleAfterMs, store, ns: bus.ns, outbox };
  const decoder = new TextDecoder();
  return {
    bus,
    schema,
    runners,
    deps,
    async publish(facts, msgIdSuffix = '') {
      await bus.publisher.publishAll(
        facts.map((f) => ({ subject: subjects.fact(bus.ns, f.tenant, typeToken(f.type as EventType)), payload: factCodec.encode(f), options: { msgID: `${f.tenant}|${f.eventId}${msgIdSuffix}` } })),
      );
    },
    async caughtUp() {
      for (const runner of runners) await runner.caughtUp();
    },
    async published(stream) {
      const name = streamIn(bus.ns, STREAMS[stream].name);
      const count = (await bus.jsm.streams.info(name)).state.last_seq;
      const found = [];
      for (let seq = 1; seq <= count; seq++) {
        const message = await bus.jsm.streams.getMessage(name, { seq }).catch(() => null);
        if (message && message.subject.includes(stream === 'agents' ? '.lifecycle.' : '.alerts.')) {
          found.push({ subject: message.subject.slice(bus.ns.subjectPrefix.length), event: JSON.parse(decoder.decode(message.data)) });
        }
      }
      return found;
    },
    async cleanup() {
      for (const runner of runners) await runner.stop();
      await outbox.stop();
      await schema.cleanup();
      await bus.cleanup();
    },
  };
}
