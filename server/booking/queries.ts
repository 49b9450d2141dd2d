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

/** How many of the account's bookings `mine` lists, newest first. */
const MINE_LIMIT = 50;

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

export async function mine(ctx: Context): Promise<BookingApi['mine']['res']> {
  const cat = await getCatalogue(ctx.db, ctx.now);
  const docs = await ctx.db.bookings.find(
    { openid: ctx.openid },
    { orderBy: ['createdAt', 'desc'], limit: MINE_LIMIT },
  );
  return { bookings: docs.map((d) => toBooking(d, cat)) };
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
  const recent = await ctx.db.bookings.find(
    { openid: ctx.openid },
    { orderBy: ['createdAt', 'desc'], fields: ['personKey', 'status'], limit: 200 },
  );
  const keys = [...new Set(recent.map((b) => b.personKey))];
  const persons = keys.length ? await ctx.db.persons.find({ _id: _.in(keys) }) : [];
  let worstUntil: number | undefined;
  let noShows = 0;
  for (const p of persons) {
    const until = suspendedUntil(p.noShows, ctx.now, p.liftedAt) ?? p.suspendedUntil;
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
    activeCount: recent.filter((b) => ACTIVE.includes(b.status)).length,
    activeLimit: cat.settings.accountActiveLimit,
    noShowsThisMonth: noShows,
  };
  if (worstUntil !== undefined) result.suspendedUntil = worstUntil;
  return result;
}
