import { isDecimalString } from '@agentledger/money';
import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { badUserInput } from '../errors.js';

/**
 * An exact decimal carried as a string ("12.3400") from the services to the client and back.
 * It is never turned into a JS number, so no digit is ever lost or rounded.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number written as a string, e.g. "12.3400" (no exponent, no rounding).',
  serialize(value) {
    // A service answering a number instead of a string is a bug; refuse rather than round.
    if (!isDecimalString(value)) throw new Error(`Decimal cannot serialise ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`);
    return value;
  },
  parseValue: parseDecimalInput,
  parseLiteral(node: ValueNode) {
    if (node.kind !== Kind.STRING) throw badUserInput(`Decimal must be a string such as "12.34", got ${print(node)}`);
    return parseDecimalInput(node.value);
  },
});

/** A client's decimal: a string of digits with an optional sign and fraction. */
export function parseDecimalInput(value: unknown): string {
  if (typeof value !== 'string') throw badUserInput(`Decimal must be a string such as "12.34", got a ${typeof value}`);
  if (!isDecimalString(value as unknown)) throw badUserInput(`Decimal: ${JSON.stringify(value.slice(0, 80))} is not a decimal such as "12.34"`);
  return value;
}
