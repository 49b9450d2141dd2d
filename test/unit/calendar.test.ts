import {
  calendarFromArrangements,
  checkBookableDate,
  dayStatus,
  horizon,
  releaseInstant,
  type CalendarLookup,
  type DateCheck,
  type HorizonConfig,
  type HorizonInputs,
  type HorizonDay,
} from '../../server/domain/calendar';
import fc from 'fast-check';
import { chinaDate, DAY_MS } from '../../server/domain/china-time';
import { officialArrangements } from '../../server/domain/holidays';

// Fixed clocks (epoch ms). China time is UTC+8: 2026-11-26T16:00Z is 2026-11-27 00:00 in China.
const THU_2026_11_26_235959_CST = Date.UTC(2026, 10, 26, 15, 59, 59);
const FRI_2026_11_27_0000_CST = Date.UTC(2026, 10, 26, 16, 0, 0);
const FRI_2026_11_27_0759_CST = Date.UTC(2026, 10, 26, 23, 59, 0);
const FRI_2026_11_27_0800_CST = Date.UTC(2026, 10, 27, 0, 0, 0);
const TUE_2026_12_01_0000_CST = Date.UTC(2026, 10, 30, 16, 0, 0);
const MON_2026_12_28_1000_CST = Date.UTC(2026, 11, 28, 2, 0, 0);
const MON_2026_09_14_0900_CST = Date.UTC(2026, 8, 14, 1, 0, 0);
const MON_2026_09_28_1000_CST = Date.UTC(2026, 8, 28, 2, 0, 0);
const SAT_2026_10_03_1000_CST = Date.UTC(2026, 9, 3, 2, 0, 0);
const FRI_2026_02_13_0900_CST = Date.UTC(2026, 1, 13, 1, 0, 0);

const DEFAULT: HorizonConfig = {
  horizonDays: 7,
  releaseTime: '00:00',
  openWeekdays: [1, 2, 3, 4, 5],
};
const NO_HOLIDAYS: CalendarLookup = () => undefined;
const CAL_2026 = calendarFromArrangements(officialArrangements(2026) ?? []);

/** `date:open` or `date:reason`, compact enough to read a week at a glance. */
function week(days: HorizonDay[]): string[] {
  return days.map((d) => `${d.date}:${d.open ? 'open' : String(d.closedReason)}`);
}

