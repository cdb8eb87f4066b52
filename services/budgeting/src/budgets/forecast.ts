/**
 * A budget's forecast for its current period: a linear run-rate over the part of the period
 * that has elapsed.
 *
 * - `forecast` = spent / elapsed × length: the spend at `periodEnd` if it goes on at the pace so
 *   far, rounded half-even to 18 decimals. When there is nothing to project from (no time
 *   elapsed yet, no spend, or a spend of zero or less after corrections) or nothing left to
 *   project (`now` at or past `periodEnd`), `forecast` = `spent`, unchanged. It never looks past
 *   `periodEnd`.
 * - `projectedBreachAt` = the instant the run-rate reaches `limit`: periodStart + limit / spent ×
 *   elapsed, rounded up to the millisecond (the first millisecond at which it has been reached).
 *   It is null when that is not within the period (`[periodStart, periodEnd)`, so a breach
 *   projected exactly at `periodEnd` is null) or when there is no run-rate. Once spent ≥ limit,
 *   it is the moment the limit was reached: `reachedAt` when known, else `now`.
 * - `now` outside the period counts as its nearest edge for the elapsed time.
 *
 * Limits: the pace is the period's average so far, so a burst early on is extrapolated over the
 * rest, and a period that has barely begun gives a wild forecast; nothing is learnt from earlier
 * periods, weekdays or hours. The division is exact before the one rounding (money stays
 * `Decimal`; only the period's length and elapsed time are milliseconds).
 */

import { Decimal } from '@agentledger/money';

export interface ForecastInput {
  spent: Decimal;
  limit: Decimal;
  periodStart: Date;
  periodEnd: Date;
  now: Date;
  /** When spend first reached `limit` in this period, if known. */
  reachedAt?: Date | null;
}

export interface Forecast {
  forecast: Decimal;
  projectedBreachAt: Date | null;
}

export const FORECAST_DECIMALS = 18;

const FORECAST_UNIT = new Decimal(10).pow(FORECAST_DECIMALS);

export function forecast(input: ForecastInput): Forecast {
  const { spent, limit, periodStart, periodEnd, now } = input;
  const length = periodEnd.getTime() - periodStart.getTime();
  if (!(length > 0)) throw new RangeError(`period end ${periodEnd.toISOString()} is not after its start`);
  const elapsed = Math.min(Math.max(now.getTime() - periodStart.getTime(), 0), length);
  const hasRunRate = elapsed > 0 && spent.gt(0);

  let projectedBreachAt: Date | null = null;
  if (spent.gte(limit)) projectedBreachAt = input.reachedAt ?? now;
  else if (hasRunRate) projectedBreachAt = breachWithin(limit.times(elapsed), spent, periodStart, length);

  if (!hasRunRate || elapsed === length) return { forecast: spent, projectedBreachAt };
  const scaled = roundHalfEven(spent.times(length).times(FORECAST_UNIT), elapsed);
  return { forecast: scaled.div(FORECAST_UNIT), projectedBreachAt };
}

/** periodStart + ⌈limit × elapsed / spent⌉ ms, or null when that is not before periodEnd. */
function breachWithin(limitTimesElapsed: Decimal, spent: Decimal, periodStart: Date, length: number): Date | null {
  const { quotient, remainder } = divide(limitTimesElapsed, spent);
  const afterStart = remainder.isZero() ? quotient : quotient.plus(1);
  return afterStart.lt(length) ? new Date(periodStart.getTime() + afterStart.toNumber()) : null;
}

/** numerator / divisor to the nearest integer, ties to even; both positive. */
function roundHalfEven(numerator: Decimal, divisor: number): Decimal {
  const { quotient, remainder } = divide(numerator, new Decimal(divisor));
  const twice = remainder.times(2);
  const up = twice.gt(divisor) || (twice.eq(divisor) && !quotient.mod(2).isZero());
  return up ? quotient.plus(1) : quotient;
}

/**
 * The whole quotient and the remainder, both exact: a rounded division (80 digits) could land
 * on a tie or an integer that the exact quotient is not, and round the wrong way after it.
 */
function divide(numerator: Decimal, divisor: Decimal): { quotient: Decimal; remainder: Decimal } {
  const quotient = numerator.divToInt(divisor);
  return { quotient, remainder: numerator.minus(quotient.times(divisor)) };
}
