import { GraphQLError, parseValue } from 'graphql';
import { DecimalScalar } from './decimal.scalar.js';

const codeOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : 'not a GraphQLError';
  }
  return 'accepted';
};

describe('Decimal scalar', () => {
  it('passes decimal strings through exactly, both ways', () => {
    for (const text of ['0.0015', '12.3400', '-3', '0', '123456789012345678901234567890.000000000000000001']) {
      expect(DecimalScalar.parseValue(text)).toBe(text);
      expect(DecimalScalar.parseLiteral(parseValue(JSON.stringify(text)))).toBe(text);
      expect(DecimalScalar.serialize(text)).toBe(text);
    }
  });

  it('rejects anything else from a client as BAD_USER_INPUT', () => {
    for (const value of ['1e5', '1.', '.5', '+1', ' 1', 'NaN', '0x10', '', '1,5', 12.5, 3, null, true, {}]) {
      expect(codeOf(() => DecimalScalar.parseValue(value))).toBe('BAD_USER_INPUT');
    }
    for (const literal of ['12.5', '3', 'true', '"1e5"', '"abc"']) {
      expect(codeOf(() => DecimalScalar.parseLiteral(parseValue(literal)))).toBe('BAD_USER_INPUT');
    }
  });

  it('never serialises a number, which may already have lost digits', () => {
    expect(() => DecimalScalar.serialize(0.1 + 0.2)).toThrow('Decimal cannot serialise number');
    expect(() => DecimalScalar.serialize('1e-7')).toThrow('Decimal cannot serialise "1e-7"');
  });
});
