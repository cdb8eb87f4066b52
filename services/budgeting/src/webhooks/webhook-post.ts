import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress, PrivateAddressError, publicOnlyLookup } from './webhook-address.js';

/** What one POST to a webhook came to. */
export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  /** `permanent`: retrying cannot help (not an http(s) URL, a private address). `retryAfterMs`: the receiver's `Retry-After`. */
  | { readonly ok: false; readonly error: string; readonly permanent: boolean; readonly retryAfterMs?: number };

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Reach loopback, private and link-local addresses too (default: public addresses only). */
  readonly allowPrivateNetworks?: boolean;
}

const ERROR_BODY_CHARS = 200;

/**
 * POSTs once: 2xx is delivered; anything else is an error saying why, in words fit for the
 * delivery row and the log (never the URL itself: a Slack webhook's path is its secret). Redirects
 * are not followed (a POST redirected may change method, scheme or host): a 3xx is a failure.
 * Unless private networks are allowed, the address connected to must be public — checked on the
 * resolved address itself, as the socket opens.
 */
export async function postWebhook(request: WebhookRequest): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, error: 'not a URL', permanent: true };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `unsupported scheme ${url.protocol} (http and https only)`, permanent: true };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!request.allowPrivateNetworks && isIP(host) !== 0 && !isPublicAddress(host)) return { ok: false, error: new PrivateAddressError(host).message, permanent: true };
  let response: IncomingMessage;
  try {
    response = await send(url, request);
  } catch (error) {
    if (error instanceof PrivateAddressError) return { ok: false, error: error.message, permanent: true };
    return { ok: false, error: sendFailure(error, request.timeoutMs), permanent: false };
  }
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    response.resume();
    return { ok: true, status };
  }
  if (status >= 300 && status < 400) {
    response.resume();
    return { ok: false, error: `HTTP ${status}: redirect not followed`, permanent: false };
  }
  const excerpt = await bodyExcerpt(response);
  const header = response.headers['retry-after'];
  const retryAfterMs = retryAfter(typeof header === 'string' ? header : null);
  return { ok: false, error: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, permanent: false, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** The POST, answered once its status line and headers are in; the whole exchange bounded by the timeout. */
function send(url: URL, request: WebhookRequest): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(request.body);
  return new Promise((resolve, reject) => {
    const outgoing = client.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'Content-Length': String(body.length) },
      signal: AbortSignal.timeout(request.timeoutMs),
      ...(request.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup as never }),
    });
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

function sendFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; code?: string; cause?: { name?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError' || failure.cause?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  // ECONNREFUSED, ENOTFOUND, ECONNRESET, a TLS error: the code says which.
  return failure.code ? `connection failed: ${failure.code}` : (failure.message ?? String(error));
}

/** The start of an error answer, one line: enough to tell a 503 page from a JSON error. */
async function bodyExcerpt(response: IncomingMessage): Promise<string> {
  let text = '';
  try {
    for await (const chunk of response) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length >= ERROR_BODY_CHARS * 4) break;
    }
  } catch {
    // An answer cut short still has its status.
  } finally {
    response.destroy();
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS);
}

/** `Retry-After` in seconds or as an HTTP date, in ms from now. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, when - Date.now());
}
