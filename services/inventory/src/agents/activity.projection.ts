import {
  AgentLifecycle,
  AgentPlatform,
  factCodec,
  factKey,
  fromTimestamp,
  type AgentRegistered,
  type AgentRegistrationFields,
  type CanonicalFact,
  type CommonData,
} from '@agentledger/contracts';
import { CONSUMERS, PermanentError, type Namespace } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import { discoveryAlert, recordAlerts, recordLifecycleEvents, type LifecycleEvent } from '../lifecycle/lifecycle-events.js';
import { mergeRecords, recordRegistration, type Lifecycle, type Platform, type RegistrationRecord } from './agent.js';
import { agentKey, lockRows, readRecords, registrationLifecycle, sortedAgents, type AgentKey, type AppliedRegistration } from './registrations.js';

export const ACTIVITY_PROJECTION = 'inventory-activity';

const PLATFORM: Record<AgentPlatform, Platform | undefined> = {
  [AgentPlatform.UNSPECIFIED]: undefined,
  [AgentPlatform.INTERNAL]: 'internal',
  [AgentPlatform.SAAS]: 'saas',
};
const LIFECYCLE: Record<AgentLifecycle, Lifecycle | undefined> = {
  [AgentLifecycle.UNSPECIFIED]: undefined,
  [AgentLifecycle.EXPERIMENT]: 'experiment',
  [AgentLifecycle.STAGING]: 'staging',
  [AgentLifecycle.PRODUCTION]: 'production',
  [AgentLifecycle.RETIRED]: 'retired',
};

/** The fields an `agent.registered` event gives (proto3: an empty string or an unspecified enum is "not given"). */
export function factRegistrationFields(registered: AgentRegistered, common: CommonData | undefined): AgentRegistrationFields {
  const fields: AgentRegistrationFields = {};
  const text = (value: string | undefined) => value?.trim() || undefined;
  const set = <F extends keyof AgentRegistrationFields>(field: F, value: AgentRegistrationFields[F] | undefined) => {
    if (value !== undefined) fields[field] = value;
  };
  set('name', text(registered.name));
  set('team', text(registered.team) ?? text(common?.team));
  set('owner', text(registered.owner));
  set('platform', PLATFORM[registered.platform]);
  set('vendor', text(registered.vendor));
  const workflows = [...new Set(registered.workflows.map((workflow) => workflow.trim()).filter((workflow) => workflow !== ''))].sort();
  set('workflows', workflows.length > 0 ? workflows : undefined);
  set('description', text(registered.description));
  set('lifecycle', LIFECYCLE[registered.lifecycle]);
  return fields;
}

/** What a batch says about one agent. */
interface BatchActivity {
  readonly agent: AgentKey;
  firstSeen: Date | null;
  lastSeen: Date | null;
  events: number;
  team: { value: string; at: Date } | null;
  saasVendor: { value: string; at: Date } | null;
  readonly models: Set<string>;
  readonly tools: Set<string>;
  readonly workflows: Set<string>;
  readonly registrations: AppliedRegistration[];
}

/** The later of two stamped values by event time, the greater value breaking a tie (so any order gives the same). */
const later = (current: { value: string; at: Date } | null, value: string, at: Date) =>
  current === null || at > current.at || (at.getTime() === current.at.getTime() && value > current.value) ? { value, at } : current;

