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
import { ACTIVE_STATUSES, holdsNumber, type ReminderLead } from '../domain/standing';

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
  /** Subscribe-message templates (R11, R13): ids and how our fields map to their keys. */
  templates?: TemplatesConfig;
  /** R13: when reminders go out; DEFAULT_RULES.reminder (18:00 the day before) when absent. */
  reminder?: ReminderLead;
  /** R11: waiting people told per number that appeared; 2 when absent. */
  waitlistFactor?: number;
  /** `miniprogram_state` of subscribe messages: which version of the mini program they open. */
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

/**
 * One subscribe-message template: its id (订阅消息 → 我的模板) and which of its keys carries which of our
 * values, e.g. `{ number: 'character_string1', time: 'time2', place: 'thing3', hint: 'thing4' }`. The
 * values a job offers are listed with the job (server/jobs/reminders.ts, server/jobs/notifier.ts).
 */
export interface TemplateConfig {
  id: string;
  fields: Partial<Record<string, string>>;
  /** The mini program page the message opens (a query is appended), e.g. `pages/booking-detail/index`. */
  page?: string;
}

export interface TemplatesConfig {
  /** R13: the reminder before an appointment. */
  reminder?: TemplateConfig;
  /** R11: numbers of a service appeared. */
  slotsReleased?: TemplateConfig;
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
  reminder: Delivery<ReminderState>;
  /** R10: when the no-show sweep marked it (epoch ms). */
  noShowAt?: number;
}

/**
 * The exactly-once delivery state of one subscribe message (a booking's reminder, a waiting entry's
 * notice); docs/jobs.md explains the protocol. Only `state` is set when the document is made.
 */
export interface Delivery<S extends string> {
  state: S;
  /** Claims so far (each one a try to send). */
  attempts?: number;
  /** Token of the run holding (or last holding) the claim; outcomes are recorded only under it. */
  claim?: string;
  claimedAt?: number;
  /** Not to be claimed before this instant: the claim's lease, or the backoff after a transient error. */
  retryAt?: number;
  /** A claim whose outcome has not been recorded: its run may have died before or after sending. */
  inFlight?: boolean;
  /** An earlier try may have reached the user (a lost answer, a run that died after claiming). */
  uncertain?: boolean;
  sentAt?: number;
  /** Sent, inferred: a retry after an uncertain try was refused for want of consent (43101). */
  presumed?: boolean;
  msgid?: string;
  /** The last failure: the platform's errCode (or ours, e.g. `EXPIRED`) and when. */
  error?: { code: string; at: number };
}

const STATUSES: readonly BookingStatus[] = [
  'booked',
  'checked_in',
  'called',
  'serving',
  'served',
  'missed',
  'cancelled',
  'no_show',
];
/** Statuses that hold a number for the day (R4), as the domain rule says: everything but cancelled. */
export const HOLDING: readonly BookingStatus[] = STATUSES.filter(holdsNumber);
/** Statuses that count against the account's limit (R5), the domain's list. */
export const ACTIVE: readonly BookingStatus[] = ACTIVE_STATUSES;

export interface PersonDoc {
  _id: string;
  /** R10: epoch ms of no-shows (each booking's `startsAt`), in the order they were recorded. */
  noShows: number[];
  /** The bookings behind `noShows`, same order: recording a no-show twice is a no-op. */
  noShowBookings?: string[];
  suspendedUntil?: number;
  liftedAt?: number;
  /** Administrators' lifts, oldest first (R10). */
  lifts?: { at: number; by: string; reason: string; until: number }[];
  /** Raised by every write: writers read, compute, and write only if nobody wrote in between. */
  version?: number;
  updatedAt?: number;
}

/** R11: one account waiting for numbers of one service; `_id` is derived from both (one entry each). */
export interface WaitlistDoc {
  _id: string;
  openid: string;
  serviceId: string;
  /** First come first served: the oldest waiting entries are told first. */
  createdAt: number;
  updatedAt: number;
  /** `pending` while waiting; `cancelled` when the citizen withdrew. */
  delivery: Delivery<WaitState>;
}

export type WaitState = 'pending' | 'sent' | 'not_subscribed' | 'failed' | 'cancelled';

/** R11: what the notifier last saw of a service's numbers (`_id` = service id). */
export interface NotifierDoc {
  _id: string;
  /** Free numbers per open day of the horizon, as last seen. */
  seen: Record<string, number>;
  /** Waiting people still to be told of numbers that appeared (capped by the numbers still free). */
  credit: number;
  version: number;
  updatedAt: number;
}
