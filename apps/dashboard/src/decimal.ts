import Decimal from 'decimal.js';

// Money arrives as exact decimal strings and is shown as given. The few figures the dashboard
// derives (a change against the previous window, a bar's fill) are computed exactly here.

const D = Decimal.clone({ precision: 60 });

export function compareDecimal(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return new D(a).comparedTo(new D(b));
}

/** current − previous, exactly, and the change in percent to one decimal (null from zero). */
export function changeOf(current: string, previous: string): { readonly delta: string; readonly percent: string | null } {
  const delta = new D(current).minus(previous);
  const percent = new D(previous).isZero() ? null : delta.div(previous).times(100).toDecimalPlaces(1).toFixed(1);
  return { delta: delta.toFixed(), percent };
}

/** spent / limit in percent (one decimal, not capped), for a bar's label and width. */
export function percentOf(part: string, whole: string): string {
  const total = new D(whole);
  return total.isZero() ? '0.0' : new D(part).div(total).times(100).toDecimalPlaces(1).toFixed(1);
}

export const isNegative = (value: string): boolean => new D(value).isNegative() && !new D(value).isZero();

/**
 * A ratio the API gives exactly (a rate, a share, an ROI) rounded for reading: a rate or share
 * as a percent to one decimal, an ROI as a multiple to two. The exact value stays in the page.
 */
export function formatRatio(value: string, as: 'percent' | 'multiple'): string {
  return as === 'percent' ? `${new D(value).times(100).toDecimalPlaces(1).toFixed(1)}%` : `${new D(value).toDecimalPlaces(2).toFixed(2)}×`;
}
