import { isEventType, typeToken } from '@agentledger/contracts';
import { PermanentError, subjectWithin, type Namespace } from '@agentledger/jetstream';
import { Violation } from './field-checks.js';

export const TENANT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_BATCH_EVENTS = 1_000;

export interface RawAddress {
  readonly tenant: string;
  /** The subject's last token: an event type token ("llm_call") or "batch". */
  readonly route: string;
}

/** `finops.in.<tenant>.<type|batch>` → tenant and route; a bad subject is a permanent error. */
export function addressOf(ns: Namespace, subject: string): RawAddress {
  const local = subjectWithin(ns, subject);
  const tokens = local?.split('.') ?? [];
  if (tokens.length !== 4 || tokens[0] !== 'finops' || tokens[1] !== 'in') {
    throw new PermanentError(`subject: must be finops.in.<tenant>.<type|batch> (got ${subject})`, 'bad_subject');
  }
  const [, , tenant, route] = tokens as [string, string, string, string];
  if (!TENANT_TOKEN.test(tenant)) throw new PermanentError(`subject.tenant: must match [A-Za-z0-9_-]{1,64} (got ${JSON.stringify(tenant.slice(0, 80))})`, 'bad_tenant');
  return { tenant, route };
}

/** The events of one message: a structured CloudEvent, or a JSON array of them (batch mode). */
export function eventsOf(body: Uint8Array, route: string, contentType: string | undefined): unknown[] {
  if (body.length > MAX_BODY_BYTES) throw new PermanentError(`body: must be at most ${MAX_BODY_BYTES} bytes (got ${body.length})`, 'oversize');
  if (contentType && !/^application\/(cloudevents(-batch)?\+)?json\b/i.test(contentType)) {
    throw new PermanentError(`headers.Content-Type: must be application/cloudevents+json, application/cloudevents-batch+json or application/json (got ${contentType.slice(0, 80)})`, 'bad_content_type');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new PermanentError(`body: must be valid UTF-8 JSON (${quoted((error as Error).message)})`, 'bad_json');
  }
  if (route === 'batch') {
    if (!Array.isArray(parsed)) throw new PermanentError('body: must be a JSON array of CloudEvents on finops.in.<tenant>.batch', 'invalid');
    if (parsed.length > MAX_BATCH_EVENTS) throw new PermanentError(`body: a batch must hold at most ${MAX_BATCH_EVENTS} events (got ${parsed.length})`, 'oversize');
    if (parsed.length === 0) throw new PermanentError('body: a batch must hold at least one event', 'invalid');
    return parsed;
  }
  if (Array.isArray(parsed)) throw new PermanentError(`body: must be one CloudEvent object (a JSON array goes on finops.in.<tenant>.batch)`, 'invalid');
  return [parsed];
}

/** The subject's last token must agree with the envelope's type (it serves routing and permissions). */
export function checkRoute(route: string, type: string): void {
  if (route === 'batch') return;
  if (!isEventType(type) || typeToken(type) !== route) throw new Violation('type', `${JSON.stringify(type)} does not match the subject's last token "${route}"`);
}

/** Parser messages quote the input: keep them short and free of control characters. */
function quoted(message: string): string {
  return JSON.stringify(message.slice(0, 200)).slice(1, -1);
}
