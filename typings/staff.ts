/**
 * The wire contract of the `staff` cloud function: the window's actions on the day's queue (issue 13).
 * Same envelope as `booking` (`ApiResult`); the mini program's staff pages call it through a `callApi`
 * typed by `StaffApi`, the server's handler table is typed by the same map.
 *
 * Every action but `me` and `acceptInvitation` needs a role (`staff` or `office_admin` of the booking's office, or `city_admin`),
 * checked on the server on every call; without it the answer is exactly that of an unknown action
 * (`REQUEST.UNKNOWN_ACTION`), so the actions cannot be discovered. `me` answers anyone with their own roles
 * (none for a citizen), so the home page knows whether to show the 工作人员 entry.
 */
import type { BookingStatus, DateString, ViolationCategory } from './api';

/** An account's role: `staff`/`office_admin` for one office, `city_admin` for all offices. */
export type StaffRole = 'staff' | 'office_admin' | 'city_admin';

/** One role an account holds. `officeId` is present for `staff` and `office_admin`, absent for `city_admin`. */
export interface RoleGrant {
  openid: string;
  role: StaffRole;
  officeId?: string;
  /** Epoch ms of the grant, and the OPENID that granted it (`console` for a bootstrap without one). */
  grantedAt: number;
  grantedBy: string;
}

/** The window's queue events, as the staff actions and the hall's API (`POST …/events`) name them. */
export type QueueEvent = 'check_in' | 'call' | 'serve' | 'finish' | 'miss' | 'requeue';

/**
 * One booking as the window sees it: masked name only (R14), never the ID number or phone. Every
 * transition answers the whole row after it.
 */
export interface QueueRow {
  id: string;
  /** The number as printed and called, e.g. `A011`. */
  label: string;
  number: number;
  serviceId: string;
  officeId: string;
  date: DateString;
  period: { id: string; start: string; end: string };
  status: BookingStatus;
  /** `张*`, `王*明` (R14). */
  nameMasked: string;
  category: ViolationCategory;
  /** R12: the channel the booking came through (`wechat`, or an API key's channel). */
  channel: string;
  /** Epoch ms of each step; present once it happened. `calledAt` is the latest call. */
  checkedInAt?: number;
  calledAt?: number;
  servingAt?: number;
  servedAt?: number;
  missedAt?: number;
  /** Calls so far (0 before the first); at most the service's `callCountMax`. */
  callCount: number;
  /** The window that called it last, for the call display (e.g. `3号窗口`). */
  window?: string;
  /** Epoch ms of the last change; the hall API's `since` cursor follows it. */
  updatedAt: number;
}

/** A service the account may work at, with the queue settings the window needs to know. */
export interface StaffService {
  id: string;
  name: string;
  prefix: string;
  /** Calls before `miss` is allowed (ZMS's `callCountMax`; default 3). */
  callCountMax: number;
  /** Check-in opens this many minutes before the booked period starts (default 60). */
  checkInMinutesBefore: number;
  /** Whether a missed citizen who comes back before the period ends may be requeued. */
  requeue: boolean;
}

export interface StaffOffice {
  id: string;
  name: string;
  services: StaffService[];
}

export interface StaffMe {
  /** The account's roles; empty for a citizen. */
  roles: { role: StaffRole; officeId?: string }[];
  /** The offices these roles cover (every office for a `city_admin`), with their services. */
  offices: StaffOffice[];
}

export interface StaffDay {
  serviceId: string;
  date: DateString;
  /** Every booking of the day, ordered by period, then number; cancelled ones included (status filter). */
  bookings: QueueRow[];
}

/** Check-in by the QR pass (which holds the `passToken` only), or by number for a citizen without a phone. */
export type CheckInRequest =
  | { passToken: string }
  | {
      serviceId: string;
      date: DateString;
      /** The ticket as printed, e.g. `A011`. */
      number: string;
    };

export interface StaffApi {
  me: { req: Record<string, never>; res: StaffMe };
  /**
   * Any signed-in account: enters an administrator's invitation code (`ABCD-EFGH`, case, spaces and
   * dashes ignored); the role goes to the OPENID of this call. Refused coded: `INVITE.INVALID`,
   * `INVITE.EXPIRED`, `INVITE.USED`, `INVITE.TOO_MANY_ATTEMPTS` (10 codes per account and China day).
   * Answers the account's roles after it, as `me`.
   */
  acceptInvitation: { req: { code: string }; res: StaffMe };
  /** The day's rows (default today, China time) of a service of the account's office. */
  today: { req: { serviceId: string; date?: DateString }; res: StaffDay };
  /**
   * booked → checked_in, only on the booked China day, from `checkInMinutesBefore` before the period
   * until its end. Refused coded: `CHECKIN.*` (a second check-in says when the first happened).
   */
  checkIn: { req: CheckInRequest; res: QueueRow };
  /** checked_in → called, or called → called again (`callCount` + 1, up to `callCountMax`). */
  call: { req: { bookingId: string; window?: string }; res: QueueRow };
  /** called → serving: the citizen is at the window. */
  serve: { req: { bookingId: string }; res: QueueRow };
  /** serving → served. */
  finish: { req: { bookingId: string }; res: QueueRow };
  /** called → missed, once called `callCountMax` times (R9 过号无效). */
  miss: { req: { bookingId: string }; res: QueueRow };
  /** missed → checked_in, before the period ends and if the service allows it. */
  requeue: { req: { bookingId: string }; res: QueueRow };
  /**
   * The next checked-in booking (booked period first, then number), atomically marked `called` for this
   * window: two windows pressing `next` at once never get the same citizen. `QUEUE.EMPTY` when none.
   */
  next: { req: { serviceId: string; window?: string }; res: QueueRow };
}

export type StaffAction = keyof StaffApi;
export type StaffRequest<A extends StaffAction> = StaffApi[A]['req'];
export type StaffResponse<A extends StaffAction> = StaffApi[A]['res'];
/** What the staff pages send as `wx.cloud.callFunction({ name: 'staff', data })`. */
export type StaffCall<A extends StaffAction> = { action: A } & StaffRequest<A>;
