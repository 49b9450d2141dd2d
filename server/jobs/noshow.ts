/**
 * R10: after a service day has ended, every booking of it neither cancelled nor checked in (still
 * `booked`) becomes a no-show, recorded at the appointment's start, and the 3rd no-show within one China
 * calendar month suspends from booking for one month from that no-show (server/domain/standing.ts).
 * R15 decides against whom it counts: a booking made by the person's verified holder counts against the
 * person; a booking made by any other account counts against that account (`accounts`, its own limit
 * and suspension) and, only while the person has no verified holder, against the person too. The
 * `noshow-sweep` function runs this every hour.
 *
 * Idempotent and catching up: it looks for every `booked` booking of any day before today, so days a run
 * missed (the timer did not fire, the function crashed) are swept by the next. Per batch the persons are
 * written first, each no-show keyed by its booking id (`noShowBookings`), then the bookings are marked:
 * a run dying in between leaves the bookings `booked`, the next run finds them again, and recording them
 * again on the person is a no-op. After the day's end a `booked` booking cannot change any more (cancel
 * closes before the period starts), so marking it after its person is safe.
 */
import { chinaDate } from '../domain/china-time';
import { DEFAULT_NO_SHOW_LIMIT, suspendedUntil } from '../domain/standing';
import { getCatalogue } from '../store/catalogue';
import type { BookingDoc } from '../store/documents/booking';
import type { JobEnv } from './env';
import { StepTimer } from './env';
import { updatePerson } from '../store/persons';
import { updateAccount } from '../store/accounts';
import { pool } from './pool';

const PAGE = 200;
const PERSON_CONCURRENCY = 5;

type Row = Pick<BookingDoc, '_id' | 'personKey' | 'startsAt' | 'openid' | 'channel'>;

export interface SweepReport {
  noShows: number;
  persons: number;
  suspended: number;
  more: boolean;
}

/**
 * Records the no-shows of `rows` (one person's): on the person those R15 counts against it, on each
 * other booking account the rest; answers how many suspensions these writes started.
 */
export async function recordNoShows(
  env: Pick<JobEnv, 'db'>,
  personKey: string,
  rows: readonly Pick<Row, '_id' | 'startsAt' | 'openid' | 'channel'>[],
  now: number,
  limit = DEFAULT_NO_SHOW_LIMIT,
  months = 1,
): Promise<number> {
  // Written inside the update's callback (run again on a conflict): the last round's values stand.
  const seen: { suspends: boolean; holder: string | undefined } = {
    suspends: false,
    holder: undefined,
  };
  await updatePerson(env.db, personKey, now, (current) => {
    const holder = current?.holder;
    seen.holder = holder;
    const known = new Set(current?.noShowBookings ?? []);
    // R15: the holder's own bookings, or anyone's while the person has no verified holder.
    const fresh = rows.filter(
      (r) => !known.has(r._id) && (holder === undefined || r.openid === holder),
    );
    if (fresh.length === 0) return undefined;
    const noShows = [...(current?.noShows ?? []), ...fresh.map((r) => r.startsAt)];
    const until = suspendedUntil(noShows, now, current?.liftedAt, limit, months);
    const before = current?.suspendedUntil;
    const suspends = until !== undefined && (before === undefined || until > before);
    seen.suspends = suspends;
    return {
      set: {
        noShows,
        noShowBookings: [...(current?.noShowBookings ?? []), ...fresh.map((r) => r._id)],
        // Written for the booking function's quick check (server/booking/suspension.ts).
        ...(suspends ? { suspendedUntil: until } : {}),
      },
    };
  });
  let started = seen.suspends ? 1 : 0;
  // R15: a booking for this person made by another WeChat account counts against that account (the
  // hall's channels book for many people and have no account limit, R12).
  const byAccount = new Map<string, Pick<Row, '_id' | 'startsAt'>[]>();
  for (const r of rows) {
    if (r.openid === seen.holder || r.channel !== 'wechat') continue;
    byAccount.set(r.openid, [...(byAccount.get(r.openid) ?? []), r]);
  }
  for (const [openid, own] of byAccount) {
    const account = { suspends: false };
    await updateAccount(env.db, openid, now, (current) => {
      const known = new Set(current?.noShowBookings ?? []);
      const fresh = own.filter((r) => !known.has(r._id));
      if (fresh.length === 0) return undefined;
      const noShows = [...(current?.noShows ?? []), ...fresh.map((r) => r.startsAt)];
      const until = suspendedUntil(noShows, now, undefined, limit, months);
      const before = current?.suspendedUntil;
      account.suspends = until !== undefined && (before === undefined || until > before);
      return {
        set: {
          noShows,
          noShowBookings: [...(current?.noShowBookings ?? []), ...fresh.map((r) => r._id)],
          ...(account.suspends ? { suspendedUntil: until } : {}),
        },
      };
    });
    if (account.suspends) started += 1;
  }
  return started;
}

export async function runNoShowSweep(env: JobEnv): Promise<SweepReport> {
  const report: SweepReport = { noShows: 0, persons: 0, suspended: 0, more: false };
  const _ = env.db.command;
  const steps = new StepTimer(1_500);
  while (env.hasTime(steps.reserve())) {
    const now = env.clock();
    // R10/R3: a day has ended at the China midnight that starts the next one.
    const today = chinaDate(now);
    const rows: Row[] = await env.db.bookings.find(
      { status: 'booked', date: _.lt(today) },
      {
        orderBy: ['date', 'asc'],
        fields: ['personKey', 'startsAt', 'openid', 'channel'],
        limit: PAGE,
      },
    );
    if (rows.length === 0) return report;
    // R10: the limit and the suspension's length are settings (issue 14), the rule's defaults otherwise;
    // read only when there is work, so an idle run stays one query.
    const { settings } = await getCatalogue(env.db, now);
    const limit = settings.noShowLimit ?? DEFAULT_NO_SHOW_LIMIT;
    const months = settings.suspensionMonths ?? 1;
    await steps.time(async () => {
      const byPerson = new Map<string, Row[]>();
      for (const r of rows) byPerson.set(r.personKey, [...(byPerson.get(r.personKey) ?? []), r]);
      await pool([...byPerson], PERSON_CONCURRENCY, async ([key, own]) => {
        report.suspended += await recordNoShows(env, key, own, now, limit, months);
      });
      report.persons += byPerson.size;
      report.noShows += await env.db.bookings.update(
        { _id: _.in(rows.map((r) => r._id)), status: 'booked' },
        { status: 'no_show', noShowAt: now, updatedAt: now },
      );
    });
  }
  report.more = true;
  return report;
}
