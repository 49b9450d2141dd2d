/**
 * Statistics (issue 14): the counts of one service's day, per period, from its bookings; and the rows an
 * administrator reads, summed from such days. Pure: the store reads the bookings and keeps the days'
 * counts (docs/data-model.md, "Statistics").
 *
 * What counts (every count is of bookings of the day, whatever became of them):
 * - `booked`: bookings made, rescheduled-away ones included (R8: a reschedule cancels one and books
 *   another; the one it left counts as cancelled by the citizen on its own day);
 * - `checkedIn`: bookings ever checked in (R9), whatever came next; `served`, `missed` (R9), `noShow`
 *   (R10) their final statuses;
 * - `released` (R2, R4): the sizes of the periods' number ranges on a day the service was open, as
 *   configured when that day ended (`releaseConfigOn`): none on a day that ended before the service was
 *   created, and a later change of quota, weekdays or activity does not reach back;
 * - the wait: from check-in to the first call, in whole minutes (seconds dropped); the median is the
 *   lower one (the ⌈n/2⌉-th smallest), answered in seconds.
 */
import type { BookingStatus, DateString } from '../../typings/api';
import type { StatsBy, StatsRow } from '../../typings/admin';
import { addDays, chinaInstant } from './china-time';

/** One period of one day (or a sum of them): the counts before the ratios and the median. */
export interface Counts {
  released: number;
  booked: number;
  cancelledByCitizen: number;
  cancelledByOffice: number;
  checkedIn: number;
  served: number;
  missed: number;
  noShow: number;
  byChannel: Record<string, number>;
  /** Waits from check-in to the first call: whole minutes → how many. */
  waitMinutes: Record<string, number>;
}

/** What of a booking the counts read. */
export interface CountedBooking {
  status: BookingStatus;
  channel: string;
  periodStart: string;
  periodEnd: string;
  checkedInAt?: number;
  /** The window's transitions (server/staff/queue.ts); the first `call` is the end of the wait. */
  history?: readonly { event: string; at: number }[];
}

/** A period as configured (only its times and range matter here). */
export interface PeriodSpan {
  start: string;
  end: string;
  from: number;
  to: number;
}

/** What of a service's configuration decides its released numbers on a day (R2: weekdays; R4: ranges). */
export interface ReleaseConfig {
  active: boolean;
  openWeekdays: readonly number[];
  periods: readonly PeriodSpan[];
}

/** A configuration a later change replaced: it was in force until `until` (epoch ms). */
export interface ReleaseVersion extends ReleaseConfig {
  until: number;
}

/** A service as `releaseConfigOn` reads it: its configuration now, its creation, the ones replaced. */
export interface ServiceReleases extends ReleaseConfig {
  /** Epoch ms; absent for a service created before it was recorded (then no lower bound). */
  createdAt?: number;
  /** Oldest first. */
  releaseHistory?: readonly ReleaseVersion[];
}

/**
 * The configuration that released `date`'s numbers (R2, R4): the one in force when the day ended (its
 * China midnight), which is also what the no-show sweep's run reads within the hour after; undefined
 * for a day that ended before the service was created. So a quota changed today changes today's and
 * the days ahead's released numbers, never an ended day's, whether that day is stored or recounted.
 */
export function releaseConfigOn(
  service: ServiceReleases,
  date: DateString,
): ReleaseConfig | undefined {
  const end = chinaInstant(addDays(date, 1));
  if (service.createdAt !== undefined && service.createdAt >= end) return undefined;
  return service.releaseHistory?.find((v) => v.until >= end) ?? service;
}

/** Whether two configurations release the same numbers on every day (R2, R4). */
export function sameRelease(a: ReleaseConfig, b: ReleaseConfig): boolean {
  const spans = (c: ReleaseConfig) =>
    JSON.stringify(c.periods.map((p) => [p.start, p.end, p.from, p.to]));
  return (
    a.active === b.active &&
    [...a.openWeekdays].sort().join() === [...b.openWeekdays].sort().join() &&
    spans(a) === spans(b)
  );
}

export function emptyCounts(): Counts {
  return {
    released: 0,
    booked: 0,
    cancelledByCitizen: 0,
    cancelledByOffice: 0,
    checkedIn: 0,
    served: 0,
    missed: 0,
    noShow: 0,
    byChannel: {},
    waitMinutes: {},
  };
}

/** The key of a period in the rows (`by: 'period'`): `09:00-10:00`. */
export function periodKey(start: string, end: string): string {
  return `${start}-${end}`;
}

