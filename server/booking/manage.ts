/**
 * `cancel` and `reschedule` (R4, R8). A booking that is not the caller's answers exactly like one that does
 * not exist. Releasing a number is one conditional update of the booking itself (its unique keys are
 * renamed), so the number is free for others the moment the update lands (R4).
 */
import type { Booking, BookingApi } from '../../typings/api';
import { canCancel } from '../domain/standing';
import { createHash } from 'node:crypto';
import { AppError } from '../shared/errors';
import { findService, getCatalogue, type Catalogue } from '../store/catalogue';
import {
  churnLookBack,
  claimNumber,
  newBookingDoc,
  periodsToTry,
  releasePatch,
  replaceClaim,
} from '../store/claim';
import { forgetSoldOut } from '../store/day-state';
import { isAccountSlot, uncountedKey, type BookingDoc } from '../store/documents/booking';
import type { ServiceDoc } from '../store/documents/config';
import { checkDate } from './book';
import type { Context } from './context';
import { reschedulePolicy } from './identity';
import { toBooking } from './view';

/** The caller's booking, or NOT_FOUND for a missing one and for someone else's alike. */
export async function ownBooking(ctx: Context, bookingId: string): Promise<BookingDoc> {
  const doc = await ctx.db.bookings.get(bookingId);
  if (!doc || doc.openid !== ctx.openid) throw new AppError('BOOKING.NOT_FOUND', 'bookingId');
  return doc;
}

function assertChangeable(ctx: Context, doc: BookingDoc, service: ServiceDoc | undefined): void {
  if (doc.status !== 'booked') throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
  if (!canCancel(ctx.now, doc.startsAt, service?.cancelCutoffMinutes ?? 0)) {
    throw new AppError('BOOKING.CUTOFF_PASSED', 'bookingId');
  }
}

/** A chain of reschedules longer than this is not followed (none is expected; ids never loop). */
const MAX_HOPS = 20;

/**
 * R8: cancelling gives up what the citizen holds. A booking a reschedule replaced holds nothing any more:
 * its number moved to the replacement (`rescheduledTo`), so cancelling it cancels that one — also when
 * the reschedule lands between our read and our write, which is how a cancel sent just after a reschedule
 * meets it. Never an answer "cancelled" while the replacement stays booked.
 */
export async function cancel(ctx: Context, req: BookingApi['cancel']['req']): Promise<Booking> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  let doc = await ownBooking(ctx, req.bookingId);
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (doc.rescheduledTo) {
      doc = await ownBooking(ctx, doc.rescheduledTo);
      continue;
    }
    // A repeated cancel (a retry after a lost answer) answers with the cancelled booking.
    if (doc.status === 'cancelled') return toBooking(doc, catalogue);
    assertChangeable(
      ctx,
      doc,
      catalogue.allServices.find((s) => s._id === doc.serviceId),
    );
    const patch = releasePatch(doc, ctx.now);
    forgetSoldOut(doc.serviceId, doc.date);
    const updated = await ctx.db.bookings.update({ _id: doc._id, status: 'booked' }, patch);
    if (updated > 0) return toBooking({ ...doc, ...patch }, catalogue);
    // Changed meanwhile (rescheduled, checked in, cancelled by a twin request…): decide on what it is now.
    doc = await ownBooking(ctx, doc._id);
  }
  throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
}

/** The id of the booking a reschedule creates: the same target gives the same id, so a retry finds it. */
function rescheduleId(oldId: string, date: string, periodId: string | undefined): string {
  return `r${createHash('sha256')
    .update(`${oldId}|${date}|${periodId ?? '*'}`)
    .digest('hex')
    .slice(0, 31)}`;
}

async function existing(
  ctx: Context,
  catalogue: Catalogue,
  id: string,
): Promise<Booking | undefined> {
  const doc = await ctx.db.bookings.get(id);
  return doc && doc.openid === ctx.openid ? toBooking(doc, catalogue) : undefined;
}

