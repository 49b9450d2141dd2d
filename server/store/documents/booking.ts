/**
 * `bookings`: one document per booking. Its number of the day and its person's day are unique keys
 * (`slotKey`, `activeKey`; indexes INDEX.bookings.slot and INDEX.bookings.personDay), so the database
 * itself refuses a second holder (R4, R5); docs/data-model.md argues why each write is safe.
 */
import type {
  BookingStatus,
  DateString,
  ReminderState,
  ViolationCategory,
} from '../../../typings/api';
import type { QueueEvent } from '../../../typings/staff';
import { ACTIVE_STATUSES, holdsNumber } from '../../domain/standing';
import type { Delivery } from './delivery';

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
  /**
   * R5's account limit, guarded by the database: `acct|<openid>|<k>` (k below the limit) for a booking the
   * account's limit counts, `own:<_id>` for one it does not (another channel), `released:<_id>` once
   * cancelled; unique index. A served, missed or no-show booking keeps its key until the account needs it
   * again (server/store/claim.ts takes it back then).
   */
  accountKey: string;
  status: BookingStatus;
  openid: string;
  /** Keyed hash of the ID number (R14). */
  personKey: string;
  name: string;
  idMasked: string;
  phoneMasked: string;
  /** '' for a vehicle without a plate yet; then `vinMasked` is set (R6, R7 扣车类). */
  plate: string;
  /** R14: the masked VIN of a vehicle without a plate; the full VIN is never stored. */
  vinMasked?: string;
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
  /** The citizen granted the "booking changed" template when booking (issue 14: a day closed). */
  changeConsent?: boolean;
  /** The "booking changed" notice of a day the office closed (`closeDay`): the delivery protocol. */
  changeNotice?: Delivery<ReminderState>;
  /** Why and by whom the office cancelled it (`cancelled_by_office`). */
  cancelReason?: string;
  cancelledBy?: string;
  /** R10: when the no-show sweep marked it (epoch ms). */
  noShowAt?: number;
  // The window (issue 13, server/staff/queue.ts): each step's instant, set by the transition that made it.
  checkedInAt?: number;
  calledAt?: number;
  servingAt?: number;
  servedAt?: number;
  missedAt?: number;
  requeuedAt?: number;
  /** Calls since check-in (or requeue); set to 0 by check-in. */
  callCount?: number;
  /** The window that called it last (`3号窗口`), for the call display. */
  window?: string;
  /** The id of the last transition, so a retried write whose acknowledgement was lost knows it landed. */
  lastOp?: string;
  /** The audit trail of the window's transitions, pushed by the same write that makes each one. */
  history?: QueueStep[];
}

/** One transition at the window: who (an OPENID, or `api:<keyId>`), when, which event, from → to. */
export interface QueueStep {
  op: string;
  at: number;
  by: string;
  event: QueueEvent;
  from: BookingStatus;
  to: BookingStatus;
  window?: string;
}

/** R4: the key that makes a number of the day held by one booking at most. */
export function slotKey(serviceId: string, date: string, number: number): string {
  return `${serviceId}|${date}|${number}`;
}

/** R5: the key that gives a person one active booking per service and day, whatever the account. */
export function activeKey(serviceId: string, date: string, personKey: string): string {
  return `${serviceId}|${date}|${personKey}`;
}

/** R5: the account's `k`-th booking slot; the account holds at most `limit` of them at once. */
export function accountSlotKey(openid: string, k: number): string {
  return `acct|${openid}|${k}`;
}

/**
 * Whether `key` is one of an account's slots. Takes undefined: bookings written before the field existed
 * have none (docs/data-model.md says how they are given one).
 */
export function isAccountSlot(key: string | undefined): key is string {
  return key?.startsWith('acct|') === true;
}

/** The `accountKey` of a booking no account limit counts (the hall's channels): its own. */
export function uncountedKey(bookingId: string): string {
  return `own:${bookingId}`;
}

/** What a released booking's `slotKey` and `activeKey` become: unique because it embeds its own id. */
export function releasedKey(bookingId: string): string {
  return `released:${bookingId}`;
}

const STATUSES: readonly BookingStatus[] = [
  'booked',
  'checked_in',
  'called',
  'serving',
  'served',
  'missed',
  'cancelled',
  'cancelled_by_office',
  'no_show',
];
/** Statuses that hold a number for the day (R4), as the domain rule says: everything but cancelled. */
export const HOLDING: readonly BookingStatus[] = STATUSES.filter(holdsNumber);
/** Statuses that count against the account's limit (R5), the domain's list. */
export const ACTIVE: readonly BookingStatus[] = ACTIVE_STATUSES;
