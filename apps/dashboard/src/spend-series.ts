import { formatInstant, type TimeWindow } from './time-window';
import type { ChartSeries } from './components/Chart';

export interface SpendPoint {
  readonly bucketStart: string;
  readonly key: string | null;
  readonly totalCost: string;
}

export type Bucket = 'HOUR' | 'DAY';

const BUCKET_MS: Record<Bucket, number> = { HOUR: 3_600_000, DAY: 86_400_000 };
/** Past this many buckets only those with spend are drawn. */
const MAX_BUCKETS = 750;

/** The bucket starts of a window, UTC-aligned as the API's buckets are. */
export function bucketStarts(window: TimeWindow, bucket: Bucket): string[] | undefined {
  const size = BUCKET_MS[bucket];
  const first = Math.floor(Date.parse(window.from) / size) * size;
  const end = Date.parse(window.to);
  if ((end - first) / size > MAX_BUCKETS) return undefined;
  const starts: string[] = [];
  for (let start = first; start < end; start += size) starts.push(new Date(start).toISOString());
  return starts;
}

export function spendSeries(points: readonly SpendPoint[], zone: string, window: TimeWindow, bucket: Bucket): { categories: string[]; series: ChartSeries[] } {
  const instant = (iso: string) => new Date(iso).toISOString();
  const withSpend = points.map((point) => instant(point.bucketStart));
  const buckets = [...new Set([...(bucketStarts(window, bucket) ?? []), ...withSpend])].sort();
  const keys = [...new Set(points.map((point) => point.key ?? 'all'))].sort();
  const cost = new Map(points.map((point) => [`${instant(point.bucketStart)}|${point.key ?? 'all'}`, point.totalCost]));
  return {
    categories: buckets.map((start) => formatInstant(start, zone)),
    series: keys.map((key) => ({ name: key === '' ? '(none)' : key, values: buckets.map((start) => cost.get(`${start}|${key}`) ?? null) })),
  };
}
