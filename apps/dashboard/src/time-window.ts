// The window every page reads: a preset relative to now, or `from`/`to` given in the URL.
// Windows are [from, to) by event time, as the API's.

export interface TimeWindow {
  readonly from: string;
  readonly to: string;
}

export const RANGES = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '90d': 90 * 24 } as const;
export type RangeName = keyof typeof RANGES;
export const DEFAULT_RANGE: RangeName = '7d';

const HOUR_MS = 3_600_000;

const isInstant = (value: string | null): value is string => value !== null && !Number.isNaN(Date.parse(value));

/** The URL's window: explicit from/to when both are valid instants, else the preset ending at the next full hour. */
export function windowOf(params: URLSearchParams, now = Date.now()): TimeWindow & { readonly range: RangeName | 'custom' } {
  const from = params.get('from');
  const to = params.get('to');
  if (isInstant(from) && isInstant(to) && Date.parse(from) < Date.parse(to)) {
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), range: 'custom' };
  }
  const name = params.get('range');
  const range: RangeName = name !== null && name in RANGES ? (name as RangeName) : DEFAULT_RANGE;
  const end = Math.ceil(now / HOUR_MS) * HOUR_MS;
  return { from: new Date(end - RANGES[range] * HOUR_MS).toISOString(), to: new Date(end).toISOString(), range };
}

/** The window of the same length just before. */
export function previousWindow(window: TimeWindow): TimeWindow {
  const length = Date.parse(window.to) - Date.parse(window.from);
  return { from: new Date(Date.parse(window.from) - length).toISOString(), to: window.from };
}

/** HOUR for windows up to three days, DAY beyond, unless the URL says otherwise. */
export function bucketOf(params: URLSearchParams, window: TimeWindow): 'HOUR' | 'DAY' {
  const bucket = params.get('bucket');
  if (bucket === 'HOUR' || bucket === 'DAY') return bucket;
  return Date.parse(window.to) - Date.parse(window.from) <= 72 * HOUR_MS ? 'HOUR' : 'DAY';
}

/** The IANA zone times are shown in: `tz` in the URL, else UTC (the zone of the API's buckets). */
export function zoneOf(params: URLSearchParams): string {
  const zone = params.get('tz');
  if (zone === null) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

export function formatInstant(iso: string | null | undefined, zone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}
