import type { JsMsg } from '@nats-io/jetstream';
import type { AlertView } from '@agentledger/contracts';
import { CONSUMERS, PermanentError, tenantFromSubject, type ConsumerLogger, type Namespace } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import { DEFAULT_RETRY_POLICY } from './retry-schedule.js';
import { alertOfCloudEvent, webhookPayload } from './webhook-payload.js';

export interface TenantAlert {
  readonly tenant: string;
  readonly alert: AlertView;
}

/** Longer URLs would not fit the row's key (a btree entry); no real webhook comes near it. */
export const MAX_WEBHOOK_URL_LENGTH = 2_000;

export interface WebhookDeliveriesDeps {
  readonly ns: Namespace;
  readonly clock: () => Date;
  readonly logger?: ConsumerLogger;
  /**
   * An alert met this long after it was raised is recorded as failed, not sent (default 24 h, the
   * retry window): what a replay of the 90 days of FINOPS_ALERTS meets, for a budget given a
   * webhook since, or what a consumer down longer than the window finds — old news, never a flood.
   */
  readonly staleAfterMs?: number;
}

/**
 * Alerts (FINOPS_ALERTS) → one `webhook_delivery` row per alert whose budget (not deleted) has a
 * webhook, due at once (or, stale, recorded as failed); the delivery worker takes it from there. Keyed by tenant and alert id, so a
 * redelivered or republished alert counts once; the row's key (tenant, alert, URL) and "no row for
 * this alert yet" make sure of it even after a rebuild (which keeps the rows): an alert goes to the
 * webhook its budget had when the alert was first met, never again to a webhook set later.
 */
export function webhookDeliveriesProjection(deps: WebhookDeliveriesDeps): ProjectionDefinition<TenantAlert, Tx> {
  return {
    name: 'budgeting-webhooks',
    consumer: CONSUMERS.budgetingWebhooks,
    // Keyed by event identity only: another stream is reported, then followed.
    streamIndependent: true,
    // A record of what was sent, not a read model: a rebuild replays the alerts into the same rows.
    tables: [],
    decode(msg: JsMsg) {
      const tenant = tenantFromSubject(deps.ns, msg.subject);
      if (!tenant) throw new PermanentError(`alert on ${msg.subject}: no tenant in the subject`, 'tenant');
      let alert: AlertView | undefined;
      try {
        alert = alertOfCloudEvent(msg.data);
      } catch (error) {
        throw new PermanentError(`undecodable alert: ${(error as Error).message}`, 'undecodable');
      }
      return alert && { key: `${tenant}|${alert.id}`, event: { tenant, alert } };
    },
    async apply(tx, events) {
      const now = deps.clock();
      const staleAfterMs = deps.staleAfterMs ?? DEFAULT_RETRY_POLICY.retryForMs;
      const isStale = (alert: AlertView) => now.getTime() - Date.parse(alert.at) > staleAfterMs;
      for (const [tenant, alerts] of byTenant(events)) {
        const webhooks = await webhooksOf(tx, tenant, alerts);
        const deliveries = alerts.flatMap((alert) => {
          const url = alert.budgetId ? webhooks.get(alert.budgetId) : undefined;
          if (!url) return [];
          if (url.length > MAX_WEBHOOK_URL_LENGTH) {
            deps.logger?.warn('webhook not delivered: URL too long', { tenant, alertId: alert.id, budgetId: alert.budgetId, length: url.length });
            return [];
          }
          return [{ alert, url }];
        });
        if (deliveries.length === 0) continue;
        await tx.$executeRawUnsafe(
          `INSERT INTO webhook_delivery (tenant, alert_id, url, payload, attempts, next_attempt_at, last_error, failed_at, created_at)
           SELECT $1, d.alert_id, d.url, d.payload, 0, CASE WHEN d.stale THEN NULL ELSE $6::timestamptz END,
             CASE WHEN d.stale THEN 'not sent: raised more than ' || $7 || ' before it reached the delivery queue' END,
             CASE WHEN d.stale THEN $6::timestamptz END, $6::timestamptz
           FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::boolean[]) AS d (alert_id, url, payload, stale)
           WHERE NOT EXISTS (SELECT 1 FROM webhook_delivery w WHERE w.tenant = $1 AND w.alert_id = d.alert_id)
           ON CONFLICT DO NOTHING`,
          tenant,
          deliveries.map(({ alert }) => alert.id),
          deliveries.map(({ url }) => url),
          deliveries.map(({ alert }) => JSON.stringify(webhookPayload(alert))),
          deliveries.map(({ alert }) => isStale(alert)),
          now.toISOString(),
          describeDuration(staleAfterMs),
        );
      }
    },
  };
}

const describeDuration = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`);

function byTenant(events: readonly TenantAlert[]): Map<string, AlertView[]> {
  const grouped = new Map<string, AlertView[]>();
  for (const { tenant, alert } of events) grouped.set(tenant, [...(grouped.get(tenant) ?? []), alert]);
  return grouped;
}

/** The webhook of each budget (not deleted) the alerts are about. */
async function webhooksOf(tx: Tx, tenant: string, alerts: readonly AlertView[]): Promise<Map<string, string>> {
  const budgetIds = [...new Set(alerts.flatMap((alert) => (alert.budgetId ? [alert.budgetId] : [])))];
  if (budgetIds.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<Array<{ budget_id: string; webhook_url: string }>>(
    `SELECT budget_id, webhook_url FROM budget WHERE tenant = $1 AND budget_id = ANY($2::text[]) AND NOT deleted AND webhook_url IS NOT NULL AND webhook_url <> ''`,
    tenant,
    budgetIds,
  );
  return new Map(rows.map((row) => [row.budget_id, row.webhook_url]));
}