describe('R2/R3 horizon', () => {
  it('on day 1 offers days 2–8, never today, with weekends closed (R2)', () => {
    expect(
      week(horizon({ now: FRI_2026_11_27_0000_CST, config: DEFAULT, calendar: NO_HOLIDAYS })),
    ).toEqual([
      '2026-11-28:weekend',
      '2026-11-29:weekend',
      '2026-11-30:open',
      '2026-12-01:open',
      '2026-12-02:open',
      '2026-12-03:open',
      '2026-12-04:open',
    ]);
  });

  it('turns the day over at China midnight, not at UTC or local midnight (R3)', () => {
    const before = horizon({
      now: THU_2026_11_26_235959_CST,
      config: DEFAULT,
      calendar: NO_HOLIDAYS,
    });
    const after = horizon({ now: FRI_2026_11_27_0000_CST, config: DEFAULT, calendar: NO_HOLIDAYS });
    expect([before[0]?.date, before[6]?.date, after[0]?.date, after[6]?.date]).toEqual([
      '2026-11-27',
      '2026-12-03',
      '2026-11-28',
      '2026-12-04',
    ]);
    // Normally five bookable days (R2).
    expect([before, after].map((days) => days.filter((d) => d.open).length)).toEqual([5, 5]);
  });

  it('crosses month and year ends', () => {
    expect(
      week(horizon({ now: TUE_2026_12_01_0000_CST, config: DEFAULT, calendar: NO_HOLIDAYS })),
    ).toEqual([
      '2026-12-02:open',
      '2026-12-03:open',
      '2026-12-04:open',
      '2026-12-05:weekend',
      '2026-12-06:weekend',
      '2026-12-07:open',
      '2026-12-08:open',
    ]);
    // 2027 is not in the package: without an entered arrangement 1 January is an ordinary Friday.
    expect(
      week(horizon({ now: MON_2026_12_28_1000_CST, config: DEFAULT, calendar: CAL_2026 })),
    ).toEqual([
      '2026-12-29:open',
      '2026-12-30:open',
      '2026-12-31:open',
      '2027-01-01:open',
      '2027-01-02:weekend',
      '2027-01-03:weekend',
      '2027-01-04:open',
    ]);
    const withNewYear = calendarFromArrangements([{ date: '2027-01-01', kind: 'holiday' }]);
    expect(
      horizon({ now: MON_2026_12_28_1000_CST, config: DEFAULT, calendar: withNewYear })[3],
    ).toEqual({ date: '2027-01-01', open: false, closedReason: 'holiday' });
  });

  it('closes the 2026 National Day holidays, weekdays included (R2)', () => {
    expect(
      week(horizon({ now: MON_2026_09_28_1000_CST, config: DEFAULT, calendar: CAL_2026 })),
    ).toEqual([
      '2026-09-29:open',
      '2026-09-30:open',
      '2026-10-01:holiday',
      '2026-10-02:holiday',
      '2026-10-03:holiday',
      '2026-10-04:holiday',
      '2026-10-05:holiday',
    ]);
  });

  it('opens make-up working days on weekends: Saturday 10 October and Sunday 20 September 2026', () => {
    expect(
      week(horizon({ now: SAT_2026_10_03_1000_CST, config: DEFAULT, calendar: CAL_2026 })),
    ).toEqual([
      '2026-10-04:holiday',
      '2026-10-05:holiday',
      '2026-10-06:holiday',
      '2026-10-07:holiday',
      '2026-10-08:open',
      '2026-10-09:open',
      '2026-10-10:open',
    ]);
    expect(
      week(horizon({ now: MON_2026_09_14_0900_CST, config: DEFAULT, calendar: CAL_2026 })),
    ).toEqual([
      '2026-09-15:open',
      '2026-09-16:open',
      '2026-09-17:open',
      '2026-09-18:open',
      '2026-09-19:weekend',
      '2026-09-20:open',
      '2026-09-21:open',
    ]);
  });

  it('handles the 2026 Spring Festival: Saturday 14 February works, 15–23 February is off', () => {
    expect(
      week(horizon({ now: FRI_2026_02_13_0900_CST, config: DEFAULT, calendar: CAL_2026 })),
    ).toEqual([
      '2026-02-14:open',
      '2026-02-15:holiday',
      '2026-02-16:holiday',
      '2026-02-17:holiday',
      '2026-02-18:holiday',
      '2026-02-19:holiday',
      '2026-02-20:holiday',
    ]);
  });

  it('releases the newest day at the release time; earlier days were released on previous days', () => {
    const at8 = { ...DEFAULT, releaseTime: '08:00' };
    const before = horizon({ now: FRI_2026_11_27_0759_CST, config: at8, calendar: NO_HOLIDAYS });
    const after = horizon({ now: FRI_2026_11_27_0800_CST, config: at8, calendar: NO_HOLIDAYS });
    expect([week(before).slice(2), week(after).slice(2)]).toEqual([
      [
        '2026-11-30:open',
        '2026-12-01:open',
        '2026-12-02:open',
        '2026-12-03:open',
        '2026-12-04:not_released',
      ],
      [
        '2026-11-30:open',
        '2026-12-01:open',
        '2026-12-02:open',
        '2026-12-03:open',
        '2026-12-04:open',
      ],
    ]);
    expect(releaseInstant('2026-12-04', at8)).toBe(FRI_2026_11_27_0800_CST);
  });

  it('reports a closed newest day as closed, not as waiting for release', () => {
    // On Sunday 29 Nov before 08:00 the newest day is Sunday 6 Dec: it will never open.
    const sun0700 = Date.UTC(2026, 10, 28, 23, 0, 0);
    const days = horizon({
      now: sun0700,
      config: { ...DEFAULT, releaseTime: '08:00' },
      calendar: NO_HOLIDAYS,
    });
    expect(days[6]).toEqual({ date: '2026-12-06', open: false, closedReason: 'weekend' });
  });

  it('follows the configured weekdays and horizon length', () => {
    const config = { horizonDays: 3, releaseTime: '00:00', openWeekdays: [2, 3, 4, 5, 6] };
    expect(week(horizon({ now: FRI_2026_11_27_0000_CST, config, calendar: NO_HOLIDAYS }))).toEqual([
      '2026-11-28:open',
      '2026-11-29:weekend',
      '2026-11-30:closed',
    ]);
    // openWeekdays left out: Monday to Friday.
    expect(
      week(
        horizon({
          now: FRI_2026_11_27_0000_CST,
          config: { horizonDays: 3, releaseTime: '00:00' },
          calendar: NO_HOLIDAYS,
        }),
      ),
    ).toEqual(['2026-11-28:weekend', '2026-11-29:weekend', '2026-11-30:open']);
  });

  it('lets a declared holiday close a weekday and a make-up day open a weekend (dayStatus)', () => {
    const cal = calendarFromArrangements([
      { date: '2026-11-30', kind: 'holiday' },
      { date: '2026-11-29', kind: 'workday' },
    ]);
    expect(
      ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'].map((d) => dayStatus(d, cal)),
    ).toEqual([
      { open: false, closedReason: 'weekend' },
      { open: true },
      { open: false, closedReason: 'holiday' },
      { open: true },
    ]);
  });

  it('refuses a broken configuration loudly', () => {
    const calendar = NO_HOLIDAYS;
    const now = FRI_2026_11_27_0000_CST;
    expect(() => horizon({ now, calendar, config: { ...DEFAULT, horizonDays: 0 } })).toThrow(
      RangeError,
    );
    expect(() => horizon({ now, calendar, config: { ...DEFAULT, horizonDays: 1.5 } })).toThrow(
      RangeError,
    );
    expect(() => horizon({ now, calendar, config: { ...DEFAULT, releaseTime: '24:00' } })).toThrow(
      RangeError,
    );
    expect(() => horizon({ now, calendar, config: { ...DEFAULT, releaseTime: '8:00' } })).toThrow(
      RangeError,
    );
  });
});