/**
 * R4/R8: the new number is taken and the old one released in ONE transaction (the store's
 * `replaceClaim`), so the citizen never ends with neither (nor both).
 */
export async function reschedule(
  ctx: Context,
  req: BookingApi['reschedule']['req'],
): Promise<Booking> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const old = await ownBooking(ctx, req.bookingId);
  const newId = rescheduleId(old._id, req.date, req.periodId);
  if (old.rescheduledTo === newId) {
    const done = await existing(ctx, catalogue, newId);
    if (done) return done;
  }
  const service = findService(catalogue, old.serviceId);
  assertChangeable(ctx, old, service);
  if (req.date === old.date && (req.periodId === undefined || req.periodId === old.periodId)) {
    throw new AppError('BOOKING.SAME_SLOT', 'date');
  }
  checkDate(catalogue, service, req.date, ctx.now);
  const periods = periodsToTry(service, req.periodId);
  // R10 (a suspended person takes no new number, by a new booking or by moving one; cancelling stays
  // open), R15 (an account suspended for no-shows of bookings it made for others) and R17 (a reschedule
  // is a cancel followed by a booking): the claim reads the person, the account and the recent cancels
  // with the day, in the one request it makes anyway.
  const policy = reschedulePolicy(ctx, catalogue);
  const doc = await claimNumber(
    ctx.db,
    {
      service,
      date: req.date,
      periodId: req.periodId,
      periods,
      day: {
        serviceId: service._id,
        date: req.date,
        openid: ctx.openid,
        personKey: old.personKey,
        ownId: newId,
        now: ctx.now,
        cancelsSince: ctx.now - churnLookBack(policy.churn),
      },
      policy,
      // R5: a reschedule keeps the account's count as it is: the new booking takes over the old one's
      // account slot in the same transaction that releases it.
      accountLimit: undefined,
      accountKey: isAccountSlot(old.accountKey) ? old.accountKey : uncountedKey(newId),
      replacing: old._id,
      personField: 'date',
      build: (pick) => ({
        ...newBookingDoc({
          id: newId,
          by: ctx,
          catalogue,
          service,
          date: req.date,
          pick,
          person: old,
          personKey: old.personKey,
          requestId: old.requestId,
          subscribed: old.reminder.state === 'pending',
        }),
        rescheduledFrom: old._id,
      }),
      found: (own) => (own.openid === ctx.openid ? own : undefined),
    },
    replaceClaim(ctx.db, old, { ...releasePatch(old, ctx.now), rescheduledTo: newId }),
  );
  return toBooking(doc, catalogue);
}

/**
 * R13 开启提醒: the citizen granted the reminder template again (after 取消 on the consent sheet, after a
 * reschedule whose old reminder was sent): the reminder is pending again, with a fresh delivery. A
 * reminder pending or sent already is left as it is (at most one per booking); a booking no longer
 * booked, or whose period has started, is refused.
 */
export async function remind(ctx: Context, req: BookingApi['remind']['req']): Promise<Booking> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const doc = await ownBooking(ctx, req.bookingId);
  if (doc.status !== 'booked') throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
  if (doc.startsAt <= ctx.now) throw new AppError('REMINDER.TOO_LATE', 'bookingId');
  const state = doc.reminder.state;
  if (state === 'pending' || state === 'sent') return toBooking(doc, catalogue);
  const _ = ctx.db.command;
  const updated = await ctx.db.bookings.update(
    { _id: doc._id, status: 'booked', 'reminder.state': state },
    { reminder: _.set({ state: 'pending' }), updatedAt: ctx.now },
  );
  // Changed meanwhile (cancelled, rescheduled, a twin request): answer with what it is now.
  if (updated === 0) return toBooking(await ownBooking(ctx, doc._id), catalogue);
  return toBooking({ ...doc, reminder: { state: 'pending' }, updatedAt: ctx.now }, catalogue);
}
