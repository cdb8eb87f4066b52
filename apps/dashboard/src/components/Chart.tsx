import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, AriaComponent, SVGRenderer]);

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | TitleComponentOption>;

export interface ChartSeries {
  readonly name: string;
  /** Exact decimal strings, one per category; null where the series has nothing. */
  readonly values: readonly (string | null)[];
}

interface BarChartProps {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly stacked?: boolean;
  readonly horizontal?: boolean;
  /** How the tooltip writes a figure: `$` before money (the default), a unit after anything else. */
  readonly unit?: string;
}

/**
 * A labelled bar chart (title, axis names, legend). Bars need numbers to be drawn, so heights
 * are floats; the tooltip shows each figure as the API gave it.
 */
export function BarChartView({ title, xLabel, yLabel, categories, series, stacked = false, horizontal = false, unit = 'USD' }: BarChartProps) {
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!element.current) return;
    const chart = init(element.current, undefined, { renderer: 'svg' });
    const categoryAxis = { type: 'category' as const, data: [...categories], name: xLabel, nameLocation: 'middle' as const, nameGap: 28 };
    const valueAxis = { type: 'value' as const, name: yLabel, nameLocation: 'middle' as const, nameGap: 48 };
    const option: ChartOption = {
      aria: { enabled: true },
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: 'axis',
        formatter: (params) => tooltipOf(params, series, unit),
      },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 72, right: 24, top: 40, bottom: series.length > 1 ? 72 : 48 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series.map((one) => ({ type: 'bar', name: one.name, stack: stacked ? 'total' : undefined, data: one.values.map((value) => (value === null ? null : Number(value))) })),
    };
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [title, xLabel, yLabel, categories, series, stacked, horizontal, unit]);

  return (
    <figure className="chart">
      <div ref={element} className="chart-canvas" role="img" aria-label={`${title}: ${yLabel} by ${xLabel}`} />
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

interface TooltipParam {
  readonly axisValueLabel?: string;
  readonly seriesIndex?: number;
  readonly dataIndex?: number;
  readonly marker?: unknown;
}

function tooltipOf(params: unknown, series: readonly ChartSeries[], unit: string): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const lines = list
    .map((param) => {
      const one = series[param.seriesIndex ?? 0];
      const value = one?.values[param.dataIndex ?? 0];
      return value === null || value === undefined ? undefined : `${String(param.marker ?? '')}${escape(one!.name)}: ${unit === 'USD' ? `$${escape(value)}` : `${escape(value)} ${escape(unit)}`}`;
    })
    .filter((line) => line !== undefined);
  return [escape(list[0]?.axisValueLabel ?? ''), ...lines].join('<br/>');
}

const escape = (text: string) => text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
