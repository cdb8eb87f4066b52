import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { badUserInput } from '../errors.js';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * An instant as an RFC 3339 string. Clients' values become `Date`s (services receive them as
 * ISO strings); services' strings are checked and passed through unchanged.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in RFC 3339 form, e.g. "2025-03-01T00:00:00Z".',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    if (typeof value === 'string' && parseRfc3339(value)) return value;
    throw new Error(`DateTime cannot serialise ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`);
  },
  parseValue: parseDateTimeInput,
  parseLiteral(node: ValueNode) {
    if (node.kind !== Kind.STRING) throw badUserInput(`DateTime must be an RFC 3339 string, got ${print(node)}`);
    return parseDateTimeInput(node.value);
  },
});

export function parseDateTimeInput(value: unknown): Date {
  if (typeof value !== 'string') throw badUserInput(`DateTime must be an RFC 3339 string, got a ${typeof value}`);
  const instant = parseRfc3339(value);
  if (!instant) throw badUserInput(`DateTime: ${JSON.stringify(value.slice(0, 80))} is not an RFC 3339 date-time such as "2025-03-01T00:00:00Z"`);
  return instant;
}

/** The instant, or undefined when the text is not RFC 3339 or names a day or time that does not exist. */
export function parseRfc3339(text: string): Date | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, , , offsetHour, offsetMinute] = match.map(Number);
  const lastOfMonth = new Date(0);
  lastOfMonth.setUTCFullYear(year!, month!, 0); // day 0 of the next month; years below 100 stay as written
  const daysInMonth = lastOfMonth.getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined; // no leap second: a Date cannot hold one
  if (offsetHour !== undefined && !Number.isNaN(offsetHour) && (offsetHour > 23 || offsetMinute! > 59)) return undefined;
  const instant = new Date(text.toUpperCase());
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
