import { Decimal, fromCount } from './decimal.js';

const ONE_MILLION = new Decimal(1_000_000);

/** tokens × (rate per 1M tokens) / 1M, exact. */
export function costOfTokens(tokens: number | bigint, ratePer1M: Decimal): Decimal {
  return fromCount(tokens).times(ratePer1M).dividedBy(ONE_MILLION);
}
