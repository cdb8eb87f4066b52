import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface AgentView {
  id: string;
  name: string | null;
  team: string | null;
  owner: string | null;
  platform: string | null;
  vendor: string | null;
  lifecycle: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Every agent of the tenant, most recently active first. */
export async function listAgents(db: PrismaClient, request: QueryRequest): Promise<AgentView[]> {
  const rows = await db.agent.findMany({ where: { tenant: request.tenant }, orderBy: [{ lastSeen: { sort: 'desc', nulls: 'last' } }, { agentId: 'asc' }] });
  return rows.map((row) => ({
    id: row.agentId,
    name: row.name,
    team: row.team,
    owner: row.owner,
    platform: row.platform,
    vendor: row.vendor,
    lifecycle: row.lifecycle,
    firstSeen: row.firstSeen?.toISOString() ?? null,
    lastSeen: row.lastSeen?.toISOString() ?? null,
  }));
}
