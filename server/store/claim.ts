/**
 * Claiming a number of a service's day (R4, R5, R11): the one routine every way of booking uses — the
 * citizen's `book` and `reschedule` today, the window staff's and the integration channels' next. It
 * picks a free number from one read of the day, builds the booking, and lets the caller's `ClaimWrite`
 * write it (a plain insert, or a transaction that also releases an old booking). Correctness never depends
 * on the read: the write is guarded by the unique keys (`slotKey` R4, `activeKey` R5, the idempotent `_id`),
 * so whatever runs concurrently the database accepts at most one holder of each; the routine only decides
 * what to try next when a key refuses the write.
 */
import type { ErrorCode } from '../../typings/errors';
import { chinaDate, chinaInstant, untilNote } from '../domain/china-time';
import { formatNumber, inReleaseRush, pickNumber, rushContenders } from '../domain/numbers';
import { AppError } from '../shared/errors';
import { newPassToken } from '../shared/person-key';
import { accountGatedLately } from './account-gates';
import { CACHE_MS, officeOf, type Catalogue } from './catalogue';
import {
  readDayAndAccount,
  readDayState,
  forgetSoldOut,
  rememberSoldOut,
  soldOutSnapshot,
  suspendedLately,
  type DayAndCaller,
  type DayQuery,
  type DayState,
  type SlotHolder,
  type SuspensionDoc,
} from './day-state';
import { duplicateKeyIndex, isTransactionConflict, isTransient, type Db, type Patch } from './db';
import {
  ACTIVE,
  accountSlotKey,
  activeKey,
  releasedKey,
  slotKey,
  uncountedKey,
  type BookingDoc,
} from './documents/booking';
import type { AccountDoc } from './documents/account';
import type { PeriodConfig, ServiceDoc } from './documents/config';
import { INDEX } from './indexes';

/** After this many collisions the day is read again instead of guessing further. */
const REREAD_AFTER = 3;
/** A collision means at least this many others are booking the same numbers right now. */
export const PER_COLLISION = 16;

/** A number picked for a try: which period holds it. */
export interface Candidate {
  period: PeriodConfig;
  number: number;
}

/** How the claimed booking is written. */
export interface ClaimWrite {
  /** Writes before the caller is told SYSTEM.BUSY (try again); each collision costs one. */
  readonly attempts: number;
  /** Writes the new booking; a unique key refusing it throws the duplicate-key error. */
  write(doc: BookingDoc): Promise<void>;
  /**
   * Whether a failure other than a duplicate key may hide a write that landed (a transaction's commit
   * whose answer was lost), so the routine looks for its booking before giving up or trying again. An
   * insert needs not: the store retries it with the same `_id`, and a landed one answers as a duplicate.
   */
  readonly mayHaveLanded: boolean;
  /** Whether such a failure is worth a new try (a transaction conflict, a transient failure). */
  retryable(err: unknown): boolean;
}

/** A plain insert: the citizen's `book` (R4, R5). */
export function insertClaim(db: Db): ClaimWrite {
  return {
    attempts: 12,
    write: (doc) => db.bookings.insert(doc),
    mayHaveLanded: false,
    retryable: () => false,
  };
}

/**
 * R4/R8: a reschedule — ONE transaction takes the new number and releases `old` (with `release`), so the
 * citizen never ends with neither booking nor both. The old booking is re-read inside the transaction,
 * which locks it: a cancel or check-in racing the reschedule makes one of them fail cleanly.
 */
export function replaceClaim(db: Db, old: BookingDoc, release: Patch<BookingDoc>): ClaimWrite {
  return {
    attempts: 8,
    write: async (doc) => {
      await db.transaction(async (tx) => {
        const current = await tx.bookings.get(old._id);
        if (current.status !== 'booked') throw new AppError('BOOKING.NOT_ACTIVE', 'bookingId');
        await tx.bookings.update(old._id, release);
        await tx.bookings.insert(doc);
      });
      // This instance just freed a number of the old day.
      forgetSoldOut(old.serviceId, old.date);
    },
    mayHaveLanded: true,
    // The SDK does not retry a conflict or a transient failure inside a transaction: a new one does.
    retryable: (err) => isTransactionConflict(err) || isTransient(err),
  };
}

/** R4: what releasing a booking writes — its number and its person's day are free the moment it lands. */
export function releasePatch(
  doc: Pick<BookingDoc, '_id'>,
  now: number,
): Pick<
  BookingDoc,
  'status' | 'slotKey' | 'activeKey' | 'accountKey' | 'cancelledAt' | 'updatedAt'
