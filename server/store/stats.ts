/**
 * Statistics on the database (issue 14; docs/data-model.md, "Statistics"): a day that has ended and whose
 * no-shows are marked cannot change any more, so its counts are written once per service
 * (`statsDays`, by the no-show sweep's run), and summed once per office and for the city
 * (`statsRollups`); a query reads the fewest of those that cover it. The other days (today, the days
 * ahead, an ended day the sweep has not reached) are counted from their bookings on each request, which
 * one aggregation on the database hands over grouped and reduced to what the counts need. Both go
 * through `countDay` (server/domain/stats.ts), so a stored day equals a recount of it.
 */
import type { DateString } from '../../typings/api';
import { dayStatus, type DayKind } from '../domain/calendar';
import { yearOf } from '../domain/calendar-year';
import { addDays, chinaDate } from '../domain/china-time';
import {
  addCounts,
  countDay,
  emptyCounts,
  releaseConfigOn,
  type CountedBooking,
  type Counts,
  type PeriodSpan,
} from '../domain/stats';
import { dayKinds, loadCalendarYears } from './calendar';
import type { Db } from './db';
import { AGGREGATE_MAX, duplicateKeyIndex, type Expression } from './db';
import type { ServiceDoc } from './documents/config';
import {
  rollupId,
  rollupScope,
  statsDayId,
  type StatsDayDoc,
  type StatsRollupDoc,
} from './documents/stats';

