import {
  addDays,
  chinaClock,
  chinaDate,
  chinaInstant,
  chinaMonth,
  isDateString,
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