function bump(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n;
}

/** Adds `b` into `a` (in place) and answers `a`. */
export function addCounts(a: Counts, b: Counts): Counts {
  a.released += b.released;
  a.booked += b.booked;
  a.cancelledByCitizen += b.cancelledByCitizen;
  a.cancelledByOffice += b.cancelledByOffice;
  a.checkedIn += b.checkedIn;
  a.served += b.served;
  a.missed += b.missed;
  a.noShow += b.noShow;
  for (const [k, n] of Object.entries(b.byChannel)) bump(a.byChannel, k, n);
  for (const [k, n] of Object.entries(b.waitMinutes)) bump(a.waitMinutes, k, n);
  return a;
}

/**
 * One service's day, per period (keyed by `periodKey`): the released numbers of `periods` when the service
 * was open that day (`open`), and the bookings. A booking of a period no longer configured keeps its own
 * key (its times as booked), with nothing released.
 */
export function countDay(
  periods: readonly PeriodSpan[],
  open: boolean,
  bookings: readonly CountedBooking[],
): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  const at = (key: string): Counts => (out[key] ??= emptyCounts());
  if (open) for (const p of periods) at(periodKey(p.start, p.end)).released += p.to - p.from + 1;
  for (const b of bookings) {
    const c = at(periodKey(b.periodStart, b.periodEnd));
    c.booked += 1;
    bump(c.byChannel, b.channel);
    if (b.status === 'cancelled') c.cancelledByCitizen += 1;
    if (b.status === 'cancelled_by_office') c.cancelledByOffice += 1;
    if (b.status === 'served') c.served += 1;
    if (b.status === 'missed') c.missed += 1;
    if (b.status === 'no_show') c.noShow += 1;
    if (b.checkedInAt !== undefined) {
      c.checkedIn += 1;
      const called = b.history?.find((s) => s.event === 'call' && s.at >= (b.checkedInAt ?? 0));
      if (called) bump(c.waitMinutes, String(Math.floor((called.at - b.checkedInAt) / 60_000)));
    }
  }
  return out;
}

/** The lower median of a minutes histogram, in seconds; null when it is empty. */
export function medianWaitSeconds(waitMinutes: Record<string, number>): number | null {
  const entries = Object.entries(waitMinutes)
    .map(([k, n]) => [Number(k), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total / 2);
  let seen = 0;
  for (const [minutes, n] of entries) {
    seen += n;
    if (seen >= rank) return minutes * 60;
  }
  return null;
}

/** The answer's row of `counts` under `key`. */
export function toRow(key: string, c: Counts): StatsRow {
  const used = c.booked - c.cancelledByCitizen - c.cancelledByOffice;
  return {
    key,
    released: c.released,
    booked: c.booked,
    cancelledByCitizen: c.cancelledByCitizen,
    cancelledByOffice: c.cancelledByOffice,
    checkedIn: c.checkedIn,
    served: c.served,
    missed: c.missed,
    noShow: c.noShow,
    usedPercent: c.released === 0 ? null : Math.round((used * 1000) / c.released) / 10,
    byChannel: Object.fromEntries(Object.entries(c.byChannel).sort(([a], [b]) => (a < b ? -1 : 1))),
    medianWaitSeconds: medianWaitSeconds(c.waitMinutes),
  };
}

/** The row a day's period falls in. */
export function rowKey(by: StatsBy, date: DateString, period: string): string {
  if (by === 'day') return date;
  if (by === 'month') return date.slice(0, 7);
  return period;
}

/** Days' period counts summed into rows in key order, and their total. */
export function statsRows(
  by: StatsBy,
  days: Iterable<{ date: DateString; periods: Record<string, Counts> }>,
): { rows: StatsRow[]; total: StatsRow } {
  const rows = new Map<string, Counts>();
  const total = emptyCounts();
  for (const day of days) {
    // A day or month without any numbers or bookings is still a row (of zeros): the chart's days.
    if (by !== 'period' && !rows.has(rowKey(by, day.date, ''))) {
      rows.set(rowKey(by, day.date, ''), emptyCounts());
    }
    for (const [period, c] of Object.entries(day.periods)) {
      const key = rowKey(by, day.date, period);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = emptyCounts()));
      addCounts(row, c);
      addCounts(total, c);
    }
  }
  return {
    rows: [...rows.keys()].sort().map((key) => toRow(key, rows.get(key) ?? emptyCounts())),
    total: toRow('total', total),
  };
}
