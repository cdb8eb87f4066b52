import type { AgentRegistrationFields } from '@agentledger/contracts';

export const PLATFORMS = ['internal', 'saas'] as const;
export const LIFECYCLES = ['experiment', 'staging', 'production', 'retired'] as const;
export type Platform = (typeof PLATFORMS)[number];
export type Lifecycle = (typeof LIFECYCLES)[number];

export type RegisteredField = keyof AgentRegistrationFields;
export const REGISTERED_FIELDS: readonly RegisteredField[] = ['name', 'team', 'owner', 'platform', 'vendor', 'workflows', 'description', 'lifecycle'];

/** A field's value with the registration that gave it: its event time (RFC 3339, UTC) and its key, which breaks ties. */
export interface Stamped<T> {
  readonly value: T;
  readonly at: string;
  readonly key: string;
}

/** What registrations said about an agent, field by field, each as the latest registration (by event time) that gave it. */
export type RegistrationRecord = { readonly [F in RegisteredField]?: Stamped<NonNullable<AgentRegistrationFields[F]>> };

/** One registration, whatever its origin (`registerAgent` or an `agent.registered` event). */
export interface Registration {
  readonly fields: AgentRegistrationFields;
  readonly at: Date;
  /** Its idempotency key (event id): a total order among registrations of the same instant. */
  readonly key: string;
}

const newer = (stamp: { at: string; key: string }, current: { at: string; key: string } | undefined) =>
  current === undefined || stamp.at > current.at || (stamp.at === current.at && stamp.key >= current.key);

/**
 * A registration overrides only the fields it gives, and only where it is newer by event time
 * than the registration that gave the field before: applied in any order, the same
 * registrations give the same record (a late older one overrides nothing).
 */
export function recordRegistration(record: RegistrationRecord, registration: Registration): RegistrationRecord {
  const stamp = { at: registration.at.toISOString(), key: registration.key };
  const next: Record<string, Stamped<unknown>> = { ...record };
  for (const field of REGISTERED_FIELDS) {
    const value = registration.fields[field];
    if (value !== undefined && newer(stamp, record[field])) next[field] = { value, ...stamp };
  }
  return next as RegistrationRecord;
}

/** Two records merged field by field, the newer stamp winning: the same as applying both records' registrations. */
export function mergeRecords(a: RegistrationRecord, b: RegistrationRecord): RegistrationRecord {
  const merged: Record<string, Stamped<unknown>> = { ...a };
  for (const field of REGISTERED_FIELDS) {
    const stamp = b[field];
    if (stamp !== undefined && newer(stamp, a[field])) merged[field] = stamp;
  }
  return merged as RegistrationRecord;
}

/** Registered by `registerAgent`: the aggregate's one event. */
export interface AgentRegisteredEvent {
  readonly type: 'AgentRegistered';
  readonly data: { readonly tenant: string; readonly agentId: string; readonly fields: AgentRegistrationFields };
  readonly metadata: { readonly by: string; readonly at: Date };
}

export type AgentEvent = AgentRegisteredEvent;

/** An agent as its aggregate knows it: the registrations made by command. */
export interface AgentState {
  readonly registrations: number;
  /** Event time of the latest registration; the next one is later. */
  readonly latestAt: Date | null;
  readonly record: RegistrationRecord;
}

export const initialAgentState: AgentState = { registrations: 0, latestAt: null, record: {} };

export function evolve(state: AgentState, event: AgentEvent): AgentState {
  switch (event.type) {
    case 'AgentRegistered': {
      const at = event.metadata.at;
      return {
        registrations: state.registrations + 1,
        latestAt: state.latestAt === null || at > state.latestAt ? at : state.latestAt,
        record: recordRegistration(state.record, { fields: event.data.fields, at, key: '' }),
      };
    }
    default: {
      const unexpected: never = event.type;
      throw new Error(`unknown agent event ${JSON.stringify(unexpected)}`);
    }
  }
}
