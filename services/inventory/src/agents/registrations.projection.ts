import type { JsMsg } from '@nats-io/jetstream';
import { CONSUMERS, PermanentError, type Namespace } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import { recordLifecycleEvents, type LifecycleEvent } from '../lifecycle/lifecycle-events.js';
import { mergeRecords, recordRegistration, type AgentEvent, type RegistrationRecord } from './agent.js';
import { agentEventFromWire } from './agent-wire.js';
import { agentKey, lockRows, readRecords, registrationLifecycle, sortedAgents, type AppliedRegistration } from './registrations.js';

export const REGISTRATIONS_PROJECTION = 'inventory-registrations';

/** An aggregate event with its id (its msgID): the key of the registration in the read model. */
export interface IdentifiedAgentEvent {
  readonly id: string;
  readonly event: AgentEvent;
}

export const registrationKeyOf = (id: string) => `agent:${id}`;

/**
 * `registerAgent`'s events into `agent_registration`, field by field by event time (the rule of
 * `recordRegistration`), one read-merge-write per batch; stages `agent.registered` (and
 * `agent.retired`) lifecycle events. The command handler runs it at once for its own event, under
 * the same key, so the consumer that meets the event later skips it.
 */
export async function applyAgentEvents(tx: Tx, ns: Namespace, events: readonly IdentifiedAgentEvent[]): Promise<void> {
  const agents = sortedAgents(events.map(({ event }) => event.data));
  const locked = await lockRows(tx, 'agent_registration', agents);
  const others = await readRecords(tx, 'agent_activity', agents);
  const merged = new Map<string, { record: RegistrationRecord; added: number }>();
  const applied: AppliedRegistration[] = [];
  for (const { id, event } of events) {
    const key = agentKey(event.data.tenant, event.data.agentId);
    const current = merged.get(key) ?? { record: locked.get(key)?.record ?? {}, added: 0 };
    const registration = { tenant: event.data.tenant, agentId: event.data.agentId, fields: event.data.fields, at: event.metadata.at, key: id, origin: 'command' as const, actor: event.metadata.by };
    merged.set(key, { record: recordRegistration(current.record, registration), added: current.added + 1 });
    applied.push(registration);
  }
  const rows = agents.map((agent) => ({ agent, ...merged.get(agentKey(agent.tenant, agent.agentId))! }));
  await tx.$executeRawUnsafe(
    `UPDATE agent_registration t SET registration = batch.registration, registrations = t.registrations + batch.added
       FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[]) AS batch(tenant, agent_id, registration, added)
     WHERE t.tenant = batch.tenant AND t.agent_id = batch.agent_id`,
    rows.map((row) => row.agent.tenant),
    rows.map((row) => row.agent.agentId),
    rows.map((row) => JSON.stringify(row.record)),
    rows.map((row) => row.added),
  );
  const lifecycle: LifecycleEvent[] = applied.flatMap((registration) => {
    const key = agentKey(registration.tenant, registration.agentId);
    return registrationLifecycle(registration, mergeRecords(others.get(key)?.record ?? {}, merged.get(key)!.record));
  });
  await recordLifecycleEvents(tx, ns, lifecycle);
}

/** FINOPS_AGENTS' agent subjects (`finops.agents.<tenant>.agent.<id>`) → the registrations read model. */
export function registrationsProjection(deps: { readonly ns: Namespace }): ProjectionDefinition<IdentifiedAgentEvent, Tx> {
  return {
    name: REGISTRATIONS_PROJECTION,
    consumer: CONSUMERS.inventoryRegistrations,
    tables: ['agent_registration'],
    emits: true,
    decode(msg: JsMsg) {
      const id = msg.headers?.get('Nats-Msg-Id') || `${msg.subject}:${msg.seq}`;
      try {
        return { key: registrationKeyOf(id), event: { id, event: agentEventFromWire(msg.data) } };
      } catch (error) {
        throw new PermanentError(`undecodable agent event: ${(error as Error).message}`, 'undecodable');
      }
    },
    apply: (tx, events) => applyAgentEvents(tx, deps.ns, events),
  };
}
