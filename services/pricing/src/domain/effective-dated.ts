import { CommandRejected } from '@agentledger/event-sourcing';

/** An entry of an effective-dated price list: in force from `effectiveFrom` until `effectiveTo` (exclusive) or the next entry. */
export interface EffectiveDated {
  readonly effectiveFrom: Date;
  readonly effectiveTo?: Date;
}

/** The entries with `entry` added in order of start; one starting at the same instant is replaced. */
export function withEntry<Entry extends EffectiveDated>(entries: readonly Entry[], entry: Entry): Entry[] {
  const from = entry.effectiveFrom.getTime();
  return [...entries.filter((existing) => existing.effectiveFrom.getTime() !== from), entry].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
}

/** The entry starting at exactly `from`, if any (a new one there replaces it). */
export function entryStartingAt<Entry extends EffectiveDated>(entries: readonly Entry[], from: Date): Entry | undefined {
  return entries.find((entry) => entry.effectiveFrom.getTime() === from.getTime());
}

/**
 * Refuses an entry whose range the list would contradict: the later start wins, so an entry
 * starting strictly inside [from, to) takes over before `to`, and the end asked for would
 * never hold. An open-ended entry contradicts nothing (a later one simply takes over).
 */
export function assertRangeHolds(entries: readonly EffectiveDated[], entry: EffectiveDated, what: string): void {
  const to = entry.effectiveTo;
  if (!to) return;
  const takeover = entries.find((existing) => existing.effectiveFrom > entry.effectiveFrom && existing.effectiveFrom < to);
  if (takeover) {
    throw new CommandRejected(
      `effectiveTo: the ${what} from ${takeover.effectiveFrom.toISOString()} takes over before ${to.toISOString()}; end this one at or before ${takeover.effectiveFrom.toISOString()}`,
      'conflict',
    );
  }
}

export const sameInstant = (a: Date | undefined, b: Date | undefined): boolean => (a === undefined || b === undefined ? a === b : a.getTime() === b.getTime());
