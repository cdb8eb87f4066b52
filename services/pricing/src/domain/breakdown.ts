import type { CostBreakdown } from '@agentledger/contracts';
import { formatDecimal, parseDecimal, ZERO } from '@agentledger/money';

type BreakdownPart = Exclude<keyof CostBreakdown, '$typeName' | '$unknown'>;
const PARTS: readonly BreakdownPart[] = ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning', 'requestFee', 'other'];

export type Breakdown = Partial<Record<BreakdownPart, string>>;

/** A breakdown as `priced_usage` keeps it: JSON of its non-empty parts ("{}" when unpriced; null only on rows from before). */
export function breakdownText(breakdown: Breakdown | undefined): string {
  if (!breakdown) return '{}';
  const parts = PARTS.flatMap((part) => (breakdown[part] ? [[part, breakdown[part]]] : []));
  return JSON.stringify(Object.fromEntries(parts));
}

/** new − old, part by part (a missing part counts as 0), as a correction carries it; `previous` as breakdownText wrote it. */
export function breakdownDelta(previous: string, next: Breakdown | undefined): Breakdown {
  const old = JSON.parse(previous) as Breakdown;
  const delta = PARTS.flatMap((part) => {
    if (!old[part] && !next?.[part]) return [];
    const value = parseDecimal(next?.[part] || '0').minus(parseDecimal(old[part] || '0'));
    return value.equals(ZERO) ? [] : [[part, formatDecimal(value)]];
  });
  return Object.fromEntries(delta) as Breakdown;
}
