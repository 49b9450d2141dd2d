/**
 * `statsDays`: one service's counts of one ended day, per period (issue 14, docs/data-model.md
 * "Statistics"). Written once, by the no-show sweep's run after the day's no-shows are marked, when
 * nothing about the day can change any more; `stats` reads these instead of the day's bookings.
 */
import type { DateString } from '../../../typings/api';
import type { Counts } from '../../domain/stats';

export interface StatsDayDoc {
  /** `serviceId|date`: one per service and day, so a second writer's insert fails harmlessly. */
  _id: string;
  serviceId: string;
  officeId: string;
  date: DateString;
  /** By `periodKey` (`09:00-10:00`): the period's counts, released numbers as configured when written. */
  periods: Record<string, Counts>;
  writtenAt: number;
}

/**
 * `statsBackfill`: how far the writing of `statsDays` and `statsRollups` reaches beyond the no-show
 * sweep's look-back (server/store/stats-backfill.ts). One document, `_id` `BACKFILL_ID`.
 */
export interface StatsBackfillDoc {
  _id: string;
  /** Every date from `from` to `to` (inclusive) has all its services' days and roll-ups stored. */
  from: DateString;
  to: DateString;
  /** The date of the oldest booking, once found: the walk back ends there (none is older). */
  floor?: DateString;
  updatedAt: number;
}

export const BACKFILL_ID = 'city';

export function statsDayId(serviceId: string, date: DateString): string {
  return `${serviceId}|${date}`;
}

/**
 * `statsRollups`: the sum of several services' stored days of one date (issue 14, docs/data-model.md
 * "Statistics"), so that a city's or an office's year reads 365 documents instead of one per service and
 * day. Written by the same run, from the `statsDays` documents of that date, once every service of the
 * scope has one; never changed.
 */
export interface StatsRollupDoc {
  /** `scope|date`. */
  _id: string;
  /** `city`, or `office:<officeId>` (`rollupScope`). */
  scope: string;
  date: DateString;
  /** The services whose days it sums, sorted: a service added later is not in it and is read apart. */
  serviceIds: string[];
  /** By `periodKey`: the sum of those services' period counts. */
  periods: Record<string, Counts>;
  writtenAt: number;
}

/** The scope of the city's roll-ups, or of one office's. */
export function rollupScope(officeId?: string): string {
  return officeId === undefined ? 'city' : `office:${officeId}`;
}

export function rollupId(scope: string, date: DateString): string {
  return `${scope}|${date}`;
}
