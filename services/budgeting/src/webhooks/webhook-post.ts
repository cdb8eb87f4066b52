/** What one POST to a webhook came to. */
export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  /** `permanent`: retrying cannot help (not an http(s) URL). `retryAfterMs`: the receiver's `Retry-After`. */
  | { readonly ok: false; readonly error: string; readonly permanent: boolean; readonly retryAfterMs?: number };

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

const ERROR_BODY_CHARS = 200;

/**
 * POSTs once: 2xx is delivered; anything else is an error saying why, in words fit for the
 * delivery row and the log (never the URL itself: a Slack webhook's path is its secret). Redirects
 * are not followed (a POST redirected may change method, scheme or host): a 3xx is a failure.
 */
export async function postWebhook(request: WebhookRequest): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, error: 'not a URL', permanent: true };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `unsupported scheme ${url.protocol} (http and https only)`, permanent: true };
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers, redirect: 'manual', signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    return { ok: false, error: fetchFailure(error, request.timeoutMs), permanent: false };
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, status: response.status };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, error: `HTTP ${response.status}: redirect not followed`, permanent: false };
  }
  const excerpt = await bodyExcerpt(response);
  const retryAfterMs = retryAfter(response.headers.get('retry-after'));
  return { ok: false, error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, permanent: false, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

function fetchFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  // undici: "fetch failed", the socket's reason in `cause` (ECONNREFUSED, ENOTFOUND, a TLS error).
  const cause = failure.cause?.code ?? failure.cause?.message;
  return cause ? `${failure.message ?? 'fetch failed'}: ${cause}` : (failure.message ?? String(error));
}

/** The start of an error answer, one line: enough to tell a 503 page from a JSON error. */
async function bodyExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  try {
    const { value } = await reader.read();
    return value ? new TextDecoder().decode(value).replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS) : '';
  } catch {
    return '';
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** `Retry-After` in seconds or as an HTTP date, in ms from now. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, when - Date.now());
}
