/**
 * `book` (R2–R7, R10, R12, R14). Correctness never depends on timing: the booking is ONE insert whose
 * unique keys are the number of the day (`slotKey`, R4), the person's day (`activeKey`, R5) and the
 * request (`_id`, idempotency). Whatever runs concurrently, the database accepts at most one holder of
 * each. A failed or repeated attempt leaves nothing half-done because there is only one write. The
 * picking and retrying is the store's claiming routine (server/store/claim.ts).
 */
import type {
  Booking,
  BookingApi,
  KnownPersonInput,
  PersonInput,
  SelfPersonInput,
} from '../../typings/api';
import { checkBookableDate, releaseInstant } from '../domain/calendar';
import { chinaDate } from '../domain/china-time';
import {
  maskIdNumber,
  maskPhone,
  maskVin,
  validatePerson,
  validatePhone,
  validateVehicle,
} from '../domain/identity';
import { AppError } from '../shared/errors';
import { personKey, requestBookingId } from '../shared/person-key';
import {
  calendarInputs,
  findService,
  provisionalCatalogue,
  type Catalogue,
} from '../store/catalogue';
import {
  accountKeys,
  churnLookBack,
  claimNumber,
  insertClaim,
  newBookingDoc,
  periodsToTry,
} from '../store/claim';
import type { BookingDoc } from '../store/documents/booking';
import type { SuspensionDoc } from '../store/day-state';
import type { ServiceDoc } from '../store/documents/config';
import type { Context } from './context';
import { personPolicy, verifiedSelf } from './identity';
import { knownPerson } from './persons';
import { suspensionRefusal } from './suspension';
import { toBooking } from './view';

/** R7: the categories whose vehicle may have no plate yet (暂无号牌), from the catalogue. */
function unplatedCategories(catalogue: Catalogue): string[] {
  return catalogue.categories.filter((c) => c.unplated === true).map((c) => c._id);
}

