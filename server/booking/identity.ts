/**
 * Issue 15: verified holders (R15) and what they change.
 *
 * - 实名认证: `identityStart` / `verifyIdentity` prove through WeChat (server/identity/verifier.ts) that the
 *   account is the holder of an ID; the link is stored by person key (`persons.holder`, `accounts.verified`),
 *   never the ID number (R14). The latest verification of an ID wins.
 * - 他人为您预约: `forMe` lists the active bookings other accounts made for the holder's ID (masked) and
 *   `cancelForMe` cancels one.
 * - R16 person-level refusals: "already booked that day" and "suspended until" are told only to the
 *   person's verified holder and to an account that booked the person itself; any other account gets
 *   BOOKING.PERSON_UNAVAILABLE, counted per China day, and after `personRefusalLimit` of them the account
 *   is slowed (BOOKING.SLOWED) until the next China day, whatever ID it types.
 */
import type { BookingApi, ForMeBooking, IdentityState } from '../../typings/api';
import { chinaDate, chinaInstant, untilNote } from '../domain/china-time';
import { DEFAULT_RULES } from '../domain/config';
import { maskIdNumber, maskName, validateIdNumber, validateName } from '../domain/identity';
import { canCancel } from '../domain/standing';
import { verifierFor, type Claimed } from '../identity/verifier';
import { AppError } from '../shared/errors';
import { personKey } from '../shared/person-key';
import { updateAccount } from '../store/accounts';
import { getCatalogue, type Catalogue } from '../store/catalogue';
import { releasePatch } from '../store/claim';
import type { ChurnLimits, PersonPolicy } from '../store/claim';
import { forgetSoldOut } from '../store/day-state';
import type { AccountDoc } from '../store/documents/account';
import type { BookingDoc } from '../store/documents/booking';
import { updatePerson } from '../store/persons';
import type { Context } from './context';
import { suspensionRefusal } from './suspension';

function stateOf(catalogue: Catalogue, account: AccountDoc | undefined): IdentityState {
  const v = account?.verified;
  return {
    method: catalogue.settings.identityMethod ?? 'off',
    required: catalogue.settings.requireVerification === true,
    ...(v ? { verified: { nameMasked: maskName(v.name), idMasked: v.idMasked, at: v.at } } : {}),
    // R15: its ID verified since by another WeChat account, which is now the holder.
    ...(!v && account?.displaced ? { displaced: account.displaced } : {}),
  };
}

export async function identity(ctx: Context): Promise<IdentityState> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  return stateOf(catalogue, await ctx.db.accounts.get(ctx.openid));
}

/** The name and ID as typed, validated like the form's (R6). */
function claimed(ctx: Context, req: { name: string; idNumber: string }): Claimed {
  const name = validateName(req.name);
  if (!name.ok) throw new AppError(name.code, 'name');
  const id = validateIdNumber(req.idNumber, chinaDate(ctx.now));
  if (!id.ok) throw new AppError(id.code, 'idNumber');
  return { openid: ctx.openid, name: name.value, idNumber: id.value, now: ctx.now };
}

async function verifierOf(ctx: Context) {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const verifier = verifierFor(catalogue.settings.identityMethod);
  if (!verifier) throw new AppError('VERIFY.UNAVAILABLE');
  return { catalogue, verifier };
}

export async function identityStart(
  ctx: Context,
  req: BookingApi['identityStart']['req'],
): Promise<BookingApi['identityStart']['res']> {
  const who = claimed(ctx, req);
  const { verifier } = await verifierOf(ctx);
  return verifier.start(who);
}

