/**
 * Document shapes of the collections the booking function reads and writes. docs/data-model.md explains
 * each collection, its keys and indexes, and why each write is safe under contention.
 */
import type {
  BookingStatus,
  DateString,
  Material,
  ReminderState,
  ViolationCategory,
} from '../../typings/api';

export interface PeriodConfig {
  id: string;
  /** `HH:mm` China time. */
  start: string;
  end: string;
  /** The numbers this period holds, inclusive (R4: 09:00–10:00 holds A001–A010). */
  from: number;
  to: number;
}

export interface SettingsDoc {
  _id: 'global';
  /** R5: active bookings one WeChat account may hold. */
  accountActiveLimit: number;
  /** Years whose holiday arrangement is in the `calendar` collection (R2). */
  calendarYears: number[];
  /**
   * Raised by every change of offices, services, categories, calendar or settings, so warm instances
   * notice with one small read instead of reloading everything.
   */
  configVersion: number;
}

export interface OfficeDoc {
  _id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  order: number;
}

export interface ServiceDoc {
  _id: string;
  officeId: string;
  name: string;
  /** Channel prefix of the numbers (R4, R12). */
  prefix: string;
  notice: string;
  order: number;
  active: boolean;
  categories: ViolationCategory[];
  periods: PeriodConfig[];
  /** 0 = Sunday … 6 = Saturday (R2). */
  openWeekdays: number[];
  horizonDays: number;
  /** `HH:mm` China time at which a new day opens (R2). */
  releaseTime: string;
  /** R8: cancelling and rescheduling close this many minutes before the period starts. */
  cancelCutoffMinutes: number;
}

export interface CategoryDoc {
  _id: ViolationCategory;
  name: string;
  materials: Material[];
  order: number;
}

export interface CalendarDoc {
  /** The China calendar day. */
  _id: DateString;
  kind: 'holiday' | 'workday';
  name: string;
}

/** Marks a released number or person-day key; unique because it embeds the booking's own id. */
export const RELEASED = 'released:';

export interface BookingDoc {
  _id: string;
  serviceId: string;
  officeId: string;
  date: DateString;
  periodId: string;
  /** Kept as booked, so a later change of the service's periods or prefix does not rewrite it. */
  periodStart: string;
  periodEnd: string;
  number: number;
  /** The number as shown and called, e.g. `A023`. */
  label: string;
  /** `serviceId|date|number` while the number is held, `released:<_id>` after; unique index (R4). */
  slotKey: string;
  /** `serviceId|date|personKey` while active, `released:<_id>` after; unique index (R5). */
  activeKey: string;
  status: BookingStatus;
  openid: string;
  /** Keyed hash of the ID number (R14). */
  personKey: string;
  name: string;
  idMasked: string;
  phoneMasked: string;
  plate: string;
  category: ViolationCategory;
  channel: string;
  requestId: string;
  passToken: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  updatedAt: number;
  cancelledAt?: number;
  /** Set on the old booking when a reschedule replaced it. */
  rescheduledTo?: string;
  rescheduledFrom?: string;
  reminder: { state: ReminderState };
}

/** Statuses that hold a number for the day: everything but cancelled. */
export const HOLDING: readonly BookingStatus[] = [
  'booked',
  'checked_in',
  'served',
  'missed',
  'no_show',
];
/** Statuses that count against the account's limit (R5): not yet attended. */
export const ACTIVE: readonly BookingStatus[] = ['booked', 'checked_in'];

export interface PersonDoc {
  _id: string;
  /** R10: epoch ms of no-shows, newest last. */
  noShows: number[];
  suspendedUntil?: number;
  liftedAt?: number;
}
