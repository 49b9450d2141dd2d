import type { Booking, OfficeInfo, PersonInput, SubscribeTemplates } from '../typings/api';

/** The app instance's shape, for `getApp<AppOption>()`. */
export interface AppOption {
  globalData: {
    /** State handed from page to page, in memory only (services/session.ts reads and writes it). */
    session?: Session;
  };
}

/** What one page hands to the next during a booking (services/session.ts). */
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