export async function verifyIdentity(
  ctx: Context,
  req: BookingApi['verifyIdentity']['req'],
): Promise<IdentityState> {
  const who = claimed(ctx, req);
  const { catalogue, verifier } = await verifierOf(ctx);
  await verifier.confirm(who, req);
  const key = personKey(who.idNumber);
  const idMasked = maskIdNumber(who.idNumber);
  // The person's holder is the authority (who is told, whose no-shows count); the account's copy is what
  // `identity` shows (one read) and what it books as 本人. So the account is written first, then the
  // person, then the previous holder's copy removed: whichever order two verifications of one ID
  // interleave in, the copy left standing is the final holder's (R15: the latest verification wins).
  const account = await updateAccount(ctx.db, ctx.openid, ctx.now, () => ({
    set: {
      verified: { personKey: key, name: who.name, idMasked, method: verifier.method, at: ctx.now },
    },
    remove: ['displaced'],
  }));
  let previous: string | undefined;
  await updatePerson(ctx.db, key, ctx.now, (current) => {
    previous = current?.holder;
    return { set: { holder: ctx.openid, heldSince: ctx.now } };
  });
  if (previous !== undefined && previous !== ctx.openid) {
    await updateAccount(ctx.db, previous, ctx.now, (current) => {
      const v = current?.verified;
      // Its copy of this ID, unless it verified again since (then it is the holder again).
      if (!v || v.personKey !== key || v.at > ctx.now) return undefined;
      return { set: { displaced: { idMasked: v.idMasked, at: ctx.now } }, remove: ['verified'] };
    });
  }
  return stateOf(catalogue, account);
}

/** Whether the caller is the verified holder of the person. */
export async function isHolder(ctx: Context, key: string): Promise<boolean> {
  const person = await ctx.db.persons.get(key);
  return person?.holder === ctx.openid;
}

/** The caller's verified person key, or VERIFY.NOT_HOLDER. */
async function heldKey(ctx: Context): Promise<{ key: string; account: AccountDoc }> {
  const account = await ctx.db.accounts.get(ctx.openid);
  const key = account?.verified?.personKey;
  if (!account || key === undefined || !(await isHolder(ctx, key)))
    throw new AppError('VERIFY.NOT_HOLDER');
  return { key, account };
}

/** The account's verified person, for booking as 本人. */
export async function verifiedSelf(ctx: Context): Promise<NonNullable<AccountDoc['verified']>> {
  const { account } = await heldKey(ctx);
  const v = account.verified;
  if (!v) throw new AppError('VERIFY.NOT_HOLDER');
  return v;
}

function forMeView(doc: BookingDoc): ForMeBooking {
  return {
    id: doc._id,
    serviceId: doc.serviceId,
    date: doc.date,
    periodStart: doc.periodStart,
    periodEnd: doc.periodEnd,
    label: doc.label,
    status: doc.status,
    nameMasked: maskName(doc.name),
    idMasked: doc.idMasked,
    createdAt: doc.createdAt,
  };
}

export async function forMe(ctx: Context): Promise<BookingApi['forMe']['res']> {
  const { key } = await heldKey(ctx);
  const _ = ctx.db.command;
  const docs = await ctx.db.bookings.find(
    { personKey: key, status: 'booked', openid: _.neq(ctx.openid) },
    { orderBy: ['startsAt', 'asc'], limit: 100 },
  );
  return { bookings: docs.map(forMeView) };
}

/**
 * 他人为您预约 cancelled by the holder: the same release as the booker's own cancel (R4: the number is
 * free at once), marked `cancelledBy: 'holder'`; the cutoff of R8 applies as to the booker.
 */
export async function cancelForMe(
  ctx: Context,
  req: BookingApi['cancelForMe']['req'],
): Promise<ForMeBooking> {
  const { key } = await heldKey(ctx);
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const doc = await ctx.db.bookings.get(req.bookingId);
  // Not this person's, or the holder's own: answered like a missing one (R8).
  if (!doc || doc.personKey !== key || doc.openid === ctx.openid)
    throw new AppError('BOOKING.NOT_FOUND', 'bookingId');
  if (doc.status === 'cancelled' && doc.cancelledBy === 'holder') return forMeView(doc);
  if (doc.status !== 'booked') throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
  const service = catalogue.allServices.find((s) => s._id === doc.serviceId);
  if (!canCancel(ctx.now, doc.startsAt, service?.cancelCutoffMinutes ?? 0))
    throw new AppError('BOOKING.CUTOFF_PASSED', 'bookingId');
  const patch = { ...releasePatch(doc, ctx.now), cancelledBy: 'holder' };
  forgetSoldOut(doc.serviceId, doc.date);
  const updated = await ctx.db.bookings.update({ _id: doc._id, status: 'booked' }, patch);
  if (updated === 0) throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
  return forMeView({ ...doc, ...patch });
}

