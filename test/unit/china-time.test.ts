import {
  addChinaMonths,
  addDays,
  chinaClock,
  chinaDate,
  chinaInstant,
  chinaMoment,
  chinaMonth,
  clockMinutes,
  daysInMonth,
  isClock,
  isDateString,
  untilNote,
  weekday,
} from '../../server/domain/china-time';

// R3: these hold whatever TZ the test runs in; CI runs with TZ=UTC.
describe('China time (R3)', () => {
  it('puts 2026-11-26 16:00 UTC on the next China day, at midnight', () => {
    const ms = Date.UTC(2026, 10, 26, 16, 0);
    expect([chinaDate(ms), chinaClock(ms)]).toEqual(['2026-11-27', '00:00']);
    expect([chinaDate(ms - 1), chinaClock(ms - 1)]).toEqual(['2026-11-26', '23:59']);
  });

  it('maps a China wall-clock time to the instant eight hours earlier in UTC', () => {
    expect(chinaInstant('2026-12-01', '18:00')).toBe(Date.UTC(2026, 11, 1, 10, 0));
    expect(chinaInstant('2027-01-01')).toBe(Date.UTC(2026, 11, 31, 16, 0));
  });

  it('crosses month and year ends by calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(chinaMonth(Date.UTC(2026, 10, 30, 16, 0))).toBe('2026-12');
  });

  it('knows weekdays of China days', () => {
    expect(['2026-11-28', '2026-11-29', '2026-11-30'].map(weekday)).toEqual([6, 0, 1]);
  });

  it('accepts only real calendar days', () => {
    expect(
      ['2026-02-28', '2028-02-29', '2026-02-29', '2026-13-01', '2026-1-01', 20261201, null].map(
        isDateString,
      ),
    ).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('China clock and calendar-month helpers (R2, R3, R10)', () => {
  it('accepts only HH:mm clocks and converts them to minutes', () => {
    expect(
      ['00:00', '08:30', '23:59', '24:00', '8:30', '08:60', '0830', 830, undefined].map(isClock),
    ).toEqual([true, true, true, false, false, false, false, false, false]);
    expect([clockMinutes('00:00'), clockMinutes('14:30'), clockMinutes('23:59')]).toEqual([
      0, 870, 1439,
    ]);
    expect(() => clockMinutes('24:00')).toThrow(RangeError);
  });

  it('knows month lengths, leap years included', () => {
    expect([
      daysInMonth(2026, 2),
      daysInMonth(2028, 2),
      daysInMonth(2100, 2),
      daysInMonth(2000, 2),
      daysInMonth(2026, 4),
      daysInMonth(2026, 12),
    ]).toEqual([28, 29, 28, 29, 30, 31]);
  });

  it('adds China calendar months: same day and clock time, clamped to the month end', () => {
    const at = (date: string, clock: string) => chinaInstant(date, clock);
    expect([
      addChinaMonths(at('2026-11-20', '14:30'), 1),
      addChinaMonths(at('2026-01-31', '10:00'), 1),
      addChinaMonths(at('2028-01-31', '10:00'), 1),
      addChinaMonths(at('2026-12-15', '09:00'), 1),
      addChinaMonths(at('2026-03-31', '09:00'), -1),
      addChinaMonths(at('2026-05-31', '09:00'), 13),
    ]).toEqual([
      at('2026-12-20', '14:30'),
      at('2026-02-28', '10:00'),
      at('2028-02-29', '10:00'),
      at('2027-01-15', '09:00'),
      at('2026-02-28', '09:00'),
      at('2027-06-30', '09:00'),
    ]);
  });

  it('adds months to the China day, not the UTC day, just after China midnight', () => {
    // 2026-11-30T16:30Z is 1 Dec 00:30 in China: one month later is 1 Jan 00:30 in China (31 Dec UTC),
    // not 30 Dec as adding a month to the UTC date would give.
    expect(addChinaMonths(Date.UTC(2026, 10, 30, 16, 30, 5, 7), 1)).toBe(
      Date.UTC(2026, 11, 31, 16, 30, 5, 7),
    );
  });
});

describe('until when, as citizens read it (R10, R15, R16, R17)', () => {
  // 2026-12-15 10:00 China time.
  const now = Date.UTC(2026, 11, 15, 2, 0);
  it('says month, day and China clock, no year within the current China year', () => {
    // 2026-12-15 16:00 UTC is 2026-12-16 00:00 in China: the China date, not the machine's.
    expect(untilNote(Date.UTC(2026, 11, 15, 16, 0), now)).toBe('（至 12月16日 00:00）');
    expect(chinaMoment(Date.UTC(2026, 0, 4, 2, 30), now)).toBe('1月4日 10:30');
  });
  it('adds the year only when the moment is in another China year', () => {
    expect(untilNote(Date.UTC(2026, 11, 31, 16, 0), now)).toBe('（至 2027年1月1日 00:00）');
    // 31 Dec 2026 20:00 UTC is already 2027 in China, and `now` there too: no year.
    const chinaNewYear = Date.UTC(2026, 11, 31, 20, 0);
    expect(chinaMoment(Date.UTC(2027, 0, 2, 1, 5), chinaNewYear)).toBe('1月2日 09:05');
    // 31 Dec 2026 15:59 UTC is still 2026 in China.
    expect(chinaMoment(Date.UTC(2026, 11, 31, 16, 0), Date.UTC(2026, 11, 31, 15, 59))).toBe(
      '2027年1月1日 00:00',
    );
  });
});
