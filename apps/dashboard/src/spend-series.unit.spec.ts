import { bucketStarts, spendSeries } from './spend-series';

const DAY = { from: '2026-10-05T00:00:00.000Z', to: '2026-10-06T00:00:00.000Z' };

describe('spend over time as chart series', () => {
  it('draws every bucket of the window, stacked per group, each figure as the API gave it', () => {
    const points = [
      { bucketStart: '2026-10-05T10:00:00Z', key: 'support', totalCost: '0.00882' },
      { bucketStart: '2026-10-05T10:00:00.000Z', key: 'legal', totalCost: '0.025' },
      { bucketStart: '2026-10-05T12:00:00Z', key: 'support', totalCost: '1.10' },
    ];
    const { categories, series } = spendSeries(points, 'UTC', DAY, 'HOUR');
    expect(categories).toHaveLength(24);
    expect(categories[10]).toBe('05 Oct 2026, 10:00');
    expect(series.map((one) => one.name)).toEqual(['legal', 'support']);
    expect(series[1]!.values.slice(9, 13)).toEqual([null, '0.00882', null, '1.10']);
    expect(series[0]!.values[10]).toBe('0.025');
  });

  it('draws only the buckets with spend when the window holds too many', () => {
    expect(bucketStarts({ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'HOUR')).toBeUndefined();
    expect(bucketStarts({ from: '2026-10-05T10:30:00Z', to: '2026-10-07T00:00:00Z' }, 'DAY')).toEqual(['2026-10-05T00:00:00.000Z', '2026-10-06T00:00:00.000Z']);
  });
});
