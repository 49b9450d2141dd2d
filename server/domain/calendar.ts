/**
 * R2/R3 booking horizon: which China calendar days can be booked at an instant, and why the others
 * cannot. Pure: the holiday calendar comes in as a lookup function (the database's `calendar` collection,
 * seeded from holidays.ts), so this module stays small enough for the mini program page.
 */
import type { ClosedReason, ErrorCode } from '../../typings/api';
import {
  addDays,
  chinaDate,
  chinaInstant,
  DAY_MS,
  isClock,
  isDateString,
  weekday,
} from './china-time';

/**
 * What the configurable calendar says about one day: a declared holiday, a make-up working day (调休), or
 * a day the service's office closed (an unplanned closure, issue 14).
 */
export type DayKind = 'holiday' | 'workday' | 'closed';

/** Looks a `YYYY-MM-DD` day up in the holiday calendar; `undefined` for an ordinary day. */
export type CalendarLookup = (date: string) => DayKind | undefined;

export interface HorizonConfig {
  /** R2: how many days ahead can be booked (7: on day 1, days 2–8). */
  horizonDays: number;
  /** R2: `HH:mm` China time at which the last day of the horizon opens (default 00:00). */
  releaseTime: string;
  /** Weekdays with windows open, 0 = Sunday … 6 = Saturday; default Monday–Friday. */
  openWeekdays?: readonly number[];
}

export interface HorizonInputs {
  /** The instant of the question, epoch ms. */
  now: number;
  config: HorizonConfig;
  calendar: CalendarLookup;
}

export interface HorizonDay {
  /** A China calendar day, `YYYY-MM-DD`. */
  date: string;
  open: boolean;
  /**
   * Why a day is not bookable: `weekend` (Saturday/Sunday not declared a make-up day), `closed` (another
   * weekday the service does not open), `holiday` (declared holiday, even on a weekday), `not_released`
   * (an open day whose release time has not come yet). A closed day is reported closed even before its
   * release: it will never open.
   */
  closedReason?: Extract<ClosedReason, 'weekend' | 'holiday' | 'not_released' | 'closed'>;
}

export type DateCheck = { ok: true; day: HorizonDay } | { ok: false; code: ErrorCode };

export const DEFAULT_OPEN_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

function assertConfig(config: HorizonConfig): void {
  if (!Number.isInteger(config.horizonDays) || config.horizonDays < 1) {
    throw new RangeError(`horizonDays must be a positive integer: ${String(config.horizonDays)}`);
  }
  if (!isClock(config.releaseTime)) {
    throw new RangeError(`releaseTime must be HH:mm: ${String(config.releaseTime)}`);
  }
}

/**
 * Whether the windows open on `date` at all, ignoring release: a make-up working day is open even on a
 * weekend, a holiday closed even on a weekday (R2).
 */
export function dayStatus(
  date: string,
  calendar: CalendarLookup,
  openWeekdays: readonly number[] = DEFAULT_OPEN_WEEKDAYS,
): { open: true } | { open: false; closedReason: 'weekend' | 'holiday' | 'closed' } {
  const kind = calendar(date);
  if (kind === 'closed') return { open: false, closedReason: 'closed' };
  if (kind === 'workday') return { open: true };
  if (kind === 'holiday') return { open: false, closedReason: 'holiday' };
  const day = weekday(date);
  if (openWeekdays.includes(day)) return { open: true };
  return { open: false, closedReason: day === 0 || day === 6 ? 'weekend' : 'closed' };
}

/**
 * The instant `date` becomes bookable: its release time on the day `horizonDays` before it (R2: with 7,
 * day 8 opens on day 1 at the release time).
 */
export function releaseInstant(date: string, config: HorizonConfig): number {
  assertConfig(config);
  return chinaInstant(addDays(date, -config.horizonDays), config.releaseTime);
}

/** R2: one day of the horizon seen at `now`, open or with the reason it is not. */
function horizonDay(date: string, { now, config, calendar }: HorizonInputs): HorizonDay {
  const status = dayStatus(date, calendar, config.openWeekdays);
  if (!status.open) return { date, open: false, closedReason: status.closedReason };
  if (now < releaseInstant(date, config))
    return { date, open: false, closedReason: 'not_released' };
  return { date, open: true };
}

/**
 * R2/R3: the days from tomorrow to today + `horizonDays` (China calendar days of `now`), each open or with
 * the reason it is not. Today is never in the list: booking for today is never allowed.
 */
export function horizon(inputs: HorizonInputs): HorizonDay[] {
  assertConfig(inputs.config);
  const today = chinaDate(inputs.now);
  const days: HorizonDay[] = [];
  for (let k = 1; k <= inputs.config.horizonDays; k += 1) {
    days.push(horizonDay(addDays(today, k), inputs));
  }
  return days;
}

/**
 * R2: whether `date` can be booked at `now`, or the code saying why not: `CALENDAR.DATE_INVALID` (not a
 * real `YYYY-MM-DD`), `CALENDAR.SAME_DAY` (today), `CALENDAR.OUT_OF_HORIZON` (past, or beyond the
 * horizon), `CALENDAR.CLOSED` (weekend, holiday, closed weekday), `CALENDAR.NOT_RELEASED`. The day's
 * entry of `horizon(inputs)`, worked out for that day alone: every booking asks it, and the whole
 * horizon is `horizonDays` times the work (bench:booking, issue 16).
 */
export function checkBookableDate(date: unknown, inputs: HorizonInputs): DateCheck {
  if (!isDateString(date)) return { ok: false, code: 'CALENDAR.DATE_INVALID' };
  const today = chinaDate(inputs.now);
  if (date === today) return { ok: false, code: 'CALENDAR.SAME_DAY' };
  assertConfig(inputs.config);
  // China days are 24 hours long (R3: no daylight saving), so the difference is a whole number of days.
  const ahead = (chinaInstant(date) - chinaInstant(today)) / DAY_MS;
  if (ahead < 1 || ahead > inputs.config.horizonDays) {
    return { ok: false, code: 'CALENDAR.OUT_OF_HORIZON' };
  }
  const day = horizonDay(date, inputs);
  if (day.open) return { ok: true, day };
  return {
    ok: false,
    code: day.closedReason === 'not_released' ? 'CALENDAR.NOT_RELEASED' : 'CALENDAR.CLOSED',
  };
}

/** A calendar lookup over a list of arrangements (the `calendar` collection, or holidays.ts output). */
export function calendarFromArrangements(
  arrangements: Iterable<{ date: string; kind: DayKind }>,
): CalendarLookup {
  const byDate = new Map<string, DayKind>();
  for (const a of arrangements) byDate.set(a.date, a.kind);
  return (date) => byDate.get(date);
}
