import type { FieldMiddleware } from '@nestjs/graphql';
import { gatewayError } from '../graphql/errors.js';

/** The largest value of GraphQL's `Int` (32-bit signed). */
export const GRAPHQL_INT_MAX = 2_147_483_647;

/**
 * An `Int!` field of the contract whose value may outgrow 32 bits (token totals, counts of a long
 * window). Its type cannot change and it cannot be null, and answering 2147483647 would be a lie:
 * past the limit it fails with a typed error (`OUT_OF_RANGE`) naming the field, the value and the
 * field that holds it exactly, instead of graphql-js's bare serialisation error.
 */
export function int32Field(exactField?: string): FieldMiddleware {
  return async ({ info, source }, next) => {
    const value: unknown = await next();
    if (typeof value !== 'number' || (value <= GRAPHQL_INT_MAX && value >= -GRAPHQL_INT_MAX - 1)) return value;
    const field = info ? `${info.parentType.name}.${info.fieldName}` : 'field';
    const exact = exactField ? (source as Record<string, unknown> | undefined)?.[exactField] : undefined;
    throw gatewayError(
      'OUT_OF_RANGE',
      exactField
        ? `${field} is ${String(exact ?? value)}, more than GraphQL Int holds (${GRAPHQL_INT_MAX}): read ${exactField} (BigInt, an integer string) instead`
        : `${field} is ${value}, more than GraphQL Int holds (${GRAPHQL_INT_MAX}): ask for a shorter window`,
      { field, value: String(exact ?? value), ...(exactField ? { use: exactField } : {}) },
    );
  };
}

const TOTALS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

/**
 * The exact token totals (`inputTokensTotal`, …) as the service sent them, or from the plain
 * number when it did not (an attribution from before they existed; exact below 2^53).
 */
export function withTokenTotals<V extends object, R>(view: V): R {
  const fields = view as Partial<Record<(typeof TOTALS)[number], number>>;
  const totals = Object.fromEntries(
    TOTALS.flatMap((field) => {
      const number = fields[field];
      if (number === undefined) return [];
      const given = (view as Record<string, unknown>)[`${field}Total`];
      return [[`${field}Total`, typeof given === 'string' ? given : BigInt(Math.trunc(number)).toString()]];
    }),
  );
  return { ...view, ...totals } as R;
}
