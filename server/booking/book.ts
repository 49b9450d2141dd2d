/**
 * `book` (R2–R7, R10, R12, R14). Correctness never depends on timing: the booking is ONE insert whose
 * unique keys are the number of the day (`slotKey`, R4), the person's day (`activeKey`, R5) and the
 * request (`_id`, idempotency). Whatever runs concurrently, the database accepts at most one holder of
 * each. A failed or repeated attempt leaves nothing half-done because there is only one write.
 */
import type { Booking, BookingApi, PersonInput } from '../../typings/api';
import { checkBookableDate } from '../domain/calendar';
import { chinaDate, chinaInstant } from '../domain/china-time';
import { maskIdNumber, maskPhone, validatePerson } from '../domain/identity';
import { formatNumber, pickNumber } from '../domain/numbers';
import { duplicateKeyIndex } from '../shared/db';
import { AppError } from '../shared/errors';
import { newPassToken, personKey, requestBookingId } from '../shared/person-key';
import { findService, getCatalogue, officeOf, type Catalogue } from './catalogue';
import type { Context } from './context';
import { readDayState, rememberSoldOut, soldOutSnapshot, type DayState } from './day-state';
import type { BookingDoc, PeriodConfig, ServiceDoc } from './model';
import { assertNotSuspended } from './suspension';
import { toBooking } from './view';

/** Insert attempts before the caller is asked to try again; each collision costs one. */
const MAX_INSERTS = 12;
/** After this many collisions in a row the day is read again instead of guessing further. */
const REREAD_AFTER = 3;
/** A collision means at least this many others are booking the same numbers right now. */
export const PER_COLLISION = 16;

/**
 * R11: while this instance knows the whole day is held, refuse without reading (0 requests) — unless
 * the caller is one of the holders (a retry of its own booking, or the person's day), which the normal
 * path answers.
 */
function refuseFromSnapshot(
  service: ServiceDoc,
  date: string,
  periodId: string | undefined,
  now: number,
  personKey: string,
  ownId: string,
): void {
  const snap = soldOutSnapshot(service._id, date, now);
  // Checked against the current periods, so a raised quota is never hidden by an old snapshot.
  if (!snap || nextCandidate(service.periods, snap.taken, 0)) return;
  if (snap.holders.has(ownId)) return;
  for (const holder of snap.holders.values()) {
    if (holder === personKey)
      throw new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'person.idNumber');
  }
  throw soldOut(periodId);
}

export function calendarInputs(catalogue: Catalogue, service: ServiceDoc, now: number) {
  return {
    now,
    config: {
      horizonDays: service.horizonDays,
      releaseTime: service.releaseTime,
      openWeekdays: service.openWeekdays,
    },
    calendar: (date: string) => catalogue.calendar.get(date)?.kind,
  };
}

export function checkPerson(input: unknown, service: ServiceDoc, now: number): PersonInput {
  const result = validatePerson(input, { today: chinaDate(now), categories: service.categories });
  if (!result.ok) {
    const first = result.errors[0];
    throw new AppError(first.code, `person.${first.field}`);
  }
  return result.value;
}

export function checkDate(
  catalogue: Catalogue,
  service: ServiceDoc,
  date: string,
  now: number,
): void {
  const check = checkBookableDate(date, calendarInputs(catalogue, service, now));
  if (!check.ok) throw new AppError(check.code, 'date');
}

export function periodsToTry(service: ServiceDoc, periodId: string | undefined): PeriodConfig[] {
  if (periodId === undefined) return service.periods;
  const period = service.periods.find((p) => p.id === periodId);
  if (!period) throw new AppError('QUOTA.PERIOD_NOT_FOUND', 'periodId');
  return [period];
}

/**
 * The next number to try (R4): the smallest free one when nobody else is booking the day; while others
 * are (bookings of the last moments, or a collision just now), one of the few smallest, so that racing
 * bookers spread out instead of colliding on the same number again and again.
 */
export function nextCandidate(
  periods: PeriodConfig[],
  taken: Set<number>,
  contenders: number,
): { period: PeriodConfig; number: number } | undefined {
  const pick = pickNumber(periods, taken, 1 + contenders);
  return pick && { period: pick.period, number: pick.n };
}

export function soldOut(periodId: string | undefined): AppError {
  // R11: the whole day is full, or only the chosen period.
  return new AppError(periodId === undefined ? 'QUOTA.SOLD_OUT' : 'QUOTA.PERIOD_FULL', 'date');
}