> {
  return {
    status: 'cancelled',
    slotKey: releasedKey(doc._id),
    activeKey: releasedKey(doc._id),
    accountKey: releasedKey(doc._id),
    cancelledAt: now,
    updatedAt: now,
  };
}

/** Who makes a booking and through which channel (R12). */
export interface Booker {
  /** The WeChat account the booking belongs to. */
  openid: string;
  channel: string;
  now: number;
}

/** A booking as built, before the claim gives it its account slot (`accountKey`, R5). */
export type BuiltBooking = Omit<BookingDoc, 'accountKey'>;

/** A new booking of `number` (held, R4) for `person` (masked data only, R14). */
export function newBookingDoc(args: {
  id: string;
  by: Booker;
  catalogue: Catalogue;
  service: ServiceDoc;
  date: string;
  pick: Candidate;
  person: Pick<
    BookingDoc,
    'name' | 'idMasked' | 'phoneMasked' | 'plate' | 'category' | 'vinMasked'
  >;
  personKey: string;
  requestId: string;
  subscribed: boolean;
  /** The "booking changed" template granted in the same tap (issue 14). */
  changeSubscribed?: boolean;
}): BuiltBooking {
  const { by, service, date, person } = args;
  const { period, number } = args.pick;
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
    slotKey: slotKey(service._id, date, number),
    activeKey: activeKey(service._id, date, args.personKey),
    status: 'booked',
    openid: by.openid,
    personKey: args.personKey,
    name: person.name,
    idMasked: person.idMasked,
    phoneMasked: person.phoneMasked,
    plate: person.plate,
    ...(person.vinMasked === undefined ? {} : { vinMasked: person.vinMasked }),
    category: person.category,
    channel: by.channel,
    requestId: args.requestId,
    passToken: newPassToken(),
    startsAt: chinaInstant(date, period.start),
    endsAt: chinaInstant(date, period.end),
    createdAt: by.now,
    updatedAt: by.now,
    // R13: no consent, no reminder; never an error for the booking.
    reminder: { state: args.subscribed ? 'pending' : 'not_subscribed' },
    ...(args.changeSubscribed === true ? { changeConsent: true } : {}),
  };
}

/**
 * Issue 15 (R15, R16): what a citizen's booking asks about its account and its person, so that the
 * answers to an account that may not be told about the person are the same whatever ID it types. The
 * claim runs them in this order: the account's own refusals (`gate`, with the day's read); a person-level
 * refusal the caller may be told (`mayTell`); the day sold out; the account's limit; the neutral answer
 * (`neutral`, counted) for a person-level refusal the caller may not be told. Without a policy (the
 * hall's channels) person-level refusals are told as they are; a reschedule's policy tells them all (its
 * caller holds the person's booking) and brings R17's limits.
 */
export interface PersonPolicy {
  /**
   * R10: the refusal of a suspended person telling until when, or undefined, from the person's
   * `persons` record as read with the day (undefined: the person has none).
   */
  suspension(person: SuspensionDoc | undefined): AppError | undefined;
  /**
   * Refusals of the account itself (suspended, slowed, not verified where required), from its `accounts`
   * record as read with the day (undefined: the account has none).
   */
  gate(account: AccountDoc | undefined): void;
  /** Whether the caller may be told; `bookingOpenid`: the account holding the person's booking of the day. */
  mayTell(bookingOpenid: string | undefined): Promise<boolean>;
  /** The neutral refusal, counted against the account. */
  neutral(): Promise<AppError>;
  /** R17: the churn limits (the day's query reads the cancels since `now - churnLookBack(churn)`). */
  churn: ChurnLimits;
}

/** R17, in milliseconds. */
export interface ChurnLimits {
  cancelLimit: number;
  windowMs: number;
  cooldownMs: number;
  holdMs: number;
}

/** How far back the day's read looks for cancels. */
export function churnLookBack(c: ChurnLimits): number {
  return Math.max(c.windowMs, c.cooldownMs, c.holdMs);
}

const until = (code: ErrorCode, field: string | undefined, at: number, now: number): AppError =>
  new AppError(code, field, untilNote(at, now));

/** R17: when the `limit`-th most recent of `times` leaves the window, or undefined if under the limit. */
function limitUntil(
  times: number[],
  limit: number,
  windowMs: number,
  now: number,
): number | undefined {
  const inWindow = times.filter((t) => t > now - windowMs).sort((a, b) => b - a);
  const t = inWindow[limit - 1];
  return t === undefined ? undefined : t + windowMs;
}

