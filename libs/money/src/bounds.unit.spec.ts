import { amountBoundViolation, exceedsAmountBound, isStorableAmount } from './bounds.js';
import { Decimal } from './decimal.js';

describe('one bound on amounts, what every NUMERIC(38, 18) read model holds with headroom for totals', () => {
  it('takes amounts below 10^15 with up to 18 decimals', () => {
    expect(isStorableAmount('999999999999999.999999999999999999')).toBe(true);
    expect(isStorableAmount('0.000000000000000001')).toBe(true);
    expect(isStorableAmount('-12.5')).toBe(true);
    expect(isStorableAmount(new Decimal('0'))).toBe(true);
  });

  it('refuses 10^15 and beyond, and a 40-digit cost, naming the bound', () => {
    expect(amountBoundViolation('1000000000000000')).toBe('must be below 10^15 (every read model stores at most 20 integer digits, totals included)');
    expect(amountBoundViolation('1234567890123456789012345678901234567890')).toBe('must be below 10^15 (every read model stores at most 20 integer digits, totals included)');
    expect(amountBoundViolation('-1000000000000000.5')).toBe('must be below 10^15 (every read model stores at most 20 integer digits, totals included)');
  });

  it('refuses a 19th decimal place (it would be rounded away where it is stored)', () => {
    expect(amountBoundViolation('0.0000000000000000001')).toBe('must have at most 18 decimal places');
    expect(amountBoundViolation('not money')).toBe('must be a decimal string, e.g. "0.0125"');
  });

  it('a computed cost is bounded by magnitude only: a per-million rate may give more than 18 decimals', () => {
    expect(exceedsAmountBound(new Decimal('0.0000000000000000000003'))).toBe(false);
    expect(exceedsAmountBound(new Decimal('1e15'))).toBe(true);
    expect(exceedsAmountBound(new Decimal('999999999999999.9'))).toBe(false);
  });
});
