/**
 * What one page hands to the next during a booking: the chosen service, the person, the day and period.
 *
 * Each page is bundled on its own (scripts/build.ts), so a module-level variable would exist once per
 * page; the app instance is the one object every page shares. Kept in memory only, never in
 * `wx.setStorage`: the person holds the full ID and phone numbers (R14), and they are dropped as soon as
 * the booking is made.
 */
import type { AppOption } from '../app-option';
import type { Booking, OfficeInfo, PersonInput, SubscribeTemplates } from '../../typings/api';

export interface SlotChoice {
  date: string;
  periodId?: string;
  /** `HH:mm`, for showing the period without another request. */
  start?: string;
  end?: string;
}

export interface Session {
  /** The catalogue as last loaded, and when (epoch ms). */
  offices?: OfficeInfo[];
  officesAt?: number;
  /** The subscribe-message templates the jobs send with (R11, R13), from the catalogue. */
  templates?: SubscribeTemplates;
  serviceId?: string;
  /** The person as validated by the form: full values, memory only (R14). */
  person?: PersonInput;
  slot?: SlotChoice;
  /** The booking just made, so that its page shows at once. */
  lastBooking?: Booking;
}

export function session(): Session {
  const app = getApp<AppOption>();
  app.globalData.session ??= {};
  return app.globalData.session;
}

/** Forgets the person and the slot (after booking, or when starting again). */
export function clearDraft(): void {
  const s = session();
  delete s.person;
  delete s.slot;
}
