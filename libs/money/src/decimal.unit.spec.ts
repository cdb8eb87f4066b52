import { costOfTokens } from './per-million.js';
import { Decimal, formatDecimal, formatDecimalFixed, fromCount, isDecimalString, parseDecimal, sum } from './decimal.js';

describe('decimal money', () => {
  it('adds without binary floating point error', () => {
    expect(formatDecimal(parseDecimal('0.1').plus(parseDecimal('0.2')))).toBe('0.3');
  });

  it('keeps 10^9 tokens at a sub-cent rate exact', () => {
    expect(formatDecimal(costOfTokens(1_000_000_000, parseDecimal('0.075')))).toBe('75');
    expect(formatDecimal(costOfTokens(1, parseDecimal('3.00')))).toBe('0.000003');
    expect(formatDecimal(costOfTokens(4321, parseDecimal('0.15')))).toBe('0.00064815');
  });

  it('sums many small amounts exactly', () => {
    const amounts = Array.from({ length: 10_000 }, () => parseDecimal('0.000001'));
    expect(formatDecimal(sum(amounts))).toBe('0.01');
  });

  it.each(['1e5', '0x10', 'NaN', 'Infinity', ' 1', '1.', '.5', '--1', '01', '', '1'.repeat(65)])(
    'rejects %j as a decimal string',
    (input) => {
      expect(isDecimalString(input)).toBe(false);
      expect(() => parseDecimal(input)).toThrow('not a decimal string');
    },
  );

  it('rejects numbers: money never travels as a JS number', () => {
    expect(() => parseDecimal(0.1)).toThrow('not a decimal string');
  });

  it('accepts plain decimals, negatives included', () => {
    expect(formatDecimal(parseDecimal('-12.3400'))).toBe('-12.34');
    expect(formatDecimalFixed(parseDecimal('12.34'), 4)).toBe('12.3400');
  });

  it('counts must be safe integers', () => {
    expect(() => fromCount(1.5)).toThrow();
    expect(fromCount(2n ** 60n).toFixed()).toBe('1152921504606846976');
  });

  it('never writes an exponent', () => {
    expect(formatDecimal(new Decimal('1e-30'))).toBe('0.000000000000000000000000000001');
  });
});
