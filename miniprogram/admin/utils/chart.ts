/**
 * The statistics page's 30-day chart (issue 14): booked, served and no-show per China day (R4, R9, R10),
 * as the options of the chart library (uCharts' line chart, drawn by components/stats-chart). Pure: the
 * days without a row count 0, so the x axis is always the 30 days whatever the server answered; the
 * y axis is of counts, so its ticks are whole numbers; the page's filter opens on the chart's 30 days.
 */
import type { StatsRow } from '../../../typings/admin';
import { addDays, chinaDate } from '../../../server/domain/china-time';

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
  yAxis: {
    gridType: 'dash';
    splitNumber: number;
    data: { min: 0; max: number; fontSize: number }[];
  };
  extra: { line: { type: 'straight'; width: number } };
}

/** The 30 China days ending with `to` (inclusive), oldest first. */
export function chartDays(to: string): string[] {
  return Array.from({ length: CHART_DAYS }, (_, i) => addDays(to, i - CHART_DAYS + 1));
}

/** A range of China days, both ends included: the statistics filter's. */
export interface DayRange {
  from: string;
  to: string;
}

/** The chart's 30 days ending with `to` as a range: what the filter shows while it draws the chart. */
export function chartRange(to: string): DayRange {
  return { from: addDays(to, 1 - CHART_DAYS), to };
}

/** The statistics page's opening range: the chart's 30 days ending today in China, whatever the TZ. */
export function openingRange(now: number): DayRange {
  return chartRange(chinaDate(now));
}

/**
 * A y axis of counts from 0 whose ticks are whole numbers: uCharts puts `splitNumber + 1` ticks evenly
 * from `min` to `max` (`min + (max - min) / splitNumber * i`, u-charts.js `getYAxisTextList`) and prints
 * a fraction with two decimals, so `max` is a whole step (1, 2, 5, 10, 20, 50 …) times at most five
 * splits, at least the day's highest count. A peak of 2 reads 0, 1, 2 (not 0, 0.40, 0.80 … 2).
 */
export function countAxis(peak: number): { max: number; splitNumber: number } {
  const top = Number.isFinite(peak) ? Math.max(0, Math.ceil(peak)) : 0;
  let step = 1;
  for (let scale = 1; ; scale *= 10) {
    const fits = [1, 2, 5].map((m) => m * scale).find((s) => Math.ceil(top / s) <= 5);
    if (fits !== undefined) {
      step = fits;
      break;
    }
  }
  const splitNumber = Math.max(1, Math.ceil(top / step));
  return { max: step * splitNumber, splitNumber };
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
  const all = [
    series('预约', '#1d4ed8', (r) => r.booked),
    series('办结', '#1a7f37', (r) => r.served),
    series('未到', '#d1242f', (r) => r.noShow),
  ];
  const axis = countAxis(Math.max(0, ...all.flatMap((s) => s.data)));
  return {
    type: 'line',
    categories: days.map(dayLabel),
    series: all,
    animation: false,
    dataLabel: false,
    dataPointShape: false,
    background: '#ffffff',
    padding: [12, 12, 4, 4],
    legend: { show: true, position: 'top', fontSize: 13 },
    // Six labels over 30 days: every fifth day reads at a phone's width.
    xAxis: { disableGrid: true, labelCount: 6, fontSize: 11 },
    yAxis: {
      gridType: 'dash',
      splitNumber: axis.splitNumber,
      data: [{ min: 0, max: axis.max, fontSize: 11 }],
    },
    extra: { line: { type: 'straight', width: 2 } },
  };
}
