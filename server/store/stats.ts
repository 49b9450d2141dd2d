/**
 * Statistics on the database (issue 14; docs/data-model.md, "Statistics"): a day that has ended and whose
 * no-shows are marked cannot change any more, so its counts are written once per service
 * (`statsDays`, by the no-show sweep's run) and read from there; the other days (today, the days ahead,
 * an ended day the sweep has not reached) are counted from their bookings on each request. Both go
 * through `countDay` (server/domain/stats.ts), so a stored day equals a recount of it.
 */
import type { DateString } from '../../typings/api';
import { dayStatus, type DayKind } from '../domain/calendar';
import { yearOf } from '../domain/calendar-year';
import { addDays, chinaDate } from '../domain/china-time';
import { countDay, type Counts, type CountedBooking } from '../domain/stats';
import { dayKinds, loadCalendarYears } from './calendar';
import type { Db } from './db';
import { duplicateKeyIndex } from './db';
import type { BookingDoc } from './documents/booking';
import type { ServiceDoc } from './documents/config';
import { statsDayId, type StatsDayDoc } from './documents/stats';

export interface StatsDay {
  serviceId: string;
  date: DateString;
  periods: Record<string, Counts>;
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: DateString, to: DateString): DateString[] {
  const out: DateString[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Whether `service` released numbers on `date` (R2: its weekdays, the holidays, its closed days). */
type OpenCheck = (service: ServiceDoc, date: DateString) => boolean;

async function openCheck(db: Db, dates: readonly DateString[]): Promise<OpenCheck> {
  const years = await loadCalendarYears(db, [...new Set(dates.map(yearOf))]);
  const kinds = dayKinds(years.values());
  return (service, date) => {
    if (!service.active) return false;
    const lookup = (d: string): DayKind | undefined =>
      service.closedDays?.some((c) => c.date === d) === true ? 'closed' : kinds.get(d)?.kind;
    return dayStatus(date, lookup, service.openWeekdays).open;
  };
}

const COUNTED_FIELDS = [
  'serviceId',
  'date',
  'status',
  'channel',
  'periodStart',
  'periodEnd',
  'checkedInAt',
  'history',
] as const;

type Counted = Pick<BookingDoc, (typeof COUNTED_FIELDS)[number] | '_id'>;

/**
 * Counts the given services' days from their bookings (one paged read for all of them), with whether each
 * has ended for good (`final`: before today and no booking left `booked` for the no-show sweep).
 */
async function recount(
  db: Db,
  services: readonly ServiceDoc[],
  dates: readonly DateString[],
  now: number,
  isOpen: OpenCheck,
): Promise<(StatsDay & { officeId: string; final: boolean })[]> {
  if (services.length === 0 || dates.length === 0) return [];
  const _ = db.command;
  const bookings: Counted[] = await db.bookings.find(
    { serviceId: _.in(services.map((s) => s._id)), date: _.in([...dates]) },
    { fields: COUNTED_FIELDS, limit: Number.MAX_SAFE_INTEGER },
  );
  const byDay = new Map<string, CountedBooking[]>();
  for (const b of bookings) {
    const id = statsDayId(b.serviceId, b.date);
    let list = byDay.get(id);
    if (!list) byDay.set(id, (list = []));
    list.push(b);
  }
  const today = chinaDate(now);
  return services.flatMap((service) =>
    dates.map((date) => {
      const own = byDay.get(statsDayId(service._id, date)) ?? [];
      return {
        serviceId: service._id,
        officeId: service.officeId,
        date,
        periods: countDay(service.periods, isOpen(service, date), own),
        final: date < today && !own.some((b) => b.status === 'booked'),
      };
    }),
  );
}

/**
 * The counts of `services` on every day from `from` to `to`: the stored days, and a recount of the
 * others (only the pairs of service and day not stored are answered from the recount).
 */
export async function loadStatsDays(
  db: Db,
  services: readonly ServiceDoc[],
  from: DateString,
  to: DateString,
  now: number,
): Promise<StatsDay[]> {
  if (services.length === 0) return [];
  const _ = db.command;
  const dates = datesBetween(from, to);
  const stored = await db.statsDays.find(
    { serviceId: _.in(services.map((s) => s._id)), date: _.gte(from).and(_.lte(to)) },
    { fields: ['serviceId', 'date', 'periods'], limit: Number.MAX_SAFE_INTEGER },
  );
  const have = new Set(stored.map((d) => statsDayId(d.serviceId, d.date)));
  const missing = (s: ServiceDoc) => dates.filter((d) => !have.has(statsDayId(s._id, d)));
  const short = services.filter((s) => missing(s).length > 0);
  const missingDates = [...new Set(short.flatMap(missing))].sort();
  const isOpen = await openCheck(db, missingDates);
  const counted = (await recount(db, short, missingDates, now, isOpen)).filter(
    (d) => !have.has(statsDayId(d.serviceId, d.date)),
  );
  return [...stored, ...counted];
}

/**
 * Writes the counts of the ended days (the `lookbackDays` before today) not yet stored, of every service,
 * once their no-shows are marked (the no-show sweep's run calls this after it has finished). Released
 * numbers are the configuration's at this moment: within the hour after the day ended, when the sweep
 * runs. Answers how many days were written; stops between days when `hasTime` says so (the next run
 * goes on). A twin run's insert of the same day fails on `_id`: skipped.
 */
export async function writeEndedDays(
  db: Db,
  services: readonly ServiceDoc[],
  now: number,
  lookbackDays: number,
  hasTime: () => boolean = () => true,
): Promise<number> {
  const today = chinaDate(now);
  const dates = datesBetween(addDays(today, -lookbackDays), addDays(today, -1));
  const _ = db.command;
  const stored = await db.statsDays.find(
    { date: _.gte(dates[0] ?? today) },
    { fields: ['serviceId', 'date'], limit: Number.MAX_SAFE_INTEGER },
  );
  const have = new Set(stored.map((d) => statsDayId(d.serviceId, d.date)));
  let written = 0;
  for (const date of dates) {
    if (!hasTime()) break;
    const short = services.filter((s) => !have.has(statsDayId(s._id, date)));
    if (short.length === 0) continue;
    const isOpen = await openCheck(db, [date]);
    for (const day of await recount(db, short, [date], now, isOpen)) {
      if (!day.final) continue;
      const doc: StatsDayDoc = {
        _id: statsDayId(day.serviceId, day.date),
        serviceId: day.serviceId,
        officeId: day.officeId,
        date: day.date,
        periods: day.periods,
        writtenAt: now,
      };
      try {
        await db.statsDays.insert(doc);
        written += 1;
      } catch (err) {
        if (duplicateKeyIndex(err) !== '_id') throw err;
      }
    }
  }
  return written;
}
