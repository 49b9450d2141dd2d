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

export function statsDayId(serviceId: string, date: DateString): string {
  return `${serviceId}|${date}`;
}
