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
    // One statement for the batch's activity, aggregated per agent; registrations (rare) after it.
    const activity = new Map<string, { tenant: string; agentId: string; team: string; first: Date; last: Date; events: number }>();
    for (const fact of facts) {
      const agentId = fact.common?.agentId ?? '';
      if (!agentId) continue;
      const time = fromTimestamp(fact.time);
      const key = `${fact.tenant}\u0000${agentId}`;
      const seen = activity.get(key);
      const counted = fact.payload.case === 'agentRegistered' ? 0 : 1;
      if (!seen) {
        activity.set(key, { tenant: fact.tenant, agentId, team: fact.common?.team ?? '', first: time, last: time, events: counted });
      } else {
        if (time < seen.first) seen.first = time;
        if (time > seen.last) seen.last = time;
        if (!seen.team) seen.team = fact.common?.team ?? '';
        seen.events += counted;
      }
    }
    const rows = [...activity.values()];
    if (rows.length > 0) {
      // Activity only fills a missing team and widens the seen window; registration sets details.
      await tx.$executeRawUnsafe(
        `INSERT INTO agent (tenant, agent_id, team, first_seen, last_seen, events)
         SELECT tenant, agent_id, NULLIF(team, ''), first_seen, last_seen, events
           FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[])
             AS batch(tenant, agent_id, team, first_seen, last_seen, events)
         ON CONFLICT (tenant, agent_id) DO UPDATE SET
           team = COALESCE(agent.team, EXCLUDED.team),
           first_seen = LEAST(agent.first_seen, EXCLUDED.first_seen),
           last_seen = GREATEST(agent.last_seen, EXCLUDED.last_seen),
           events = agent.events + EXCLUDED.events`,
        rows.map((row) => row.tenant),
        rows.map((row) => row.agentId),
        rows.map((row) => row.team),
        rows.map((row) => row.first),
        rows.map((row) => row.last),
        rows.map((row) => row.events),
      );
    }
    for (const fact of facts) {
      if (fact.payload.case !== 'agentRegistered' || !fact.common?.agentId) continue;
      const registered = fact.payload.value;
      await tx.agent.update({
        where: { tenant_agentId: { tenant: fact.tenant, agentId: fact.common.agentId } },
        data: {
          name: registered.name || null,
          team: registered.team || fact.common.team || null,
          owner: registered.owner || null,
          platform: PLATFORM[registered.platform],
          vendor: registered.vendor || null,
          lifecycle: LIFECYCLE[registered.lifecycle],
          description: registered.description || null,
        },
      });
    }
  },
};
