/**
 * The window's queue on the database (R9, issue 13): the staff function and the hall API both act
 * through here.
 *
 * Every transition is ONE conditional update: its filter is the event's guard (server/domain/queue.ts —
 * the status it comes from, the day, the check-in window, the call count), its patch the new status and
 * the step's instant, and it pushes the audit entry (who, when, event, from → to) onto the booking in the
 * same write, so a transition and its record cannot exist without each other. The booking is read before
 * only for what never changes (its office and service: access and settings), and after, to answer the
 * whole row. When the update changes nothing, the booking is read again to say why (`refusal`).
 *
 * A retried write whose acknowledgement was lost changes nothing the second time; the transition's id
 * (`lastOp`) on the booking tells that it landed.
 */
import { randomBytes } from 'node:crypto';
import type { QueueEvent, QueueRow } from '../../typings/staff';
import { chinaDate } from '../domain/china-time';
import { maskName } from '../domain/identity';
import {
  callOrder,
  DEFAULT_QUEUE_SETTINGS,
  guardsFor,
  refusal,
  type QueueGuard,
  type QueueSettings,
} from '../domain/queue';
import type { Catalogue } from '../store/catalogue';
import type { Db, Patch, Where } from '../store/db';
import type { BookingDoc, QueueStep } from '../store/documents/booking';
import type { ServiceDoc } from '../store/documents/config';
import { AppError } from '../shared/errors';

/** Who acts: an OPENID of window staff, or `api:<keyId>` for the hall's system. */
export interface Actor {
  db: Db;
  by: string;
  now: number;
}

export function queueSettings(service: Pick<ServiceDoc, 'queue'> | undefined): QueueSettings {
  return { ...DEFAULT_QUEUE_SETTINGS, ...service?.queue };
}

export function settingsOf(catalogue: Catalogue, serviceId: string): QueueSettings {
  return queueSettings(catalogue.allServices.find((s) => s._id === serviceId));
}

export function toRow(doc: BookingDoc): QueueRow {
  const row: QueueRow = {
    id: doc._id,
    label: doc.label,
    number: doc.number,
    serviceId: doc.serviceId,
    officeId: doc.officeId,
    date: doc.date,
    period: { id: doc.periodId, start: doc.periodStart, end: doc.periodEnd },
    status: doc.status,
    nameMasked: maskName(doc.name),
    category: doc.category,
    channel: doc.channel,
    callCount: doc.callCount ?? 0,
    updatedAt: doc.updatedAt,
  };
  for (const key of ['checkedInAt', 'calledAt', 'servingAt', 'servedAt', 'missedAt'] as const) {
    const value = doc[key];
    if (value !== undefined) row[key] = value;
  }
  if (doc.window !== undefined) row.window = doc.window;
  return row;
}

/**
 * The filter a guard is checked by in the update itself. `lastOp ≠ op`: a write of this very transition
 * that landed but whose acknowledgement was lost is not followed by a second one under another guard
 * (a first call landing, then "call again" applying too).
 */
function guardFilter(db: Db, id: string, g: QueueGuard, op: string): Where<BookingDoc> {
  const _ = db.command;
  const where: Where<BookingDoc> & Record<string, unknown> = {
    _id: id,
    status: g.from,
    lastOp: _.neq(op),
  };
  if (g.date !== undefined) where.date = g.date;
  if (g.startsAtAtMost !== undefined) where.startsAt = _.lte(g.startsAtAtMost);
  if (g.endsAtAtLeast !== undefined) where.endsAt = _.gte(g.endsAtAtLeast);
  if (g.callCountBelow !== undefined) where.callCount = _.lt(g.callCountBelow);
  if (g.callCountAtLeast !== undefined) where.callCount = _.gte(g.callCountAtLeast);
  return where;
}

/** What a transition writes besides the status: the step's instant and the audit entry. */
function patchFor(
  db: Db,
  g: QueueGuard,
  actor: Actor,
  op: string,
  window: string | undefined,
): Patch<BookingDoc> {
  const _ = db.command;
  const step: QueueStep = {
    op,
    at: actor.now,
    by: actor.by,
    event: g.event,
    from: g.from,
    to: g.to,
    ...(window === undefined ? {} : { window }),
  };
  const patch: Patch<BookingDoc> = {
    status: g.to,
    updatedAt: actor.now,
    lastOp: op,
    history: _.push(step),
  };
  switch (g.event) {
    case 'check_in':
      Object.assign(patch, { checkedInAt: actor.now, callCount: 0 });
      break;
    case 'call':
      Object.assign(patch, { calledAt: actor.now, callCount: _.inc(1) });
      if (window !== undefined) patch.window = window;
      break;
    case 'serve':
      patch.servingAt = actor.now;
      break;
    case 'finish':
      patch.servedAt = actor.now;
      break;
    case 'miss':
      patch.missedAt = actor.now;
      break;
    case 'requeue':
      // A second chance: called again from the first call on.
      Object.assign(patch, { requeuedAt: actor.now, callCount: 0 });
      break;
  }
  return patch;
}

