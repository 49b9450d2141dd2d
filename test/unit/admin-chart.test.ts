/**
 * The statistics page's 30-day chart (miniprogram/admin/utils/chart.ts, issue 14): the 30 China days
 * ending with the range's last day, oldest first, booked / served / no-show per day (R4, R9, R10), a day
 * without a row counted 0, whatever order the rows come in.
 */
import type { StatsRow } from '../../typings/admin';
import { chartDays, statsChartOptions } from '../../miniprogram/admin/utils/chart';

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