function activityOf(facts: readonly { key: string; fact: CanonicalFact }[]): Map<string, BatchActivity> {
  const batch = new Map<string, BatchActivity>();
  for (const { key, fact } of facts) {
    const agentId = fact.common?.agentId ?? '';
    if (!agentId) continue;
    const id = agentKey(fact.tenant, agentId);
    let agent = batch.get(id);
    if (!agent) {
      agent = { agent: { tenant: fact.tenant, agentId }, firstSeen: null, lastSeen: null, events: 0, team: null, saasVendor: null, models: new Set(), tools: new Set(), workflows: new Set(), registrations: [] };
      batch.set(id, agent);
    }
    const time = fromTimestamp(fact.time);
    const workflow = fact.common?.workflow?.trim();
    if (workflow) agent.workflows.add(workflow);
    const { payload } = fact;
    if (payload.case === 'agentRegistered') {
      agent.registrations.push({ tenant: fact.tenant, agentId, fields: factRegistrationFields(payload.value, fact.common), at: time, key, origin: 'event', actor: null });
      continue;
    }
    // Activity: usage, runs, outcomes, evaluations — every type but a registration.
    if (agent.firstSeen === null || time < agent.firstSeen) agent.firstSeen = time;
    if (agent.lastSeen === null || time > agent.lastSeen) agent.lastSeen = time;
    agent.events += 1;
    const team = fact.common?.team?.trim();
    if (team) agent.team = later(agent.team, team, time);
    if (payload.case === 'llmCall' && payload.value.model) agent.models.add(payload.value.model);
    if (payload.case === 'toolCall' && payload.value.tool) agent.tools.add(payload.value.tool);
    if (payload.case === 'saasUsage' && payload.value.vendor) agent.saasVendor = later(agent.saasVendor, payload.value.vendor, time);
  }
  return batch;
}

/**
 * Facts → each agent's activity (first and last seen by event time, from every type but
 * registrations; the team of its latest event; the vendor of its latest `saas.usage`; models,
 * tools and workflows used) and the registrations of `agent.registered` events, field by field
 * by event time. One read-merge-write per batch. A reactor: an agent's first activity while no
 * registration of either origin is known raises AGENT_DISCOVERED and `agent.discovered`; each
 * registration is an `agent.registered` (and, when it retires the agent, `agent.retired`).
 */
