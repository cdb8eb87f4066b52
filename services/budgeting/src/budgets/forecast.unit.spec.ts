import { formatDecimal, parseDecimal } from '@agentledger/money';
import { forecast } from './forecast.js';

// A 30-day MONTH (June 2026, UTC) and a 24-hour DAY.
const JUNE = { periodStart: new Date('2026-06-01T00:00:00Z'), periodEnd: new Date('2026-07-01T00:00:00Z') };
const DAY = { periodStart: new Date('2026-06-01T00:00:00Z'), periodEnd: new Date('2026-06-02T00:00:00Z') };

function project(period: typeof JUNE, spent: string, limit: string, now: string, reachedAt?: string) {
  const result = forecast({
    ...period,
    spent: parseDecimal(spent),
    limit: parseDecimal(limit),
    now: new Date(now),
    reachedAt: reachedAt === undefined ? undefined : new Date(reachedAt),
  });
  return { forecast: formatDecimal(result.forecast), projectedBreachAt: result.projectedBreachAt?.toISOString() ?? null };
}

describe('forecast: a linear run-rate over the elapsed part of the period', () => {
  it('half-way with half the limit spent: forecast = limit, and a breach at periodEnd is not within the period', () => {
    expect(project(JUNE, '50', '100', '2026-06-16T00:00:00Z')).toEqual({ forecast: '100', projectedBreachAt: null });
  });

  it('25% elapsed and 50% spent: forecast = 2 × limit, breach half-way', () => {
    expect(project(JUNE, '50', '100', '2026-06-08T12:00:00Z')).toEqual({ forecast: '200', projectedBreachAt: '2026-06-16T00:00:00.000Z' });
  });

  it('below the pace: no breach in the period', () => {
    expect(project(JUNE, '10', '100', '2026-06-16T00:00:00Z')).toEqual({ forecast: '20', projectedBreachAt: null });
  });

  it('keeps cents and beyond exact: 12.345678 after 10 of 24 hours', () => {
    expect(project(DAY, '12.345678', '100', '2026-06-01T10:00:00Z')).toEqual({ forecast: '29.6296272', projectedBreachAt: null });
  });

  it('rounds a repeating quotient half-even to 18 decimals (24/7 of the spend)', () => {
    expect(project(DAY, '10', '1000', '2026-06-01T07:00:00Z').forecast).toBe('34.285714285714285714'); // …714|2857
    expect(project(DAY, '20', '1000', '2026-06-01T07:00:00Z').forecast).toBe('68.571428571428571429'); // …428|5714
  });

  it('breaks an exact tie at the 19th decimal to the even neighbour', () => {
    expect(project(DAY, '0.00000000000000000025', '1', '2026-06-01T12:00:00Z').forecast).toBe('0'); // 0.0000000000000000005
    expect(project(DAY, '0.00000000000000000075', '1', '2026-06-01T12:00:00Z').forecast).toBe('0.000000000000000002'); // …15
    expect(project(DAY, '0.00000000000000000125', '1', '2026-06-01T12:00:00Z').forecast).toBe('0.000000000000000002'); // …25
  });

  it('rounds a projected breach up to the first millisecond at which the limit is reached', () => {
    // 30 spent in the first second, limit 100: 3333.3… ms after the start.
    expect(project(DAY, '30', '100', '2026-06-01T00:00:01Z')).toEqual({
      forecast: '2592000',
      projectedBreachAt: '2026-06-01T00:00:03.334Z',
    });
  });

  it('a breach one millisecond before periodEnd is within the period; at periodEnd it is not', () => {
    // 1000 spent in the first 1000 ms: the run-rate reaches limit L at L ms after the start.
    expect(project(DAY, '1000', '86399999', '2026-06-01T00:00:01Z').projectedBreachAt).toBe('2026-06-01T23:59:59.999Z');
    expect(project(DAY, '1000', '86400000', '2026-06-01T00:00:01Z').projectedBreachAt).toBeNull();
    // 86 399 999.5 ms rounds up to periodEnd itself.
    expect(project(DAY, '1000', '86399999.5', '2026-06-01T00:00:01Z').projectedBreachAt).toBeNull();
  });
});

describe('forecast once the limit is reached', () => {
  it('projectedBreachAt is the moment it was reached, when given', () => {
    expect(project(JUNE, '120', '100', '2026-06-16T00:00:00Z', '2026-06-12T08:30:00Z')).toEqual({
      forecast: '240',
      projectedBreachAt: '2026-06-12T08:30:00.000Z',
    });
  });

  it('projectedBreachAt is now, when that moment is not known', () => {
    expect(project(JUNE, '120', '100', '2026-06-16T00:00:00Z')).toEqual({ forecast: '240', projectedBreachAt: '2026-06-16T00:00:00.000Z' });
  });

  it('spent exactly at the limit counts as reached', () => {
    expect(project(JUNE, '100', '100', '2026-06-16T00:00:00Z')).toEqual({ forecast: '200', projectedBreachAt: '2026-06-16T00:00:00.000Z' });
  });
});

describe('forecast with nothing to project', () => {
  it('zero spend: forecast 0, no breach', () => {
    expect(project(JUNE, '0', '100', '2026-06-16T00:00:00Z')).toEqual({ forecast: '0', projectedBreachAt: null });
  });

  it('a negative spend (corrections above costs) is not extrapolated', () => {
    expect(project(JUNE, '-5.5', '100', '2026-06-16T00:00:00Z')).toEqual({ forecast: '-5.5', projectedBreachAt: null });
  });

  it('at periodStart exactly: forecast = spent, no run-rate yet', () => {
    expect(project(JUNE, '3.5', '100', '2026-06-01T00:00:00Z')).toEqual({ forecast: '3.5', projectedBreachAt: null });
  });

  it('at periodStart with the limit already reached: reached now', () => {
    expect(project(JUNE, '100', '100', '2026-06-01T00:00:00Z')).toEqual({ forecast: '100', projectedBreachAt: '2026-06-01T00:00:00.000Z' });
  });

  it('before periodStart counts as at it', () => {
    expect(project(JUNE, '3.5', '100', '2026-05-31T00:00:00Z')).toEqual({ forecast: '3.5', projectedBreachAt: null });
  });

  it('at or past periodEnd: forecast = spent, unrounded, and no breach left to project', () => {
    expect(project(JUNE, '99.1234567890123456789', '100', '2026-07-01T00:00:00Z')).toEqual({
      forecast: '99.1234567890123456789',
      projectedBreachAt: null,
    });
    expect(project(JUNE, '99', '100', '2026-07-05T00:00:00Z')).toEqual({ forecast: '99', projectedBreachAt: null });
  });

  it('a period that does not end after it starts is a programming error', () => {
    expect(() =>
      forecast({
        spent: parseDecimal('1'),
        limit: parseDecimal('2'),
        periodStart: JUNE.periodEnd,
        periodEnd: JUNE.periodEnd,
        now: JUNE.periodEnd,
      }),
    ).toThrow(RangeError);
  });
});
