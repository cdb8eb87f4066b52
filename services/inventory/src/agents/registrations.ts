import type { AgentRegisteredData } from '@agentledger/contracts';
import type { Tx } from '../db.js';
import type { LifecycleEvent } from '../lifecycle/lifecycle-events.js';
import type { Registration, RegistrationRecord } from './agent.js';

/** Where registrations are kept: by the facts projection (`agent.registered` events) or by the aggregate's (`registerAgent`). */
export type RegistrationTable = 'agent_activity' | 'agent_registration';

export interface AgentKey {
  readonly tenant: string;
  readonly agentId: string;
}

export const agentKey = (tenant: string, agentId: string) => `${tenant}\u0000${agentId}`;

/** The agents of a batch in one order, so every writer locks rows in the same order (no deadlock between replicas). */
export function sortedAgents(agents: Iterable<AgentKey>): AgentKey[] {
  const unique = new Map<string, AgentKey>();
  for (const agent of agents) unique.set(agentKey(agent.tenant, agent.agentId), agent);
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, agent]) => agent);
}

export interface LockedRow {
  readonly record: RegistrationRecord;
  readonly registrations: number;
  /** agent_activity only: null while the agent has no activity yet. */
  readonly firstSeen: Date | null;
}

/** Creates the missing rows of these agents and locks them all (one statement each), for a read-merge-write of their registrations. */
export async function lockRows(tx: Tx, table: RegistrationTable, agents: readonly AgentKey[]): Promise<Map<string, LockedRow>> {
  const tenants = agents.map((agent) => agent.tenant);
  const ids = agents.map((agent) => agent.agentId);
  await tx.$executeRawUnsafe(`INSERT INTO ${table} (tenant, agent_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, tenants, ids);
  const firstSeen = table === 'agent_activity' ? 'first_seen' : 'NULL::timestamptz AS first_seen';
  const rows = await tx.$queryRawUnsafe<Array<{ tenant: string; agent_id: string; registration: RegistrationRecord; registrations: bigint | number; first_seen: Date | null }>>(
    `SELECT t.tenant, t.agent_id, t.registration, t.registrations, ${firstSeen} FROM ${table} t
       JOIN unnest($1::text[], $2::text[]) AS batch(tenant, agent_id) USING (tenant, agent_id)
     ORDER BY t.tenant, t.agent_id FOR UPDATE OF t`,
    tenants,
    ids,
  );
  return new Map(rows.map((row) => [agentKey(row.tenant, row.agent_id), { record: row.registration, registrations: Number(row.registrations), firstSeen: row.first_seen }]));
}

/** The registrations the other table holds for these agents (a plain read). */
export async function readRecords(tx: Tx, table: RegistrationTable, agents: readonly AgentKey[]): Promise<Map<string, { record: RegistrationRecord; registrations: number }>> {
  if (agents.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<Array<{ tenant: string; agent_id: string; registration: RegistrationRecord; registrations: bigint | number }>>(
    `SELECT t.tenant, t.agent_id, t.registration, t.registrations FROM ${table} t
       JOIN unnest($1::text[], $2::text[]) AS batch(tenant, agent_id) USING (tenant, agent_id)`,
    agents.map((agent) => agent.tenant),
    agents.map((agent) => agent.agentId),
  );
  return new Map(rows.map((row) => [agentKey(row.tenant, row.agent_id), { record: row.registration, registrations: Number(row.registrations) }]));
}

/** A registration as it was applied: with where it came from, for the lifecycle event it causes. */
export interface AppliedRegistration extends Registration {
  readonly tenant: string;
  readonly agentId: string;
  readonly origin: AgentRegisteredData['origin'];
  readonly actor: string | null;
}

/**
 * The lifecycle events of registrations just applied: each is an `agent.registered`; one that set
 * `retired` and is the agent's latest word on its lifecycle (`effective`, both origins merged) is
 * also an `agent.retired`.
 */
export function registrationLifecycle(registration: AppliedRegistration, effective: RegistrationRecord): LifecycleEvent[] {
  const { tenant, agentId, at, key } = registration;
  const events: LifecycleEvent[] = [
    {
      kind: 'registered',
      tenant,
      id: `registered:${key}`,
      at,
      data: { agentId, registeredAt: at.toISOString(), origin: registration.origin, actor: registration.actor, fields: registration.fields },
    },
  ];
  const lifecycle = effective.lifecycle;
  if (registration.fields.lifecycle === 'retired' && lifecycle?.value === 'retired' && lifecycle.key === key) {
    events.push({ kind: 'retired', tenant, id: `retired:${key}`, at, data: { agentId, retiredAt: at.toISOString() } });
  }
  return events;
}
