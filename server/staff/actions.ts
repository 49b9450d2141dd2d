/**
 * The `staff` function's actions (typings/staff.ts). Each checks the caller's role for the office it
 * touches, on every call (server/staff/access.ts); the queue's rules are server/domain/queue.ts and their
 * writes server/staff/queue.ts.
 */
import type { StaffApi, StaffOffice, StaffRequest } from '../../typings/staff';
import { chinaDate } from '../domain/china-time';
import { parseLabel } from '../domain/numbers';
import { getCatalogue, type Catalogue } from '../store/catalogue';
import type { Db } from '../store/db';
import { slotKey, type BookingDoc } from '../store/documents/booking';
import type { ServiceDoc } from '../store/documents/config';
import { AppError } from '../shared/errors';
import { hasAnyRole, holds, requireOffice, unknownAction, type Access } from './access';
import { callNext, dayRows, queueSettings, settingsOf, transition, type Actor } from './queue';

export interface StaffContext {
  db: Db;
  now: number;
  access: Access;
}

function actor(ctx: StaffContext): Actor {
  return { db: ctx.db, by: ctx.access.openid, now: ctx.now };
}

/** A service of an office the caller works at; another office's answers as an unknown action would. */
function serviceFor(ctx: StaffContext, catalogue: Catalogue, serviceId: string): ServiceDoc {
  // A deactivated service's bookings are still served at the window (issue 14).
  const service = catalogue.allServices.find((s) => s._id === serviceId);
  if (!service) throw new AppError('CATALOGUE.SERVICE_NOT_FOUND', 'serviceId');
  requireOffice(ctx.access, service.officeId);
  return service;
}

/** A booking of an office the caller works at, for the queue's events. */
async function bookingFor(ctx: StaffContext, bookingId: string): Promise<BookingDoc> {
  const doc = await ctx.db.bookings.get(bookingId);
  if (!doc) throw new AppError('QUEUE.NOT_FOUND', 'bookingId');
  requireOffice(ctx.access, doc.officeId);
  return doc;
}

export function me(ctx: Pick<StaffContext, 'access'>, catalogue: Catalogue): StaffApi['me']['res'] {
  const roles = ctx.access.roles.map((r) =>
    r.officeId === undefined ? { role: r.role } : { role: r.role, officeId: r.officeId },
  );
  const offices: StaffOffice[] = catalogue.offices
    .filter((o) => holds(ctx.access, o._id))
    .map((o) => ({
      id: o._id,
      name: o.name,
      services: catalogue.allServices
        .filter((s) => s.officeId === o._id)
        .map((s) => ({ id: s._id, name: s.name, prefix: s.prefix, ...queueSettings(s) })),
    }));
  return { roles, offices };
}

/** The booking a check-in names: by the pass's token, or by service, day and number as printed. */
async function checkInTarget(
  ctx: StaffContext,
  catalogue: Catalogue,
  req: StaffRequest<'checkIn'>,
): Promise<BookingDoc | undefined> {
  if ('passToken' in req) {
    const [doc] = await ctx.db.bookings.find({ passToken: req.passToken }, { limit: 1 });
    return doc;
  }
  const service = serviceFor(ctx, catalogue, req.serviceId);
  return findByNumber(ctx.db, service, req.date, req.number);
}

/** The booking holding number `label` (`A011`) of a service's day; a free or cancelled number has none. */
export async function findByNumber(
  db: Db,
  service: ServiceDoc,
  date: string,
  label: string,
): Promise<BookingDoc | undefined> {
  const n = parseLabel(service.prefix, label);
  if (n === undefined) return undefined;
  const [doc] = await db.bookings.find({ slotKey: slotKey(service._id, date, n) }, { limit: 1 });
  return doc;
}

export async function checkIn(
  ctx: StaffContext,
  req: StaffRequest<'checkIn'>,
): Promise<StaffApi['checkIn']['res']> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const doc = await checkInTarget(ctx, catalogue, req);
  if (!doc) throw new AppError('CHECKIN.NOT_FOUND', 'passToken' in req ? 'passToken' : 'number');
  // The rule: a pass of another office is refused with its own code (the citizen is at the
  // wrong hall), where the queue's other actions answer as an unknown action.
  if (!holds(ctx.access, doc.officeId)) throw new AppError('CHECKIN.OTHER_OFFICE');
  return transition(actor(ctx), doc, 'check_in', settingsOf(catalogue, doc.serviceId));
}

type EventAction = 'call' | 'serve' | 'finish' | 'miss' | 'requeue';

const EVENT_OF = {
  call: 'call',
  serve: 'serve',
  finish: 'finish',
  miss: 'miss',
  requeue: 'requeue',
} as const satisfies Record<EventAction, string>;

export function eventAction<A extends EventAction>(action: A) {
  return async (
    ctx: StaffContext,
    req: { bookingId: string; window?: string },
  ): Promise<StaffApi[A]['res']> => {
    const catalogue = await getCatalogue(ctx.db, ctx.now);
    const doc = await bookingFor(ctx, req.bookingId);
    return transition(
      actor(ctx),
      doc,
      EVENT_OF[action],
      settingsOf(catalogue, doc.serviceId),
      req.window,
    );
  };
}

export async function today(
  ctx: StaffContext,
  req: StaffRequest<'today'>,
): Promise<StaffApi['today']['res']> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const service = serviceFor(ctx, catalogue, req.serviceId);
  const date = req.date ?? chinaDate(ctx.now);
  return { serviceId: service._id, date, bookings: await dayRows(ctx.db, service._id, date) };
}

export async function next(
  ctx: StaffContext,
  req: StaffRequest<'next'>,
): Promise<StaffApi['next']['res']> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const service = serviceFor(ctx, catalogue, req.serviceId);
  return callNext(actor(ctx), service._id, queueSettings(service), req.window);
}

/** Every action but `me` needs some role before anything else is looked at. */
export function requireAnyRole(access: Access): void {
  if (!hasAnyRole(access)) throw unknownAction();
}