/** R17: what the recent cancels refuse, and which numbers this account may not take back yet. */
function churnOf(
  req: ClaimRequest,
  state: DayState,
  c: ChurnLimits,
): { account?: AppError; person?: AppError; held: Map<number, number> } {
  const { day } = req;
  const now = day.now;
  const mine = state.cancels.filter((x) => x.openid === day.openid);
  const theirs = state.cancels.filter((x) => x.personKey === day.personKey);
  const out: { account?: AppError; person?: AppError; held: Map<number, number> } = {
    held: new Map(),
  };
  const accountUntil = limitUntil(
    mine.map((x) => x.cancelledAt),
    c.cancelLimit,
    c.windowMs,
    now,
  );
  if (accountUntil !== undefined)
    out.account = until('BOOKING.CANCEL_LIMIT', undefined, accountUntil, now);
  const personUntil = limitUntil(
    theirs.map((x) => x.cancelledAt),
    c.cancelLimit,
    c.windowMs,
    now,
  );
  const sameDay = theirs
    .filter((x) => x.serviceId === day.serviceId && x.date === day.date)
    .map((x) => x.cancelledAt + c.cooldownMs)
    .filter((t) => t > now);
  if (personUntil !== undefined)
    out.person = until('BOOKING.PERSON_CANCEL_LIMIT', req.personField, personUntil, now);
  else if (sameDay.length > 0)
    out.person = until('BOOKING.REBOOK_COOLDOWN', req.personField, Math.max(...sameDay), now);
  for (const x of mine) {
    const end = x.cancelledAt + c.holdMs;
    if (x.serviceId === day.serviceId && x.date === day.date && end > now)
      out.held.set(x.number, Math.max(end, out.held.get(x.number) ?? 0));
  }
  return out;
}

export interface ClaimRequest {
  service: ServiceDoc;
  date: string;
  /** R4: the period asked for, or undefined for any (it decides SOLD_OUT or PERIOD_FULL, R11)… */
  periodId: string | undefined;
  /** …and the periods that gives: `periodsToTry(service, periodId)`, checked before anything else. */
  periods: readonly PeriodConfig[];
  /** The day's query: `ownId` is the new booking's `_id`, computed so a repeated request finds it. */
  day: DayQuery;
  /** R5: the account's limit of active bookings; undefined when the channel does not count them. */
  accountLimit: number | undefined;
  /**
   * The booking's `accountKey` when it is not the claim's to choose: a reschedule keeps its booking's
   * slot. Without it and without a limit, the booking holds a key of its own (uncounted).
   */
  accountKey?: string;
  /** The booking being replaced (a reschedule): the person's own day, not a conflict. */
  replacing?: string;
  /** R2: the instant the day became bookable; its first seconds are a rush (`rushContenders`). */
  releasedAt?: number;
  /** The request's field a "person already booked that day" refusal names. */
  personField: string;
  /** Issue 15: a citizen's booking or reschedule (see PersonPolicy); undefined for the hall's channels. */
  policy?: PersonPolicy;
  /**
   * R10 without a policy (the hall's channels): the refusal of a suspended person, from the person's
   * record read with the day in the same request (`readDayAndAccount`), told before anything else.
   */
  suspension?: PersonPolicy['suspension'];
  /**
   * Issue 16: awaited with the day's read, before any answer or write — the caller's configuration
   * check (`provisionalCatalogue`), which runs meanwhile; it throws when the claim must be made again.
   */
  ready?: () => Promise<void>;
  /** The new booking for a picked number. */
  build(pick: Candidate): BuiltBooking;
  /**
   * What to answer when the booking with `day.ownId` exists already (a retry, a lost acknowledgement):
   * the booking, undefined to carry on, or a thrown refusal (a request id reused for another booking).
   */
  found(own: BookingDoc): BookingDoc | undefined;
}

/** R4: the periods a request may be given a number in. */
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
  periods: readonly PeriodConfig[],
  taken: Set<number>,
  contenders: number,
): Candidate | undefined {
  const pick = pickNumber(periods, taken, 1 + contenders);
  return pick && { period: pick.period, number: pick.n };
}

export function soldOut(periodId: string | undefined): AppError {
  // R11: the whole day is full, or only the chosen period.
  return new AppError(periodId === undefined ? 'QUOTA.SOLD_OUT' : 'QUOTA.PERIOD_FULL', 'date');
}

/**
 * R11: while this instance knows the whole day is held, the refusal to answer without reading (0
 * requests) — none for one of the holders (a retry of its own booking, or the person's day), whom the
 * normal path answers. `checkedWithin`: how recent the check for freed numbers must be (day-state.ts).
 */
