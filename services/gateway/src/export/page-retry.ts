import { GraphQLError } from 'graphql';

/** Codes that say the question itself is wrong: asking again cannot help. */
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * Asks for one page of an export that is already streaming, again after a short wait when the
 * service was busy, timed out or restarting (a query pool at its cap answers UNAVAILABLE) — the
 * client has half a file and no status code left to hear about a hiccup. Gives up after
 * `delaysMs.length` retries, or at once on an error asking again cannot fix.
 */
export async function pageWithRetries<T>(ask: () => Promise<T>, delaysMs: readonly number[] = [250, 1_000, 3_000], sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions?.code ?? '') : '';
      if (attempt >= delaysMs.length || FINAL_CODES.has(code)) throw error;
      await sleep(delaysMs[attempt]!);
    }
  }
}
