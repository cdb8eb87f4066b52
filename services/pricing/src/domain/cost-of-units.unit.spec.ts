import { formatDecimal, parseDecimal } from '@agentledger/money';
import { costOfUnits } from './cost-of-units.js';

const cost = (units: string, price: string) => {
  const result = costOfUnits(units, parseDecimal(price));
  return result && formatDecimal(result);
};

describe('costOfUnits (units × price per unit, exact)', () => {
  it.each([
    ['3', '0.005', '0.015'],
    ['0', '0.99', '0'],
    ['12.5', '0.08', '1'],
    ['1', '0.000000000000000000000000000001', '0.000000000000000000000000000001'],
    // 10^15 searches at a price with 18 decimals: no float, no rounding
    ['1000000000000000', '0.000000123456789012345678', '123456789.012345678'],
    ['999999999999999999.999999', '0.123456789012345678', '123456789012345677.999999876543210987654322'],
    ['0.1', '0.2', '0.02'],
  ])('%s units × %s = %s', (units, price, expected) => {
    expect(cost(units, price)).toBe(expected);
  });

  it('is exact with 40-digit units × 22-digit price', () => {
    const units = '1234567890123456789.0123456789012345678901';
    const price = '0.0000000000000000001234567890123456789';
    expect(cost(units, price)).toBe('0.15241578753238836750342935775034293577503139767765142508889');
  });

  it('leaves the fact unpriced rather than round when the exact cost does not fit on the wire', () => {
    expect(cost('0.' + '1'.repeat(60), '0.' + '1'.repeat(40))).toBeUndefined();
    // 80 significant digits would round this one to a short "1.000…0002": it must not be priced at that.
    expect(cost('1.' + '0'.repeat(50) + '1', '1.' + '0'.repeat(40) + '1')).toBeUndefined();
  });

  it.each(['', '-1', '1e3', 'ten', ' 1'])('leaves %j units unpriced', (units) => {
    expect(cost(units, '0.01')).toBeUndefined();
  });
});
