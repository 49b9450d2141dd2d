/**
 * `precheck` (issue 12 finding 4): R5 told as soon as the ID is complete, not after the whole form.
 * Read-only; `book` still decides (a precheck that passed says nothing about a number taken since).
 *
 * Issue 15 (a stranger's ID typed by someone else): a person-level refusal must not teach an account
 * facts about strangers. So only what THIS account holds is told: its own booking of that person and day,
 * and its own limit. Another account's booking of the person, or the person's suspension (R10), is said
 * by `book` as before, and only there — issue 15 decides what `book` may say.
 */
import type { BookingApi } from '../../typings/api';
import { chinaDate } from '../domain/china-time';
import { validateIdNumber } from '../domain/identity';
import { AppError } from '../shared/errors';
import { personKey } from '../shared/person-key';
import { findService, getCatalogue } from '../store/catalogue';
import { ACTIVE } from '../store/documents/booking';
import { checkDate } from './book';
import type { Context } from './context';

export async function precheck(
  ctx: Context,
  req: BookingApi['precheck']['req'],
): Promise<BookingApi['precheck']['res']> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const service = findService(catalogue, req.serviceId);
  checkDate(catalogue, service, req.date, ctx.now);
  const id = validateIdNumber(req.idNumber, chinaDate(ctx.now));
  if (!id.ok) throw new AppError(id.code, 'idNumber');
  const key = personKey(id.value);
  const _ = ctx.db.command;
  const active = await ctx.db.bookings.find(
    { openid: ctx.openid, status: _.in([...ACTIVE]) },
    { fields: ['serviceId', 'date', 'personKey'], limit: 100 },
  );
  // R5: this person's day, held by this very account.
  if (active.some((b) => b.serviceId === service._id && b.date === req.date && b.personKey === key))
    throw new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'idNumber');
  // R5: the account's own limit.
  if (ctx.accountLimited && active.length >= catalogue.settings.accountActiveLimit)
    throw new AppError('BOOKING.ACCOUNT_LIMIT');
  return { clear: true };
}