export async function applyFacts(tx: Tx, ns: Namespace, facts: readonly { key: string; fact: CanonicalFact }[]): Promise<void> {
  const batch = activityOf(facts);
  if (batch.size === 0) return;
  const agents = sortedAgents([...batch.values()].map((activity) => activity.agent));
  const locked = await lockRows(tx, 'agent_activity', agents);
  const commanded = await readRecords(tx, 'agent_registration', agents);
  const rows = agents.map((agent) => {
    const key = agentKey(agent.tenant, agent.agentId);
    const activity = batch.get(key)!;
    const record = activity.registrations.reduce<RegistrationRecord>((merged, registration) => recordRegistration(merged, registration), locked.get(key)?.record ?? {});
    return { key, activity, record };
  });
  await tx.$executeRawUnsafe(
    `UPDATE agent_activity t SET
       first_seen = LEAST(t.first_seen, b.first_seen),
       last_seen = GREATEST(t.last_seen, b.last_seen),
       activity_events = t.activity_events + b.events,
       team = CASE WHEN b.team_at IS NOT NULL AND (t.team_at IS NULL OR b.team_at > t.team_at OR (b.team_at = t.team_at AND b.team > t.team)) THEN b.team ELSE t.team END,
       team_at = CASE WHEN b.team_at IS NOT NULL AND (t.team_at IS NULL OR b.team_at > t.team_at OR (b.team_at = t.team_at AND b.team > t.team)) THEN b.team_at ELSE t.team_at END,
       saas_vendor = CASE WHEN b.saas_vendor_at IS NOT NULL AND (t.saas_vendor_at IS NULL OR b.saas_vendor_at > t.saas_vendor_at OR (b.saas_vendor_at = t.saas_vendor_at AND b.saas_vendor > t.saas_vendor)) THEN b.saas_vendor ELSE t.saas_vendor END,
       saas_vendor_at = CASE WHEN b.saas_vendor_at IS NOT NULL AND (t.saas_vendor_at IS NULL OR b.saas_vendor_at > t.saas_vendor_at OR (b.saas_vendor_at = t.saas_vendor_at AND b.saas_vendor > t.saas_vendor)) THEN b.saas_vendor_at ELSE t.saas_vendor_at END,
       models = ARRAY(SELECT unnest(t.models) UNION SELECT jsonb_array_elements_text(b.models)),
       tools = ARRAY(SELECT unnest(t.tools) UNION SELECT jsonb_array_elements_text(b.tools)),
       workflows = ARRAY(SELECT unnest(t.workflows) UNION SELECT jsonb_array_elements_text(b.workflows)),
       registration = b.registration,
       registrations = t.registrations + b.registrations
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::text[], $7::timestamptz[], $8::text[], $9::timestamptz[],
                 $10::jsonb[], $11::jsonb[], $12::jsonb[], $13::jsonb[], $14::bigint[])
       AS b(tenant, agent_id, first_seen, last_seen, events, team, team_at, saas_vendor, saas_vendor_at, models, tools, workflows, registration, registrations)
     WHERE t.tenant = b.tenant AND t.agent_id = b.agent_id`,
    rows.map(({ activity }) => activity.agent.tenant),
    rows.map(({ activity }) => activity.agent.agentId),
    rows.map(({ activity }) => activity.firstSeen),
    rows.map(({ activity }) => activity.lastSeen),
    rows.map(({ activity }) => activity.events),
    rows.map(({ activity }) => activity.team?.value ?? null),
    rows.map(({ activity }) => activity.team?.at ?? null),
    rows.map(({ activity }) => activity.saasVendor?.value ?? null),
    rows.map(({ activity }) => activity.saasVendor?.at ?? null),
    rows.map(({ activity }) => JSON.stringify([...activity.models])),
    rows.map(({ activity }) => JSON.stringify([...activity.tools])),
    rows.map(({ activity }) => JSON.stringify([...activity.workflows])),
    rows.map(({ record }) => JSON.stringify(record)),
    rows.map(({ activity }) => activity.registrations.length),
  );

  const lifecycle: LifecycleEvent[] = [];
  const alerts = [];
  for (const { key, activity, record } of rows) {
    const before = locked.get(key);
    const registered = (before?.registrations ?? 0) + activity.registrations.length + (commanded.get(key)?.registrations ?? 0) > 0;
    if (before?.firstSeen === null && activity.firstSeen !== null && !registered) {
      const { tenant, agentId } = activity.agent;
      const team = activity.team?.value ?? null;
      alerts.push({ tenant, alert: discoveryAlert(agentId, team, activity.firstSeen) });
      lifecycle.push({ kind: 'discovered', tenant, id: `discovered:${agentId}`, at: activity.firstSeen, data: { agentId, team, firstSeen: activity.firstSeen.toISOString() } });
    }
    const effective = mergeRecords(record, commanded.get(key)?.record ?? {});
    for (const registration of activity.registrations) lifecycle.push(...registrationLifecycle(registration, effective));
  }
  await recordAlerts(tx, ns, alerts);
  await recordLifecycleEvents(tx, ns, lifecycle);
}

/** Every canonical fact → the agent inventory's activity side (see `applyFacts`). */
export function activityProjection(deps: { readonly ns: Namespace }): ProjectionDefinition<{ key: string; fact: CanonicalFact }, Tx> {
  return {
    name: ACTIVITY_PROJECTION,
    consumer: CONSUMERS.inventoryActivity,
    // Keyed by event identity only: another stream is reported, then followed.
    streamIndependent: true,
    tables: ['agent_activity'],
    emits: true,
    decode(msg) {
      try {
        const fact = factCodec.decode(msg.data);
        const key = `${fact.tenant}|${factKey(fact.source, fact.eventId)}`;
        return { key, event: { key, fact } };
      } catch (error) {
        throw new PermanentError(`undecodable fact: ${(error as Error).message}`, 'undecodable');
      }
    },
    apply: (tx, facts) => applyFacts(tx, deps.ns, facts),
  };
}
