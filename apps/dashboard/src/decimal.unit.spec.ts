import { changeOf, compareDecimal, formatRatio, percentOf } from './decimal';

describe('the few figures the dashboard derives from money, exactly', () => {
  it('changes against the window before, with no float on the way', () => {
    expect(changeOf('0.3', '0.1')).toEqual({ delta: '0.2', percent: '200.0' });
    expect(changeOf('0.1', '0.3')).toEqual({ delta: '-0.2', percent: '-66.7' });
    expect(changeOf('12.3400', '0')).toEqual({ delta: '12.34', percent: null });
    expect(changeOf('100000000000000000000.000000000001', '100000000000000000000')).toEqual({ delta: '0.000000000001', percent: '0.0' });
  });

  it('fills a burn bar by spent over limit, over 100 when past it', () => {
    expect(percentOf('0.00063', '10')).toBe('0.0');
    expect(percentOf('7.5', '10')).toBe('75.0');
    expect(percentOf('0.35', '0.35')).toBe('100.0');
    expect(percentOf('12', '10')).toBe('120.0');
  });

  it('sorts money as decimals, not as text or floats', () => {
    expect(['10', '9.99', '0.1', '0.10000000000000000001'].sort(compareDecimal)).toEqual(['0.1', '0.10000000000000000001', '9.99', '10']);
    expect(compareDecimal(null, '0')).toBe(-1);
  });
});

describe('ratios rounded for reading', () => {
  it('writes rates and shares as percents, ROI as a multiple', () => {
    expect(formatRatio('0.166666666666666667', 'percent')).toBe('16.7%');
    expect(formatRatio('1', 'percent')).toBe('100.0%');
    expect(formatRatio('138888.888888888888888889', 'multiple')).toBe('138888.89×');
  });
});
