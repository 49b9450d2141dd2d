/**
 * Offices, services, categories, settings and the holiday calendar: configuration an administrator
 * changes without a deploy (R1, R2, R7). A warm function instance keeps it for a few seconds, so the
 * release-time rush does not re-read it on every call; a change reaches every instance within CACHE_MS.
 * Read by the booking function and the jobs alike.
 */
import type { CalendarSource } from '../../typings/admin';
import type { DayKind, HorizonInputs } from '../domain/calendar';
import { yearOf } from '../domain/calendar-year';
import { addDays, chinaDate } from '../domain/china-time';
import { DEFAULT_RULES } from '../domain/config';
import { AppError } from '../shared/errors';
import { accountGates } from './account-gates';
import { dayKinds, loadCalendarYears } from './calendar';
import type { Db } from './db';
import {
  FREED_PROJECTION,
  forgetAllSoldOut,
  freedFilter,
  freedSince,
  noteFreed,
  suspensions,
} from './day-state';
import type { BookingDoc } from './documents/booking';
import type { CategoryDoc, OfficeDoc, ServiceDoc, SettingsDoc } from './documents/config';

export const CACHE_MS = 10_000;
/** The longest horizon the catalogue's calendar covers (services are validated not to exceed it). */
export const HORIZON_REACH_DAYS = 60;

export const DEFAULT_SETTINGS: SettingsDoc = {
  _id: 'global',
  accountActiveLimit: 3,
  configVersion: 0,
};

export interface Catalogue {
  settings: SettingsDoc;
  offices: OfficeDoc[];
  /** The active services: what citizens see and book. */
  services: ServiceDoc[];
  /**
   * Every service, deactivated ones too: their bookings stay as they were (viewed, cancelled, reminded,
   * served at the window), only new ones stop.
   */
  allServices: ServiceDoc[];
  categories: CategoryDoc[];
  /** Holiday and make-up working day entries by date, of the years a horizon can reach (R2). */
  calendar: Map<string, { kind: DayKind; name: string }>;
  /** Where each of those years' arrangement comes from; `none` years keep the weekday rule (R2). */
  calendarSources: Map<number, CalendarSource>;
  loadedAt: number;
}

let cached: Catalogue | undefined;
let loading: Promise<Catalogue> | undefined;

/** The years of the calendar a catalogue loaded at `now` holds: those a horizon can reach from then. */
function calendarYearsAt(now: number): number[] {
  const from = addDays(chinaDate(now), -1);
  // 60 days covers any configured horizon.
  return [...new Set([yearOf(from), yearOf(addDays(from, HORIZON_REACH_DAYS))])];
}

async function load(db: Db, now: number): Promise<Catalogue> {
  const [settings, offices, services, categories, years] = await Promise.all([
    db.settings.get('global'),
    db.offices.find({}),
    db.services.find({}),
    db.categories.find({}),
    loadCalendarYears(db, calendarYearsAt(now)),
  ]);
  const byOrder = <T extends { order: number }>(a: T, b: T): number => a.order - b.order;
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    offices: offices.sort(byOrder),
    services: services.filter((s) => s.active).sort(byOrder),
    allServices: services.sort(byOrder),
    categories: categories.sort(byOrder),
    calendar: dayKinds(years.values()),
    calendarSources: new Map([...years].map(([y, c]) => [y, c.source])),
    loadedAt: now,
  };
}

/**
 * Issue 16: `settings` and the numbers freed since the last such read, in ONE request (an aggregation on
 * `settings` with a `lookup` of the bookings cancelled or released since then): the instance's sold-out
 * snapshots of those days go (server/store/day-state.ts). The same request brings, in at most two more
 * `lookup`s each, the instance's pictures of the persons suspended (R10, `suspensions` in day-state.ts)
 * and of the accounts suspended or slowed (R15, R16, `accountGates` in account-gates.ts; with
 * `refusalLimit`, the configuration's in use): a part of their full read, and the records changed since
 * the last check (server/store/record-picture.ts), which only decide whether a sold-out snapshot may
 * answer a person or an account. Undefined when there is no `settings` document.
 */
async function readSettingsAndFreed(
  db: Db,
  now: number,
  refusalLimit: number,
): Promise<{ configVersion?: number } | undefined> {
  const personsPlan = suspensions.plan(now, undefined);
  const accountsPlan = accountGates.plan(now, refusalLimit);
  const [row] = await db.aggregate<{
    configVersion?: number;
    freed?: Pick<BookingDoc, 'serviceId' | 'date'>[];
  }>('settings', (p, $) => {
    const read = p
      .match({ _id: 'global' })
      .project({ configVersion: true })
      .lookup({
        from: 'bookings',
        pipeline: $.pipeline()
          .match(freedFilter(db, freedSince(now), now))
          .project(FREED_PROJECTION)
          .done(),
        as: 'freed',
      });
    const withPersons = suspensions.lookups(db, read, $, personsPlan, now, undefined);
    return accountGates.lookups(db, withPersons, $, accountsPlan, now, refusalLimit);
  });
  if (!row) return undefined;
  noteFreed(row.freed ?? [], now);
  suspensions.note(personsPlan, row, now, undefined);
  accountGates.note(accountsPlan, row, now, refusalLimit);
  return row;
}

