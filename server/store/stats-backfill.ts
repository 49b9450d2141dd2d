/**
 * Issue 14's statistics beyond the no-show sweep's look-back: the ended days older than it were never
 * stored (a history from before the statistics, a sweep that did not run for more than the look-back),
 * so a range reaching them was counted from their bookings on every request — right, only slow. Each run
 * of the sweep also walks those days, a few per run: `statsBackfill` keeps the one range of dates known
 * complete (every service's day and every roll-up stored); a run first extends it up to the day before
 * the look-back (the day that just left it; more after an outage), then down towards the oldest
 * booking, at most `perRun` dates in all, each through `writeDays` (server/store/stats.ts). Before the
 * oldest booking nothing is stored: those days have no bookings, and their recount is one empty
 * aggregation.
 *
 * Safe to re-run and to run twice at once: a date's documents are inserted by `_id` (a twin's insert is
 * skipped), a date counts as done only once all of them exist, and the range is only ever widened (its
 * `from` lowered, its `to` raised, in a transaction), so a slow twin's older answer cannot narrow it.
 */
import type { BookingStatus, DateString } from '../../typings/api';
import { addDays, chinaDate } from '../domain/china-time';
import { duplicateKeyIndex, isTransactionConflict, type Db } from './db';
import type { ServiceDoc } from './documents/config';
import { BACKFILL_ID, type StatsBackfillDoc } from './documents/stats';
import { writeDays } from './stats';

/** Every status a booking may have: the oldest booking is the oldest of each status's oldest. */
const STATUSES: { readonly [S in BookingStatus]: S } = {
  booked: 'booked',
  checked_in: 'checked_in',
  called: 'called',
  serving: 'serving',
  served: 'served',
  missed: 'missed',
  cancelled: 'cancelled',
  cancelled_by_office: 'cancelled_by_office',
  no_show: 'no_show',
};

/**
 * The date of the oldest booking: one query per status, each answered by the `status_date` index in
 * its order, instead of sorting the whole collection by a field no index leads with.
 */
async function oldestBookingDate(db: Db): Promise<DateString | undefined> {
  const firsts = await Promise.all(
    Object.values(STATUSES).map((status) =>
      db.bookings.find({ status }, { orderBy: ['date', 'asc'], fields: ['date'], limit: 1 }),
    ),
  );
  return firsts
    .flat()
    .map((b) => b.date)
    .sort()[0];
}

export interface BackfillReport {
  /** `statsDays` and `statsRollups` documents written. */
  days: number;
  rollups: number;
  /** Dates newly known complete. */
  dates: number;
  /** Whether the range now reaches the oldest booking (nothing older to write). */
  finished: boolean;
}

/**
 * Widens the stored range of complete dates to include `from`…`to` (contiguous with it by
 * construction), in a transaction; the first run inserts it (a twin's insert makes this an update).
 * A range only grows, so a twin's older answer cannot narrow it.
 */
async function widen(
  db: Db,
  from: DateString,
  to: DateString,
  floor: DateString | undefined,
  now: number,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      // Read first: inside a transaction the platform fails a read of a missing document.
      if (!(await db.statsBackfill.get(BACKFILL_ID))) {
        const doc: StatsBackfillDoc = { _id: BACKFILL_ID, from, to, updatedAt: now };
        if (floor !== undefined) doc.floor = floor;
        await db.statsBackfill.insert(doc);
        return;
      }
      await db.transaction(async (tx) => {
        // Never removed, so there (a read of a missing document would fail the transaction).
        const stored = await tx.statsBackfill.get(BACKFILL_ID);
        await tx.statsBackfill.update(BACKFILL_ID, {
          from: from < stored.from ? from : stored.from,
          to: to > stored.to ? to : stored.to,
          ...(stored.floor === undefined && floor !== undefined ? { floor } : {}),
          updatedAt: now,
        });
      });
      return;
    } catch (err) {
      // A twin's insert first, or its transaction: read again and widen what it stored.
      const retry = isTransactionConflict(err) || duplicateKeyIndex(err) === '_id';
      if (!retry || attempt >= 3) throw err;
    }
  }
}

/**
 * One run's share of the backfill (see the header): at most `perRun` dates older than the
 * `lookbackDays` before `now`'s day, stopping between dates when `hasTime` says so.
 */
export async function backfillStats(
  db: Db,
  services: readonly ServiceDoc[],
  now: number,
  lookbackDays: number,
  perRun: number,
  hasTime: () => boolean = () => true,
): Promise<BackfillReport> {
  const report: BackfillReport = { days: 0, rollups: 0, dates: 0, finished: false };
  // The newest date the look-back no longer covers.
  const top = addDays(chinaDate(now), -lookbackDays - 1);
  const state = await db.statsBackfill.get(BACKFILL_ID);
  const floor = state?.floor ?? (await oldestBookingDate(db));
  // Up: the dates that left the look-back since the range was last widened (one a day, more after an
  // outage of the sweep).
  const up: DateString[] = [];
  if (state) {
    for (let d = addDays(state.to, 1); d <= top && up.length < perRun; d = addDays(d, 1))
      up.push(d);
  }
  // Down: below the range (the first time, from the top) to the oldest booking.
  const down: DateString[] = [];
  const start = state ? addDays(state.from, -1) : top;
  if (floor !== undefined) {
    for (let d = start; d >= floor && up.length + down.length < perRun; d = addDays(d, -1)) {
      down.push(d);
    }
  }
  let from = state?.from;
  let to = state?.to;
  if (up.length > 0 && hasTime()) {
    const w = await writeDays(db, services, up, now, hasTime);
    report.days += w.days;
    report.rollups += w.rollups;
    report.dates += w.complete.length;
    to = w.complete.at(-1) ?? to;
  }
  if (down.length > 0 && hasTime()) {
    const w = await writeDays(db, services, down, now, hasTime);
    report.days += w.days;
    report.rollups += w.rollups;
    report.dates += w.complete.length;
    const lowest = w.complete.at(-1);
    if (lowest !== undefined) {
      from = lowest;
      to ??= top;
    }
  }
  if (from !== undefined && to !== undefined && (from !== state?.from || to !== state.to)) {
    await widen(db, from, to, floor, now);
  }
  // No booking at all: nothing to write.
  report.finished = floor === undefined || (from !== undefined && from <= floor);
  return report;
}
