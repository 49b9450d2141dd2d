/**
 * Issue 14's statistics, the pure part (server/domain/stats.ts): what each status counts as, the wait
 * from check-in to the first call in whole minutes, the lower median, the used share, and the rows; and
 * which roll-ups (`statsRollups`) a query's services are read from.
 */
import { chinaInstant } from '../../server/domain/china-time';
import {
  countDay,
  medianWaitSeconds,
  releaseConfigOn,
  sameRelease,
  statsRows,
  type CountedBooking,
  type PeriodSpan,
} from '../../server/domain/stats';
import { rollupScopes, scopesFor } from '../../server/store/stats';

const PERIODS = [
  { start: '09:00', end: '10:00', from: 1, to: 10 },
  { start: '10:00', end: '11:00', from: 11, to: 15 },
];
const T = Date.UTC(2026, 5, 23, 1, 0, 0);

function booking(over: Partial<CountedBooking> = {}): CountedBooking {
  return { status: 'booked', channel: 'wechat', periodStart: '09:00', periodEnd: '10:00', ...over };
}

describe('countDay (R2, R4, R8, R9, R10)', () => {
  it('counts every booking as booked, each final status once, and channels', () => {
    const day = countDay(PERIODS, true, [
      booking(),
      booking({ status: 'cancelled' }),
      booking({ status: 'cancelled_by_office', channel: 'xmjj-web' }),
      booking({ status: 'no_show' }),
      booking({ status: 'served', checkedInAt: T }),
      booking({ status: 'missed', checkedInAt: T, periodStart: '10:00', periodEnd: '11:00' }),
    ]);
    expect(day['09:00-10:00']).toMatchObject({
      released: 10,
      booked: 5,
      cancelledByCitizen: 1,
      cancelledByOffice: 1,
      noShow: 1,
      served: 1,
      checkedIn: 1,
      byChannel: { wechat: 4, 'xmjj-web': 1 },
    });
    expect(day['10:00-11:00']).toMatchObject({ released: 5, booked: 1, missed: 1, checkedIn: 1 });
  });

  it('releases nothing on a closed day, and keeps a period no longer configured apart', () => {
    const day = countDay(PERIODS, false, [booking({ periodStart: '08:00', periodEnd: '09:00' })]);
    expect(Object.keys(day)).toEqual(['08:00-09:00']);
    expect(day['08:00-09:00']?.released).toBe(0);
  });

  it('measures the wait to the first call after check-in, in whole minutes', () => {
    const calls = (...minutes: number[]) =>
      minutes.map((m) => ({ event: 'call', at: T + m * 60_000 + 59_000 }));
    const day = countDay(PERIODS, true, [
      booking({
        status: 'missed',
        checkedInAt: T,
        history: [{ event: 'check_in', at: T }, ...calls(4, 9, 12)],
      }),
      booking({ status: 'checked_in', checkedInAt: T }),
    ]);
    expect(day['09:00-10:00']?.waitMinutes).toEqual({ '4': 1 });
  });
});

