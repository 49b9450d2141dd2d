/**
 * The wire contract of the `booking` cloud function. The mini program's `callApi` and the server's handler
 * table are both typed by `BookingApi`, so a missing or mistyped action does not compile on either side.
 * Dates are `YYYY-MM-DD` China calendar days (R3); instants are epoch milliseconds.
 */
import type { ApiError } from './errors';

export type { ApiError, ErrorCode } from './errors';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** A CST calendar day, `YYYY-MM-DD`. */
export type DateString = string;

export type ViolationCategory = 'surveillance' | 'commercial' | 'impounded';

/**
 * A booking's life, one closed union for every side (citizen pages, staff pages, the hall's API, the
 * server). Compared with eappointment (ZMS), whose process/queue schemas carry two different loose string
 * enums, every transition here is named, and checked on the server:
 *
 *   booked ─checkIn→ checked_in ─call→ called ─serve→ serving ─finish→ served
 *                                 called ─call→ called (callCount + 1, at most callCountMax)
 *                                 called ─miss→ missed (after callCountMax calls; R9 过号无效)
 *                                 missed ─requeue→ checked_in (back before the period ends, if allowed)
 *   booked ─cancel→ cancelled (the citizen, R8)    booked ─sweep→ no_show (never checked in, R10)
 *   booked ─closeDay→ cancelled_by_office (an unplanned closure by the office's administrator, issue 14)
 */
export type BookingStatus =
  | 'booked'
  | 'checked_in'
  | 'called'
  | 'serving'
  | 'served'
  | 'missed'
  | 'cancelled'
  | 'cancelled_by_office'
  | 'no_show';

export type ClosedReason = 'weekend' | 'holiday' | 'not_released' | 'closed';

export type ReminderState = 'pending' | 'sent' | 'not_subscribed' | 'failed';

export interface Material {
  name: string;
  note?: string;
}

export interface CategoryInfo {
  id: ViolationCategory;
  name: string;
  materials: Material[];
  /** R7: a vehicle of this category may have no plate yet (扣车类 "无牌提供合格证、发票"): 暂无号牌 is offered. */
  unplated?: boolean;
}

/** 办事指南 of a service (issue 12 finding 8): data of the catalogue, '' or [] when not configured. */
export interface ServiceGuide {
  /** What the window handles, one item per line. */
  handles: string[];
  /** What to settle first (e.g. pay the fine online, bring the impound notice). */
  first: string[];
  /** What to do today or without a booking (walk-in, other offices, online services). */
  withoutBooking: string;
}

export interface ServiceInfo {
  id: string;
  name: string;
  prefix: string;
  notice: string;
  categories: CategoryInfo[];
  /** R2: `HH:mm` China time at which each new day's numbers are released. */
  releaseTime: string;
  guide: ServiceGuide;
}

export interface OfficeInfo {
  id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  /** Office hours as posted, e.g. `周一至周五 9:00-12:00，14:30-17:00（节假日除外）`; '' when not configured. */
  hours: string;
  /** The office's telephone, e.g. `0592-1234567`; '' when not configured. */
  phone: string;
  /** How to get there and where to park; '' when not configured. */
  directions: string;
  services: ServiceInfo[];
}

export interface PeriodAvailability {
  id: string;
  /** `HH:mm` China time. */
  start: string;
  end: string;
  remaining: number;
}

export interface DayAvailability {
  date: DateString;
  open: boolean;
  closedReason?: ClosedReason;
  remaining: number;
  periods: PeriodAvailability[];
  /**
   * R2: the day's year has no holiday arrangement (neither official nor entered by an administrator): the
   * plain weekday rule decided `open`, so a holiday may be offered. Absent otherwise.
   */
  calendarMissing?: true;
}

export interface PersonInput {
  name: string;
  idNumber: string;
  phone: string;
  /** '' with `vin` for a vehicle without a plate yet (暂无号牌). */
  plate: string;
  category: ViolationCategory;
  /**
   * R6/R7 暂无号牌: the vehicle identification number (车架号, 17 characters) instead of the plate, for a
   * category whose `unplated` is true (扣车类). Present only then.
   */
  vin?: string;
}

