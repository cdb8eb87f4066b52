import {
  AGENT_LIFECYCLE_TYPES,
  alertCloudEvent,
  type AgentDiscoveredData,
  type AgentRegisteredData,
  type AgentRetiredData,
  type AlertView,
} from '@agentledger/contracts';
import { subjects, type Namespace } from '@agentledger/jetstream';
import { stageMessages } from '@agentledger/projections';
import type { Tx } from '../db.js';

/** A lifecycle event to publish once: its id says what it is about, so a replay finds it recorded. */
export type LifecycleEvent =
  | { readonly kind: 'discovered'; readonly tenant: string; readonly id: string; readonly at: Date; readonly data: AgentDiscoveredData }
  | { readonly kind: 'registered'; readonly tenant: string; readonly id: string; readonly at: Date; readonly data: AgentRegisteredData }
  | { readonly kind: 'retired'; readonly tenant: string; readonly id: string; readonly at: Date; readonly data: AgentRetiredData };

const SOURCE = 'agentledger://inventory';
const encoder = new TextEncoder();

/**
 * Records lifecycle events in the ledger `agent_lifecycle_event` (kept by `rebuild`) in the
 * caller's transaction and stages the new ones in the outbox, published on
 * `finops.agents.<tenant>.lifecycle.<kind>` after commit: once each, whatever the redeliveries,
 * replays and rebuilds.
 */
export async function recordLifecycleEvents(tx: Tx, ns: Namespace, events: readonly LifecycleEvent[]): Promise<void> {
  if (events.length === 0) return;
  const inserted = await tx.$queryRawUnsafe<Array<{ tenant: string; event_id: string }>>(
    `INSERT INTO agent_lifecycle_event (tenant, event_id, agent_id, kind, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
     ON CONFLICT DO NOTHING RETURNING tenant, event_id`,
    events.map((event) => event.tenant),
    events.map((event) => event.id),
    events.map((event) => event.data.agentId),
    events.map((event) => event.kind),
    events.map((event) => event.at),
  );
  const fresh = new Set(inserted.map((row) => `${row.tenant}\u0000${row.event_id}`));
  await stageMessages(
    tx,
    events
      .filter((event) => fresh.delete(`${event.tenant}\u0000${event.id}`))
      .map((event) => ({
        subject: subjects.agentLifecycle(ns, event.tenant, event.kind),
        msgId: `agent-lifecycle:${event.tenant}|${event.id}`,
        payload: encoder.encode(
          JSON.stringify({ specversion: '1.0', id: event.id, source: SOURCE, type: AGENT_LIFECYCLE_TYPES[event.kind], time: event.at.toISOString(), datacontenttype: 'application/json', data: event.data }),
        ),
        headers: { 'Content-Type': 'application/cloudevents+json' },
      })),
  );
}

/** The AGENT_DISCOVERED alert of an agent first seen unregistered; its id is the agent's, so it is raised once. */
export function discoveryAlert(agentId: string, team: string | null, firstSeen: Date): AlertView {
  return {
    id: `agent-discovered:${agentId}`,
    kind: 'AGENT_DISCOVERED',
    budgetId: null,
    threshold: null,
    agentId,
    spent: null,
    limit: null,
    periodStart: null,
    message: `Unregistered agent "${agentId}"${team ? ` (team ${team})` : ''} started sending events at ${firstSeen.toISOString()}: register it with its owner and lifecycle, or stop it.`,
    at: firstSeen.toISOString(),
  };
}

/**
 * Records alerts in `agent_alert` (kept by `rebuild`) in the caller's transaction and stages
 * the new ones, published on `finops.alerts.<tenant>` after commit; one already recorded is
 * neither recorded nor published again.
 */
export async function recordAlerts(tx: Tx, ns: Namespace, alerts: ReadonlyArray<{ readonly tenant: string; readonly alert: AlertView }>): Promise<void> {
  if (alerts.length === 0) return;
  const inserted = await tx.$queryRawUnsafe<Array<{ tenant: string; alert_id: string }>>(
    `INSERT INTO agent_alert (tenant, alert_id, kind, agent_id, message, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT DO NOTHING RETURNING tenant, alert_id`,
    alerts.map(({ tenant }) => tenant),
    alerts.map(({ alert }) => alert.id),
    alerts.map(({ alert }) => alert.kind),
    alerts.map(({ alert }) => alert.agentId),
    alerts.map(({ alert }) => alert.message),
    alerts.map(({ alert }) => new Date(alert.at)),
  );
  const fresh = new Set(inserted.map((row) => `${row.tenant}\u0000${row.alert_id}`));
  await stageMessages(
    tx,
    alerts
      .filter(({ tenant, alert }) => fresh.delete(`${tenant}\u0000${alert.id}`))
      .map(({ tenant, alert }) => ({
        subject: subjects.alert(ns, tenant),
        msgId: `alert:${tenant}|${alert.id}`,
        payload: encoder.encode(JSON.stringify(alertCloudEvent(alert, 'inventory'))),
        headers: { 'Content-Type': 'application/cloudevents+json' },
      })),
  );
}
