/**
 * R2: an administrator's holiday arrangement — the paste box's parser, the whole year's validation and
 * the admin home's warning rule. The 2027 arrangement here is MADE UP for the tests (the real one is the
 * State Council's to publish): its dates only need the right weekdays.
 */
import type { CalendarSource } from '../../typings/admin';
import {
  checkCalendarYear,
  missingCalendarYears,
  normalised,
  parseArrangement,
} from '../../server/domain/calendar-year';

/** A China wall-clock instant as epoch ms, whatever the machine's zone (R3). */
const china = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('R2 parseArrangement (the paste box)', () => {
  it('reads holidays, make-up days and ranges, skipping blank lines and comments', () => {
    const text = [
      '# 2027 (made up for the test)',
      '2027-01-01 元旦 休',
      '',
      '2027-02-06～2027-02-08\t春节  休',
      '\u30002027-02-20 春节 班\u3000',
      '2027-02-21 春节 上班',
      '2027-05-03 劳动节 假',
    ].join('\r\n');
    expect(parseArrangement(text)).toEqual({
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-02-06', name: '春节' },
        { date: '2027-02-07', name: '春节' },
        { date: '2027-02-08', name: '春节' },
        { date: '2027-05-03', name: '劳动节' },
      ],
      workdays: [
        { date: '2027-02-20', name: '春节' },
        { date: '2027-02-21', name: '春节' },
      ],
      issues: [],
    });
  });

  it('names every line it cannot read, 1-based, and keeps the others', () => {
    const text = [
      '2027-01-01 元旦 休',
      '2027-13-01 元旦 休', // no such month
      '2027-01-02 元旦', // no 休/班
      '2027-01-03 元旦 玩', // neither
      '2027-02-08~2027-02-06 春节 休', // backwards
      '2027-01-01~2027-03-01 太长 休', // longer than 31 days
      '元旦 2027-01-01 休',
    ].join('\n');
    const parsed = parseArrangement(text);
    expect(parsed.holidays).toEqual([{ date: '2027-01-01', name: '元旦' }]);
    expect(parsed.issues).toEqual(
      [2, 3, 4, 5, 6, 7].map((line) => ({ line, code: 'ADMIN.CALENDAR_LINE_INVALID' })),
    );
  });
});

describe('R2 checkCalendarYear (a year validated as a whole)', () => {
  const ok = {
    holidays: [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-08', name: '春节' },
    ],
    // 2027-02-20 is a Saturday, 2027-02-21 a Sunday.
    workdays: [
      { date: '2027-02-20', name: '春节' },
      { date: '2027-02-21', name: '春节' },
    ],
  };

  it('accepts a consistent year', () => {
    expect(checkCalendarYear(2027, ok.holidays, ok.workdays)).toEqual([]);
  });

  it('names each wrong field with its code', () => {
    const issues = checkCalendarYear(
      2027,
      [
        { date: '2026-12-31', name: '元旦' }, // other year
        { date: '2027-02-30', name: '春节' }, // not a day
        { date: '2027-02-08', name: '春节' },
        { date: '2027-02-08', name: '春节' }, // twice
        { date: '2027-02-09', name: ' ' }, // empty name
        { date: '2027-02-10', name: '一二三四五六七八九十一二三四五六七八九十一' }, // 21 characters
      ],
      [
        { date: '2027-02-08', name: '春节' }, // also a holiday
        { date: '2027-02-22', name: '春节' }, // a Monday
        { date: '2027-02-20', name: '春节' },
      ],
    );
    expect(issues).toEqual([
      { code: 'ADMIN.CALENDAR_DATE_OUTSIDE_YEAR', field: 'holidays.0.date' },
      { code: 'ADMIN.CALENDAR_DATE_INVALID', field: 'holidays.1.date' },
      { code: 'ADMIN.CALENDAR_DATE_REPEATED', field: 'holidays.3.date' },
      { code: 'ADMIN.CALENDAR_NAME_INVALID', field: 'holidays.4.name' },
      { code: 'ADMIN.CALENDAR_NAME_INVALID', field: 'holidays.5.name' },
      { code: 'ADMIN.CALENDAR_HOLIDAY_AND_WORKDAY', field: 'workdays.0.date' },
      { code: 'ADMIN.CALENDAR_WORKDAY_NOT_WEEKEND', field: 'workdays.1.date' },
    ]);
  });

  it('refuses a year without a single holiday', () => {
    expect(checkCalendarYear(2027, [], ok.workdays)).toEqual([
      { code: 'ADMIN.CALENDAR_EMPTY', field: 'holidays' },
    ]);
  });

  it('stores entries sorted by date with trimmed names', () => {
    expect(
      normalised([
        { date: '2027-02-08', name: ' 春节 ' },
        { date: '2027-01-01', name: '元旦' },
      ]),
    ).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-08', name: '春节' },
    ]);
  });
});

describe('R2/R3 missingCalendarYears (the admin home warning)', () => {
  const sources =
    (known: Record<number, CalendarSource>) =>
    (year: number): CalendarSource =>
      known[year] ?? 'none';

  it('is quiet before 1 November when the horizon stays in a covered year', () => {
    expect(
      missingCalendarYears(china('2026-10-31T23:59:59'), 7, sources({ 2026: 'official' })),
    ).toEqual([]);
  });

  it('warns from 1 November, China time, when next year has no arrangement', () => {
    // 2026-11-01 00:00 in China is still 31 October in UTC.
    expect(
      missingCalendarYears(china('2026-11-01T00:00:00'), 7, sources({ 2026: 'official' })),
    ).toEqual([2027]);
  });

  it('is quiet in November once next year is entered', () => {
    expect(
      missingCalendarYears(
        china('2026-11-15T09:00:00'),
        7,
        sources({ 2026: 'official', 2027: 'entered' }),
      ),
    ).toEqual([]);
  });

  it("warns whenever the horizon's last day is in a year without one, whatever the month", () => {
    // 2027-03-01 + 7 days stays in 2027, which nobody entered.
    expect(
      missingCalendarYears(china('2027-03-01T09:00:00'), 7, sources({ 2026: 'official' })),
    ).toEqual([2027]);
    // A long horizon reaches next year before November.
    expect(
      missingCalendarYears(china('2026-10-20T09:00:00'), 75, sources({ 2026: 'official' })),
    ).toEqual([2027]);
  });
});
