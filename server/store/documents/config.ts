/**
 * Configuration documents an administrator changes without a deploy (R1, R2, R7): `settings`, `offices`,
 * `services`, `categories`, `calendar`. docs/data-model.md describes each collection.
 */
import type { QueueSettings } from '../../domain/queue';
import type { CalendarEntry } from '../../../typings/admin';
import type { Material, ServiceGuide, ViolationCategory } from '../../../typings/api';
import type { QuietHours } from '../../domain/quiet-hours';
import type { ReminderLead } from '../../domain/standing';
import type { ReleaseVersion } from '../../domain/stats';

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
  /**
   * Raised by every change of offices, services, categories, calendar or settings, so warm instances
   * notice with one small read instead of reloading everything.
   */
  configVersion: number;
  /** Subscribe-message templates (R11, R13): ids and how our fields map to their keys. */
  templates?: TemplatesConfig;
  /** R13: when reminders go out; DEFAULT_RULES.reminder (18:00 the day before) when absent. */
  reminder?: ReminderLead;
  /** R13/R11: no subscribed message inside these hours; DEFAULT_RULES.quietHours when absent. */
  quietHours?: QuietHours;
  /** R11: waiting people told per number that appeared; 2 when absent. */
  waitlistFactor?: number;
  /** `miniprogram_state` of subscribe messages: which version of the mini program they open. */
  miniprogramState?: 'developer' | 'trial' | 'formal';
  /** Shown to every citizen above the services (issue 14); absent or '' for none. */
  notice?: string;
  /** R10: the n-th no-show within a China calendar month suspends; DEFAULT_RULES.noShowLimit when absent. */
  noShowLimit?: number;
  /** R10: months a suspension lasts; 1 when absent. */
  suspensionMonths?: number;
  /** Issue 15: the real-name facility WeChat granted (server/identity/verifier.ts); 'off' when absent. */
  identityMethod?: 'realname' | 'face' | 'off';
  /** Issue 15: booking needs a verified account; false when absent. */
  requireVerification?: boolean;
  /** Issue 15: person-level refusals per account and China day before it is slowed; 5 when absent. */
  personRefusalLimit?: number;
  /** R17 churn limits; DEFAULT_RULES when absent. */
  cancelLimit?: number;
  cancelWindowHours?: number;
  rebookCooldownMinutes?: number;
  releaseHoldMinutes?: number;
  /** The hall API (docs/hall-api.md): requests a key may make in 60 s unless the key says otherwise. */
  hallApi?: { ratePerMinute?: number };
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
  /** R2: the daily notice to administrators that a year's holiday arrangement is missing. */
  calendarMissing?: TemplateConfig;
  /** Issue 14: the office closed a booked day (`closeDay`): the booking is cancelled. */
  bookingChanged?: TemplateConfig;
}

export interface OfficeDoc {
  _id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  order: number;
  /** The office card (issue 12 finding 8): hours as posted, telephone, directions and parking. */
  hours?: string;
  phone?: string;
  directions?: string;
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
  /** Days the office closed unplanned (`closeDay`, issue 14): closed to booking like a holiday. */
  closedDays?: { date: string; reason: string; at: number; by: string }[];
  /** The window's queue (R9): DEFAULT_QUEUE_SETTINGS for what is absent. */
  queue?: Partial<QueueSettings>;
  /**
   * When `saveService` created it (epoch ms): the statistics release no numbers on a day that ended
   * before (server/domain/stats.ts, `releaseConfigOn`). Absent on services created before it was kept.
   */
  createdAt?: number;
  /**
   * The released numbers' configurations (`active`, `openWeekdays`, the periods' ranges) that changes
   * replaced, oldest first, each with when it was replaced: the statistics count an ended day with the
   * one in force when it ended. Appended by `saveService` and `deactivateService` only when one of those
   * changed (a few a year).
   */
  releaseHistory?: ReleaseVersion[];
  /** 办事指南 (issue 12 finding 8): what the window handles, what to settle first, without a booking. */
  guide?: Partial<ServiceGuide>;
}

export interface CategoryDoc {
  _id: ViolationCategory;
  name: string;
  materials: Material[];
  /** R7: a vehicle of this category may have no plate yet (扣车类): the VIN is asked instead. */
  unplated?: boolean;
  order: number;
}

/**
 * One year's holiday arrangement as an administrator entered it (R2), `_id` the year (`'2027'`): it
 * replaces the `chinese-days` package's data for that year. One document per year, so a year is replaced
 * at once by one write. A year without a document uses the package's data, or none.
 */
export interface CalendarDoc {
  _id: string;
  year: number;
  holidays: CalendarEntry[];
  workdays: CalendarEntry[];
  updatedAt: number;
  updatedBy: string;
}

/** `calendar`'s `_id` for a year. */
export function calendarId(year: number): string {
  return String(year);
}
