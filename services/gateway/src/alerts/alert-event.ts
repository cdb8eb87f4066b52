import type { AlertView } from '@agentledger/contracts';
import { isDecimalString } from '@agentledger/money';
import { parseRfc3339 } from '../graphql/scalars/date-time.scalar.js';

export const ALERT_RAISED = 'alert.raised';

/** What a message on `finops.alerts.<tenant>` holds: an alert, another kind of event, or something broken (with why). */
export type AlertMessage = { readonly alert: AlertView } | { readonly otherType: string } | { readonly malformed: string };

type Check = (value: unknown) => boolean;
const text: Check = (value) => typeof value === 'string' && value !== '';
const anyString: Check = (value) => typeof value === 'string';
const instant: Check = (value) => typeof value === 'string' && parseRfc3339(value) !== undefined;
const decimal: Check = (value) => isDecimalString(value);
const integer: Check = (value) => Number.isInteger(value);
const orNull = (check: Check): Check => (value) => value === null || value === undefined || check(value);

// The Alert fields of CONTRACT part D; the nullable ones may also be left out.
const FIELDS = {
  id: text,
  kind: text,
  budgetId: orNull(text),
  threshold: orNull(integer),
  agentId: orNull(anyString),
  spent: orNull(decimal),
  limit: orNull(decimal),
  periodStart: orNull(instant),
  message: anyString,
  at: instant,
} satisfies Record<keyof AlertView, Check>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A CloudEvent in structured JSON mode as budgeting publishes it: `type` = `alert.raised`,
 * `data` = the alert. Values are passed on as written (money stays the string it was).
 */
export function parseAlertMessage(body: string): AlertMessage {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { malformed: 'not JSON' };
  }
  if (!isObject(event)) return { malformed: 'not a CloudEvent object' };
  if (typeof event.type !== 'string') return { malformed: 'type: must be a string' };
  if (event.type !== ALERT_RAISED) return { otherType: event.type };
  const data = event.data;
  if (!isObject(data)) return { malformed: 'data: must be an object' };
  const wrong = Object.entries(FIELDS).filter(([field, check]) => !check(data[field])).map(([field]) => field);
  if (wrong.length > 0) return { malformed: `data: ${wrong.join(', ')} missing or of the wrong type` };
  const field = <K extends keyof AlertView>(name: K) => (data[name] ?? null) as AlertView[K];
  return {
    alert: {
      id: field('id'),
      kind: field('kind'),
      budgetId: field('budgetId'),
      threshold: field('threshold'),
      agentId: field('agentId'),
      spent: field('spent'),
      limit: field('limit'),
      periodStart: field('periodStart'),
      message: field('message'),
      at: field('at'),
    },
  };
}