export interface Booking {
  id: string;
  number: string;
  serviceId: string;
  serviceName: string;
  office: { id: string; name: string; address: string; latitude: number; longitude: number };
  date: DateString;
  period: { id: string; start: string; end: string };
  /** Epoch ms of the period start; the citizen should arrive 5 minutes earlier (R9). */
  startsAt: number;
  /** Epoch ms after which cancelling is no longer allowed (R8). */
  cancelDeadline: number;
  status: BookingStatus;
  name: string;
  idMasked: string;
  phoneMasked: string;
  plate: string;
  /** R14: the VIN of a vehicle without a plate, masked (`LSV**********1234`); present only then. */
  vinMasked?: string;
  category: ViolationCategory;
  materials: Material[];
  channel: string;
  createdAt: number;
  reminder: ReminderState;
  /** Unguessable token for the window's QR pass; never the ID number. */
  passToken: string;
  /** Epoch ms the window checked the citizen in (R9); present from `checked_in` on. */
  checkedInAt?: number;
  /** Epoch ms the window finished the business (`served`). */
  servedAt?: number;
}

export interface Standing {
  activeCount: number;
  activeLimit: number;
  noShowsThisMonth: number;
  /** Epoch ms; present while the person is suspended (R10). */
  suspendedUntil?: number;
}

/**
 * Subscribe-message template ids the page asks consent for with `wx.requestSubscribeMessage` (R11, R13).
 * An empty string when the template is not configured: then the page asks nothing.
 */
export interface SubscribeTemplates {
  /** R13: the reminder before an appointment; consent asked when booking. */
  reminder: string;
  /** R11: "numbers opened"; consent asked before the `notify` action. */
  slotsReleased: string;
  /** Issue 14: the office closed the booked day; absent when not configured. */
  bookingChanged?: string;
}

/**
 * 常用办理人: a person this account booked for before, as the server shows it (R14: name, ID and phone
 * masked). `ref` books the same person again without retyping (`book` with `known`), for this account only.
 */
export interface KnownPerson {
  ref: string;
  nameMasked: string;
  idMasked: string;
  phoneMasked: string;
  plate: string;
  vinMasked?: string;
  category: ViolationCategory;
  /** The day of the latest booking for this person. */
  lastDate: DateString;
}

/** The vehicle of a booking for a known person: the person is the one of `ref`, the vehicle may differ. */
export interface KnownPersonInput {
  ref: string;
  plate: string;
  category: ViolationCategory;
  vin?: string;
}

/** R13: when the reminder goes out, for saying so (`办理前一天 18:00 提醒您`). */
export interface ReminderLeadInfo {
  daysBefore: number;
  /** `HH:mm` China time. */
  at: string;
}

/** R11: whether this account waits to be told when numbers of the service appear. */
export interface WaitingState {
  serviceId: string;
  waiting: boolean;
  /** Epoch ms the account started waiting (first come first served); present while waiting. */
  since?: number;
}

/** Issue 15: which of WeChat's real-name facilities the city uses ('off': none granted yet). */
export type IdentityMethod = 'realname' | 'face' | 'off';

/** Issue 15 实名认证: the account's verified person, masked (R14); never the ID number. */
export interface IdentityState {
  method: IdentityMethod;
  /** Whether booking needs a verified account (`settings.requireVerification`). */
  required: boolean;
  verified?: { nameMasked: string; idMasked: string; at: number };
  /**
   * R15: the ID this account had verified (masked) was verified `at` by another WeChat account, which is
   * its holder now; this account is no longer verified and may verify again.
   */
  displaced?: { idMasked: string; at: number };
}

/**
 * How the page starts the check: 城市服务实名信息校验 opens WeChat's own page (`wx.navigateToMiniProgram`
 * to `appId`/`path`), which returns a `code` in `extraData`; 微信人脸核身 2.0 runs
 * `wx.requestFacialVerify({ verifyId })`. Either way the page then sends `verifyIdentity`.
 */
export type IdentityStart =
  | { method: 'realname'; appId: string; path: string }
  | { method: 'face'; verifyId: string; session: string };

/** 他人为您预约: a booking another account made for the verified holder's ID (R14: masked). */
export interface ForMeBooking {
  id: string;
  serviceId: string;
  date: DateString;
  periodStart: string;
  periodEnd: string;
  label: string;
  status: BookingStatus;
  nameMasked: string;
  idMasked: string;
  createdAt: number;
}