/** The next China midnight after `now`: when a slowed account may book again. */
function nextChinaMidnight(now: number): number {
  return chinaInstant(chinaDate(now + 24 * 3600_000), '00:00');
}

function slowed(until: number, now: number): AppError {
  return new AppError('BOOKING.SLOWED', undefined, untilNote(until, now));
}

/** R17's settings, in milliseconds. */
function churnLimits(catalogue: Catalogue): ChurnLimits {
  const s = catalogue.settings;
  return {
    cancelLimit: s.cancelLimit ?? DEFAULT_RULES.cancelLimit,
    windowMs: (s.cancelWindowHours ?? DEFAULT_RULES.cancelWindowHours) * 3600_000,
    cooldownMs: (s.rebookCooldownMinutes ?? DEFAULT_RULES.rebookCooldownMinutes) * 60_000,
    holdMs: (s.releaseHoldMinutes ?? DEFAULT_RULES.releaseHoldMinutes) * 60_000,
  };
}

/** R15: an account suspended for no-shows of bookings it made for others takes no number. */
function assertAccountNotSuspended(ctx: Context, doc: AccountDoc | undefined): void {
  const until = doc?.suspendedUntil;
  if (until !== undefined && until > ctx.now)
    throw new AppError('BLACKLIST.ACCOUNT_SUSPENDED', undefined, untilNote(until, ctx.now));
}

/**
 * R17 for `reschedule`: moving a booking is a cancel of it followed by a booking of the new day, so the
 * churn limits apply as to `book` (the cancels per account and per person, the cool-down of a day the
 * person left, the numbers this account released), and the account's suspension (R15) is read with the
 * day. The caller holds a booking of this person, so every person-level refusal is its to be told (R16):
 * nothing is neutral, nothing counted, and the slowing and `requireVerification` of `book` do not apply
 * (nobody types an ID).
 */
export function reschedulePolicy(ctx: Context, catalogue: Catalogue): PersonPolicy {
  return {
    // R10: the person's record comes with the day's read too.
    suspension: (person) => suspensionRefusal(person?.suspendedUntil, ctx.now, 'bookingId'),
    churn: churnLimits(catalogue),
    gate: (doc) => assertAccountNotSuspended(ctx, doc),
    mayTell: () => Promise.resolve(true),
    // Never asked: `mayTell` answers yes.
    neutral: () => Promise.resolve(new AppError('BOOKING.PERSON_UNAVAILABLE', 'date')),
  };
}

/**
 * R15/R16 for `book`: what the claim asks about the account and the person (server/store/claim.ts runs
 * the checks in an order that answers the same whatever ID is typed, unless the caller may be told).
 */
export function personPolicy(
  ctx: Context,
  catalogue: Catalogue,
  key: string,
  field: string,
): PersonPolicy {
  const limit = catalogue.settings.personRefusalLimit ?? DEFAULT_RULES.personRefusalLimit;
  const today = chinaDate(ctx.now);
  return {
    suspension: (person) => suspensionRefusal(person?.suspendedUntil, ctx.now, field),
    churn: churnLimits(catalogue),
    gate(doc) {
      assertAccountNotSuspended(ctx, doc);
      // R16: slowed for the rest of the China day, whatever ID it types now.
      if (doc?.refusals?.day === today && doc.refusals.count >= limit)
        throw slowed(nextChinaMidnight(ctx.now), ctx.now);
      if (catalogue.settings.requireVerification === true && !doc?.verified)
        throw new AppError('BOOKING.VERIFICATION_REQUIRED');
    },
    async mayTell(bookingOpenid) {
      if (bookingOpenid === ctx.openid) return true;
      if (await isHolder(ctx, key)) return true;
      if (bookingOpenid !== undefined) return false;
      // A suspension: an account that booked this person itself knows the ID already.
      const own = await ctx.db.bookings.find(
        { openid: ctx.openid, personKey: key },
        { fields: ['_id'], limit: 1 },
      );
      return own.length > 0;
    },
    async neutral() {
      let count = 0;
      await updateAccount(ctx.db, ctx.openid, ctx.now, (current) => {
        const r = current?.refusals;
        count = (r?.day === today ? r.count : 0) + 1;
        return { set: { refusals: { day: today, count } } };
      });
      return new AppError('BOOKING.PERSON_UNAVAILABLE', field);
    },
  };
}
