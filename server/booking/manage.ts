/**
 * `cancel` and `reschedule` (R4, R8). A booking that is not the caller's answers exactly like one that does
 * not exist. Releasing a number is one conditional update of the booking itself (its unique keys are
 * renamed), so the number is free for others the moment the update lands (R4).
 */
import type { Booking, BookingApi } from '../../typings/api';
import { canCancel } from '../domain/standing';
import { createHash } from 'node:crypto';
import { duplicateKeyIndex, isTransactionConflict, isTransient } from '../shared/db';
import { AppError } from '../shared/errors';
import {
  checkDate,
  newBookingDoc,
  nextCandidate,
  PER_COLLISION,
  periodsToTry,
  soldOut,
} from './book';
import { findService, getCatalogue, type Catalogue } from './catalogue';
import type { Context } from './context';
import { forgetSoldOut, readDayState } from './day-state';
import { RELEASED, type BookingDoc, type ServiceDoc } from './model';
import { toBooking } from './view';

const MAX_ATTEMPTS = 8;

/** The caller's booking, or NOT_FOUND for a missing one and for someone else's alike. */
export async function ownBooking(ctx: Context, bookingId: string): Promise<BookingDoc> {
  const doc = await ctx.db.getById<BookingDoc>('bookings', bookingId);
  if (!doc || doc.openid !== ctx.openid) throw new AppError('BOOKING.NOT_FOUND', 'bookingId');
  return doc;
}

function assertChangeable(ctx: Context, doc: BookingDoc, service: ServiceDoc | undefined): void {
  if (doc.status !== 'booked') throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
  if (!canCancel(ctx.now, doc.startsAt, service?.cancelCutoffMinutes ?? 0)) {
    throw new AppError('BOOKING.CUTOFF_PASSED', 'bookingId');
  }
}

function releasePatch(doc: BookingDoc, now: number): Partial<BookingDoc> {
  return {
    status: 'cancelled',
    slotKey: `${RELEASED}${doc._id}`,
    activeKey: `${RELEASED}${doc._id}`,
    cancelledAt: now,
    updatedAt: now,
  };
}

export async function cancel(ctx: Context, req: BookingApi['cancel']['req']): Promise<Booking> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const doc = await ownBooking(ctx, req.bookingId);
  // A repeated cancel (a retry after a lost answer) answers with the cancelled booking.
  if (doc.status === 'cancelled' && !doc.rescheduledTo) return toBooking(doc, catalogue);
  assertChangeable(
    ctx,
    doc,
    catalogue.services.find((s) => s._id === doc.serviceId),
  );
  const patch = releasePatch(doc, ctx.now);
  forgetSoldOut(doc.serviceId, doc.date);
  const updated = await ctx.db.updateWhere('bookings', { _id: doc._id, status: 'booked' }, patch);
  if (updated === 0) {
    // Changed meanwhile (checked in, cancelled by a twin request…): answer from what it is now.
    const now = await ownBooking(ctx, doc._id);
    if (now.status === 'cancelled') return toBooking(now, catalogue);
    throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
  }
  return toBooking({ ...doc, ...patch }, catalogue);
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
  const doc = await ctx.db.getById<BookingDoc>('bookings', id);
  return doc && doc.openid === ctx.openid ? toBooking(doc, catalogue) : undefined;
}

/**
 * R4/R8: the new number is taken and the old one released in ONE transaction, so the citizen never ends
 * with neither (nor both). The old booking is re-read inside the transaction, which locks it: a cancel or
 * check-in racing the reschedule makes one of them fail cleanly.
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
  const q = {
    serviceId: service._id,
    date: req.date,
    openid: ctx.openid,
    personKey: old.personKey,
    ownId: newId,
    now: ctx.now,
  };
  const state = await readDayState(ctx.db, q);
  if (state.own) {
    const done = await existing(ctx, catalogue, state.own);
    if (done) return done;
  }
  if (state.personBooking && state.personBooking !== old._id) {
    throw new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'date');
  }

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const pick = nextCandidate(periods, state.taken, state.recent + PER_COLLISION * attempt);
    if (!pick) throw soldOut(req.periodId);
    const next: BookingDoc = {
      ...newBookingDoc({
        id: newId,
        ctx,
        catalogue,
        service,
        date: req.date,
        period: pick.period,
        number: pick.number,
        person: old,
        personKey: old.personKey,
        requestId: old.requestId,
        subscribed: old.reminder.state === 'pending',
      }),
      rescheduledFrom: old._id,
    };
    try {
      await ctx.db.transaction(async (t) => {
        const bookings = t.collection('bookings');
        const current = (await bookings.doc(old._id).get()).data as BookingDoc;
        if (current.status !== 'booked') throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
        await bookings
          .doc(old._id)
          .update({ data: { ...releasePatch(old, ctx.now), rescheduledTo: newId } });
        await bookings.add({ data: next });
      });
      forgetSoldOut(old.serviceId, old.date);
      return toBooking(next, catalogue);
    } catch (err) {
      if (err instanceof AppError && err.code !== 'BOOKING.NOT_ACTIVE') throw err;
      // A lost acknowledgement of our own commit looks like a failure (or, on the next try, like an old
      // booking no longer active): if the new booking exists, the reschedule is done.
      const done = await existing(ctx, catalogue, newId);
      if (done) return done;
      if (err instanceof AppError) throw err;
      const index = duplicateKeyIndex(err);
      if (index === 'person_day_unique')
        throw new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'date');
      if (index !== undefined) {
        state.taken.add(pick.number);
        continue;
      }
      // The SDK does not retry a conflict or a transient failure inside a transaction: a new one does.
      if (!isTransactionConflict(err) && !isTransient(err)) throw err;
    }
  }
  throw new AppError('SYSTEM.BUSY');
}