export function checkPerson(
  input: unknown,
  service: ServiceDoc,
  now: number,
  catalogue: Catalogue,
): PersonInput {
  const result = validatePerson(input, {
    today: chinaDate(now),
    categories: service.categories,
    unplated: unplatedCategories(catalogue),
  });
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

/** A retried request answers with the booking it made; a request id reused for another booking is refused. */
function replay(own: BookingDoc, serviceId: string, date: string, key: string): BookingDoc {
  if (own.serviceId !== serviceId || own.date !== date || own.personKey !== key) {
    throw new AppError('BOOKING.REQUEST_REUSED', 'requestId');
  }
  return own;
}

/** Who the booking is for: the person key and what the booking shows (masked, R14). */
interface Who {
  key: string;
  shown: Pick<BookingDoc, 'name' | 'idMasked' | 'phoneMasked' | 'plate' | 'category' | 'vinMasked'>;
}

/** The person as typed: validated, hashed and masked. */
function typedPerson(input: unknown, service: ServiceDoc, now: number, catalogue: Catalogue): Who {
  const person = checkPerson(input, service, now, catalogue);
  return {
    key: personKey(person.idNumber),
    shown: {
      name: person.name,
      idMasked: maskIdNumber(person.idNumber),
      phoneMasked: maskPhone(person.phone),
      plate: person.plate,
      ...(person.vin === undefined ? {} : { vinMasked: maskVin(person.vin) }),
      category: person.category,
    },
  };
}

/** 常用办理人: the person of one of this account's bookings, with this booking's vehicle. */
async function samePerson(
  ctx: Context,
  known: KnownPersonInput,
  service: ServiceDoc,
  catalogue: Catalogue,
): Promise<Who> {
  const vehicle = validateVehicle(known, {
    categories: service.categories,
    unplated: unplatedCategories(catalogue),
  });
  if (!vehicle.ok) {
    const first = vehicle.errors[0];
    throw new AppError(first.code, `known.${first.field}`);
  }
  const from = await knownPerson(ctx, known.ref);
  const { plate, category, vin } = vehicle.value;
  return {
    key: from.personKey,
    shown: {
      name: from.name,
      idMasked: from.idMasked,
      phoneMasked: from.phoneMasked,
      plate,
      ...(vin === undefined ? {} : { vinMasked: maskVin(vin) }),
      category,
    },
  };
}

/** 本人 (issue 15): the account's verified person, with this booking's phone and vehicle. */
async function selfPerson(
  ctx: Context,
  self: SelfPersonInput,
  service: ServiceDoc,
  catalogue: Catalogue,
): Promise<Who> {
  const vehicle = validateVehicle(self, {
    categories: service.categories,
    unplated: unplatedCategories(catalogue),
  });
  if (!vehicle.ok) {
    const first = vehicle.errors[0];
    throw new AppError(first.code, `self.${first.field}`);
  }
  const phone = validatePhone(self.phone);
  if (!phone.ok) throw new AppError(phone.code, 'self.phone');
  const verified = await verifiedSelf(ctx);
  const { plate, category, vin } = vehicle.value;
  return {
    key: verified.personKey,
    shown: {
      name: verified.name,
      idMasked: verified.idMasked,
      phoneMasked: maskPhone(phone.value),
      plate,
      ...(vin === undefined ? {} : { vinMasked: maskVin(vin) }),
      category,
    },
  };
}

/** The request's field that names the person: where a person-level refusal points. */
function personFieldOf(req: BookingApi['book']['req']): string {
  if (req.known) return 'known.ref';
  if (req.self) return 'self';
  return 'person.idNumber';
}

/** Thrown by a claim's `ready` when the configuration it validated against has changed meanwhile. */
class Outdated extends Error {}

/**
 * Issue 16: the booking is validated, and its day read, with the instance's configuration while its
 * version check runs (`provisionalCatalogue`): the claim waits for the check with its read, before any
 * answer or write. Should the configuration have changed (rare: an administrator's save), everything is
 * done again with the new one — a refusal too, which may have come from the old one.
 */
export async function book(ctx: Context, req: BookingApi['book']['req']): Promise<Booking> {
  const { catalogue, confirmed } = await provisionalCatalogue(ctx.db, ctx.now);
  const ready = async (): Promise<void> => {
    if ((await confirmed) !== undefined) throw new Outdated('configuration changed');
  };
  try {
    return await bookWith(ctx, req, catalogue, ready);
  } catch (err) {
    const current = await confirmed;
    if (current === undefined) throw err;
    return bookWith(ctx, req, current, undefined);
  }
}

async function bookWith(
  ctx: Context,
  req: BookingApi['book']['req'],
  catalogue: Catalogue,
  ready: (() => Promise<void>) | undefined,
): Promise<Booking> {
  const service = findService(catalogue, req.serviceId);
  // Exactly one of the typed person, a known one and the verified self.
  const given = [req.person, req.known, req.self].filter((p) => p !== undefined).length;
  if (given !== 1) throw new AppError('REQUEST.INVALID', 'person');
  const who = req.known
    ? await samePerson(ctx, req.known, service, catalogue)
    : req.self
      ? await selfPerson(ctx, req.self, service, catalogue)
      : typedPerson(req.person, service, ctx.now, catalogue);
  checkDate(catalogue, service, req.date, ctx.now);
  const periods = periodsToTry(service, req.periodId);
  const { key, shown } = who;
  const personField = personFieldOf(req);
  // R10/R16: the person's record is read with the day, in the same request. For a WeChat account the
  // claim tells a suspension in the order that answers alike whatever ID is typed; the hall's channels
  // (no account, R12) are told it as it is, first.
  const suspension = ctx.accountLimited
    ? undefined
    : (person: SuspensionDoc | undefined) =>
        suspensionRefusal(person?.suspendedUntil, ctx.now, personField);
  const policy = ctx.accountLimited ? personPolicy(ctx, catalogue, key, personField) : undefined;
  const id = requestBookingId(ctx.openid, req.requestId);
  const accountLimit = ctx.accountLimited ? catalogue.settings.accountActiveLimit : undefined;
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
        personKey: key,
        ownId: id,
        now: ctx.now,
        ...(accountLimit === undefined
          ? {}
          : { accountKeys: accountKeys(ctx.openid, accountLimit) }),
        ...(policy ? { cancelsSince: ctx.now - churnLookBack(policy.churn) } : {}),
      },
      accountLimit,
      personField,
      releasedAt: releaseInstant(req.date, calendarInputs(catalogue, service, ctx.now).config),
      ...(policy ? { policy } : {}),
      ...(suspension ? { suspension } : {}),
      ...(ready ? { ready } : {}),
      build: (pick) =>
        newBookingDoc({
          id,
          by: ctx,
          catalogue,
          service,
          date: req.date,
          pick,
          person: shown,
          personKey: key,
          requestId: req.requestId,
          subscribed: req.subscribed === true,
          changeSubscribed: req.changeSubscribed === true,
        }),
      found: (own) => replay(own, service._id, req.date, key),
    },
    insertClaim(ctx.db),
  );
  return toBooking(doc, catalogue);
}
