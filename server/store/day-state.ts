/**
 * One read that answers everything a booking attempt needs to know about its day and its caller: which
 * numbers of the day are held (and how many were taken in the last moments: a rush), whether this person
 * already holds one, how many active bookings the account has, and whether this very request already
 * made its booking (a retry). The unique indexes, not this read, are what guarantee correctness; the read
 * only lets most attempts succeed on the first write and lets a sold-out day be refused cheaply.
 */
import { chinaDate } from '../domain/china-time';
import type { Db } from './db';
import type { AccountDoc } from './documents/account';
import { ACTIVE, HOLDING, type BookingDoc } from './documents/booking';
import type { PersonDoc } from './documents/person';
import { RecordPicture } from './record-picture';

/** Bookings of the day made this recently mean others are booking right now. */
const RUSH_WINDOW_MS = 2_000;

export interface DayState {
  taken: Set<number>;
  /** The id of this person's booking on this service and day, if any. */
  personBooking?: string;
  /** The account holding `personBooking` (who may be told, issue 15). */
  personBookingOpenid?: string;
  accountActive: number;
  /** The id of the booking this request id made before, if any. */
  own?: string;
  /**
   * That booking whole, when the read brought it (the one-request read does, issue 16): a retried
   * request is answered from the read alone, without fetching its booking again.
   */
  ownDoc?: BookingDoc;
  /** How many of the day's numbers were taken within the last RUSH_WINDOW_MS. */
  recent: number;
  /** Holders of the day: booking id → person key (for answering from a sold-out snapshot). */
  holders: Map<string, string>;
  /** R5: who holds each of the account's booking slots (`accountKeys` of the query). */
  slotHolders: Map<string, SlotHolder>;
  /** R17: the citizen's own cancels (a reschedule's release too; not a holder's) of the account and the person. */
  cancels: RecentCancel[];
}

/** A booking holding one of the account's slots: active, or finished and not yet taken back. */
export interface SlotHolder {
  id: string;
  status: BookingDoc['status'];
  date: string;
}

/** Whose day: a service's day, the person and account booking it, and the id the booking will have. */
export interface DayQuery {
  serviceId: string;
  date: string;
  openid: string;
  personKey: string;
  ownId: string;
  now: number;
  /** R5: the account's slot keys, when its limit applies to this booking. */
  accountKeys?: readonly string[];
  /** R17: read the account's and the person's cancels since this instant (a citizen's booking). */
  cancelsSince?: number;
}

/** R17: a cancel of the account or of the person, within the query's window. */
export interface RecentCancel {
  id: string;
  openid: string;
  personKey: string;
  serviceId: string;
  date: string;
  number: number;
  cancelledAt: number;
}

/** The day's read: the day's holders, the caller's active bookings, this request's own, its churn. */
function dayFilter(db: Db, q: DayQuery) {
  const _ = db.command;
  return _.or([
    { serviceId: q.serviceId, date: q.date, status: _.in([...HOLDING]) },
    { openid: q.openid, status: _.in([...ACTIVE]) },
    { _id: q.ownId },
    ...(q.accountKeys?.length ? [{ accountKey: _.in([...q.accountKeys]) }] : []),
    // R17, in the same read: the cancels of the account and of the person in the churn window.
    ...(q.cancelsSince === undefined
      ? []
      : [
          { openid: q.openid, status: 'cancelled', cancelledAt: _.gt(q.cancelsSince) },
          { personKey: q.personKey, status: 'cancelled', cancelledAt: _.gt(q.cancelsSince) },
        ]),
  ]);
}

/** Only the fields the decision needs: at release time this read is the whole cost of a refusal. */
const DAY_FIELDS = [
  'serviceId',
  'date',
  'number',
  'status',
  'personKey',
  'openid',
  'createdAt',
  'accountKey',
  'cancelledAt',
  'cancelledBy',
] as const;

type DayDoc = Pick<BookingDoc, (typeof DAY_FIELDS)[number] | '_id'>;

export async function readDayState(db: Db, q: DayQuery): Promise<DayState> {
  return foldDay(await db.bookings.find(dayFilter(db, q), { fields: DAY_FIELDS }), q);
}

/** What a person's record tells a booking: R10's suspension. */
export type SuspensionDoc = Pick<PersonDoc, '_id' | 'suspendedUntil'>;

/** The day and the caller as one read brings them (`readDayAndAccount`). */
export interface DayAndCaller {
  state: DayState;
  /** The account's record (undefined: it has none). */
  account: AccountDoc | undefined;
  /** The person's record, only its suspension (undefined: the person has none). */
  person: SuspensionDoc | undefined;
}