function snapshotRefusal(req: ClaimRequest, checkedWithin = CACHE_MS): AppError | undefined {
  const { service, day } = req;
  // Only while freed numbers were checked within the configuration's refresh (day-state.ts).
  const snap = soldOutSnapshot(service._id, req.date, day.now, checkedWithin);
  // Checked against the current periods, so a raised quota is never hidden by an old snapshot.
  if (!snap || nextCandidate(service.periods, snap.taken, 0)) return undefined;
  if (snap.holders.has(day.ownId)) return undefined;
  for (const [id, holder] of snap.holders) {
    // The person's own day: the database path decides who may be told (issue 15).
    if (holder === day.personKey && id !== req.replacing) return undefined;
  }
  // Issue 15: a suspended person whose caller may be told (a hall channel's always is) hears it even on
  // a full day: the database path, whose read brings the person's record (the instance's list only
  // chooses the path, R10).
  if ((req.policy || req.suspension) && suspendedLately(day.personKey, day.now)) return undefined;
  // R15, R16: the account's own refusals come before the day's state: an account this instance knows
  // suspended or slowed goes to the database path too, whose read brings its record (account-gates.ts).
  if (req.policy && accountGatedLately(day.openid, day.now)) return undefined;
  return soldOut(req.periodId);
}

/** R5: the account's slot keys for a limit of `limit`. */
export function accountKeys(openid: string, limit: number): string[] {
  return Array.from({ length: limit }, (_, k) => accountSlotKey(openid, k));
}

/**
 * A finished booking keeps its account slot until the account needs it: served and no-show ones for
 * good, a missed one only after its day (the window may requeue it that day, making it active again).
 */
export function reclaimable(holder: SlotHolder, now: number): boolean {
  if (ACTIVE.includes(holder.status)) return false;
  return holder.status !== 'missed' || holder.date < chinaDate(now);
}

/**
 * R5: the account slot the new booking takes. A free one; else one a finished booking still holds, taken
 * back by a write that only lands while that booking is still finished; else the account is at its
 * limit. The unique index on `accountKey`, not this choice, is what keeps the account within its limit
 * when its own requests race (they collide on a key and the loser chooses again).
 */
async function chooseAccountKey(db: Db, req: ClaimRequest, state: DayState): Promise<string> {
  const keys = req.day.accountKeys;
  if (req.accountKey !== undefined) return req.accountKey;
  if (req.accountLimit === undefined || keys === undefined) return uncountedKey(req.day.ownId);
  const free = keys.find((k) => !state.slotHolders.has(k));
  if (free !== undefined) return free;
  for (const key of keys) {
    const holder = state.slotHolders.get(key);
    if (!holder || !reclaimable(holder, req.day.now)) continue;
    const _ = db.command;
    await db.bookings.update(
      { _id: holder.id, accountKey: key, status: _.nin([...ACTIVE]) },
      { accountKey: releasedKey(holder.id) },
    );
    state.slotHolders.delete(key);
    return key;
  }
  throw new AppError('BOOKING.ACCOUNT_LIMIT');
}

/** What `readDayAndAccount` brings, in three requests at once: when the service's document is gone. */
async function readApart(db: Db, day: DayQuery): Promise<DayAndCaller> {
  const [account, person, state] = await Promise.all([
    db.accounts.get(day.openid),
    db.persons.get(day.personKey),
    readDayState(db, day),
  ]);
  return { account, person, state };
}

/**
 * Claims a number for `req` and answers the booking written (or the one this request made before).
 * Refusals: PERSON_ALREADY_BOOKED (R5), ACCOUNT_LIMIT (R5), SOLD_OUT / PERIOD_FULL (R11), and
 * SYSTEM.BUSY after `how.attempts` writes lost to others.
 */