describe('R2 checkBookableDate', () => {
  const at = (now: number, config: HorizonConfig = DEFAULT, calendar = CAL_2026) => ({
    now,
    config,
    calendar,
  });

  it('accepts an open day of the horizon', () => {
    expect(checkBookableDate('2026-11-30', at(FRI_2026_11_27_0000_CST))).toEqual({
      ok: true,
      day: { date: '2026-11-30', open: true },
    });
    expect(checkBookableDate('2026-10-10', at(SAT_2026_10_03_1000_CST)).ok).toBe(true);
  });

  it('gives each refusal its code', () => {
    const inputs = at(FRI_2026_11_27_0759_CST, { ...DEFAULT, releaseTime: '08:00' });
    const dates: unknown[] = [
      '2026-11-31',
      '2026/11/30',
      '2026-11-3',
      20261130,
      undefined,
      '2026-11-27', // today in China (still 26 Nov in UTC)
      '2026-11-26', // yesterday
      '2025-11-30',
      '2026-12-05', // today + 8
      '2027-11-30',
      '2026-11-28', // Saturday
      '2026-11-29', // Sunday
      '2026-12-04', // today + 7, before 08:00
    ];
    expect(dates.map((d) => [d, checkBookableDate(d, inputs)])).toEqual([
      ['2026-11-31', { ok: false, code: 'CALENDAR.DATE_INVALID' }],
      ['2026/11/30', { ok: false, code: 'CALENDAR.DATE_INVALID' }],
      ['2026-11-3', { ok: false, code: 'CALENDAR.DATE_INVALID' }],
      [20261130, { ok: false, code: 'CALENDAR.DATE_INVALID' }],
      [undefined, { ok: false, code: 'CALENDAR.DATE_INVALID' }],
      ['2026-11-27', { ok: false, code: 'CALENDAR.SAME_DAY' }],
      ['2026-11-26', { ok: false, code: 'CALENDAR.OUT_OF_HORIZON' }],
      ['2025-11-30', { ok: false, code: 'CALENDAR.OUT_OF_HORIZON' }],
      ['2026-12-05', { ok: false, code: 'CALENDAR.OUT_OF_HORIZON' }],
      ['2027-11-30', { ok: false, code: 'CALENDAR.OUT_OF_HORIZON' }],
      ['2026-11-28', { ok: false, code: 'CALENDAR.CLOSED' }],
      ['2026-11-29', { ok: false, code: 'CALENDAR.CLOSED' }],
      ['2026-12-04', { ok: false, code: 'CALENDAR.NOT_RELEASED' }],
    ]);
  });

  it('refuses holidays with CALENDAR.CLOSED and accepts the newest day once released', () => {
    expect(checkBookableDate('2026-10-01', at(MON_2026_09_28_1000_CST))).toEqual({
      ok: false,
      code: 'CALENDAR.CLOSED',
    });
    expect(
      checkBookableDate(
        '2026-12-04',
        at(FRI_2026_11_27_0800_CST, { ...DEFAULT, releaseTime: '08:00' }),
      ).ok,
    ).toBe(true);
  });

  it('judges "today" in China time one second either side of China midnight (R3)', () => {
    expect(
      [THU_2026_11_26_235959_CST, FRI_2026_11_27_0000_CST].map((now) =>
        checkBookableDate('2026-11-27', at(now, DEFAULT, NO_HOLIDAYS)),
      ),
    ).toEqual([
      { ok: true, day: { date: '2026-11-27', open: true } },
      { ok: false, code: 'CALENDAR.SAME_DAY' },
    ]);
  });
});

