import type { AgentView } from '@agentledger/contracts';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Every agent of the tenant, most recently active first. */
export async function listAgents(db: PrismaClient, tenant: string): Promise<AgentView[]> {
  const rows = await db.agent.findMany({ where: { tenant }, orderBy: [{ lastSeen: { sort: 'desc', nulls: 'last' } }, { agentId: 'asc' }] });
  return rows.map((row) => ({
    id: row.agentId,
    name: row.name,
    team: row.team,
    owner: row.owner,
    platform: row.platform,
    vendor: row.vendor,
    lifecycle: row.lifecycle,
    description: row.description,
    // The read model of part D (workflows, models, tools, status) replaces this mapping: issue 10.
    workflows: [],
    registered: row.name !== null || row.owner !== null || row.lifecycle !== null,
    status: 'IDLE' as const,
    models: [],
    tools: [],
    retiredAt: null,
    activeAfterRetirement: false,
    firstSeen: row.firstSeen?.toISOString() ?? null,
    lastSeen: row.lastSeen?.toISOString() ?? null,
  }));
}