/**
 * Issue 16: the day's read, the caller's `accounts` record and the person's `persons` record (R10, R15,
 * R16: a citizen's booking needs all three before it may insert) in ONE request — an aggregation
 * anchored on the service's own document (which exists: the catalogue named it), joining the account and
 * the person by `_id` (only the person's `suspendedUntil`) and the day's bookings by the same filter and
 * fields as `readDayState`, each with an uncorrelated `lookup` sub-pipeline (WeChat's `Aggregate.lookup`
 * with `pipeline`). All are read at the same instant, so a suspension or a slowing written a moment
 * before is seen, as with separate reads (R10: a suspension takes effect at once, no list cached).
 * Undefined when the service's document is gone (the caller reads them apart then).
 */
export async function readDayAndAccount(
  db: Db,
  q: DayQuery,
  options: { rush?: boolean } = {},
): Promise<DayAndCaller | undefined> {
  const fields = Object.fromEntries(DAY_FIELDS.map((f) => [f, true]));
  const _ = db.command;
  // Issue 16: while this instance's picture of the service's held numbers is older than SUMMARY_MS,
  // the read also brings it (no request of its own): every held number of its days from today on. Not
  // in the first seconds of the day's release (`rush`): then every instance reads at once, the traffic
  // is for the released day (which this read brings anyway), and the picture only adds to what the
  // local cloud serves and every instance parses at that instant; the first read after brings it.
  const summarize = options.rush !== true && summaryDue(q.serviceId, q.now);
  const [row] = await db.aggregate<{
    account?: AccountDoc[];
    person?: SuspensionDoc[];
    day?: DayDoc[];
    own?: BookingDoc[];
    service?: HeldDoc[];
  }>('services', (p, $) => {
    const read = p
      .match({ _id: q.serviceId })
      .project({ _id: true })
      .lookup({
        from: 'accounts',
        pipeline: $.pipeline().match({ _id: q.openid }).done(),
        as: 'account',
      })
      .lookup({
        from: 'persons',
        pipeline: $.pipeline().match({ _id: q.personKey }).project({ suspendedUntil: true }).done(),
        as: 'person',
      })
      .lookup({
        from: 'bookings',
        pipeline: $.pipeline().match(dayFilter(db, q)).project(fields).done(),
        as: 'day',
      })
      // A retry after a lost answer (one call in five at release time, bench:booking) is answered
      // from this read: the request's own booking, whole.
      .lookup({
        from: 'bookings',
        pipeline: $.pipeline().match({ _id: q.ownId }).done(),
        as: 'own',
      });
    if (!summarize) return read;
    return read.lookup({
      from: 'bookings',
      pipeline: $.pipeline()
        .match({
          serviceId: q.serviceId,
          date: _.gte(chinaDate(q.now)),
          status: _.in([...HOLDING]),
        })
        .project(HELD_PROJECTION)
        .done(),
      as: 'service',
    });
  });
  if (!row) return undefined;
  if (summarize) rememberService(q.serviceId, row.service ?? [], q.now);
  const state = foldDay(row.day ?? [], q);
  const own = row.own?.[0];
  if (own && state.own === own._id) state.ownDoc = own;
  return { state, account: row.account?.[0], person: row.person?.[0] };
}

function foldDay(docs: readonly DayDoc[], q: DayQuery): DayState {
  const state: DayState = {
    taken: new Set(),
    accountActive: 0,
    recent: 0,
    holders: new Map(),
    slotHolders: new Map(),
    cancels: [],
  };
  const slots = new Set(q.accountKeys);
  for (const doc of docs) {
    const holding = HOLDING.includes(doc.status);
    if (doc._id === q.ownId) state.own = doc._id;
    if (holding && doc.serviceId === q.serviceId && doc.date === q.date) {
      state.taken.add(doc.number);
      state.holders.set(doc._id, doc.personKey);
      if (doc.personKey === q.personKey) {
        state.personBooking = doc._id;
        state.personBookingOpenid = doc.openid;
      }
      if (doc.createdAt >= q.now - RUSH_WINDOW_MS) state.recent += 1;
    }
    if (doc.openid === q.openid && ACTIVE.includes(doc.status)) state.accountActive += 1;
    if (
      q.cancelsSince !== undefined &&
      doc.status === 'cancelled' &&
      doc.cancelledAt !== undefined &&
      doc.cancelledAt > q.cancelsSince &&
      doc.cancelledBy === undefined &&
      (doc.openid === q.openid || doc.personKey === q.personKey)
    )
      state.cancels.push({
        id: doc._id,
        openid: doc.openid,
        personKey: doc.personKey,
        serviceId: doc.serviceId,
        date: doc.date,
        number: doc.number,
        cancelledAt: doc.cancelledAt,
      });
    if (slots.has(doc.accountKey))
      state.slotHolders.set(doc.accountKey, { id: doc._id, status: doc.status, date: doc.date });
  }
  return state;
}

