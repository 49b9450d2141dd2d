/**
 * A person's standing and the instants of a booking's life:
 * - R10 no-shows and suspension: the 3rd no-show within one China calendar month suspends booking for one
 *   month from that no-show;
 * - R5 which statuses are active or hold a number;
 * - R8 the cancel deadline; R9 the period start; R13 the reminder instant.
 * All months and days are China calendar ones (R3).
 */
import type { BookingStatus } from '../../typings/api';
import { addChinaMonths, addDays, chinaInstant, chinaMonth } from './china-time';

// ---------------------------------------------------------------------------------------------------
// R10 no-shows and suspension

/** An administrator's lift: every no-show at or before this instant is forgiven. Epoch ms or `{ at }`. */
export type Lift = number | { at: number };

/** R10 default: the 3rd no-show in a month suspends. */
export const DEFAULT_NO_SHOW_LIMIT = 3;

export interface Suspension {
  /** The no-show that triggered it, epoch ms; the suspension starts here. */
  from: number;
  /** One China calendar month later (see `addChinaMonths`), epoch ms; booking is allowed again from here. */
  until: number;
}

/** The instant of a lift that has happened by `now`; -Infinity when there is none (yet). */
function liftInstant(lift: Lift | undefined, now: number): number {
  const at = lift === undefined ? -Infinity : typeof lift === 'number' ? lift : lift.at;
  return at <= now ? at : -Infinity;
}

/** The no-shows that still count at `now`: not in the future, not forgiven by a lift; ascending. */
function counted(noShows: readonly number[], now: number, lift: Lift | undefined): number[] {
  const liftedAt = liftInstant(lift, now);
  return noShows.filter((t) => t > liftedAt && t <= now).sort((a, b) => a - b);
}

/**
 * R10: every suspension the no-shows (epoch ms) known at `now` imply, oldest first. No-shows are counted
 * per China calendar month; the `limit`-th (3rd) one of a month triggers a suspension of one China
 * calendar month from its own instant: same day of the month and clock time next month, clamped to the
 * month's end (a 3rd no-show on 31 January 10:00 suspends until 28/29 February 10:00). The count then
 * starts again, so a 6th no-show in the same month triggers a new suspension. No-shows at or before an
 * administrator's `lift` are forgiven, which also ends any suspension they triggered.
 *
 * Record a no-show at the booking's `startsAt` (the appointment), not at the sweep that finds it after the
 * day's end, so it counts in the month of the appointment.
 */
export function suspensions(
  noShows: readonly number[],
  now: number,
  lift?: Lift,
  limit: number = DEFAULT_NO_SHOW_LIMIT,
  /** How long a suspension lasts, in China calendar months (a setting, issue 14; 1 by default). */
  months = 1,
): Suspension[] {
  const result: Suspension[] = [];
  let month = '';
  let count = 0;
  for (const t of counted(noShows, now, lift)) {
    const m = chinaMonth(t);
    if (m !== month) {
      month = m;
      count = 0;
    }
    count += 1;
    if (count >= limit) {
      result.push({ from: t, until: addChinaMonths(t, months) });
      count = 0;
    }
  }
  return result;
}

/**
 * R10: the instant the suspension in effect at `now` ends (epoch ms), or `undefined` when the person may
 * book. Suspended people are told until when.
 */
export function suspendedUntil(
  noShows: readonly number[],
  now: number,
  lift?: Lift,
  limit: number = DEFAULT_NO_SHOW_LIMIT,
  months = 1,
): number | undefined {
  let until: number | undefined;
  for (const s of suspensions(noShows, now, lift, limit, months)) {
    if (s.from <= now && now < s.until && (until === undefined || s.until > until)) until = s.until;
  }
  return until;
}

/** R10: whether the person is suspended from booking at `now`. */
export function isSuspended(
  noShows: readonly number[],
  now: number,
  lift?: Lift,
  limit: number = DEFAULT_NO_SHOW_LIMIT,
): boolean {
  return suspendedUntil(noShows, now, lift, limit) !== undefined;
}

/** R10: the no-shows in the China calendar month of `now` (up to `now`), not counting forgiven ones. */
export function noShowsThisMonth(noShows: readonly number[], now: number, lift?: Lift): number {
  const month = chinaMonth(now);
  return counted(noShows, now, lift).filter((t) => chinaMonth(t) === month).length;
}

/**
 * R10: the instant a booking still `booked` on `date` (`YYYY-MM-DD`) becomes a no-show: the end of its
 * China day (midnight starting the next day).
 */
export function noShowDueAt(date: string): number {
  return chinaInstant(addDays(date, 1));
}

// ---------------------------------------------------------------------------------------------------
// R5 statuses

/**
 * R5: statuses that count towards the account's active limit and the one-per-person-per-day rule: booked
 * and every step at the window until the business ends (served) or the number is void (missed).
 */
export const ACTIVE_STATUSES: readonly BookingStatus[] = [
  'booked',
  'checked_in',
  'called',
  'serving',
];

export function isActiveStatus(status: BookingStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/**
 * R4: every status but the cancelled ones keeps its number taken for the day (a cancelled one is free
 * again; a day the office closed has no numbers to give anyway).
 */
export function holdsNumber(status: BookingStatus): boolean {
  return status !== 'cancelled' && status !== 'cancelled_by_office';
}

// ---------------------------------------------------------------------------------------------------
// R8/R9/R13 instants of a booking

/** R9: the instant a period starts on `date`, e.g. 09:00 China time. */
export function periodStartsAt(date: string, period: { start: string }): number {
  return chinaInstant(date, period.start);
}

/** The instant a period ends on `date`. */
export function periodEndsAt(date: string, period: { end: string }): number {
  return chinaInstant(date, period.end);
}

/** R8: the last instant a booking starting at `startsAt` may be cancelled or rescheduled. */
export function cancelDeadline(startsAt: number, cutoffMinutes: number): number {
  return startsAt - cutoffMinutes * 60_000;
}

/** R8: cancelling is allowed up to and including the deadline, refused after it. */
export function canCancel(now: number, startsAt: number, cutoffMinutes: number): boolean {
  return now <= cancelDeadline(startsAt, cutoffMinutes);
}

export interface ReminderLead {
  /** Days before the appointment day (1: the day before). */
  daysBefore: number;
  /** `HH:mm` China time on that day. */
  at: string;
}

/**
 * R13: when the reminder for an appointment on `date` goes out (default 18:00 the day before). It can be
 * in the past for a booking made late; the caller decides whether to send at once or not at all.
 */
export function reminderAt(date: string, lead: ReminderLead): number {
  return chinaInstant(addDays(date, -lead.daysBefore), lead.at);
}
