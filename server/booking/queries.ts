/** Read-only actions: `availability` (R2, R4, R11), `mine`, `detail` (R8) and `standing` (R5, R10). */
import type { Booking, BookingApi, DayAvailability, Standing } from '../../typings/api';
import { horizon } from '../domain/calendar';
import { noShowsThisMonth, suspendedUntil } from '../domain/standing';
import { remainingByPeriod } from '../domain/numbers';
import { calendarInputs, calendarMissing, findService, getCatalogue } from '../store/catalogue';
import { ACTIVE, HOLDING } from '../store/documents/booking';
import type { Context } from './context';
import { ownBooking } from './manage';
import { catalogueView, toBooking } from './view';

/** How many of the account's past bookings `mine` answers at a time (its active ones come all at once). */
export const HISTORY_PAGE = 20;
/** More active bookings than any account can hold (R5's limit is a handful): a bound, not a page. */
const ACTIVE_BOUND = 1_000;
/** R10: no-shows older than this can no longer count this month nor suspend (a month and its carry-over). */
const NO_SHOW_HORIZON_MS = 62 * 24 * 3600_000;

export async function catalogue(ctx: Context): Promise<BookingApi['catalogue']['res']> {
  return catalogueView(await getCatalogue(ctx.db, ctx.now));
}

export async function availability(
  ctx: Context,
  req: BookingApi['availability']['req'],
): Promise<BookingApi['availability']['res']> {
  const cat = await getCatalogue(ctx.db, ctx.now);
  const service = findService(cat, req.serviceId);
  const days = horizon(calendarInputs(cat, service, ctx.now));
  const openDates = days.filter((d) => d.open).map((d) => d.date);
  const _ = ctx.db.command;
  const held =
    openDates.length === 0
      ? []
      : await ctx.db.bookings.find(
          { serviceId: service._id, date: _.in(openDates), status: _.in([...HOLDING]) },
          { fields: ['date', 'number'], limit: 100_000 },
        );
  const takenByDate = new Map<string, number[]>();
  for (const h of held) takenByDate.set(h.date, [...(takenByDate.get(h.date) ?? []), h.number]);
  return {
    days: days.map((d): DayAvailability => {
      // R2: a day of a year nobody entered is offered by the weekday rule alone; the page says so.
      const missing = calendarMissing(cat, d.date) ? { calendarMissing: true as const } : {};
      if (!d.open) {
        return {
          date: d.date,
          open: false,
          closedReason: d.closedReason,
          remaining: 0,
          periods: [],
          ...missing,
        };
      }
      const remaining = remainingByPeriod(service.periods, takenByDate.get(d.date) ?? []);
      const periods = service.periods.map((p) => ({
        id: p.id,
        start: p.start,
        end: p.end,
        remaining: remaining.get(p.id) ?? 0,
      }));
      return {
        date: d.date,
        open: true,
        remaining: periods.reduce((n, p) => n + p.remaining, 0),
        periods,
        ...missing,
      };
    }),
  };
}

/**
 * The account's bookings (R8): every active one, however old, then its history a page at a time, newest
 * first. The history's cursor is `createdAt` (two bookings of one account made in the same millisecond
 * could straddle a page: one of them would be skipped; an account cannot book that fast).
 */
export async function mine(
  ctx: Context,
  req: BookingApi['mine']['req'],
): Promise<BookingApi['mine']['res']> {
  const cat = await getCatalogue(ctx.db, ctx.now);
  const _ = ctx.db.command;
  const [active, history] = await Promise.all([
    req.before === undefined
      ? ctx.db.bookings.find(
          { openid: ctx.openid, status: _.in([...ACTIVE]) },
          { orderBy: ['createdAt', 'desc'], limit: ACTIVE_BOUND },
        )
      : Promise.resolve([]),
    ctx.db.bookings.find(
      {
        openid: ctx.openid,
        status: _.nin([...ACTIVE]),
        ...(req.before === undefined ? {} : { createdAt: _.lt(req.before) }),
      },
      { orderBy: ['createdAt', 'desc'], limit: HISTORY_PAGE + 1 },
    ),
  ]);
  const page = history.slice(0, HISTORY_PAGE);
  const docs = [...active, ...page].sort((a, b) => b.createdAt - a.createdAt);
  const res: BookingApi['mine']['res'] = { bookings: docs.map((d) => toBooking(d, cat)) };
  const last = page.at(-1);
  if (history.length > HISTORY_PAGE && last) res.nextBefore = last.createdAt;
  return res;
}

export async function detail(ctx: Context, req: BookingApi['detail']['req']): Promise<Booking> {
  const cat = await getCatalogue(ctx.db, ctx.now);
  return toBooking(await ownBooking(ctx, req.bookingId), cat);
}

/**
 * The account's standing: its active bookings against the limit (R5), and for the people it has booked
 * for, the no-shows this month and any suspension (R10) — the worst of them, since the citizen needs to
 * know whether booking will be refused.
 */
export async function standing(ctx: Context): Promise<Standing> {
  const cat = await getCatalogue(ctx.db, ctx.now);
  const _ = ctx.db.command;
  // The people that matter: those with an active booking of this account, and those it booked for who
  // failed to come recently enough to count (R10) — read by status, never "the last N bookings".
  const [activeCount, active, missed] = await Promise.all([
    ctx.db.bookings.count({ openid: ctx.openid, status: _.in([...ACTIVE]) }),
    ctx.db.bookings.find(
      { openid: ctx.openid, status: _.in([...ACTIVE]) },
      { fields: ['personKey'], limit: ACTIVE_BOUND },
    ),
    ctx.db.bookings.find(
      { openid: ctx.openid, status: 'no_show', startsAt: _.gte(ctx.now - NO_SHOW_HORIZON_MS) },
      { fields: ['personKey'], limit: ACTIVE_BOUND },
    ),
  ]);
  const keys = [...new Set([...active, ...missed].map((b) => b.personKey))];
  const persons = keys.length ? await ctx.db.persons.find({ _id: _.in(keys) }) : [];
  let worstUntil: number | undefined;
  let noShows = 0;
  for (const p of persons) {
    const until =
      suspendedUntil(
        p.noShows,
        ctx.now,
        p.liftedAt,
        cat.settings.noShowLimit,
        cat.settings.suspensionMonths,
      ) ?? p.suspendedUntil;
    if (
      until !== undefined &&
      until > ctx.now &&
      (worstUntil === undefined || until > worstUntil)
    ) {
      worstUntil = until;
    }
    // Forgiven no-shows (before an administrator's lift) do not count (R10).
    noShows = Math.max(noShows, noShowsThisMonth(p.noShows, ctx.now, p.liftedAt));
  }
  const result: Standing = {
    activeCount,
    activeLimit: cat.settings.accountActiveLimit,
    noShowsThisMonth: noShows,
  };
  if (worstUntil !== undefined) result.suspendedUntil = worstUntil;
  return result;
}
