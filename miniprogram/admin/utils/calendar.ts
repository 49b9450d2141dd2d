/**
 * R2: what the calendar page shows of a year's arrangement — the paste box read and checked with the
 * server's own rules (server/domain/calendar-year.ts: the same parser and the same validation), each
 * problem as a line a person can act on, and a month of the year with its holidays and make-up working
 * days marked. Pure.
 */
import type { CalendarEntry, CalendarSource, CalendarYear } from '../../../typings/admin';
import type { ErrorCode } from '../../../typings/errors';
import { checkCalendarYear, parseArrangement } from '../../../server/domain/calendar-year';
import { daysInMonth, weekday } from '../../../server/domain/china-time';
import { codeMessage } from '../../utils/messages';

export const SOURCE_TEXT: Record<CalendarSource, string> = {
  official: '国务院发布（随系统更新）',
  entered: '管理员录入',
  none: '未录入：只按周一至周五办公，节假日不会自动休息',
};

/** A year's arrangement as paste-box lines, one per day, holidays first: what the box starts with. */
export function arrangementText(year: Pick<CalendarYear, 'holidays' | 'workdays'>): string {
  return [
    ...year.holidays.map((e) => `${e.date} ${e.name} 休`),
    ...year.workdays.map((e) => `${e.date} ${e.name} 班`),
  ].join('\n');
}

export interface Checked {
  holidays: CalendarEntry[];
  workdays: CalendarEntry[];
  /** Every problem, in the box's order, as a sentence: `第 3 行：…` or `2027-02-20 春节：…`. */
  problems: string[];
}

function entryAt(field: string, holidays: CalendarEntry[], workdays: CalendarEntry[]) {
  const m = /^(holidays|workdays)\.(\d+)\./.exec(field);
  if (!m) return undefined;
  return (m[1] === 'holidays' ? holidays : workdays)[Number(m[2])];
}

/** The box read (R2 paste format) and the year checked as the server will check it. */
export function checkText(year: number, text: string): Checked {
  const parsed = parseArrangement(text);
  const problems = parsed.issues.map((i) => `第 ${String(i.line)} 行：${codeMessage(i.code)}`);
  for (const issue of checkCalendarYear(year, parsed.holidays, parsed.workdays)) {
    const entry = entryAt(issue.field, parsed.holidays, parsed.workdays);
    problems.push(
      entry ? `${entry.date} ${entry.name}：${codeMessage(issue.code)}` : codeMessage(issue.code),
    );
  }
  return { holidays: parsed.holidays, workdays: parsed.workdays, problems };
}

/** The sentence for a refusal the server answered about a field (`holidays.3.date`). */
export function fieldProblem(
  code: ErrorCode,
  field: string | undefined,
  holidays: CalendarEntry[],
  workdays: CalendarEntry[],
): string {
  const entry = field === undefined ? undefined : entryAt(field, holidays, workdays);
  return entry ? `${entry.date} ${entry.name}：${codeMessage(code)}` : codeMessage(code);
}

export type DayMark = 'holiday' | 'workday' | 'weekend' | 'plain';

export interface DayCell {
  /** `''` for the blanks before the 1st and after the last day. */
  key: string;
  day: number;
  mark: DayMark | 'blank';
  /** The festival, on holidays and make-up days. */
  name: string;
}

export interface MonthView {
  title: string;
  weeks: { key: string; days: DayCell[] }[];
  holidays: number;
  workdays: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * One month, Monday first (as Chinese calendars print it): each day a holiday (休), a make-up working day
 * (班), a plain weekend or a plain working day.
 */
export function monthView(
  year: number,
  month: number,
  holidays: readonly CalendarEntry[],
  workdays: readonly CalendarEntry[],
): MonthView {
  const byDate = new Map<string, { mark: DayMark; name: string }>();
  for (const e of holidays) byDate.set(e.date, { mark: 'holiday', name: e.name });
  for (const e of workdays) byDate.set(e.date, { mark: 'workday', name: e.name });
  const first = `${String(year)}-${pad(month)}-01`;
  const cells: DayCell[] = [];
  // Monday first: Sunday (0) is the seventh column.
  const lead = (weekday(first) + 6) % 7;
  for (let i = 0; i < lead; i += 1)
    cells.push({ key: `b${String(i)}`, day: 0, mark: 'blank', name: '' });
  const counted = { holidays: 0, workdays: 0 };
  for (let d = 1; d <= daysInMonth(year, month); d += 1) {
    const date = `${String(year)}-${pad(month)}-${pad(d)}`;
    const known = byDate.get(date);
    const wd = weekday(date);
    const mark: DayMark = known?.mark ?? (wd === 0 || wd === 6 ? 'weekend' : 'plain');
    if (mark === 'holiday') counted.holidays += 1;
    if (mark === 'workday') counted.workdays += 1;
    cells.push({ key: date, day: d, mark, name: known?.name ?? '' });
  }
  while (cells.length % 7 !== 0)
    cells.push({ key: `a${String(cells.length)}`, day: 0, mark: 'blank', name: '' });
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7)
    weeks.push({ key: `w${String(i / 7)}`, days: cells.slice(i, i + 7) });
  return { title: `${String(year)} 年 ${String(month)} 月`, weeks, ...counted };
}

/** The month to show first: that of the first holiday, or January. */
export function firstMonth(holidays: readonly CalendarEntry[]): number {
  const dates = holidays.map((e) => e.date).sort();
  const first = dates[0];
  return first === undefined ? 1 : Number(first.slice(5, 7));
}
