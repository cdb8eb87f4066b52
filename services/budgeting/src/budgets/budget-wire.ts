import type { EventCodec } from '@agentledger/event-sourcing';
import { encodeSubjectToken, subjects, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import type { BudgetEvent, BudgetSettings } from './budget.js';

/** The aggregate's subject: one per (tenant, budget). */
export const budgetSubject = (ns: Namespace, tenant: string, budgetId: string) => subjects.budget(ns, tenant, encodeSubjectToken(budgetId));

/** JSON on the wire, announced by its content type (money as decimal strings, times RFC 3339). */
export const BUDGET_EVENT_CONTENT_TYPE = 'application/json; messageType=finops.v1.BudgetEvent';

interface WireBudgetEvent {
  readonly schemaVersion: 1;
  readonly type: BudgetEvent['type'];
  readonly tenant: string;
  readonly budgetId: string;
  readonly settings?: Omit<BudgetSettings, 'limit'> & { readonly limit: string };
  readonly by: string;
  readonly at: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function budgetEventToWire(event: BudgetEvent): Uint8Array {
  const wire: WireBudgetEvent = {
    schemaVersion: 1,
    type: event.type,
    tenant: event.data.tenant,
    budgetId: event.data.budgetId,
    ...(event.type === 'BudgetSet' ? { settings: { ...event.data.settings, limit: formatDecimal(event.data.settings.limit) } } : {}),
    by: event.metadata.by,
    at: event.metadata.at.toISOString(),
  };
  return encoder.encode(JSON.stringify(wire));
}

export function budgetEventFromWire(bytes: Uint8Array): BudgetEvent {
  const wire = JSON.parse(decoder.decode(bytes)) as WireBudgetEvent;
  const metadata = { by: wire.by, at: new Date(wire.at) };
  switch (wire.type) {
    case 'BudgetSet': {
      if (!wire.settings) throw new Error('BudgetSet without settings');
      return { type: 'BudgetSet', data: { tenant: wire.tenant, budgetId: wire.budgetId, settings: { ...wire.settings, limit: parseDecimal(wire.settings.limit) } }, metadata };
    }
    case 'BudgetDeleted':
      return { type: 'BudgetDeleted', data: { tenant: wire.tenant, budgetId: wire.budgetId }, metadata };
    default:
      throw new Error(`unknown budget event type ${JSON.stringify(wire.type)}`);
  }
}

export const budgetEventCodec: EventCodec<BudgetEvent> = {
  encode: (event) => ({ payload: budgetEventToWire(event), headers: { 'Content-Type': BUDGET_EVENT_CONTENT_TYPE } }),
  decode: (payload) => budgetEventFromWire(payload),
};
