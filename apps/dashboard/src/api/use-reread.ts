import { useEffect, useState } from 'react';

/** When a list is read again after a command some service applies after answering (a price, a registration). */
const REREAD_AFTER_MS = [0, 1_000, 3_000, 6_000];

/**
 * After a command whose effect a read model shows a moment later: `saved(what)` reads the list
 * again now and a few times over the next seconds, and `savedWhat` says what was saved.
 */
export function useRereadAfterSave(reread: () => void): { savedWhat?: string; saved: (what: string) => void } {
  const [save, setSave] = useState<{ what: string; at: number }>();
  useEffect(() => {
    if (save === undefined) return;
    const timers = REREAD_AFTER_MS.map((delay) => setTimeout(reread, delay));
    return () => timers.forEach(clearTimeout);
  }, [save, reread]);
  return { savedWhat: save?.what, saved: (what) => setSave({ what, at: Date.now() }) };
}
