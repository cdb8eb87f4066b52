import { GraphQLScalarType } from 'graphql';

const INTEGER = /^-?(0|[1-9]\d*)$/;

/**
 * An integer of any size carried as a string ("3000000000"): token totals outgrow GraphQL's
 * 32-bit `Int` (and JSON numbers lose digits past 2^53). Output only.
 */
export const BigIntScalar = new GraphQLScalarType<string, string>({
  name: 'BigInt',
  description: 'An integer of any size written as a string, e.g. "3000000000" (GraphQL Int stops at 2147483647).',
  serialize(value) {
    if (typeof value !== 'string' || !INTEGER.test(value)) throw new Error(`BigInt cannot serialise ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`);
    return value;
  },
});