describe('R2 checkBookableDate works the asked day out alone', () => {
  /** What it answered when it built the whole horizon and looked the day up in it. */
  function throughHorizon(date: string, inputs: HorizonInputs): DateCheck {
    if (date === chinaDate(inputs.now)) return { ok: false, code: 'CALENDAR.SAME_DAY' };
    const day = horizon(inputs).find((d) => d.date === date);
    if (!day) return { ok: false, code: 'CALENDAR.OUT_OF_HORIZON' };
    if (day.open) return { ok: true, day };
    return {
      ok: false,
      code: day.closedReason === 'not_released' ? 'CALENDAR.NOT_RELEASED' : 'CALENDAR.CLOSED',
    };
  }

  const FROM = Date.UTC(2025, 11, 20);
  const inputs = fc.record({
    now: fc.integer({ min: FROM, max: FROM + 400 * DAY_MS }),
    config: fc.record({
      horizonDays: fc.integer({ min: 1, max: 60 }),
      releaseTime: fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      openWeekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 })),
    }),
    // The official 2026 and 2027 arrangements, and closures of the service's own (issue 14).
    closed: fc.uniqueArray(fc.integer({ min: 0, max: 400 })),
  });

  it('gives the answer of the whole horizon for any day, clock and configuration (seeded)', () => {
    const calendar2027 = calendarFromArrangements(officialArrangements(2027) ?? []);
    fc.assert(
      fc.property(inputs, fc.integer({ min: -3, max: 65 }), ({ now, config, closed }, ahead) => {
        const closedDays = new Set(closed.map((k) => chinaDate(FROM + k * DAY_MS)));
        const given: HorizonInputs = {
          now,
          config,
          calendar: (date) =>
            closedDays.has(date) ? 'closed' : (CAL_2026(date) ?? calendar2027(date)),
        };
        const date = chinaDate(now + ahead * DAY_MS);
        expect(checkBookableDate(date, given)).toEqual(throughHorizon(date, given));
      }),
      { seed: 16, numRuns: 2000 },
    );
  });
});