describe('releaseConfigOn (R2, R3, R4)', () => {
  const now = { active: true, openWeekdays: [1, 2, 3, 4, 5], periods: PERIODS };
  const [first, second] = PERIODS as [PeriodSpan, PeriodSpan];
  const old = { active: true, openWeekdays: [1, 2, 3], periods: [first], until: 0 };
  it('answers nothing for a day that ended before the creation, to the China millisecond', () => {
    const created = chinaInstant('2026-06-24');
    expect(releaseConfigOn({ ...now, createdAt: created }, '2026-06-23')).toBeUndefined();
    expect(releaseConfigOn({ ...now, createdAt: created - 1 }, '2026-06-23')).toMatchObject(now);
    expect(releaseConfigOn({ ...now, createdAt: created + 1 }, '2026-06-24')).toMatchObject(now);
    // No record of the creation: no lower bound.
    expect(releaseConfigOn(now, '2020-01-01')).toMatchObject(now);
  });
  it('answers the configuration in force when the day ended: a later change never reaches back', () => {
    const changed = chinaInstant('2026-06-24', '10:00');
    const service = { ...now, releaseHistory: [{ ...old, until: changed }] };
    expect(releaseConfigOn(service, '2026-06-23')?.periods).toHaveLength(1);
    // The day of the change ended with the new one.
    expect(releaseConfigOn(service, '2026-06-24')?.periods).toHaveLength(2);
    const atMidnight = { ...now, releaseHistory: [{ ...old, until: chinaInstant('2026-06-24') }] };
    expect(releaseConfigOn(atMidnight, '2026-06-23')?.openWeekdays).toEqual([1, 2, 3]);
    expect(releaseConfigOn(atMidnight, '2026-06-24')?.openWeekdays).toEqual([1, 2, 3, 4, 5]);
  });
  it('tells a change of the released numbers from another edit', () => {
    expect(sameRelease(now, { ...now, openWeekdays: [5, 4, 3, 2, 1] })).toBe(true);
    expect(sameRelease(now, { ...now, active: false })).toBe(false);
    expect(sameRelease(now, { ...now, periods: [first, { ...second, to: 14 }] })).toBe(false);
  });
});

describe('medianWaitSeconds', () => {
  it('is the lower median of the minutes, in seconds; null without waits', () => {
    expect(medianWaitSeconds({})).toBeNull();
    expect(medianWaitSeconds({ '7': 1 })).toBe(420);
    expect(medianWaitSeconds({ '7': 1, '19': 1 })).toBe(420);
    expect(medianWaitSeconds({ '7': 1, '19': 1, '28': 1 })).toBe(1140);
    expect(medianWaitSeconds({ '30': 2, '2': 3 })).toBe(120);
  });
});

describe('statsRows', () => {
  it('sums days into day, month and period rows with a total and the used share', () => {
    const a = countDay(PERIODS, true, [booking(), booking({ status: 'cancelled' })]);
    const b = countDay(PERIODS, false, []);
    const days = [
      { date: '2026-06-30', periods: a },
      { date: '2026-07-01', periods: b },
    ];
    const byDay = statsRows('day', days);
    expect(byDay.rows.map((r) => [r.key, r.released, r.booked, r.usedPercent])).toEqual([
      ['2026-06-30', 15, 2, 6.7],
      ['2026-07-01', 0, 0, null],
    ]);
    expect(statsRows('month', days).rows.map((r) => r.key)).toEqual(['2026-06', '2026-07']);
    expect(statsRows('period', days).rows.map((r) => [r.key, r.released])).toEqual([
      ['09:00-10:00', 10],
      ['10:00-11:00', 5],
    ]);
    expect(byDay.total).toMatchObject({ key: 'total', released: 15, booked: 2, usedPercent: 6.7 });
  });
});

describe('the roll-ups a query reads (server/store/stats.ts)', () => {
  const catalogue = [
    { _id: 'a1', officeId: 'a' },
    { _id: 'a2', officeId: 'a' },
    { _id: 'b1', officeId: 'b' },
    { _id: 'c1', officeId: 'c' },
    { _id: 'c2', officeId: 'c' },
  ];

  it('rolls up the city and each office of two services or more', () => {
    expect([...rollupScopes(catalogue)]).toEqual([
      ['city', ['a1', 'a2', 'b1', 'c1', 'c2']],
      ['office:a', ['a1', 'a2']],
      ['office:c', ['c1', 'c2']],
    ]);
    expect([...rollupScopes([{ _id: 'only', officeId: 'a' }])]).toEqual([]);
  });

  it("reads the city's for every service, else each office's it wants whole", () => {
    expect(scopesFor(new Set(['a1', 'a2', 'b1', 'c1', 'c2']), catalogue)).toEqual(['city']);
    expect(scopesFor(new Set(['a1', 'a2', 'b1', 'c1']), catalogue)).toEqual(['office:a']);
    expect(scopesFor(new Set(['a1', 'a2', 'c1', 'c2']), catalogue)).toEqual([
      'office:a',
      'office:c',
    ]);
    expect(scopesFor(new Set(['a1', 'b1']), catalogue)).toEqual([]);
  });
});
