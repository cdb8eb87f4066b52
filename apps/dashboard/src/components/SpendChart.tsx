import { useMemo } from 'react';
import { spendSeries, type Bucket, type SpendPoint } from '../spend-series';
import type { TimeWindow } from '../time-window';
import { BarChartView } from './Chart';

export type { SpendPoint };

/** Spend per bucket over the whole window (empty buckets included), one stacked series per group. */
export function SpendChart({ points, title, zone, window, bucket }: { points: readonly SpendPoint[]; title: string; zone: string; window: TimeWindow; bucket: Bucket }) {
  const { categories, series } = useMemo(() => spendSeries(points, zone, window, bucket), [points, zone, window, bucket]);
  return <BarChartView title={title} xLabel={`Bucket start (${zone})`} yLabel="Spend (USD)" categories={categories} series={series} stacked />;
}

