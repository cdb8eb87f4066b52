import { createHmac } from 'node:crypto';
import type { AlertView } from '@agentledger/contracts';

/** What a webhook receives: the Alert of the GraphQL API and a Slack-compatible `text` (its message). */
export type WebhookPayload = AlertView & { readonly text: string };

export const webhookPayload = (alert: AlertView): WebhookPayload => ({ ...alert, text: alert.message });

/** The headers of one attempt: the alert id twice over, so any receiver can deduplicate. */
export function webhookHeaders(alertId: string, attempt: number, signature?: string): Record<string, string> {
  return {
    ...(signature ? { 'X-AgentLedger-Signature': signature } : {}),
    'Content-Type': 'application/json',
    'User-Agent': 'AgentLedger-Webhooks/1',
    'X-AgentLedger-Alert-Id': alertId,
    'Idempotency-Key': alertId,
    'X-AgentLedger-Attempt': String(attempt),
  };
}

/**
 * The Alert of an `alert.raised` CloudEvent (structured JSON mode), undefined for any other type;
 * throws on a body that is not one.
 */
export function alertOfCloudEvent(body: Uint8Array): AlertView | undefined {
  const event = JSON.parse(new TextDecoder().decode(body)) as { type?: unknown; data?: Partial<AlertView> };
  if (event?.type !== 'alert.raised') return undefined;
  const alert = event.data;
  if (typeof alert?.id !== 'string' || alert.id === '') throw new Error('alert.raised without data.id');
  if (typeof alert.message !== 'string') throw new Error(`alert ${alert.id} without a message`);
  if (typeof alert.kind !== 'string' || typeof alert.at !== 'string' || Number.isNaN(Date.parse(alert.at))) throw new Error(`alert ${alert.id} without a kind or a time`);
  return {
    id: alert.id,
    kind: alert.kind,
    budgetId: alert.budgetId ?? null,
    threshold: alert.threshold ?? null,
    agentId: alert.agentId ?? null,
    spent: alert.spent ?? null,
    limit: alert.limit ?? null,
    periodStart: alert.periodStart ?? null,
    message: alert.message,
    at: alert.at,
  };
}

/**
 * `X-AgentLedger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
 * deployment's webhook secret: a receiver recomputes it over the raw body to know the alert came
 * from us and is recent (reject a `t` older than a few minutes to refuse replays).
 */
export function webhookSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
