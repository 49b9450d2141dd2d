/**
 * R2: a year's effective holiday arrangement — the administrators' entry (`calendar` collection) when
 * there is one, else the State Council's from the `chinese-days` package the functions are built with,
 * else none (the plain weekday rule; the admin home warns, `availability` marks the days).
 */
import type { CalendarEntry, CalendarSource, CalendarYear } from '../../typings/admin';
import type { DayKind } from '../domain/calendar';
import { missingCalendarYears, yearOf } from '../domain/calendar-year';
import { addDays, chinaDate } from '../domain/china-time';
import { DEFAULT_RULES } from '../domain/config';
import { officialArrangements } from '../domain/holidays';
import type { Db } from './db';
import { calendarId, type CalendarDoc } from './documents/config';

/** One year as the functions apply it. */
export function effectiveYear(year: number, entered: CalendarDoc | undefined): CalendarYear {
  if (entered) {
    return {
      year,
      source: 'entered',
      holidays: entered.holidays.map((e) => ({ ...e })),
      workdays: entered.workdays.map((e) => ({ ...e })),
      updatedAt: entered.updatedAt,
      updatedBy: entered.updatedBy,
    };
  }
  const official = officialArrangements(year);
  if (!official) return { year, source: 'none', holidays: [], workdays: [] };
  const of = (kind: DayKind): CalendarEntry[] =>
    official.filter((a) => a.kind === kind).map((a) => ({ date: a.date, name: a.name }));
  return { year, source: 'official', holidays: of('holiday'), workdays: of('workday') };
}

/** The effective arrangement of each of `years` (one read for all of them). */
export async function loadCalendarYears(
  db: Db,
  years: readonly number[],
): Promise<Map<number, CalendarYear>> {
  const unique = [...new Set(years)];
  const docs =
    unique.length === 0
      ? []
      : await db.calendar.find({ _id: db.command.in(unique.map(calendarId)) });
  const byId = new Map(docs.map((d) => [d._id, d]));
  return new Map(unique.map((y) => [y, effectiveYear(y, byId.get(calendarId(y)))]));
}

/** The day → kind lookup of some years' arrangements. */
export function dayKinds(
  years: Iterable<CalendarYear>,
): Map<string, { kind: DayKind; name: string }> {
  const days = new Map<string, { kind: DayKind; name: string }>();
  for (const y of years) {
    for (const e of y.holidays) days.set(e.date, { kind: 'holiday', name: e.name });
    for (const e of y.workdays) days.set(e.date, { kind: 'workday', name: e.name });
  }
  return days;
}

/**
 * R2: the admin home's calendar warning at `now`: this year and the next with their sources, and the
 * years to enter (`missingCalendarYears`) for the longest horizon of the active services.
 */
export async function calendarStatusAt(
  db: Db,
  services: readonly { horizonDays: number }[],
  now: number,
): Promise<{ missingYears: number[]; years: { year: number; source: CalendarSource }[] }> {
  const horizonDays = Math.max(DEFAULT_RULES.horizonDays, ...services.map((s) => s.horizonDays));
  const thisYear = yearOf(chinaDate(now));
  const lastYear = yearOf(addDays(chinaDate(now), horizonDays));
  const loaded = await loadCalendarYears(db, [thisYear, thisYear + 1, lastYear]);
  const sourceOf = (y: number): CalendarSource => loaded.get(y)?.source ?? 'none';
  return {
    missingYears: missingCalendarYears(now, horizonDays, sourceOf),
    years: [thisYear, thisYear + 1].map((year) => ({ year, source: sourceOf(year) })),
  };
}
