import { useMemo } from 'react';
import { formatInstant } from '../time-window';
import { BarChartView, type ChartSeries } from './Chart';

export interface SpendPoint {
  readonly bucketStart: string;
  readonly key: string | null;
  readonly totalCost: string;
}

/** Spend per bucket, one stacked series per group (or one series when not grouped). */
export function SpendChart({ points, title, zone }: { points: readonly SpendPoint[]; title: string; zone: string }) {
  const { categories, series } = useMemo(() => spendSeries(points, zone), [points, zone]);
  return <BarChartView title={title} xLabel={`Bucket start (${zone})`} yLabel="Spend (USD)" categories={categories} series={series} stacked />;
}

export function spendSeries(points: readonly SpendPoint[], zone: string): { categories: string[]; series: ChartSeries[] } {
  const buckets = [...new Set(points.map((point) => point.bucketStart))].sort();
  const keys = [...new Set(points.map((point) => point.key ?? 'all'))].sort();
  const cost = new Map(points.map((point) => [`${point.bucketStart}|${point.key ?? 'all'}`, point.totalCost]));
  return {
    categories: buckets.map((bucket) => formatInstant(bucket, zone)),
    series: keys.map((key) => ({ name: key === '' ? '(none)' : key, values: buckets.map((bucket) => cost.get(`${bucket}|${key}`) ?? null) })),
  };
}
