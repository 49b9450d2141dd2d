/**
 * The statistics page's 30-day chart (issue 14): booked, served and no-show per China day (R4, R9, R10),
 * as the options of the chart library (uCharts' line chart, drawn by components/stats-chart). Pure: the
 * days without a row count 0, so the x axis is always the 30 days whatever the server answered.
 */
import type { StatsRow } from '../../../typings/admin';
import { addDays } from '../../../server/domain/china-time';

export const CHART_DAYS = 30;

export interface ChartSeries {
  name: string;
  data: number[];
  color: string;
}

/** What our component hands to uCharts, less the canvas, its context and its size. */
export interface ChartOptions {
  type: 'line';
  categories: string[];
  series: ChartSeries[];
  animation: false;
  dataLabel: false;
  dataPointShape: boolean;
  background: string;
  padding: [number, number, number, number];
  legend: { show: true; position: 'top'; fontSize: number };
  xAxis: { disableGrid: true; labelCount: number; fontSize: number };
  yAxis: { gridType: 'dash'; data: { min: 0; fontSize: number }[] };
  extra: { line: { type: 'straight'; width: number } };
}

/** The 30 China days ending with `to` (inclusive), oldest first. */
export function chartDays(to: string): string[] {
  return Array.from({ length: CHART_DAYS }, (_, i) => addDays(to, i - CHART_DAYS + 1));
}

/** `12-01`: a day on the x axis. */
function dayLabel(date: string): string {
  return date.slice(5);
}

export function statsChartOptions(rows: readonly StatsRow[], to: string): ChartOptions {
  const byDay = new Map(rows.map((r) => [r.key, r]));
  const days = chartDays(to);
  const series = (name: string, color: string, pick: (r: StatsRow) => number): ChartSeries => ({
    name,
    color,
    data: days.map((d) => {
      const row = byDay.get(d);
      return row ? pick(row) : 0;
    }),
  });
  return {
    type: 'line',
    categories: days.map(dayLabel),
    series: [
      series('预约', '#1d4ed8', (r) => r.booked),
      series('办结', '#1a7f37', (r) => r.served),
      series('未到', '#d1242f', (r) => r.noShow),
    ],
    animation: false,
    dataLabel: false,
    dataPointShape: false,
    background: '#ffffff',
    padding: [12, 12, 4, 4],
    legend: { show: true, position: 'top', fontSize: 13 },
    // Six labels over 30 days: every fifth day reads at a phone's width.
    xAxis: { disableGrid: true, labelCount: 6, fontSize: 11 },
    yAxis: { gridType: 'dash', data: [{ min: 0, fontSize: 11 }] },
    extra: { line: { type: 'straight', width: 2 } },
  };
}
