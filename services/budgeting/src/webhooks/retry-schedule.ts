/** How a failing delivery is retried: exponential backoff with jitter, for a bounded time. */
export interface RetryPolicy {
  /** The delay after the first failed attempt (doubling after each next one). */
  readonly firstRetryMs: number;
  /** No delay grows beyond this. */
  readonly maxRetryMs: number;
  /** From the row's creation: no attempt is scheduled past it; the first failure after it is final. */
  readonly retryForMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstRetryMs: 1_000, maxRetryMs: 5 * 60_000, retryForMs: 24 * 60 * 60_000 };

export type NextStep = { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'give-up' };

/**
 * What follows the `attempts`-th failed attempt (1 = the first): a retry after
 * `firstRetryMs × 2^(attempts−1)` capped at `maxRetryMs`, "equal jitter" (between half the delay
 * and the delay, `random` in [0, 1)) so that rows failing together do not retry together; at least
 * the receiver's `Retry-After` (capped too); never past the retry window, after which it gives up.
 */
export function nextStep(policy: RetryPolicy, attempts: number, createdAt: Date, now: Date, random: number, retryAfterMs?: number): NextStep {
  const deadline = createdAt.getTime() + policy.retryForMs;
  if (now.getTime() >= deadline) return { kind: 'give-up' };
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const backoff = Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** exponent);
  const jittered = backoff / 2 + (backoff / 2) * random;
  const delay = Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxRetryMs));
  return { kind: 'retry', at: new Date(Math.min(now.getTime() + Math.round(delay), deadline)) };
}
