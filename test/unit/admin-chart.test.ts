/**
 * The statistics page's 30-day chart (miniprogram/admin/utils/chart.ts, issue 14): the 30 China days
 * ending with the range's last day, oldest first, booked / served / no-show per day (R4, R9, R10), a day
 * without a row counted 0, whatever order the rows come in; a y axis of whole-number ticks; the filter's
 * opening range the chart's own 30 days, in any time zone.
 */
import type { StatsRow } from '../../typings/admin';
import {
  chartDays,
  chartRange,
  countAxis,
  openingRange,
  statsChartOptions,
} from '../../miniprogram/admin/utils/chart';

function row(key: string, booked: number, served: number, noShow: number): StatsRow {
  return {
    key,
    released: 50,
    booked,
    cancelledByCitizen: 0,
    cancelledByOffice: 0,
    checkedIn: served,
    served,
    missed: 0,
    noShow,
    usedPercent: (booked / 50) * 100,
    byChannel: { miniprogram: booked },
    medianWaitSeconds: null,
  };
}

describe('the 30-day chart', () => {
  it('spans the 30 days ending with `to`, across a month and a year', () => {
    const days = chartDays('2027-01-10');
    expect(days).toHaveLength(30);
    expect([days[0], days[21], days[22], days[29]]).toEqual([
      '2026-12-12',
      '2027-01-02',
      '2027-01-03',
      '2027-01-10',
    ]);
  });

  it('puts each row on its day, 0 where there is none, in the three series', () => {
    const options = statsChartOptions(
      [row('2026-12-01', 48, 40, 5), row('2026-11-02', 10, 9, 1), row('2026-10-31', 99, 99, 99)],
      '2026-12-01',
    );
    expect(options.categories[0]).toBe('11-02');
    expect(options.categories[29]).toBe('12-01');
    expect(options.series.map((s) => s.name)).toEqual(['预约', '办结', '未到']);
    const zeros = Array.from({ length: 28 }, () => 0);
    expect(options.series.map((s) => s.data)).toEqual([
      [10, ...zeros, 48],
      [9, ...zeros, 40],
      [1, ...zeros, 5],
    ]);
    expect(options).toMatchObject({
      type: 'line',
      animation: false,
      yAxis: { data: [{ min: 0 }] },
    });
  });

  it('draws 30 zero days for no rows at all', () => {
    const options = statsChartOptions([], '2026-12-01');
    expect(options.series.every((s) => s.data.length === 30 && s.data.every((n) => n === 0))).toBe(
      true,
    );
  });
});

/**
 * The y labels uCharts prints for a `{ min: 0, max }` axis of `splitNumber` splits: its ticks are
 * `min + (max - min) / splitNumber * i` (u-charts.js `getYAxisTextList`) and a fraction is printed with
 * two decimals (`util.toFixed`). Checked once by hand against the real library: a peak of 2 with uCharts'
 * own range printed 2, 1.60, 1.20, 0.80, 0.40, 0 (the e2e screenshot's axis); `{ max: 2, splitNumber: 2 }`
 * printed 2, 1, 0.
 */
function yLabels(axis: { max: number; splitNumber: number }): string[] {
  return Array.from({ length: axis.splitNumber + 1 }, (_, i) => {
    const tick = (axis.max / axis.splitNumber) * i;
    return tick % 1 === 0 ? String(tick) : tick.toFixed(2);
  });
}

describe('the y axis counts in whole numbers', () => {
  it('reads 0, 1, 2 for the screenshot’s two bookings, not 0.40 steps', () => {
    const options = statsChartOptions([row('2026-12-02', 2, 0, 0)], '2026-12-02');
    const [data] = options.yAxis.data;
    expect(yLabels({ max: data?.max ?? NaN, splitNumber: options.yAxis.splitNumber })).toEqual([
      '0',
      '1',
      '2',
    ]);
  });

  it('puts whole ticks at round steps over any peak, at most five splits, the peak inside', () => {
    expect([0, 1, 2, 5, 7, 10, 48, 51, 500, 1234].map((peak) => [peak, countAxis(peak)])).toEqual([
      [0, { max: 1, splitNumber: 1 }],
      [1, { max: 1, splitNumber: 1 }],
      [2, { max: 2, splitNumber: 2 }],
      [5, { max: 5, splitNumber: 5 }],
      [7, { max: 8, splitNumber: 4 }],
      [10, { max: 10, splitNumber: 5 }],
      [48, { max: 50, splitNumber: 5 }],
      [51, { max: 60, splitNumber: 3 }],
      [500, { max: 500, splitNumber: 5 }],
      [1234, { max: 1500, splitNumber: 3 }],
    ]);
    for (let peak = 0; peak <= 5000; peak += 1) {
      const axis = countAxis(peak);
      const labels = yLabels(axis);
      if (
        axis.max < peak ||
        axis.splitNumber < 1 ||
        axis.splitNumber > 5 ||
        labels.some((l) => !/^\d+$/.test(l))
      )
        throw new Error(`peak ${String(peak)}: ${JSON.stringify(axis)} → ${labels.join(', ')}`);
    }
  });
});

describe('the filter opens on the chart’s 30 days', () => {
  const zones = ['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Etc/GMT+12'];
  const original = process.env.TZ;
  afterAll(() => {
    process.env.TZ = original;
  });

  it.each(zones)(
    'in %s: the chart’s first day to today in China, on either side of its midnight',
    (tz) => {
      process.env.TZ = tz;
      // 23:59:59 on 1 December and 00:00 on 2 December, China time.
      const before = openingRange(Date.UTC(2026, 11, 1, 15, 59, 59));
      const after = openingRange(Date.UTC(2026, 11, 1, 16, 0, 0));
      expect([before, after]).toEqual([
        { from: '2026-11-02', to: '2026-12-01' },
        { from: '2026-11-03', to: '2026-12-02' },
      ]);
      for (const range of [before, after]) {
        const days = chartDays(range.to);
        expect([days[0], days[29]]).toEqual([range.from, range.to]);
        expect(chartRange(range.to)).toEqual(range);
      }
    },
  );
});