function newOp(): string {
  return randomBytes(9).toString('base64url');
}

async function reread(db: Db, id: string): Promise<BookingDoc> {
  const doc = await db.bookings.get(id);
  // It was there a moment ago and bookings are never removed.
  if (!doc) throw new Error(`booking ${id} vanished`);
  return doc;
}

/** `at` of a refusal as the message's detail: `（09:15）`, China time. */
function detailAt(at: number | undefined, now: number): string | undefined {
  if (at === undefined) return undefined;
  const shifted = new Date(at + 8 * 3_600_000).toISOString();
  const clock = shifted.slice(11, 16);
  return chinaDate(at) === chinaDate(now) ? `（${clock}）` : `（${shifted.slice(0, 10)} ${clock}）`;
}

export function refusalError(
  event: QueueEvent,
  doc: BookingDoc,
  now: number,
  settings: QueueSettings,
): AppError | undefined {
  const why = refusal(event, { ...doc, callCount: doc.callCount ?? 0 }, now, settings);
  if (!why) return undefined;
  const field = event === 'check_in' ? undefined : 'bookingId';
  return new AppError(why.code, field, detailAt(why.at, now));
}

/**
 * Applies `event` to booking `doc` (as read before: its id, office and service are what count). Answers
 * the row after it, or throws the coded refusal.
 */
export async function transition(
  actor: Actor,
  doc: BookingDoc,
  event: QueueEvent,
  settings: QueueSettings,
  window?: string,
): Promise<QueueRow> {
  const op = newOp();
  for (const g of guardsFor(event, actor.now, settings)) {
    const updated = await actor.db.bookings.update(
      guardFilter(actor.db, doc._id, g, op),
      patchFor(actor.db, g, actor, op, window),
    );
    if (updated > 0) return toRow(await reread(actor.db, doc._id));
  }
  const now = await reread(actor.db, doc._id);
  if (now.lastOp === op) return toRow(now);
  throw (
    refusalError(event, now, actor.now, settings) ??
    // A guard holds now that did not a moment ago (another window moved it): the caller may try again.
    new AppError('SYSTEM.BUSY')
  );
}

/** The day's rows of a service, ordered by period then number (cancelled ones included). */
export async function dayRows(db: Db, serviceId: string, date: string): Promise<QueueRow[]> {
  const docs = await db.bookings.find({ serviceId, date });
  return docs.sort(callOrder).map(toRow);
}

/** Rows of the day changed at or after `since` (epoch ms). */
export async function changedRows(
  db: Db,
  serviceId: string,
  date: string,
  since: number,
): Promise<QueueRow[]> {
  const docs = await db.bookings.find({
    serviceId,
    date,
    updatedAt: db.command.gte(since),
  });
  return docs.sort(callOrder).map(toRow);
}

const NEXT_ROUNDS = 3;

/**
 * `next`: the first checked-in booking of today (period, then number) that this call manages to mark
 * `called`. Two windows racing both read the same candidates, but each conditional update lands for one
 * of them only; the loser moves on to the following candidate, and reads again when all were taken.
 */
export async function callNext(
  actor: Actor,
  serviceId: string,
  settings: QueueSettings,
  window?: string,
): Promise<QueueRow> {
  const today = chinaDate(actor.now);
  const first = guardsFor('call', actor.now, settings).find((g) => g.from === 'checked_in');
  if (!first) throw new Error('no guard calls a checked-in booking');
  for (let round = 0; round < NEXT_ROUNDS; round += 1) {
    const candidates = await actor.db.bookings.find(
      { serviceId, date: today, status: 'checked_in' },
      { fields: ['startsAt', 'number'] },
    );
    if (candidates.length === 0) break;
    for (const c of candidates.sort(callOrder)) {
      const op = newOp();
      const updated = await actor.db.bookings.update(
        guardFilter(actor.db, c._id, first, op),
        patchFor(actor.db, first, actor, op, window),
      );
      // Another window took it — unless our own write landed and only its acknowledgement was lost.
      const doc = await reread(actor.db, c._id);
      if (updated > 0 || doc.lastOp === op) return toRow(doc);
    }
  }
  throw new AppError('QUEUE.EMPTY', 'serviceId');
}
