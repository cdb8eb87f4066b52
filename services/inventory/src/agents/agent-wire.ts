import type { AgentRegistrationFields } from '@agentledger/contracts';
import type { EventCodec } from '@agentledger/event-sourcing';
import { encodeSubjectToken, subjects, type Namespace } from '@agentledger/jetstream';
import type { AgentEvent } from './agent.js';

/** The aggregate's subject: one per (tenant, agent), `finops.agents.<tenant>.agent.<agentId>`. */
export const agentSubject = (ns: Namespace, tenant: string, agentId: string) => subjects.agent(ns, tenant, encodeSubjectToken(agentId));

/** JSON on the wire, announced by its content type (times RFC 3339). */
export const AGENT_EVENT_CONTENT_TYPE = 'application/json; messageType=finops.v1.AgentEvent';

interface WireAgentEvent {
  readonly schemaVersion: 1;
  readonly type: AgentEvent['type'];
  readonly tenant: string;
  readonly agentId: string;
  readonly fields: AgentRegistrationFields;
  readonly by: string;
  readonly at: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function agentEventToWire(event: AgentEvent): Uint8Array {
  const wire: WireAgentEvent = {
    schemaVersion: 1,
    type: event.type,
    tenant: event.data.tenant,
    agentId: event.data.agentId,
    fields: event.data.fields,
    by: event.metadata.by,
    at: event.metadata.at.toISOString(),
  };
  return encoder.encode(JSON.stringify(wire));
}

export function agentEventFromWire(bytes: Uint8Array): AgentEvent {
  const wire = JSON.parse(decoder.decode(bytes)) as WireAgentEvent;
  if (wire.type !== 'AgentRegistered') throw new Error(`unknown agent event type ${JSON.stringify(wire.type)}`);
  if (typeof wire.tenant !== 'string' || typeof wire.agentId !== 'string' || typeof wire.fields !== 'object' || wire.fields === null) throw new Error('AgentRegistered without tenant, agentId or fields');
  const at = new Date(wire.at);
  if (Number.isNaN(at.getTime())) throw new Error(`AgentRegistered with a bad time ${JSON.stringify(wire.at)}`);
  return { type: 'AgentRegistered', data: { tenant: wire.tenant, agentId: wire.agentId, fields: wire.fields }, metadata: { by: wire.by, at } };
}

export const agentEventCodec: EventCodec<AgentEvent> = {
  encode: (event) => ({ payload: agentEventToWire(event), headers: { 'Content-Type': AGENT_EVENT_CONTENT_TYPE } }),
  decode: (payload) => agentEventFromWire(payload),
};