export async function claimNumber(db: Db, req: ClaimRequest, how: ClaimWrite): Promise<BookingDoc> {
  const { service, day, periods } = req;
  let refusal = snapshotRefusal(req);
  if (!refusal && req.ready && snapshotRefusal(req, Infinity)) {
    // Issue 16: a snapshot that would refuse but that its check for freed numbers is due, which the
    // configuration's check running now brings: wait for it rather than read the day.
    await req.ready();
    refusal = snapshotRefusal(req);
  }
  if (refusal) throw refusal;

  const policy = req.policy;
  let state: DayState;
  // R10: the person's suspension as read with the day (a citizen's booking).
  let suspension: AppError | undefined;
  if (policy || req.suspension) {
    // Issue 16: the account's and the person's records come with the day's read, in one request (a
    // citizen's booking costs that read and its insert); apart only when the service's document is gone.
    // Issue 16: with the caller's configuration check (`ready`), at once.
    const [read] = await Promise.all([
      readDayAndAccount(db, day, { rush: inReleaseRush(day.now, req.releasedAt) }).then(
        (both) => both ?? readApart(db, day),
      ),
      req.ready?.(),
    ]);
    if (policy) {
      policy.gate(read.account);
      suspension = policy.suspension(read.person);
    } else {
      // R10, the hall's channels: told as it is, first (no account to keep anything from, R12).
      const refusal = req.suspension?.(read.person);
      if (refusal) throw refusal;
    }
    state = read.state;
  } else {
    const [read] = await Promise.all([readDayState(db, day), req.ready?.()]);
    state = read;
  }
  if (!nextCandidate(service.periods, state.taken, 0))
    rememberSoldOut(service._id, req.date, day.now, state);
  let collisions = 0;
  for (let attempt = 0; attempt < how.attempts; attempt += 1) {
    if (state.own) {
      // A retry of a request that already booked: answered from the read when it brought the booking
      // whole (a citizen's one-request read), else fetched.
      const own = state.ownDoc ?? (await db.bookings.get(state.own));
      const answer = own && req.found(own);
      if (answer) return answer;
      state.own = undefined;
      state.ownDoc = undefined;
    }
    // R17: the account's own churn is the account's to know.
    const churn = policy ? churnOf(req, state, policy.churn) : undefined;
    if (churn?.account) throw churn.account;
    // Issue 15: a person-level refusal is told first to whom it may be told; to anyone else the day's
    // and the account's refusals come first and the person's is the neutral answer.
    let hidden = false;
    if (state.personBooking && state.personBooking !== req.replacing) {
      if (!policy || (await policy.mayTell(state.personBookingOpenid)))
        throw new AppError('BOOKING.PERSON_ALREADY_BOOKED', req.personField);
      hidden = true;
    } else {
      const personRefusal = suspension ?? churn?.person;
      if (policy && personRefusal) {
        if (await policy.mayTell(undefined)) throw personRefusal;
        hidden = true;
      }
    }
    if (policy && !nextCandidate(periods, state.taken, 0)) throw soldOut(req.periodId);
    if (req.accountLimit !== undefined && state.accountActive >= req.accountLimit)
      throw new AppError('BOOKING.ACCOUNT_LIMIT');
    if (hidden && policy) throw await policy.neutral();
    // Those who took numbers of this day in the last moments, plus those we collided with, are racing:
    // the pick spreads over that many of the smallest free numbers. A quiet day keeps the order.
    // R17: a number this account just released is not its to take back yet.
    const held = churn?.held ?? new Map<number, number>();
    const taken = held.size === 0 ? state.taken : new Set([...state.taken, ...held.keys()]);
    const pick = nextCandidate(
      periods,
      taken,
      rushContenders(state.recent, day.now, req.releasedAt) + PER_COLLISION * collisions,
    );
    if (!pick && held.size > 0 && nextCandidate(periods, state.taken, 0))
      throw until('BOOKING.RELEASED_HOLD', 'date', Math.min(...held.values()), day.now);
    if (!pick) throw soldOut(req.periodId);

    const doc: BookingDoc = {
      ...req.build(pick),
      accountKey: await chooseAccountKey(db, req, state),
    };
    try {
      await how.write(doc);
      return doc;
    } catch (err) {
      const index = duplicateKeyIndex(err);
      if (index === undefined) {
        if (how.mayHaveLanded) {
          // A lost acknowledgement of our own write looks like a failure (or, on the next try, like an
          // old booking no longer active): if the new booking exists, the claim is done.
          const own = await db.bookings.get(day.ownId);
          const answer = own && req.found(own);
          if (answer) return answer;
        }
        if (err instanceof AppError || !how.retryable(err)) throw err;
        // A conflict is someone else writing the same documents: as good as a collision.
        collisions += 1;
        continue;
      }
      if (index === INDEX.bookings.accountSlot) {
        // Another request of this account took that slot meanwhile: read who holds what, choose again.
        state = await readDayState(db, day);
        collisions += 1;
        continue;
      }
      if (index !== INDEX.bookings.slot) {
        // The request's own id (a retry racing its first attempt, or a lost acknowledgement) or the
        // person's day taken meanwhile: the day's state says which, and the loop answers it.
        state = await readDayState(db, day);
        if (state.own || (state.personBooking && state.personBooking !== req.replacing)) continue;
      }
      // Someone else got this number first: try another without reading the day again, a few times.
      state.taken.add(pick.number);
      collisions += 1;
      if (collisions % REREAD_AFTER === 0) state = await readDayState(db, day);
    }
  }
  throw new AppError('SYSTEM.BUSY');
}