/** Forgets every snapshot and picture this instance holds (tests start each case from the database alone). */
export function forgetInstanceState(): void {
  soldOut.clear();
  pictures.summaryAt.clear();
  pictures.freedAt = undefined;
  suspensions.forget();
}

/**
 * Sold-out snapshots, per warm instance: the numbers held of a day, as this instance last read them.
 * While such a snapshot shows every number held, further attempts for that day are refused from it
 * without a request — at release time that is most of the traffic (hundreds of people for 50 numbers,
 * R11; at the city's midnight, thousands of people for 300 days, docs/scale.md). Snapshots never grant
 * anything: a booking is always the guarded insert, and a holder of the day (a retry of its own booking,
 * the same person) is sent to the database.
 *
 * Where they come from (issue 16): a day's own read (a booking's), and the service's picture that a
 * citizen's one-request read brings at most every SUMMARY_MS (not in a release's first seconds) — every
 * held number of the service's days from today on (at most the horizon's days × the quota: a few hundred
 * small rows, whatever the size of the city) — so one read teaches the instance every sold-out day of the
 * service, not only its own.
 *
 * How long they hold: a number is freed only by a cancel or a reschedule's release (status `cancelled`,
 * `cancelled_by_office`, with its `updatedAt`), or by a raised quota. The raised quota is in the
 * configuration, against whose current periods every snapshot is judged. The freed numbers are read with
 * the configuration's refresh (`readSettingsAndFreed` in catalogue.ts: the same request as its
 * `settings`, at most CACHE_MS = 10 s apart), which drops the snapshot of every day that had one; a
 * cancel in this instance drops it at once (`forgetSoldOut`). A snapshot answers only while such a
 * check is recent (`checkedWithin`, the catalogue's CACHE_MS) and never after SOLD_OUT_MAX_MS. So a
 * number freed by a cancel is free in the database and in `availability` at once, and every instance
 * takes it within 10 s (docs/scale.md says why that is acceptable).
 */
// A safety net only: every known way of freeing a number is reported by the check above.
const SOLD_OUT_MAX_MS = 300_000;
/** How old the instance's picture of a service may grow before a read that happens anyway refreshes it. */
export const SUMMARY_MS = 5_000;
/**
 * How far back each check for freed numbers looks before the previous one: a cancel's `updatedAt` is
 * its function's clock when it started, and it lands up to a request's time later.
 */
export const FREED_OVERLAP_MS = 30_000;

export interface SoldOutSnapshot {
  at: number;
  taken: Set<number>;
  /** booking id → person key. */
  holders: Map<string, string>;
}

const soldOut = new Map<string, SoldOutSnapshot>();
/** When each service's picture was last read, and when freed numbers were last checked. */
const pictures = {
  summaryAt: new Map<string, number>(),
  freedAt: undefined as number | undefined,
};

const dayKey = (serviceId: string, date: string): string => `${serviceId}|${date}`;

/** A held number as the service's picture reads it: only what a refusal from a snapshot needs. */
type HeldDoc = Pick<BookingDoc, '_id' | 'serviceId' | 'date' | 'number' | 'personKey'>;
const HELD_PROJECTION = { _id: true, serviceId: true, date: true, number: true, personKey: true };

function summaryDue(serviceId: string, now: number): boolean {
  const at = pictures.summaryAt.get(serviceId);
  return at === undefined || now - at >= SUMMARY_MS || now < at;
}

/** The service's picture, read at `now`: every day's held numbers become its snapshot. */
function rememberService(serviceId: string, held: readonly HeldDoc[], now: number): void {
  const days = new Map<string, SoldOutSnapshot>();
  for (const doc of held) {
    const key = dayKey(doc.serviceId, doc.date);
    let day = days.get(key);
    if (!day) days.set(key, (day = { at: now, taken: new Set(), holders: new Map() }));
    day.taken.add(doc.number);
    day.holders.set(doc._id, doc.personKey);
  }
  for (const [key, day] of days) {
    const known = soldOut.get(key);
    if (!known || known.at <= now) soldOut.set(key, day);
  }
  pictures.summaryAt.set(serviceId, now);
}

