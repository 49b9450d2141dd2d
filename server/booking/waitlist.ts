/**
 * R11 "notify me when numbers open": `notify` puts the account in the service's queue (one entry per
 * account and service, its `_id` derived from both), `notifyCancel` takes it out. The notifier job
 * (server/jobs/notifier.ts) tells the oldest waiting entries when numbers appear; nothing is held for them.
 * Waiting is for a sold-out horizon only (R11): while any day has a number, `notify` refuses
 * (WAITLIST.NOT_SOLD_OUT), so nobody waits for numbers they could book now.
 */
import { createHash } from 'node:crypto';
import type { BookingApi, WaitingState } from '../../typings/api';
import { AppError } from '../shared/errors';
import { findService, getCatalogue } from '../store/catalogue';
import { duplicateKeyIndex } from '../store/db';
import type { WaitlistDoc } from '../store/documents/waitlist';
import type { Context } from './context';
import { availability } from './queries';

/** The entry of one account for one service: a repeated `notify` finds it instead of queueing twice. */
export function waitlistId(openid: string, serviceId: string): string {
  return `w${createHash('sha256').update(`${openid}|${serviceId}`).digest('hex').slice(0, 31)}`;
}

function waiting(doc: WaitlistDoc): WaitingState {
  return doc.delivery.state === 'pending'
    ? { serviceId: doc.serviceId, waiting: true, since: doc.createdAt }
    : { serviceId: doc.serviceId, waiting: false };
}

export async function notify(
  ctx: Context,
  req: BookingApi['notify']['req'],
): Promise<WaitingState> {
  const service = findService(await getCatalogue(ctx.db, ctx.now), req.serviceId);
  const { days } = await availability(ctx, { serviceId: service._id });
  if (days.some((d) => d.remaining > 0)) throw new AppError('WAITLIST.NOT_SOLD_OUT', 'serviceId');
  const id = waitlistId(ctx.openid, service._id);
  const fresh: WaitlistDoc = {
    _id: id,
    openid: ctx.openid,
    serviceId: service._id,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    delivery: { state: 'pending' },
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = await ctx.db.waitlist.get(id);
    // Still waiting: keep the place in the queue (first come first served).
    if (existing?.delivery.state === 'pending') return waiting(existing);
    if (!existing) {
      try {
        await ctx.db.waitlist.insert(fresh);
        return waiting(fresh);
      } catch (err) {
        if (duplicateKeyIndex(err) === undefined) throw err;
        continue; // a twin request made it meanwhile: answer from it
      }
    }
    // Told before (or withdrawn): wait again, at the back of the queue, with a fresh delivery.
    const _ = ctx.db.command;
    const updated = await ctx.db.waitlist.update(
      { _id: id, updatedAt: existing.updatedAt, 'delivery.state': existing.delivery.state },
      { createdAt: ctx.now, updatedAt: ctx.now, delivery: _.set({ state: 'pending' }) },
    );
    if (updated === 1) return waiting(fresh);
  }
  throw new Error('waitlist entry kept changing');
}

export async function notifyCancel(
  ctx: Context,
  req: BookingApi['notifyCancel']['req'],
): Promise<WaitingState> {
  // Only a service of the catalogue has a queue: anything else is refused, not answered "not waiting".
  const service = findService(await getCatalogue(ctx.db, ctx.now), req.serviceId);
  const id = waitlistId(ctx.openid, service._id);
  await ctx.db.waitlist.update(
    { _id: id, 'delivery.state': 'pending' },
    { 'delivery.state': 'cancelled', updatedAt: ctx.now },
  );
  return { serviceId: service._id, waiting: false };
}

export async function notifyState(
  ctx: Context,
  req: BookingApi['notifyState']['req'],
): Promise<WaitingState> {
  const service = findService(await getCatalogue(ctx.db, ctx.now), req.serviceId);
  const entry = await ctx.db.waitlist.get(waitlistId(ctx.openid, service._id));
  return entry ? waiting(entry) : { serviceId: service._id, waiting: false };
}
