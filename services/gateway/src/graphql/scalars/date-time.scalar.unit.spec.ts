import { GraphQLError, parseValue } from 'graphql';
import { DateTimeScalar, parseRfc3339 } from './date-time.scalar.js';

const codeOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : 'not a GraphQLError';
  }
  return 'accepted';
};

describe('DateTime scalar', () => {
  it('reads RFC 3339 date-times in any offset', () => {
    expect(DateTimeScalar.parseValue('2025-03-01T00:00:00Z')).toEqual(new Date(Date.UTC(2025, 2, 1)));
    expect(DateTimeScalar.parseValue('2025-03-01T05:30:00.250+05:30')).toEqual(new Date(Date.UTC(2025, 2, 1, 0, 0, 0, 250)));
    expect(DateTimeScalar.parseValue('2024-02-29t23:59:59z')).toEqual(new Date(Date.UTC(2024, 1, 29, 23, 59, 59)));
    expect(DateTimeScalar.parseLiteral(parseValue('"2025-01-01T00:00:00.123456789-01:00"'))).toEqual(new Date(Date.UTC(2025, 0, 1, 1, 0, 0, 123)));
  });

  it('rejects other forms and days that do not exist as BAD_USER_INPUT', () => {
    const bad = ['2025-03-01', '2025-03-01 00:00:00Z', '2025-03-01T00:00:00', '2025-02-29T00:00:00Z', '2025-04-31T00:00:00Z', '2025-13-01T00:00:00Z',
      '2025-01-01T24:00:00Z', '2025-01-01T00:60:00Z', '2025-01-01T00:00:60Z', '2025-01-01T00:00:00+24:00', '1740787200', 'yesterday', 1740787200000, null];
    for (const value of bad) expect(codeOf(() => DateTimeScalar.parseValue(value))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseLiteral(parseValue('1740787200')))).toBe('BAD_USER_INPUT');
  });

  it('writes Dates as ISO strings and passes services’ RFC 3339 strings through', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2025, 2, 1, 12)))).toBe('2025-03-01T12:00:00.000Z');
    expect(DateTimeScalar.serialize('2025-03-01T12:00:00+01:00')).toBe('2025-03-01T12:00:00+01:00');
    expect(() => DateTimeScalar.serialize('2025-03-01')).toThrow('DateTime cannot serialise "2025-03-01"');
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow('DateTime cannot serialise object');
  });

  it('knows leap years', () => {
    expect(parseRfc3339('2000-02-29T00:00:00Z')).toEqual(new Date(Date.UTC(2000, 1, 29)));
    expect(parseRfc3339('1900-02-29T00:00:00Z')).toBeUndefined();
  });
});