/**
 * The day's snapshot, if one may answer now: taken within SOLD_OUT_MAX_MS, and freed numbers checked
 * within `checkedWithin` (the caller's bound, the catalogue's CACHE_MS).
 */
export function soldOutSnapshot(
  serviceId: string,
  date: string,
  now: number,
  checkedWithin: number,
): SoldOutSnapshot | undefined {
  const key = dayKey(serviceId, date);
  const snap = soldOut.get(key);
  if (!snap) return undefined;
  if (now - snap.at > SOLD_OUT_MAX_MS || now < snap.at) {
    soldOut.delete(key);
    return undefined;
  }
  const checked = pictures.freedAt;
  if (checked === undefined || now - checked > checkedWithin || now < checked) return undefined;
  return snap;
}

/** The `updatedAt` from which the next check for freed numbers reads. */
export function freedSince(now: number): number {
  return (pictures.freedAt ?? now) - FREED_OVERLAP_MS;
}

/**
 * A freed number's booking, as the check reads it: which day it freed. The query: bookings of days from
 * today on that no longer hold their number and changed since `since`.
 */
export function freedFilter(db: Db, since: number, now: number): object {
  const _ = db.command;
  return {
    date: _.gte(chinaDate(now)),
    status: _.in(['cancelled', 'cancelled_by_office']),
    updatedAt: _.gt(since),
  };
}
export const FREED_PROJECTION = { _id: true, serviceId: true, date: true };

/** The check for freed numbers ran at `now` and found these bookings: their days' snapshots go. */
export function noteFreed(
  freed: readonly Pick<BookingDoc, 'serviceId' | 'date'>[],
  now: number,
): void {
  for (const doc of freed) soldOut.delete(dayKey(doc.serviceId, doc.date));
  pictures.freedAt = now;
}

/**
 * R10, R16 on the snapshot's path: the persons this instance knows suspended. A snapshot refuses everyone
 * SOLD_OUT, but a suspended person whose caller may be told hears the suspension before the day's state
 * (R16's order), so such a person's booking is sent to the database, whose one read brings the person's
 * record exactly. Read with the freed numbers, in bounded parts and then by changes (record-picture.ts
 * says how): a suspension or a lift (`liftedAt`, R10) reaches the picture within CACHE_MS. After a burst
 * of more suspensions within the look-back than one read brings (a no-show sweep at city scale), the
 * snapshot path sends every booking of a person whose caller may be told to the database for about
 * FREED_OVERLAP_MS + CACHE_MS, plus one check per SUSPENSIONS_READ_MAX persons suspended
 * (test/cloud/claim.test.ts).
 */
export const SUSPENSIONS_READ_MAX = 500;

export const suspensions = new RecordPicture<SuspensionDoc, number>({
  from: 'persons',
  projection: { _id: true, suspendedUntil: true },
  readMax: SUSPENSIONS_READ_MAX,
  overlapMs: FREED_OVERLAP_MS,
  as: { part: 'suspended', changed: 'suspensionChanges' },
  flagged: (db, now) => ({ suspendedUntil: db.command.gt(now) }),
  lifted: (db, since) => ({ liftedAt: db.command.gt(since) }),
  entryOf: (doc, now) =>
    doc.suspendedUntil !== undefined && doc.suspendedUntil > now ? doc.suspendedUntil : undefined,
  expired: (until, now) => until <= now,
});

/**
 * Whether the person may be suspended beyond `now` as far as this instance knows (R10): seen suspended,
 * or not read yet by a full read that has not finished (the database path then decides).
 */
export function suspendedLately(personKey: string, now: number): boolean {
  return suspensions.flaggedLately(personKey, now);
}

/**
 * Nothing is known of what was freed (a new configuration was loaded, the check could not run): every
 * snapshot goes, and the next reads make new ones. Marks the check done at `now` (nothing is left that
 * a freed number could make wrong).
 */
export function forgetAllSoldOut(now: number): void {
  soldOut.clear();
  pictures.summaryAt.clear();
  pictures.freedAt = now;
}

export function rememberSoldOut(
  serviceId: string,
  date: string,
  now: number,
  state: DayState,
): void {
  soldOut.set(dayKey(serviceId, date), { at: now, taken: state.taken, holders: state.holders });
}

/**
 * This instance just freed a number of the day: its snapshot is wrong (the next booking reads, and gets
 * the freed number back, R4).
 */
export function forgetSoldOut(serviceId: string, date: string): void {
  soldOut.delete(dayKey(serviceId, date));
}
