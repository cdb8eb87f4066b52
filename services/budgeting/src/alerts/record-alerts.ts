import { alertCloudEvent, type AlertView } from '@agentledger/contracts';
import { subjects, type Namespace } from '@agentledger/jetstream';
import { stageMessages } from '@agentledger/projections';
import type { Tx } from '../db.js';

const encoder = new TextEncoder();

/**
 * Records alerts in the caller's transaction — the one whose spend or settings raised them — and
 * stages each in the outbox, published on `finops.alerts.<tenant>` after commit. An alert's id is
 * made of what it is about, so one already recorded is neither recorded nor published again:
 * the answer is the alerts raised now.
 */
export async function recordAlerts(tx: Tx, ns: Namespace, tenant: string, candidates: readonly AlertView[]): Promise<AlertView[]> {
  if (candidates.length === 0) return [];
  const inserted = await tx.$queryRawUnsafe<Array<{ alert_id: string }>>(
    `INSERT INTO budget_alert (tenant, alert_id, kind, budget_id, period_start, threshold, spent, "limit", agent_id, message, at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[], $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::timestamptz[])
     ON CONFLICT DO NOTHING RETURNING alert_id`,
    tenant,
    candidates.map((alert) => alert.id),
    candidates.map((alert) => alert.kind),
    candidates.map((alert) => alert.budgetId),
    candidates.map((alert) => alert.periodStart),
    candidates.map((alert) => alert.threshold),
    candidates.map((alert) => alert.spent),
    candidates.map((alert) => alert.limit),
    candidates.map((alert) => alert.agentId),
    candidates.map((alert) => alert.message),
    candidates.map((alert) => alert.at),
  );
  const raised = new Set(inserted.map((row) => row.alert_id));
  const alerts = candidates.filter((alert) => raised.has(alert.id));
  await stageMessages(
    tx,
    alerts.map((alert) => ({
      subject: subjects.alert(ns, tenant),
      msgId: `alert:${tenant}|${alert.id}`,
      payload: encoder.encode(JSON.stringify(alertCloudEvent(alert, 'budgeting'))),
      headers: { 'Content-Type': 'application/cloudevents+json' },
    })),
  );
  return alerts;
}
