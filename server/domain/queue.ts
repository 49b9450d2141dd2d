/**
 * The window's queue (R9, issue 13): which event moves a booking from which status to which, under which
 * condition, and why a refused event was refused. Pure rules, no I/O.
 *
 * Learned from eappointment (ZMS, zmsentities/schema/process.json and queue.json): a call counter with a
 * maximum (`callCountMax`, a per-service setting there as here), a missed status and requeueing. Done
 * differently: one closed status union instead of two loose string enums; `missed` only by a deliberate
 * event after the maximum of calls, not as a side effect of a status recalculation; and every transition
 * is a guard the database checks in the same write that changes the status (`QueueGuard`), so no two
 * windows can act on one booking from a stale read.
 */
import type { BookingStatus, ErrorCode } from '../../typings/api';
import type { QueueEvent } from '../../typings/staff';
import { chinaDate } from './china-time';

export interface QueueSettings {
  /** Calls before `miss` is allowed; a further call is refused (ZMS: `queue.callCountMax`). */
  callCountMax: number;
  /** Check-in opens this many minutes before the booked period starts and closes at its end. */
  checkInMinutesBefore: number;
  /** Whether a missed citizen who comes back before the period ends may be requeued. */
  requeue: boolean;
}

export const DEFAULT_QUEUE_SETTINGS: Readonly<QueueSettings> = Object.freeze({
  callCountMax: 3,
  checkInMinutesBefore: 60,
  requeue: true,
});

/** What the rules read of a booking. */
export interface QueueState {
  status: BookingStatus;
  /** The booked China day. */
  date: string;
  /** Epoch ms of the booked period's start and end. */
  startsAt: number;
  endsAt: number;
  callCount: number;
  checkedInAt?: number;
}

/**
 * The condition a booking must meet for an event, as ranges on its fields: the store turns it into the
 * filter of ONE conditional update, and `holds` checks it on a state. `from` is exactly one status, so the
 * audit entry written with the update knows the transition it records.
 */
export interface QueueGuard {
  event: QueueEvent;
  from: BookingStatus;
  to: BookingStatus;
  /** The booked day must be this one (check-in: today, China time). */
  date?: string;
  /** `startsAt <= startsAtAtMost`: check-in opens before the period. */
  startsAtAtMost?: number;
  /** `endsAt >= endsAtAtLeast`: the period has not ended. */
  endsAtAtLeast?: number;
  /** `callCount < callCountBelow`. */
  callCountBelow?: number;
  /** `callCount >= callCountAtLeast`. */
  callCountAtLeast?: number;
}

/** A refused event: the code, and the instant the message should name (when check-in opens, or happened). */
export interface QueueRefusal {
  code: ErrorCode;
  at?: number;
}

const MINUTE = 60_000;

/**
 * The guards under which `event` is allowed at `now`, tried in order (the first whose update lands wins).
 * Empty when the service's settings forbid the event altogether (requeue switched off).
 */
export function guardsFor(event: QueueEvent, now: number, s: QueueSettings): QueueGuard[] {
  switch (event) {
    case 'check_in':
      // R9: on the booked China day, from `checkInMinutesBefore` before the period until its end.
      return [
        {
          event,
          from: 'booked',
          to: 'checked_in',
          date: chinaDate(now),
          startsAtAtMost: now + s.checkInMinutesBefore * MINUTE,
          endsAtAtLeast: now,
        },
      ];
    case 'call':
      // The first call, or a call again while calls remain.
      return [
        { event, from: 'checked_in', to: 'called' },
        { event, from: 'called', to: 'called', callCountBelow: s.callCountMax },
      ];
    case 'serve':
      return [{ event, from: 'called', to: 'serving' }];
    case 'finish':
      return [{ event, from: 'serving', to: 'served' }];
    case 'miss':
      // R9 过号无效, but only once the citizen was called the configured number of times.
      return [{ event, from: 'called', to: 'missed', callCountAtLeast: s.callCountMax }];
    case 'requeue':
      return s.requeue ? [{ event, from: 'missed', to: 'checked_in', endsAtAtLeast: now }] : [];
  }
}

/** Whether `state` meets `guard`. */
export function holds(guard: QueueGuard, state: QueueState): boolean {
  return (
    state.status === guard.from &&
    (guard.date === undefined || state.date === guard.date) &&
    (guard.startsAtAtMost === undefined || state.startsAt <= guard.startsAtAtMost) &&
    (guard.endsAtAtLeast === undefined || state.endsAt >= guard.endsAtAtLeast) &&
    (guard.callCountBelow === undefined || state.callCount < guard.callCountBelow) &&
    (guard.callCountAtLeast === undefined || state.callCount >= guard.callCountAtLeast)
  );
}

/** Statuses a booking has once it was checked in (a second check-in is answered with when the first was). */
const AT_THE_WINDOW: readonly BookingStatus[] = [
  'checked_in',
  'called',
  'serving',
  'served',
  'missed',
];

function checkInRefusal(state: QueueState, now: number, s: QueueSettings): QueueRefusal {
  if (state.status === 'cancelled' || state.status === 'cancelled_by_office')
    return { code: 'CHECKIN.CANCELLED' };
  if (AT_THE_WINDOW.includes(state.status)) {
    return state.checkedInAt === undefined
      ? { code: 'CHECKIN.ALREADY' }
      : { code: 'CHECKIN.ALREADY', at: state.checkedInAt };
  }
  // `no_show`, or still `booked`: it is about the day and the time.
  const today = chinaDate(now);
  if (state.status === 'no_show' || state.date < today) return { code: 'CHECKIN.PAST' };
  if (state.date > today) return { code: 'CHECKIN.WRONG_DAY' };
  const opens = state.startsAt - s.checkInMinutesBefore * MINUTE;
  if (now < opens) return { code: 'CHECKIN.TOO_EARLY', at: opens };
  return { code: 'CHECKIN.PAST' };
}

/**
 * Why `event` is refused on `state` at `now`; `undefined` when one of its guards holds (the caller lost a
 * race and may try again, or should answer the row as it is).
 */
export function refusal(
  event: QueueEvent,
  state: QueueState,
  now: number,
  s: QueueSettings,
): QueueRefusal | undefined {
  if (guardsFor(event, now, s).some((g) => holds(g, state))) return undefined;
  switch (event) {
    case 'check_in':
      return checkInRefusal(state, now, s);
    case 'call':
      return state.status === 'called'
        ? { code: 'QUEUE.CALL_LIMIT' }
        : { code: 'QUEUE.WRONG_STATUS' };
    case 'miss':
      return state.status === 'called'
        ? { code: 'QUEUE.CALLS_REMAINING' }
        : { code: 'QUEUE.WRONG_STATUS' };
    case 'requeue':
      return state.status === 'missed'
        ? { code: 'QUEUE.REQUEUE_CLOSED' }
        : { code: 'QUEUE.WRONG_STATUS' };
    case 'serve':
    case 'finish':
      return { code: 'QUEUE.WRONG_STATUS' };
  }
}

/**
 * The order in which checked-in citizens are called (`next`): booked period first, then number (R4/R9).
 * A citizen requeued after a miss takes their booked place again.
 */
export function callOrder(
  a: { startsAt: number; number: number },
  b: { startsAt: number; number: number },
): number {
  return a.startsAt - b.startsAt || a.number - b.number;
}
