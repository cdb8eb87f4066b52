import type { AgentView, ArgsOf, agentsQuery } from '@agentledger/contracts';
import { mergeRecords, type RegistrationRecord } from './agent.js';

/** An agent as the read model holds it: its facts' side and its commands' side, either possibly absent. */
export interface AgentRow {
  readonly agentId: string;
  readonly firstSeen: Date | null;
  readonly lastSeen: Date | null;
  readonly eventTeam: string | null;
  readonly saasVendor: string | null;
  readonly models: readonly string[];
  readonly tools: readonly string[];
  readonly eventWorkflows: readonly string[];
  readonly eventRegistration: RegistrationRecord;
  readonly commandRegistration: RegistrationRecord;
  readonly registrations: number;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Part D's view of an agent at `now`: registered fields first (both origins merged by event
 * time), else what its traffic shows; status against the idle threshold.
 */
export function agentView(row: AgentRow, now: Date, idleAfterMs: number): AgentView {
  const registered = mergeRecords(row.eventRegistration, row.commandRegistration);
  const lifecycle = registered.lifecycle?.value ?? null;
  const retiredAt = lifecycle === 'retired' ? registered.lifecycle!.at : null;
  const platform = registered.platform?.value ?? (row.saasVendor !== null ? 'saas' : 'internal');
  const status = lifecycle === 'retired' ? 'RETIRED' : row.lastSeen !== null && now.getTime() - row.lastSeen.getTime() <= idleAfterMs ? 'ACTIVE' : 'IDLE';
  return {
    id: row.agentId,
    name: registered.name?.value ?? null,
    team: registered.team?.value ?? row.eventTeam,
    owner: registered.owner?.value ?? null,
    platform,
    vendor: registered.vendor?.value ?? row.saasVendor,
    lifecycle,
    description: registered.description?.value ?? null,
    workflows: sorted([...(registered.workflows?.value ?? []), ...row.eventWorkflows]),
    registered: row.registrations > 0,
    status,
    firstSeen: row.firstSeen?.toISOString() ?? null,
    lastSeen: row.lastSeen?.toISOString() ?? null,
    models: sorted(row.models),
    tools: sorted(row.tools),
    retiredAt,
    activeAfterRetirement: retiredAt !== null && row.lastSeen !== null && row.lastSeen.toISOString() > retiredAt,
  };
}

export type AgentFilter = NonNullable<ArgsOf<typeof agentsQuery>['filter']>;

/** Every condition of the filter holds (an absent one always does). */
export function matchesFilter(agent: AgentView, filter: AgentFilter | null | undefined): boolean {
  if (!filter) return true;
  return (
    (filter.status == null || agent.status === filter.status) &&
    (filter.platform == null || agent.platform === filter.platform) &&
    (filter.team == null || agent.team === filter.team) &&
    (filter.lifecycle == null || agent.lifecycle === filter.lifecycle) &&
    (filter.registered == null || agent.registered === filter.registered)
  );
}

/** Most recently active first, never-seen agents last, then by id. */
export function byRecentActivity(a: AgentView, b: AgentView): number {
  if (a.lastSeen !== b.lastSeen) {
    if (a.lastSeen === null) return 1;
    if (b.lastSeen === null) return -1;
    return a.lastSeen < b.lastSeen ? 1 : -1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
