import { Decimal, isDecimalString } from './decimal.js';

/**
 * What every read model can hold. Money and quantities are stored as `NUMERIC(38, 18)`
 * downstream: 18 decimal places, and below 10^20.
 */
export const STORED_SCALE = 18;
export const STORED_INTEGER_DIGITS = 20;

/**
 * The bound on one amount, the same everywhere it enters (ingestion's `reportedCost`, `cost`,
 * `value`, `units`, `quantity`; `setPrice` rates, unit prices, budget limits) and on every cost
 * pricing computes: below 10^15 (a quadrillion dollars, or units), at most 18 decimal places.
 *
 * Headroom: a stored total is below 10^20, so any 100,000 amounts at the bound still add up to
 * one that fits, and real ones are many orders of magnitude smaller. Totals computed at query
 * time are exact Postgres `numeric` and have no such limit.
 */
export const AMOUNT_MAX_INTEGER_DIGITS = 15;
const AMOUNT_LIMIT = new Decimal(10).pow(AMOUNT_MAX_INTEGER_DIGITS);

/** The bound in words, for a rejection's reason. */
export const AMOUNT_BOUND_TEXT = `below 10^${AMOUNT_MAX_INTEGER_DIGITS} with at most ${STORED_SCALE} decimal places`;

/** Why an amount (a Decimal or a decimal string) cannot be stored everywhere; undefined when it can. */
export function amountBoundViolation(value: Decimal | string): string | undefined {
  const amount = typeof value === 'string' ? (isDecimalString(value) ? new Decimal(value) : undefined) : value;
  if (!amount) return 'must be a decimal string, e.g. "0.0125"';
  if (amount.abs().gte(AMOUNT_LIMIT)) return `must be below 10^${AMOUNT_MAX_INTEGER_DIGITS} (every read model stores at most ${STORED_INTEGER_DIGITS} integer digits, totals included)`;
  if (amount.decimalPlaces() > STORED_SCALE) return `must have at most ${STORED_SCALE} decimal places`;
  return undefined;
}

export function isStorableAmount(value: Decimal | string): boolean {
  return amountBoundViolation(value) === undefined;
}

/**
 * Whether a computed cost fits: its magnitude only (a cost computed from a per-million rate may
 * carry more than 18 decimals; downstream rounds those half-even, as it always has).
 */
export function exceedsAmountBound(value: Decimal): boolean {
  return value.abs().gte(AMOUNT_LIMIT);
}
