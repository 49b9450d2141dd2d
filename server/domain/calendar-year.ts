/**
 * R2: one year's holiday arrangement as an administrator enters it — the paste box's parser, the whole
 * year's validation, and the admin home's warning rule. Pure (no I/O, no `chinese-days`): the same code
 * checks the form on the phone and the request on the server.
 */
import type { CalendarEntry, CalendarSource } from '../../typings/admin';
import type { ErrorCode } from '../../typings/errors';
import { addDays, chinaDate, isDateString, weekday } from './china-time';

/** Entries a list may hold: more than any year's arrangement (about 30 holidays, 8 make-up days). */
export const MAX_ENTRIES = 80;
/** A festival's name, in characters. */
export const MAX_NAME = 20;
/** The longest range one pasted line may cover (`2027-02-10~2027-02-16 春节 休`). */
export const MAX_RANGE_DAYS = 31;

export interface CalendarIssue {
  code: ErrorCode;
  /** The field as the request names it: `holidays.3.date`, `workdays.0.name`, `holidays`. */
  field: string;
}

function nameValid(name: string): boolean {
  const chars = Array.from(name.trim());
  // No control characters: the name is shown on the admin page and in the audit.
  return chars.length >= 1 && chars.length <= MAX_NAME && !/\p{Cc}/u.test(name);
}

/**
 * Every problem of `year`'s arrangement, in field order (empty when it may be saved): dates real and in
 * that year, no day twice, no holiday that is also a make-up working day, make-up days on a Saturday or
 * Sunday (a weekday is a working day already), names of 1–20 characters, at least one holiday.
 */
export function checkCalendarYear(
  year: number,
  holidays: readonly CalendarEntry[],
  workdays: readonly CalendarEntry[],
): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  const prefix = `${String(year)}-`;
  const holidayDates = new Set<string>();
  const lists = [
    ['holidays', holidays],
    ['workdays', workdays],
  ] as const;
  for (const [list, entries] of lists) {
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const field = `${list}.${String(i)}`;
      if (!isDateString(entry.date)) {
        issues.push({ code: 'ADMIN.CALENDAR_DATE_INVALID', field: `${field}.date` });
      } else if (!entry.date.startsWith(prefix)) {
        issues.push({ code: 'ADMIN.CALENDAR_DATE_OUTSIDE_YEAR', field: `${field}.date` });
      } else if (seen.has(entry.date)) {
        issues.push({ code: 'ADMIN.CALENDAR_DATE_REPEATED', field: `${field}.date` });
      } else if (list === 'workdays' && holidayDates.has(entry.date)) {
        issues.push({ code: 'ADMIN.CALENDAR_HOLIDAY_AND_WORKDAY', field: `${field}.date` });
      } else if (list === 'workdays' && weekday(entry.date) !== 0 && weekday(entry.date) !== 6) {
        issues.push({ code: 'ADMIN.CALENDAR_WORKDAY_NOT_WEEKEND', field: `${field}.date` });
      }
      seen.add(entry.date);
      if (list === 'holidays') holidayDates.add(entry.date);
      if (!nameValid(entry.name)) {
        issues.push({ code: 'ADMIN.CALENDAR_NAME_INVALID', field: `${field}.name` });
      }
    });
  }
  if (holidays.length === 0) issues.push({ code: 'ADMIN.CALENDAR_EMPTY', field: 'holidays' });
  return issues;
}

/** Entries sorted by date, names trimmed: how a year is stored and answered. */
export function normalised(entries: readonly CalendarEntry[]): CalendarEntry[] {
  return entries
    .map((e) => ({ date: e.date, name: e.name.trim() }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export interface ParsedArrangement {
  holidays: CalendarEntry[];
  workdays: CalendarEntry[];
  /** Lines that could not be read, 1-based, with the code to show beside them. */
  issues: { line: number; code: ErrorCode }[];
}

const HOLIDAY_WORDS = new Set(['休', '假', '放假', '休息']);
const WORKDAY_WORDS = new Set(['班', '上班', '调休上班', '补班']);
/** `2027-02-10`, or a range `2027-02-10~2027-02-16` (also `～`, `至`). */
const LINE = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:~|～|至)\s*(\d{4}-\d{2}-\d{2}))?\s+(.+?)\s+(\S+)$/u;

/**
 * The paste box (R2): one day or range per line, `2027-01-01 元旦 休` (a holiday) or `2027-02-20 春节 班`
 * (a make-up working day); `休`/`假`/`放假`, `班`/`上班`/`补班`; a range `2027-02-10~2027-02-16 春节 休`
 * (at most 31 days). Full-width spaces and tabs count as spaces; blank lines and lines starting with `#`
 * are skipped. What it reads is then checked as a whole by `checkCalendarYear`.
 */
export function parseArrangement(text: string): ParsedArrangement {
  const result: ParsedArrangement = { holidays: [], workdays: [], issues: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/[\u3000\t]/g, ' ').trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    const [, from, to, name, word] = m ?? [];
    const kind =
      word !== undefined && HOLIDAY_WORDS.has(word)
        ? 'holiday'
        : word !== undefined && WORKDAY_WORDS.has(word)
          ? 'workday'
          : undefined;
    const dates = from === undefined ? undefined : dateRange(from, to ?? from);
    if (kind === undefined || dates === undefined || name === undefined) {
      result.issues.push({ line: i + 1, code: 'ADMIN.CALENDAR_LINE_INVALID' });
      return;
    }
    const list = kind === 'holiday' ? result.holidays : result.workdays;
    for (const date of dates) list.push({ date, name: name.trim() });
  });
  return result;
}

/** The days from `from` to `to` inclusive; undefined when either is not a day or the range is wrong. */
function dateRange(from: string, to: string): string[] | undefined {
  if (!isDateString(from) || !isDateString(to) || to < from) return undefined;
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > MAX_RANGE_DAYS) return undefined;
  }
  return days;
}

/** The year of a `YYYY-MM-DD` day. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/**
 * R2: which years the administrators must enter now, sorted. The year of the horizon's last day when it
 * has no arrangement (its days are offered by the weekday rule alone), and from 1 November (China time)
 * next year when it has none: the State Council publishes around then, and the horizon reaches January
 * in late December.
 */
export function missingCalendarYears(
  now: number,
  horizonDays: number,
  sourceOf: (year: number) => CalendarSource,
): number[] {
  const today = chinaDate(now);
  const missing = new Set<number>();
  const last = yearOf(addDays(today, horizonDays));
  if (sourceOf(last) === 'none') missing.add(last);
  const thisYear = yearOf(today);
  if (today >= `${String(thisYear)}-11-01` && sourceOf(thisYear + 1) === 'none') {
    missing.add(thisYear + 1);
  }
  return [...missing].sort((a, b) => a - b);
}
