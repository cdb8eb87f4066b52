import { bucketOf, formatInstant, previousWindow, windowOf, zoneOf } from './time-window';

const NOW = Date.parse('2026-10-05T10:20:00Z');

describe('the window a URL names', () => {
  it('takes from and to when both are instants in order, else the preset ending at the next full hour', () => {
    expect(windowOf(new URLSearchParams('from=2026-10-05T00:00:00Z&to=2026-10-06T00:00:00Z'), NOW)).toEqual({ from: '2026-10-05T00:00:00.000Z', to: '2026-10-06T00:00:00.000Z', range: 'custom' });
    expect(windowOf(new URLSearchParams('range=24h'), NOW)).toEqual({ from: '2026-10-04T11:00:00.000Z', to: '2026-10-05T11:00:00.000Z', range: '24h' });
    expect(windowOf(new URLSearchParams('from=2026-10-06T00:00:00Z&to=2026-10-05T00:00:00Z&range=nonsense'), NOW)).toEqual({ from: '2026-09-28T11:00:00.000Z', to: '2026-10-05T11:00:00.000Z', range: '7d' });
  });

  it('compares with the window of the same length just before', () => {
    expect(previousWindow({ from: '2026-10-05T00:00:00.000Z', to: '2026-10-06T00:00:00.000Z' })).toEqual({ from: '2026-10-04T00:00:00.000Z', to: '2026-10-05T00:00:00.000Z' });
  });

  it('buckets by hour up to three days, by day beyond, unless the URL says', () => {
    const threeDays = { from: '2026-10-02T00:00:00Z', to: '2026-10-05T00:00:00Z' };
    expect(bucketOf(new URLSearchParams(), threeDays)).toBe('HOUR');
    expect(bucketOf(new URLSearchParams(), { ...threeDays, to: '2026-10-05T01:00:00Z' })).toBe('DAY');
    expect(bucketOf(new URLSearchParams('bucket=DAY'), threeDays)).toBe('DAY');
  });

  it('shows times in an IANA zone, UTC when the URL names none or a wrong one', () => {
    expect(zoneOf(new URLSearchParams('tz=Asia/Kolkata'))).toBe('Asia/Kolkata');
    expect(zoneOf(new URLSearchParams('tz=Mars/Olympus'))).toBe('UTC');
    expect(formatInstant('2026-10-05T10:00:00Z', 'Asia/Kolkata')).toBe('05 Oct 2026, 15:30');
    expect(formatInstant(null, 'UTC')).toBe('—');
  });
});