/** One date's counts of one service, or summed over several (a roll-up). */
export interface StatsDay {
  date: DateString;
  periods: Record<string, Counts>;
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: DateString, to: DateString): DateString[] {
  const out: DateString[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The periods `service` released numbers in on `date` (R2: its weekdays, the holidays, its closed days;
 * R4: the ranges), as configured when that day ended (`releaseConfigOn`); none before its creation.
 */
type Released = (service: ServiceDoc, date: DateString) => readonly PeriodSpan[];

async function releasedCheck(db: Db, dates: readonly DateString[]): Promise<Released> {
  const years = await loadCalendarYears(db, [...new Set(dates.map(yearOf))]);
  const kinds = dayKinds(years.values());
  return (service, date) => {
    const config = releaseConfigOn(service, date);
    if (!config?.active) return [];
    const lookup = (d: string): DayKind | undefined =>
      service.closedDays?.some((c) => c.date === d) === true ? 'closed' : kinds.get(d)?.kind;
    return dayStatus(date, lookup, config.openWeekdays).open ? config.periods : [];
  };
}

/** The bookings of one service's day alike in period, status and channel (the aggregation's groups). */
interface BookingGroup {
  _id: {
    serviceId: string;
    date: DateString;
    periodStart: string;
    periodEnd: string;
    status: CountedBooking['status'];
    channel: string;
  };
  /** One per booking: its check-in time and its window history's events and times, when it has them. */
  bookings: { checkedInAt?: number; events?: string[]; ats?: number[] }[];
}

/**
 * The bookings of `serviceIds` on `dates` for `countDay`, by one aggregation: grouped by service, day,
 * period, status and channel, each booking reduced to what the wait needs (nothing, for one never
 * checked in) — instead of reading every booking page by page (~30 pages for a city's day). The wait
 * itself is computed here by `countDay`, the one definition. A request whose groups would pass what one
 * aggregation answers is split in halves, by dates first.
 */
async function bookingGroups(
  db: Db,
  serviceIds: readonly string[],
  dates: readonly DateString[],
): Promise<BookingGroup[]> {
  const _ = db.command;
  const groups = await db.aggregate<BookingGroup>('bookings', (pipeline) =>
    pipeline
      .match({ serviceId: _.in([...serviceIds]), date: dateCondition(db, dates) })
      .group({
        _id: {
          serviceId: '$serviceId',
          date: '$date',
          periodStart: '$periodStart',
          periodEnd: '$periodEnd',
          status: '$status',
          channel: '$channel',
        },
        // A field the booking lacks is left out of its object.
        bookings: {
          $push: { checkedInAt: '$checkedInAt', events: '$history.event', ats: '$history.at' },
        },
      })
      .limit(AGGREGATE_MAX),
  );
  if (groups.length < AGGREGATE_MAX) return groups;
  const half = <T>(list: readonly T[]): [T[], T[]] => {
    const cut = Math.ceil(list.length / 2);
    return [list.slice(0, cut), list.slice(cut)];
  };
  if (dates.length > 1) {
    const [a, b] = half(dates);
    return [
      ...(await bookingGroups(db, serviceIds, a)),
      ...(await bookingGroups(db, serviceIds, b)),
    ];
  }
  if (serviceIds.length > 1) {
    const [a, b] = half(serviceIds);
    return [...(await bookingGroups(db, a, dates)), ...(await bookingGroups(db, b, dates))];
  }
  throw new Error(`one service's day has ${groups.length}+ groups of bookings: past one answer`);
}

/** A group's bookings as `countDay` reads them. */
function countedBookings(group: BookingGroup): CountedBooking[] {
  const { periodStart, periodEnd, status, channel } = group._id;
  return group.bookings.map((b) => {
    const counted: CountedBooking = { status, channel, periodStart, periodEnd };
    if (typeof b.checkedInAt === 'number') counted.checkedInAt = b.checkedInAt;
    if (b.events && b.ats) {
      const ats = b.ats;
      counted.history = b.events.map((event, i) => ({ event, at: ats[i] ?? NaN }));
    }
    return counted;
  });
}

/**
 * Counts the given services' days from their bookings (one aggregation for all of them), with whether
 * each has ended for good (`final`: before today and no booking left `booked` for the no-show sweep).
 */
async function recount(
  db: Db,
  services: readonly ServiceDoc[],
  dates: readonly DateString[],
  now: number,
  released: Released,
): Promise<(StatsDay & { serviceId: string; officeId: string; final: boolean })[]> {
  if (services.length === 0 || dates.length === 0) return [];
  const groups = await bookingGroups(
    db,
    services.map((s) => s._id),
    dates,
  );
  const byDay = new Map<string, CountedBooking[]>();
  for (const group of groups) {
    const id = statsDayId(group._id.serviceId, group._id.date);
    let list = byDay.get(id);
    if (!list) byDay.set(id, (list = []));
    list.push(...countedBookings(group));
  }
  const today = chinaDate(now);
  return services.flatMap((service) =>
    dates.map((date) => {
      const own = byDay.get(statsDayId(service._id, date)) ?? [];
      return {
        serviceId: service._id,
        officeId: service.officeId,
        date,
        periods: countDay(released(service, date), true, own),
        final: date < today && !own.some((b) => b.status === 'booked'),
      };
    }),
  );
}

/**
 * The roll-up scopes of a catalogue, each with its services: the city and each office, when they have
 * two services or more (a roll-up of one service would be its day again).
 */
export function rollupScopes(
  catalogue: readonly Pick<ServiceDoc, '_id' | 'officeId'>[],
): Map<string, string[]> {
  const scopes = new Map<string, string[]>();
  const add = (scope: string, id: string) => {
    let ids = scopes.get(scope);
    if (!ids) scopes.set(scope, (ids = []));
    ids.push(id);
  };
  for (const s of catalogue) {
    add(rollupScope(), s._id);
    add(rollupScope(s.officeId), s._id);
  }
  for (const [scope, ids] of scopes) {
    if (ids.length < 2) scopes.delete(scope);
    else ids.sort();
  }
  return scopes;
}

/**
 * The scopes whose roll-ups a query of `wanted` services reads: the city's when it wants every service
 * of the catalogue, else each office's whose services it all wants. (A roll-up written before a service
 * was added lacks it: that service's days are read apart.)
 */
export function scopesFor(
  wanted: ReadonlySet<string>,
  catalogue: readonly Pick<ServiceDoc, '_id' | 'officeId'>[],
): string[] {
  const scopes = rollupScopes(catalogue);
  const all = (ids: readonly string[]) => ids.every((id) => wanted.has(id));
  const city = scopes.get(rollupScope());
  if (city && all(city)) return [rollupScope()];
  return [...scopes]
    .filter(([scope, ids]) => scope !== rollupScope() && all(ids))
    .map(([scope]) => scope);
}

/**
 * The counts of `services` on every day from `from` to `to`, each pair of service and day exactly once:
 * the roll-ups of the scopes the query covers (`catalogue`: every service, for the scopes), the stored
 * days of the pairs they leave, and a recount of the rest (today, the days ahead, a day not stored).
 */
export async function loadStatsDays(
  db: Db,
  services: readonly ServiceDoc[],
  catalogue: readonly ServiceDoc[],
  from: DateString,
  to: DateString,
  now: number,
): Promise<StatsDay[]> {
  if (services.length === 0) return [];
  const _ = db.command;
  const dates = datesBetween(from, to);
  // Only an ended day can be stored.
  const ended = dates.filter((d) => d < chinaDate(now));
  const wanted = new Set(services.map((s) => s._id));
  const covered = new Set<string>();
  const out: StatsDay[] = [];
  const left = (list: readonly DateString[]) => (s: ServiceDoc) =>
    list.filter((d) => !covered.has(statsDayId(s._id, d)));
  const lastEnded = ended.at(-1);
  if (lastEnded !== undefined) {
    const scopes = scopesFor(wanted, catalogue);
    if (scopes.length > 0) {
      const rollups = await db.statsRollups.find(
        { scope: _.in(scopes), date: _.gte(from).and(_.lte(lastEnded)) },
        { fields: ['date', 'serviceIds', 'periods'], limit: Number.MAX_SAFE_INTEGER },
      );
      for (const r of rollups) {
        const pairs = r.serviceIds.map((id) => statsDayId(id, r.date));
        // A roll-up of a service not wanted (moved, removed), or overlapping another: its days apart.
        if (!r.serviceIds.every((id) => wanted.has(id)) || pairs.some((p) => covered.has(p))) {
          continue;
        }
        for (const p of pairs) covered.add(p);
        out.push(r);
      }
    }
    for (const batch of batches(services, left(ended))) {
      const stored = await db.statsDays.find(
        {
          serviceId: _.in(batch.services.map((s) => s._id)),
          date: dateCondition(db, batch.dates),
        },
        { fields: ['serviceId', 'date', 'periods'], limit: Number.MAX_SAFE_INTEGER },
      );
      for (const d of stored) {
        const id = statsDayId(d.serviceId, d.date);
        if (!wanted.has(d.serviceId) || covered.has(id)) continue;
        covered.add(id);
        out.push(d);
      }
    }
  }
  const rest = batches(services, left(dates));
  if (rest.length === 0) return out;
  const released = await releasedCheck(db, [...new Set(rest.flatMap((b) => b.dates))]);
  for (const batch of rest) {
    for (const day of await recount(db, batch.services, batch.dates, now, released)) {
      if (!covered.has(statsDayId(day.serviceId, day.date))) out.push(day);
    }
  }
  return out;
}

/**
 * The services that still lack some dates (`lacking`), in batches of the same dates: one request each.
 * (The city's services usually lack today alone; one added later, a year.)
 */
function batches(
  services: readonly ServiceDoc[],
  lacking: (s: ServiceDoc) => DateString[],
): { services: ServiceDoc[]; dates: DateString[] }[] {
  const byDates = new Map<string, { services: ServiceDoc[]; dates: DateString[] }>();
  for (const s of services) {
    const dates = lacking(s);
    if (dates.length === 0) continue;
    const key = dates.join(',');
    let batch = byDates.get(key);
    if (!batch) byDates.set(key, (batch = { services: [], dates }));
    batch.services.push(s);
  }
  return [...byDates.values()];
}

/** A condition on `date` for these sorted dates: a range when they are consecutive, else the list. */
function dateCondition(db: Db, dates: readonly DateString[]): Expression {
  const _ = db.command;
  const first = dates[0];
  const last = dates.at(-1);
  if (
    first !== undefined &&
    last !== undefined &&
    datesBetween(first, last).length === dates.length
  ) {
    return first === last ? _.eq(first) : _.gte(first).and(_.lte(last));
  }
  return _.in([...dates]);
}

/** What `writeDays` did: documents written, and the dates left complete, in the order asked. */
export interface WriteReport {
  days: number;
  rollups: number;
  /**
   * The dates asked that now have every service's day and every due roll-up stored, in the order
   * asked, up to the first that has not (not final yet, or the run out of time): the dates a caller
   * may count as done.
   */
  complete: DateString[];
}

/**
 * Writes the counts of the ended days (the `lookbackDays` before today) not yet stored, of every service,
 * once their no-shows are marked (the no-show sweep's run calls this after it has finished), then each
 * such date's roll-ups (`rollupScopes`): `writeDays` of those dates.
 */
export async function writeEndedDays(
  db: Db,
  services: readonly ServiceDoc[],
  now: number,
  lookbackDays: number,
  hasTime: () => boolean = () => true,
): Promise<WriteReport> {
  const today = chinaDate(now);
  const dates = datesBetween(addDays(today, -lookbackDays), addDays(today, -1));
  return writeDays(db, services, dates, now, hasTime);
}

/**
 * Writes, for each of `dates` (ended days, in the order given), the counts of every service's day not
 * yet stored once it is final (no booking left `booked`), then the date's roll-ups (`rollupScopes`)
 * once every service of the scope has its day. Released numbers are the configuration's in force when
 * the day ended (`releaseConfigOn`), as a recount counts them. Stops between dates when `hasTime` says
 * so (the next run goes on). A twin run's insert of the same day or roll-up fails on `_id`: skipped,
 * so running it again, or twice at once, writes each document once.
 */
export async function writeDays(
  db: Db,
  services: readonly ServiceDoc[],
  dates: readonly DateString[],
  now: number,
  hasTime: () => boolean = () => true,
): Promise<WriteReport> {
  const written: WriteReport = { days: 0, rollups: 0, complete: [] };
  const sorted = [...dates].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return written;
  const _ = db.command;
  const range = first === last ? _.eq(first) : _.gte(first).and(_.lte(last));
  const stored = await db.statsDays.find(
    { date: range },
    { fields: ['serviceId', 'date'], limit: Number.MAX_SAFE_INTEGER },
  );
  const have = new Set(stored.map((d) => statsDayId(d.serviceId, d.date)));
  const rolled = new Set(
    (
      await db.statsRollups.find(
        { date: range },
        { fields: ['date'], limit: Number.MAX_SAFE_INTEGER },
      )
    ).map((r) => r._id),
  );
  const scopes = rollupScopes(services);
  const insert = async (write: () => Promise<void>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (err) {
      if (duplicateKeyIndex(err) !== '_id') throw err;
      return false;
    }
  };
  let gap = false;
  for (const date of dates) {
    if (!hasTime()) break;
    const short = services.filter((s) => !have.has(statsDayId(s._id, date)));
    if (short.length > 0) {
      const released = await releasedCheck(db, [date]);
      for (const day of await recount(db, short, [date], now, released)) {
        if (!day.final) continue;
        const doc: StatsDayDoc = {
          _id: statsDayId(day.serviceId, day.date),
          serviceId: day.serviceId,
          officeId: day.officeId,
          date: day.date,
          periods: day.periods,
          writtenAt: now,
        };
        if (await insert(() => db.statsDays.insert(doc))) written.days += 1;
        have.add(doc._id);
      }
    }
    const due = [...scopes].filter(
      ([scope, ids]) =>
        !rolled.has(rollupId(scope, date)) && ids.every((id) => have.has(statsDayId(id, date))),
    );
    if (due.length > 0) {
      const days = new Map(
        (
          await db.statsDays.find(
            { date },
            { fields: ['serviceId', 'periods'], limit: Number.MAX_SAFE_INTEGER },
          )
        ).map((d) => [d.serviceId, d.periods]),
      );
      for (const [scope, ids] of due) {
        // A day removed since it was seen: no roll-up (the next run writes the day, then this).
        if (!ids.every((id) => days.has(id))) continue;
        const periods: Record<string, Counts> = {};
        for (const id of ids) {
          for (const [key, c] of Object.entries(days.get(id) ?? {})) {
            addCounts((periods[key] ??= emptyCounts()), c);
          }
        }
        const doc: StatsRollupDoc = {
          _id: rollupId(scope, date),
          scope,
          date,
          serviceIds: ids,
          periods,
          writtenAt: now,
        };
        if (await insert(() => db.statsRollups.insert(doc))) written.rollups += 1;
        rolled.add(doc._id);
      }
    }
    const done =
      services.every((s) => have.has(statsDayId(s._id, date))) &&
      [...scopes.keys()].every((scope) => rolled.has(rollupId(scope, date)));
    gap ||= !done;
    if (!gap) written.complete.push(date);
  }
  return written;
}
