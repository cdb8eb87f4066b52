import DecimalModule from 'decimal.js';

// decimal.js types describe a CommonJS module; under NodeNext its default import is the class.
const DecimalJs = DecimalModule as unknown as typeof DecimalModule.Decimal;

/**
 * Exact decimal arithmetic for money. Precision is far above any cost we compute
 * (10^9 tokens × a rate with 10 decimals stays exact), so nothing is ever rounded
 * unless a caller asks for it.
 */
export const Decimal = DecimalJs.clone({
  precision: 80,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -80,
  toExpPos: 80,
});
export type Decimal = InstanceType<typeof Decimal>;

/** Plain decimal strings only: no exponent, no hex, no NaN/Infinity, no spaces. */
const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;
/** A generous bound: money on the wire never needs more digits than this. */
const MAX_DECIMAL_LENGTH = 64;

export class DecimalFormatError extends Error {
  constructor(readonly input: unknown) {
    super(`not a decimal string: ${JSON.stringify(input)} (expected e.g. "12.34")`);
    this.name = 'DecimalFormatError';
  }
}

export const ZERO: Decimal = new Decimal(0);

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_DECIMAL_LENGTH && DECIMAL_PATTERN.test(value);
}

/** Parses a decimal string as sent on the wire; throws `DecimalFormatError` on anything else. */
export function parseDecimal(value: unknown): Decimal {
  if (!isDecimalString(value)) throw new DecimalFormatError(value);
  return new Decimal(value);
}

/** An integer count (tokens, calls) as a decimal. Counts are integers, never money. */
export function fromCount(count: number | bigint): Decimal {
  if (typeof count === 'number' && !Number.isSafeInteger(count)) throw new DecimalFormatError(count);
  return new Decimal(count.toString());
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/** Plain notation, no exponent, trailing zeros trimmed ("0.0060" → "0.006", "750.0" → "750"). */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}

/** Fixed scale for display, rounding half-even ("12.3400"). */
export function formatDecimalFixed(value: Decimal, scale: number): string {
  return value.toFixed(scale, Decimal.ROUND_HALF_EVEN);
}

export function decimalEquals(a: string, b: string): boolean {
  return parseDecimal(a).equals(parseDecimal(b));
}

/** A NUMERIC as the database client returns it (Prisma's Decimal, or its text). */
export type StoredDecimal = { toFixed(): string } | string;

/** A stored NUMERIC as our exact decimal: read through its text, never through a JS number. */
export function fromStored(value: StoredDecimal): Decimal {
  return parseDecimal(typeof value === 'string' ? value : value.toFixed());
}

/** A stored NUMERIC as a wire decimal string ("0.150000000000000000" → "0.15"); null stays null. */
export function storedText(value: StoredDecimal): string;
export function storedText(value: StoredDecimal | null): string | null;
export function storedText(value: StoredDecimal | null): string | null {
  return value === null ? null : formatDecimal(fromStored(value));
}
