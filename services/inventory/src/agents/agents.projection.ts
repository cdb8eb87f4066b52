import { AgentLifecycle, AgentPlatform, factCodec, factKey, fromTimestamp, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const PLATFORM: Record<AgentPlatform, string | null> = {
  [AgentPlatform.UNSPECIFIED]: null,
  [AgentPlatform.INTERNAL]: 'internal',
  [AgentPlatform.SAAS]: 'saas',
};
const LIFECYCLE: Record<AgentLifecycle, string | null> = {
  [AgentLifecycle.UNSPECIFIED]: null,
  [AgentLifecycle.EXPERIMENT]: 'experiment',
  [AgentLifecycle.STAGING]: 'staging',
  [AgentLifecycle.PRODUCTION]: 'production',
  [AgentLifecycle.RETIRED]: 'retired',
};

/** Activity (first/last seen by event time) from every fact; details from `agent.registered`. */
export const agentsProjection: ProjectionDefinition<CanonicalFact, Tx> = {
  name: 'inventory-agents',
  consumer: CONSUMERS.inventoryFacts,
  tables: ['agent'],
  decode(msg) {
    try {
      const fact = factCodec.decode(msg.data);
      return { key: `${fact.tenant}|${factKey(fact.source, fact.eventId)}`, event: fact };
    } catch (error) {
      throw new PermanentError(`undecodable fact: ${(error as Error).message}`, 'undecodable');
    }
  },
  async apply(tx, facts) {
    for (const fact of facts) {
      const agentId = fact.common?.agentId ?? '';
      if (!agentId) continue;
      const time = fromTimestamp(fact.time);
      const registered = fact.payload.case === 'agentRegistered' ? fact.payload.value : undefined;
      const details = registered
        ? {
            name: registered.name || null,
            team: registered.team || fact.common?.team || null,
            owner: registered.owner || null,
            platform: PLATFORM[registered.platform],
            vendor: registered.vendor || null,
            lifecycle: LIFECYCLE[registered.lifecycle],
            description: registered.description || null,
          }
        : {};
      // Registration sets details; activity only fills a missing team and widens the seen window.
      await tx.$executeRawUnsafe(
        `INSERT INTO agent (tenant, agent_id, team, first_seen, last_seen, events)
         VALUES ($1, $2, NULLIF($3, ''), $4, $4, $5)
         ON CONFLICT (tenant, agent_id) DO UPDATE SET
           team = COALESCE(agent.team, EXCLUDED.team),
           first_seen = LEAST(agent.first_seen, EXCLUDED.first_seen),
           last_seen = GREATEST(agent.last_seen, EXCLUDED.last_seen),
           events = agent.events + EXCLUDED.events`,
        fact.tenant,
        agentId,
        fact.common?.team ?? '',
        time,
        registered ? 0 : 1,
      );
      if (registered) await tx.agent.update({ where: { tenant_agentId: { tenant: fact.tenant, agentId } }, data: details });
    }
  },
};
