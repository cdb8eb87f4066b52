import type { AgentOverlapView, AgentView } from '@agentledger/contracts';
import type { InventoryDb } from '../db.js';
import type { RegistrationRecord } from './agent.js';
import { agentView, byRecentActivity, matchesFilter, type AgentFilter, type AgentRow } from './agent-view.js';

/** How queries see the inventory: the clock at query time and the idle threshold. */
export interface InventoryQueryDeps {
  readonly db: InventoryDb;
  readonly clock: () => Date;
  readonly idleAfterMs: number;
}

interface SqlRow {
  agent_id: string;
  first_seen: Date | null;
  last_seen: Date | null;
  team: string | null;
  saas_vendor: string | null;
  models: string[] | null;
  tools: string[] | null;
  workflows: string[] | null;
  event_registration: RegistrationRecord | null;
  command_registration: RegistrationRecord | null;
  registrations: bigint | number;
}

/** Both sides of the tenant's agents (or of one), in one statement. */
async function agentRows(db: InventoryDb, tenant: string, agentId?: string): Promise<AgentRow[]> {
  const only = agentId === undefined ? '' : ' AND agent_id = $2';
  const rows = await db.$queryRawUnsafe<SqlRow[]>(
    `SELECT COALESCE(a.agent_id, r.agent_id) AS agent_id, a.first_seen, a.last_seen, a.team, a.saas_vendor, a.models, a.tools, a.workflows,
            a.registration AS event_registration, r.registration AS command_registration,
            COALESCE(a.registrations, 0) + COALESCE(r.registrations, 0) AS registrations
       FROM (SELECT * FROM agent_activity WHERE tenant = $1${only}) a
       FULL JOIN (SELECT * FROM agent_registration WHERE tenant = $1${only}) r ON r.agent_id = a.agent_id`,
    ...(agentId === undefined ? [tenant] : [tenant, agentId]),
  );
  return rows.map((row) => ({
    agentId: row.agent_id,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    eventTeam: row.team,
    saasVendor: row.saas_vendor,
    models: row.models ?? [],
    tools: row.tools ?? [],
    eventWorkflows: row.workflows ?? [],
    eventRegistration: row.event_registration ?? {},
    commandRegistration: row.command_registration ?? {},
    registrations: Number(row.registrations),
  }));
}

/** The tenant's agents matching the filter (status against the clock now), most recently active first. */
export async function listAgents(deps: InventoryQueryDeps, tenant: string, filter?: AgentFilter | null): Promise<AgentView[]> {
  const now = deps.clock();
  return (await agentRows(deps.db, tenant))
    .map((row) => agentView(row, now, deps.idleAfterMs))
    .filter((agent) => matchesFilter(agent, filter))
    .sort(byRecentActivity);
}

/** One agent of the tenant, or null when it never sent an event nor was registered. */
export async function findAgent(deps: InventoryQueryDeps, tenant: string, agentId: string): Promise<AgentView | null> {
  const [row] = await agentRows(deps.db, tenant, agentId);
  return row ? agentView(row, deps.clock(), deps.idleAfterMs) : null;
}

/** Each workflow more than one agent serves (in events or registrations), with those agents and their teams, sorted. */
export async function listOverlaps(deps: InventoryQueryDeps, tenant: string): Promise<AgentOverlapView[]> {
  const byWorkflow = new Map<string, AgentView[]>();
  for (const agent of await listAgents(deps, tenant)) {
    for (const workflow of agent.workflows) {
      const serving = byWorkflow.get(workflow) ?? [];
      serving.push(agent);
      byWorkflow.set(workflow, serving);
    }
  }
  return [...byWorkflow.entries()]
    .filter(([, agents]) => agents.length > 1)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([workflow, agents]) => ({
      workflow,
      agents: agents.map((agent) => agent.id).sort(),
      teams: [...new Set(agents.flatMap((agent) => (agent.team === null ? [] : [agent.team])))].sort(),
    }));
}