/** The vehicle of a booking for the account's verified person (本人): the person comes from the account. */
export interface SelfPersonInput {
  phone: string;
  plate: string;
  category: ViolationCategory;
  vin?: string;
}

export interface BookingApi {
  catalogue: {
    req: Record<string, never>;
    /** `notice`: the city's notice to every citizen (set by administrators), absent when there is none. */
    res: {
      offices: OfficeInfo[];
      templates: SubscribeTemplates;
      reminder: ReminderLeadInfo;
      notice?: string;
    };
  };
  availability: { req: { serviceId: string }; res: { days: DayAvailability[] } };
  book: {
    req: {
      serviceId: string;
      date: DateString;
      periodId?: string;
      /** The person as typed; or `known`, a person this account booked before (exactly one of the two). */
      person?: PersonInput;
      known?: KnownPersonInput;
      /** 本人: the account's verified person (issue 15), with this booking's phone and vehicle. */
      self?: SelfPersonInput;
      requestId: string;
      subscribed?: boolean;
      /**
       * The "booking changed" template (`templates.bookingChanged`) granted in the same tap as the
       * reminder: told if the office closes the day (issue 14).
       */
      changeSubscribed?: boolean;
    };
    res: Booking;
  };
  /**
   * R5 as soon as the ID is typed (issue 12 finding 4): refuses with BOOKING.ACCOUNT_LIMIT, or with
   * BOOKING.PERSON_ALREADY_BOOKED when THIS account holds the person's booking of that day (nothing is
   * said about other accounts' bookings: issue 15), or the ID's own IDENTITY.* code; else `clear`.
   * Read-only; `book` decides.
   */
  precheck: {
    req: { serviceId: string; date: DateString; idNumber: string };
    res: { clear: true };
  };
  /** 常用办理人: the people this account booked for, newest first, masked (R14). */
  persons: { req: Record<string, never>; res: { persons: KnownPerson[] } };
  /**
   * R13 开启提醒: the citizen granted the reminder template again (after 取消 on the consent sheet, or
   * after a reschedule): the booking's reminder is pending again. Idempotent.
   */
  remind: { req: { bookingId: string }; res: Booking };
  cancel: { req: { bookingId: string }; res: Booking };
  reschedule: { req: { bookingId: string; date: DateString; periodId?: string }; res: Booking };
  /**
   * Every active booking of the account (first page only) and its history, newest first, a page at a
   * time: `before` is the previous answer's `nextBefore`; `nextBefore` is absent on the last page.
   */
  mine: { req: { before?: number }; res: { bookings: Booking[]; nextBefore?: number } };
  detail: { req: { bookingId: string }; res: Booking };
  standing: { req: Record<string, never>; res: Standing };
  /**
   * R11: tell me once when numbers of this service appear (a new day, a cancel, a raised quota). Call it
   * after the user granted the `slotsReleased` template; repeating it keeps the place in the queue.
   */
  notify: { req: { serviceId: string }; res: WaitingState };
  /** R11: stop waiting for this service. */
  notifyCancel: { req: { serviceId: string }; res: WaitingState };
  /** R11: whether this account waits for this service (shown, so it can be withdrawn). */
  notifyState: { req: { serviceId: string }; res: WaitingState };
  /** Issue 15 实名认证: the account's state (which facility, verified or not). */
  identity: { req: Record<string, never>; res: IdentityState };
  /** Issue 15: starts a check of `name` + `idNumber` with the configured facility. */
  identityStart: { req: { name: string; idNumber: string }; res: IdentityStart };
  /**
   * Issue 15: the check's result confirmed with WeChat (the `code` of 实名信息校验, or the `verifyId` and
   * `session` of 人脸核身): the account becomes the verified holder of that ID.
   */
  verifyIdentity: {
    req: { name: string; idNumber: string; code?: string; verifyId?: string; session?: string };
    res: IdentityState;
  };
  /** Issue 15 他人为您预约: active bookings other accounts made for the verified holder's ID. */
  forMe: { req: Record<string, never>; res: { bookings: ForMeBooking[] } };
  /** Issue 15: the verified holder cancels a booking another account made for their ID. */
  cancelForMe: { req: { bookingId: string }; res: ForMeBooking };
}

export type BookingAction = keyof BookingApi;
export type BookingRequest<A extends BookingAction> = BookingApi[A]['req'];
export type BookingResponse<A extends BookingAction> = BookingApi[A]['res'];
