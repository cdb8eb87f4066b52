import { Decimal, isDecimalString, parseDecimal } from '@agentledger/money';

/**
 * Why a wider clone: a wire decimal has up to 64 characters, so units × price can need ~128
 * significant digits. Money's 80 would round such a product, sometimes to a short number that
 * looks exact; here it never rounds, and a product too long for the wire is refused instead.
 */
const Wide = Decimal.clone({ precision: 160 });

/** Longest decimal string every consumer of a priced cost accepts (money's wire bound). */
const WIRE_LENGTH = 64;

/**
 * units × price per unit, exact. Undefined when units is not a non-negative decimal string, or
 * when the exact product does not fit on the wire (then the fact stays unpriced: never rounded).
 */
export function costOfUnits(units: string, pricePerUnit: Decimal): Decimal | undefined {
  if (!isDecimalString(units) || units.startsWith('-')) return undefined;
  const exact = new Wide(units).times(new Wide(pricePerUnit.toFixed())).toFixed();
  return exact.length <= WIRE_LENGTH ? parseDecimal(exact) : undefined;
}
