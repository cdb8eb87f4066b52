import { Decimal, ZERO } from '@agentledger/money';

/**
 * When an agent's hour is "far above its own trailing baseline" (CONTRACT part D's SPEND_ANOMALY
 * and RETRY_STORM). The baseline is the agent's own hours before this one — up to a week, at
 * least a day of it, hours without activity counting as zero — summarised robustly so one past
 * spike cannot hide the next: its median and its median absolute deviation (MAD). The hour is
 * anomalous when it reaches the minimum that is worth a page and exceeds
 *
 *     median + k · max(1.4826 · MAD, floor · median)
 *
 * 1.4826 · MAD estimates the standard deviation of normal data; the floor keeps a perfectly steady
 * agent (MAD 0) from alerting on a cent more than usual.
 */
export interface BaselineRule {
  /** How many robust deviations above the median (default 5). */
  readonly k: Decimal;
  /** The smallest deviation used, as a fraction of the median (default 0.25). */
  readonly floor: Decimal;
  /** Hours of the agent's own history needed before it can be judged (default 24). */
  readonly minHistoryHours: number;
  /** Hours of history looked at (default 168, a week). */
  readonly windowHours: number;
  /** The hour's amount must reach this as well (a minimum spend, a minimum number of retries). */
  readonly minimum: Decimal;
}

export const MAD_TO_SIGMA = new Decimal('1.4826');

export function ruleWith(minimum: Decimal, overrides: Partial<Omit<BaselineRule, 'minimum'>> = {}): BaselineRule {
  return { k: new Decimal(5), floor: new Decimal('0.25'), minHistoryHours: 24, windowHours: 168, minimum, ...overrides };
}

/** The median of the values (the mean of the middle two for an even count); zero for none. */
export function median(values: readonly Decimal[]): Decimal {
  if (values.length === 0) return ZERO;
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : sorted[middle - 1]!.plus(sorted[middle]!).div(2);
}

export interface Judgement {
  readonly anomalous: boolean;
  readonly median: Decimal;
  /** What the hour had to exceed; null when the history is too short to judge. */
  readonly threshold: Decimal | null;
}

/** Judges an hour against the agent's history (one value per past hour, zero-filled, oldest first). */
export function judgeHour(current: Decimal, history: readonly Decimal[], rule: BaselineRule): Judgement {
  const window = history.slice(-rule.windowHours);
  const middle = median(window);
  if (window.length < rule.minHistoryHours) return { anomalous: false, median: middle, threshold: null };
  const mad = median(window.map((value) => value.minus(middle).abs()));
  const spread = Decimal.max(MAD_TO_SIGMA.times(mad), rule.floor.times(middle));
  const threshold = middle.plus(rule.k.times(spread));
  return { anomalous: current.gte(rule.minimum) && current.gt(threshold), median: middle, threshold };
}
