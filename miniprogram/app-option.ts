import type {
  ApiResult,
  Booking,
  IdentityState,
  KnownPerson,
  KnownPersonInput,
  OfficeInfo,
  PersonInput,
  ReminderLeadInfo,
  SelfPersonInput,
  SubscribeTemplates,
} from '../typings/api';
import type { StaffMe } from '../typings/staff';
import type { FormValues } from './utils/person-form';

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
  /** R13: when reminders go out, from the catalogue. */
  reminderLead?: ReminderLeadInfo;
  serviceId?: string;
  slot?: SlotChoice;
  /** The form as typed, full values: back and forth between the pages keeps it (memory only, R14). */
  form?: FormValues;
  /** The person as validated by the form: full values, memory only (R14). */
  person?: PersonInput;
  /**
   * Or a 常用办理人 (issue 12 finding 3): the person as the server showed it (masked) and the vehicle
   * typed for this booking; `book` sends `known` instead of `person`.
   */
  known?: { person: KnownPerson; input: KnownPersonInput };
  /**
   * Or 本人 (issue 15, R15): the account's verified person as the server showed it (masked) and this
   * booking's phone and vehicle; `book` sends `self`.
   */
  self?: { nameMasked: string; idMasked: string; input: SelfPersonInput };
  /** The form's choice for a verified account: 本人 or 为他人预约. */
  forWhom?: 'self' | 'other';
  /** The booking just made, so that its page shows at once. */
  lastBooking?: Booking;
  /** The account's roles (the `staff` function's `me`), once asked; empty for a citizen. */
  staffMe?: StaffMe;
  /** The `me` question on its way, shared by the pages that ask meanwhile. */
  staffMeLoading?: Promise<ApiResult<StaffMe>>;
  /** The service the window's desk showed last. */
  staffServiceId?: string;
  /** 我的's 实名认证 answer and when it was asked (services/identity.ts). */
  identity?: { summary: IdentitySummary; at: number };
  /** That question on its way, shared by the pages that ask meanwhile. */
  identityLoading?: Promise<ApiResult<IdentitySummary>>;
  /** The 实名认证 state asked alone (the person form) and when (services/identity.ts). */
  identityState?: { state: IdentityState; at: number };
  /** That question on its way. */
  identityStateLoading?: Promise<ApiResult<IdentityState>>;
}

/** 我的's 实名认证 entry (R15): the account's state and how many bookings others made for its ID. */
export interface IdentitySummary {
  state: IdentityState;
  /** 他人为您预约: how many (0 when not verified). */
  forMe: number;
}
