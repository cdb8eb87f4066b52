/**
 * Polls a `/readyz` endpoint until it answers 200. Gives up after `timeoutMs`, or as soon as
 * `cancelled()` says there is no point waiting (the process died, or we are shutting down).
 */
export async function waitUntilReady(
  url: string,
  { timeoutMs, intervalMs = 500, cancelled }: { timeoutMs: number; intervalMs?: number; cancelled: () => boolean },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !cancelled()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}
