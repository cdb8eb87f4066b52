import { costOfCall, type CallCost, type Rates, type Usage } from './cost-of-call.js';

/**
 * Rates with volume tiers. A tier applies to the **whole call** when the call's total input
 * tokens exceed its threshold (strictly greater), the way providers bill long-context calls
 * (e.g. Gemini 2.5 Pro and Claude Sonnet above 200k input tokens) and the way
 * `@pydantic/genai-prices` computes it: every token of the call at the tier's rates, not
 * only the tokens above the threshold.
 */
export interface PriceSchedule {
  readonly base: Rates;
  /** Sorted by threshold, each with the complete rates in force above it. */
  readonly tiers: readonly PriceTier[];
}

export interface PriceTier {
  readonly aboveInputTokens: bigint;
  readonly rates: Rates;
}

export const flatSchedule = (rates: Rates): PriceSchedule => ({ base: rates, tiers: [] });

/** The rates a call is billed at: the highest tier whose threshold its input tokens exceed, else the base. */
export function ratesFor(schedule: PriceSchedule, usage: Pick<Usage, 'inputTokens'>): Rates {
  let rates = schedule.base;
  for (const tier of schedule.tiers) if (usage.inputTokens > tier.aboveInputTokens) rates = tier.rates;
  return rates;
}

/** What a call costs on a schedule: its tier chosen by its input tokens, then the exact formula of CONTRACT part A. */
export function costOnSchedule(schedule: PriceSchedule, usage: Usage): CallCost {
  return costOfCall(usage, ratesFor(schedule, usage));
}
