/**
 * R10 for administrators (issue 14): the blacklist. `listSuspensions` answers the persons suspended now,
 * masked (R14: name, ID and phone as their latest booking shows them masked; the person is named by an
 * opaque `personRef`, the keyed hash the system already keys them by, never the ID number);
 * `liftSuspension` lifts one with a reason (server/admin/lift-suspension.ts: every no-show up to the lift
 * forgiven), audited. The booking function's instances keep the suspended list up to 15 s
 * (server/booking/suspension.ts), so a lifted person may be refused that long after the lift.
 */
import type { AdminApi, AdminRequest } from '../../typings/admin';
import { maskName } from '../domain/identity';
import { noShowsThisMonth } from '../domain/standing';
import { AppError } from '../shared/errors';
import { LiftError, liftSuspension as lift } from './lift-suspension';
import { auditDoc, type AdminContext } from './audit';

/** The most persons listed (the newest suspensions first). */
const LIST_LIMIT = 500;

export async function listSuspensions(
  ctx: AdminContext,
): Promise<AdminApi['listSuspensions']['res']> {
  const _ = ctx.db.command;
  const persons = await ctx.db.persons.find(
    { suspendedUntil: _.gt(ctx.now) },
    { orderBy: ['suspendedUntil', 'desc'], limit: LIST_LIMIT },
  );
  if (persons.length === 0) return { suspensions: [] };
  const bookings = await ctx.db.bookings.find(
    { personKey: _.in(persons.map((p) => p._id)) },
    {
      orderBy: ['createdAt', 'desc'],
      fields: ['personKey', 'name', 'idMasked', 'phoneMasked'],
      limit: 5_000,
    },
  );
  const latest = new Map<string, (typeof bookings)[number]>();
  for (const b of bookings) if (!latest.has(b.personKey)) latest.set(b.personKey, b);
  return {
    suspensions: persons.map((p) => {
      const b = latest.get(p._id);
      return {
        personRef: p._id,
        name: b ? maskName(b.name) : '',
        idMasked: b?.idMasked ?? '',
        phoneMasked: b?.phoneMasked ?? '',
        suspendedUntil: p.suspendedUntil ?? 0,
        noShowsThisMonth: noShowsThisMonth(p.noShows, ctx.now, p.liftedAt),
        lifts: p.lifts?.length ?? 0,
      };
    }),
  };
}

export async function liftSuspension(
  ctx: AdminContext,
  req: AdminRequest<'liftSuspension'>,
): Promise<AdminApi['liftSuspension']['res']> {
  const reason = req.reason.trim();
  if (Array.from(reason).length < 2) throw new AppError('ADMIN.REASON_INVALID', 'reason');
  let result;
  try {
    result = await lift(ctx.db, req.personRef, reason, ctx.access.openid, ctx.now);
  } catch (err) {
    if (err instanceof LiftError) throw new AppError('ADMIN.REASON_INVALID', 'reason');
    throw err;
  }
  if (!result.lifted) return { lifted: false };
  // After the person's versioned write (its own document's compare-and-set, not a transaction): a
  // failure here leaves the lift recorded on the person (`lifts`: who, when, why) without this entry.
  await ctx.db.audit.insert(
    auditDoc(
      ctx,
      'liftSuspension',
      { personRef: req.personRef, reason },
      { before: { suspendedUntil: result.until }, after: { liftedAt: ctx.now } },
    ),
  );
  return { lifted: true, until: result.until };
}