/**
 * After CACHE_MS, one read of `settings` tells whether anything changed (its `configVersion`, which every
 * change of the configuration and the calendar raises); only then is everything read again. The calendar
 * years held matter too: once the horizon reaches a year not loaded, everything is read again. Within
 * the same years a new day changes nothing of the catalogue: the first booking after a midnight release
 * (R2), when every instance's cache dates from the day before, reads the version, not everything
 * (issue 16: five requests at once from each of 20 instances at the rush's first instant). The same
 * read brings the numbers freed meanwhile (`readSettingsAndFreed`); after a full load every sold-out
 * snapshot goes.
 */
function sameYears(old: Catalogue, now: number): boolean {
  const years = calendarYearsAt(now);
  return (
    years.length === old.calendarSources.size && years.every((y) => old.calendarSources.has(y))
  );
}

async function refresh(db: Db, now: number, old: Catalogue | undefined): Promise<Catalogue> {
  if (old && sameYears(old, now)) {
    const limit = old.settings.personRefusalLimit ?? DEFAULT_RULES.personRefusalLimit;
    const settings = await readSettingsAndFreed(db, now, limit);
    if (!settings) forgetAllSoldOut(now);
    if ((settings?.configVersion ?? 0) === old.settings.configVersion)
      return { ...old, loadedAt: now };
  }
  const loaded = await load(db, now);
  forgetAllSoldOut(now);
  return loaded;
}

function fresh(catalogue: Catalogue, now: number): boolean {
  return now - catalogue.loadedAt < CACHE_MS && now >= catalogue.loadedAt;
}

/** The refresh of this instance's cache, shared by concurrent callers; the cache holds its result. */
function refreshing(db: Db, now: number): Promise<Catalogue> {
  loading ??= db
    .forCache((own) => refresh(own, now, cached))
    .then((loaded) => (cached = loaded))
    .finally(() => {
      loading = undefined;
    });
  return loading;
}

/** The configuration, from this instance's cache when fresh. Concurrent callers share one load. */
export async function getCatalogue(db: Db, now: number): Promise<Catalogue> {
  if (cached && fresh(cached, now)) return cached;
  return refreshing(db, now);
}

/** The configuration to work with at once, and whether it is still the current one. */
export interface Provisional {
  catalogue: Catalogue;
  /**
   * Settles once the catalogue is known to be current: undefined when it is, the new catalogue when the
   * configuration changed (all work done with the old one must then be done again); rejects as
   * `getCatalogue` would when the check failed.
   */
  confirmed: Promise<Catalogue | undefined>;
}

/**
 * Issue 16: the configuration without waiting for its version check. Past CACHE_MS `getCatalogue` waits
 * for one read of `settings` before anything else; at a release every instance's first booking did so,
 * a request in a row before its day's read. Here, when the stale catalogue holds the calendar years the
 * horizon reaches (the version check is then all a refresh reads unless the version moved), the stale
 * catalogue is answered at once and the check runs meanwhile: `confirmed` tells how it ended. The caller
 * must not write, nor answer, before `confirmed` — a booking validates and reads its day with the
 * provisional catalogue, in parallel with the check, and does it all again in the rare case the
 * configuration changed (server/booking/book.ts). So a change reaches every booking within CACHE_MS,
 * as before. Otherwise (fresh, empty, or a new calendar year due) it is `getCatalogue`, confirmed.
 */
export async function provisionalCatalogue(db: Db, now: number): Promise<Provisional> {
  const old = cached;
  if (!old || fresh(old, now) || !sameYears(old, now))
    return { catalogue: await getCatalogue(db, now), confirmed: Promise.resolve(undefined) };
  // A refresh that found the same version keeps the loaded parts as they were (`refresh`).
  const confirmed = refreshing(db, now).then((current) =>
    current.settings === old.settings ? undefined : current,
  );
  // Awaited by the caller on every path; this only keeps a failure from counting as unhandled while
  // the caller is still busy with its read.
  confirmed.catch(() => undefined);
  return { catalogue: old, confirmed };
}

/** Forgets the cached configuration (after an administrator's change in this instance, and in tests). */
export function invalidateCatalogue(): void {
  cached = undefined;
}

export function findService(catalogue: Catalogue, serviceId: string): ServiceDoc {
  const service = catalogue.services.find((s) => s._id === serviceId);
  if (!service) throw new AppError('CATALOGUE.SERVICE_NOT_FOUND', 'serviceId');
  return service;
}

export function officeOf(catalogue: Catalogue, service: ServiceDoc): OfficeDoc {
  const office = catalogue.offices.find((o) => o._id === service.officeId);
  // A service whose office was removed is a configuration error, not the citizen's.
  if (!office) throw new Error(`service ${service._id} names a missing office`);
  return office;
}

/** What the domain's calendar rules need to know of a service's days (R2, R3). */
export function calendarInputs(
  catalogue: Catalogue,
  service: ServiceDoc,
  now: number,
): HorizonInputs {
  return {
    now,
    config: {
      horizonDays: service.horizonDays,
      releaseTime: service.releaseTime,
      openWeekdays: service.openWeekdays,
    },
    calendar: (date: string) =>
      service.closedDays?.some((d) => d.date === date) === true
        ? 'closed'
        : catalogue.calendar.get(date)?.kind,
  };
}

/**
 * R2: whether `date`'s year has no arrangement at all (the weekday rule alone decided it). A year outside
 * the loaded ones (beyond any horizon) is not known here and answered false.
 */
export function calendarMissing(catalogue: Catalogue, date: string): boolean {
  return catalogue.calendarSources.get(yearOf(date)) === 'none';
}
