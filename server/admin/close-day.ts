/**
 * An unplanned closure (issue 14): `closeDay {serviceId, date, reason, confirm?}` by an administrator of
 * the service's office. Without `confirm`, when bookings exist, nothing changes: the answer says how many
 * and which numbers, for the page to ask. With it (or when there are none), the day is added to the
 * service's `closedDays` (configuration: `configVersion` raised, audited, in one transaction), so it is
 * closed to booking like a holiday once every instance has refreshed (10 s); then each `booked` booking of
 * the day becomes `cancelled_by_office`, releasing its number and the person's day, with a "booking
 * changed" notice owed where the citizen granted that template when booking (sent by the `reminders`
 * timer, server/jobs/change-notices.ts). Bookings already checked in are left to the window.
 *
 * Idempotent: run again, it finds the day closed and cancels any booking made meanwhile by an instance
 * that had not yet refreshed (the only window in which one can slip in).
 */
import type { AdminApi, AdminRequest } from '../../typings/admin';
import { chinaDate } from '../domain/china-time';
import { AppError } from '../shared/errors';
import { invalidateCatalogue } from '../store/catalogue';
import { releasePatch } from '../store/claim';
import { retryConflicts } from '../store/db';
import { administered, isCityAdmin, unknownAction } from '../staff/access';
import { auditDoc, type AdminContext } from './audit';
import { SAVE_TRIES } from './config';

/** Cancellations written at once. */
const CONCURRENCY = 10;

export async function closeDay(
  ctx: AdminContext,
  req: AdminRequest<'closeDay'>,
): Promise<AdminApi['closeDay']['res']> {
  const service = await ctx.db.services.get(req.serviceId);
  const offices = administered(ctx.access);
  if (!service) {
    if (!isCityAdmin(ctx.access)) throw unknownAction();
    throw new AppError('ADMIN.SERVICE_NOT_FOUND', 'serviceId');
  }
  if (offices !== 'all' && !offices.has(service.officeId)) throw unknownAction();
  const reason = req.reason.trim();
  if (Array.from(reason).length < 2 || Array.from(reason).length > 20)
    throw new AppError('ADMIN.REASON_INVALID', 'reason');
  if (req.date < chinaDate(ctx.now)) throw new AppError('ADMIN.CLOSE_PAST', 'date');

  const booked = await ctx.db.bookings.find(
    { serviceId: service._id, date: req.date, status: 'booked' },
    { fields: ['label', 'changeConsent'], limit: 1000 },
  );
  const numbers = booked.map((b) => b.label).sort();
  if (booked.length > 0 && req.confirm !== true) {
    return { closed: false, needsConfirmation: true, numbers };
  }

  const _ = ctx.db.command;
  if (!service.closedDays?.some((d) => d.date === req.date)) {
    const entry = { date: req.date, reason, at: ctx.now, by: ctx.access.openid };
    // Another closure of this service, or any configuration change (configVersion), at the same instant
    // conflicts: tried again. The days are those the transaction reads, so a closure committed meanwhile
    // is kept, and a twin's of this very day is not written twice.
    const wrote = await retryConflicts(
      () =>
        ctx.db.transaction(async (tx) => {
          const current = await tx.services.get(service._id);
          if (current.closedDays?.some((d) => d.date === req.date)) return false;
          const closedDays = [...(current.closedDays ?? []), entry];
          await tx.services.update(service._id, { closedDays: _.set(closedDays) });
          await tx.settings.update('global', { configVersion: _.inc(1) });
          await tx.audit.insert(
            auditDoc(
              ctx,
              'closeDay',
              { serviceId: service._id, date: req.date, reason },
              { before: null, after: { ...entry, bookings: numbers } },
            ),
          );
          return true;
        }),
      SAVE_TRIES,
    );
    if (wrote) invalidateCatalogue();
  }

  const cancelled: string[] = [];
  for (let i = 0; i < booked.length; i += CONCURRENCY) {
    await Promise.all(
      booked.slice(i, i + CONCURRENCY).map(async (b) => {
        // Conditional on `booked`: a booking checked in or cancelled meanwhile is left as it is. Every
        // key it holds (number, person's day, account slot) is released as a citizen's cancel does.
        const n = await ctx.db.bookings.update(
          { _id: b._id, status: 'booked' },
          {
            ...releasePatch(b, ctx.now),
            status: 'cancelled_by_office',
            cancelReason: reason,
            cancelledBy: ctx.access.openid,
            changeNotice: _.set({ state: b.changeConsent === true ? 'pending' : 'not_subscribed' }),
          },
        );
        if (n > 0) cancelled.push(b.label);
      }),
    );
  }
  return { closed: true, needsConfirmation: false, numbers: cancelled.sort() };
}
