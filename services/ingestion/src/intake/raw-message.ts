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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }
const COMMA = 0x2c;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The exact bytes of each element of a JSON array (a batch that `eventsOf` already parsed), so a
 * rejected event is dead-lettered with its own bytes, not its whole batch's. Structural
 * characters are ASCII, so scanning UTF-8 bytes is safe.
 */
export function arrayElementBytes(body: Uint8Array): Uint8Array[] {
  const elements: Uint8Array[] = [];
  let index = body.indexOf(0x5b) + 1;
  let depth = 0;
  let inString = false;
  let start = -1;
  for (; index < body.length; index++) {
    const byte = body[index]!;
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (start < 0 && !WHITESPACE.has(byte) && !(depth === 0 && CLOSE.has(byte))) start = index;
    if (byte === QUOTE) inString = true;
    else if (OPEN.has(byte)) depth++;
    else if (CLOSE.has(byte) && depth > 0) depth--;
    else if (depth === 0 && (byte === COMMA || CLOSE.has(byte))) {
      if (start >= 0) elements.push(trimmed(body, start, index));
      start = -1;
      if (CLOSE.has(byte)) break;
    }
  }
  return elements;
}

function trimmed(body: Uint8Array, start: number, end: number): Uint8Array {
  let last = end;
  while (last > start && WHITESPACE.has(body[last - 1]!)) last--;
  return body.slice(start, last);
}