export function newBookingDoc(args: {
  id: string;
  ctx: Context;
  catalogue: Catalogue;
  service: ServiceDoc;
  date: string;
  period: PeriodConfig;
  number: number;
  person: Pick<BookingDoc, 'name' | 'idMasked' | 'phoneMasked' | 'plate' | 'category'>;
  personKey: string;
  requestId: string;
  subscribed: boolean;
}): BookingDoc {
  const { ctx, service, date, period, number, person } = args;
  const office = officeOf(args.catalogue, service);
  return {
    _id: args.id,
    serviceId: service._id,
    officeId: office._id,
    date,
    periodId: period.id,
    periodStart: period.start,
    periodEnd: period.end,
    number,
    label: formatNumber(service.prefix, number),
    slotKey: `${service._id}|${date}|${number}`,
    activeKey: `${service._id}|${date}|${args.personKey}`,
    status: 'booked',
    openid: ctx.openid,
    personKey: args.personKey,
    name: person.name,
    idMasked: person.idMasked,
    phoneMasked: person.phoneMasked,
    plate: person.plate,
    category: person.category,
    channel: ctx.channel,
    requestId: args.requestId,
    passToken: newPassToken(),
    startsAt: chinaInstant(date, period.start),
    endsAt: chinaInstant(date, period.end),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    // R13: no consent, no reminder; never an error for the booking.
    reminder: { state: args.subscribed ? 'pending' : 'not_subscribed' },
  };
}

/** A retried request answers with the booking it made; a request id reused for another booking is refused. */
function replay(own: BookingDoc, serviceId: string, date: string, key: string): BookingDoc {
  if (own.serviceId !== serviceId || own.date !== date || own.personKey !== key) {
    throw new AppError('BOOKING.REQUEST_REUSED', 'requestId');
  }
  return own;
}

export async function book(ctx: Context, req: BookingApi['book']['req']): Promise<Booking> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const service = findService(catalogue, req.serviceId);
  const person = checkPerson(req.person, service, ctx.now);
  checkDate(catalogue, service, req.date, ctx.now);
  const periods = periodsToTry(service, req.periodId);
  const key = personKey(person.idNumber);
  const shown = {
    name: person.name,
    idMasked: maskIdNumber(person.idNumber),
    phoneMasked: maskPhone(person.phone),
    plate: person.plate,
    category: person.category,
  };
  await assertNotSuspended(ctx, key);
  const id = requestBookingId(ctx.openid, req.requestId);
  const q = {
    serviceId: service._id,
    date: req.date,
    openid: ctx.openid,
    personKey: key,
    ownId: id,
    now: ctx.now,
  };
  refuseFromSnapshot(service, req.date, req.periodId, ctx.now, key, id);

  let state: DayState = await readDayState(ctx.db, q);
  if (!nextCandidate(service.periods, state.taken, 0))
    rememberSoldOut(service._id, req.date, ctx.now, state);
  let collisions = 0;
  for (let attempt = 0; attempt < MAX_INSERTS; attempt += 1) {
    if (state.own) {
      // A retry of a request that already booked (rare): fetch the whole booking to answer with it.
      const own = await ctx.db.getById<BookingDoc>('bookings', state.own);
      if (own) return toBooking(replay(own, service._id, req.date, key), catalogue);
    }
    if (state.personBooking) throw new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'person.idNumber');
    if (state.accountActive >= catalogue.settings.accountActiveLimit)
      throw new AppError('BOOKING.ACCOUNT_LIMIT');
    // Those who took numbers of this day in the last moments, plus those we collided with, are racing.
    const pick = nextCandidate(periods, state.taken, state.recent + PER_COLLISION * collisions);
    if (!pick) throw soldOut(req.periodId);

    const doc = newBookingDoc({
      id,
      ctx,
      catalogue,
      service,
      date: req.date,
      period: pick.period,
      number: pick.number,
      person: shown,
      personKey: key,
      requestId: req.requestId,
      subscribed: req.subscribed === true,
    });
    try {
      await ctx.db.insert('bookings', doc);
      return toBooking(doc, catalogue);
    } catch (err) {
      const index = duplicateKeyIndex(err);
      if (index === undefined) throw err;
      if (index !== 'slot_unique') {
        // The request's own id (a retry racing its first attempt, or a lost acknowledgement) or the
        // person's day taken meanwhile: the day's state says which, and the loop answers it.
        state = await readDayState(ctx.db, q);
        if (state.own || state.personBooking) continue;
      }
      // Someone else got this number first: try another without reading the day again, a few times.
      state.taken.add(pick.number);
      collisions += 1;
      if (collisions % REREAD_AFTER === 0) state = await readDayState(ctx.db, q);
    }
  }
  throw new AppError('SYSTEM.BUSY');
}
