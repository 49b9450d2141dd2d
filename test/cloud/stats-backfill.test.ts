/**
 * Issue 14's statistics older than the no-show sweep's 7-day look-back, backfilled by the `noshow-sweep`
 * timer through the real functions on the local cloud: bookings made with the real `book` in early
 * March, then the clock moved to 20 April, so 41 ended days (3 March, the oldest booking, to 12 April)
 * lie beyond the look-back. Each hourly run stores 7 more dates, newest first, until the oldest booking;
 * the next day's run takes the day that left the look-back; the answers of `stats` stay the same rows
 * throughout (stored days equal a recount). Re-running writes nothing; two runs at once write each
 * document once and leave one range.
 */
import { chinaTime, removeAll, runJob, setClock } from '../../local-cloud/client';
import type { StatsQuery } from '../../typings/admin';
import { useAdminCloud } from './support/admin-cloud';
import { ok, person, SERVICE } from './support/booking';
import { addOtherOffice, adminOk, OTHER_SERVICE } from './support/hall';

jest.setTimeout(240_000);

const CITY = 'o-backfill-city';
const { cloud, db } = useAdminCloud({
  now: chinaTime('2026-03-02T10:00:00'),
  prepare: addOtherOffice,
  city: CITY,
});

/** From before the oldest booking to the look-back's last day. */
const SPAN: StatsQuery = { from: '2026-02-20', to: '2026-04-19', by: 'day' };

interface Range {
  from: string;
  to: string;
  floor?: string;
}

async function range(): Promise<Range | undefined> {
  return db.run(async (c) => {
    const res = (await c.database().collection('statsBackfill').limit(10).get()) as unknown as {
      data: Range[];
    };
    return res.data[0] && { from: res.data[0].from, to: res.data[0].to, floor: res.data[0].floor };
  });
}

async function ids(collection: string): Promise<string[]> {
  return db.run(async (c, name) => {
    const d = c.database();
    const out: string[] = [];
    for (let skip = 0; ; skip += 100) {
      const res = (await d.collection(name).skip(skip).limit(100).get()) as {
        data: { _id: string }[];
      };
      out.push(...res.data.map((x) => x._id));
      if (res.data.length < 100) return out.sort();
    }
  }, collection);
}

/** The dates of the city's roll-ups before `date`. */
async function rolledBefore(date: string): Promise<string[]> {
  return (await ids('statsRollups')).map((id) => id.slice('city|'.length)).filter((d) => d < date);
}

/** Fires the hourly `noshow-sweep` timer at minute 5 of `hour` on 20 April, as the platform would. */
async function hourlyRun(hour: number): Promise<void> {
  const at = `2026-04-20T${String(hour).padStart(2, '0')}:05:30`;
  const answer = await setClock(cloud, chinaTime(at));
  const sweep = answer.fired.filter((f) => f.function === 'noshow-sweep');
  expect(sweep.map((f) => f.ok)).toEqual([true]);
}

let n = 0;
async function book(service: string, date: string, periodId: string): Promise<void> {
  n += 1;
  await ok(cloud, `o-backfill-${n}`, 'book', {
    serviceId: service,
    date,
    periodId,
    person: person(700 + n),
    requestId: `backfill-${n}`,
  });
}

const stats = (q: StatsQuery) => adminOk(cloud, CITY, 'stats', q);
let reference: Awaited<ReturnType<typeof stats>>;

beforeAll(async () => {
  await book(SERVICE, '2026-03-03', 'am1');
  await book(SERVICE, '2026-03-03', 'pm1');
  await book(OTHER_SERVICE, '2026-03-04', 'am2');
  await book(SERVICE, '2026-03-09', 'am1');
  // Seven weeks on, no timer run meanwhile (a history from before the statistics).
  await setClock(cloud, chinaTime('2026-04-20T00:00:00'), { fireTriggers: false });
});

describe('statistics backfill beyond the look-back (issue 14)', () => {
  it('stores 7 dates per hourly run, newest first, down to the oldest booking, and answers the same rows', async () => {
    expect(await range()).toBeUndefined();
    await hourlyRun(0);
    // The look-back's days (13–19 April) and the 7 dates below them.
    expect(await range()).toEqual({ from: '2026-04-06', to: '2026-04-12', floor: '2026-03-03' });
    expect(await rolledBefore('2026-04-13')).toHaveLength(7);
    // The bookings are no-shows now: the reference, from stored days and a recount of the rest.
    reference = await stats(SPAN);
    expect(reference.total.booked).toBe(4);
    expect(reference.total.noShow).toBe(4);
    const froms = [];
    for (let hour = 1; hour <= 6; hour += 1) {
      await hourlyRun(hour);
      froms.push((await range())?.from);
      expect(await stats(SPAN)).toEqual(reference);
    }
    // 41 dates: 35 in five runs, the last 6 in the sixth, then nothing more.
    expect(froms).toEqual([
      '2026-03-30',
      '2026-03-23',
      '2026-03-16',
      '2026-03-09',
      '2026-03-03',
      '2026-03-03',
    ]);
    expect(await rolledBefore('2026-04-13')).toHaveLength(41);
    expect((await rolledBefore('2026-04-13'))[0]).toBe('2026-03-03');
    // Nothing stored before the oldest booking.
    expect((await ids('statsDays')).filter((id) => id.endsWith('2026-03-02'))).toEqual([]);
  });

  it('writes nothing more when run again, and takes the day that left the look-back the next day', async () => {
    const days = await ids('statsDays');
    const result = await runJob(cloud, 'noshow-sweep');
    expect(result).toMatchObject({ statsDays: 0, backfillDates: 0, backfillFinished: true });
    expect(await ids('statsDays')).toEqual(days);

    await setClock(cloud, chinaTime('2026-04-21T01:00:00'), { fireTriggers: false });
    const next = await runJob(cloud, 'noshow-sweep');
    // The 20th enters the look-back; the 13th leaves it and is already stored: one date, no document.
    expect(next).toMatchObject({ statsDays: 2, backfillDates: 1, backfillFinished: true });
    expect(await range()).toEqual({ from: '2026-03-03', to: '2026-04-13', floor: '2026-03-03' });
    expect(await stats(SPAN)).toEqual(reference);
  });

  it('two runs at once write each document once and leave one range; the walk then finishes alike', async () => {
    const days = await ids('statsDays');
    const rollups = await ids('statsRollups');
    await removeAll(db, ['statsDays', 'statsRollups', 'statsBackfill']);
    const twins = await Promise.all([runJob(cloud, 'noshow-sweep'), runJob(cloud, 'noshow-sweep')]);
    // Each document written by one of them only (a twin's insert of the same `_id` is skipped), and
    // one range from the top: 7 dates if they overlapped wholly, 14 if one began after the other's.
    const written = twins.reduce((sum, r) => sum + Number(r.statsDays), 0);
    expect(written).toBe((await ids('statsDays')).length);
    expect([28, 42]).toContain(written);
    expect(await range()).toEqual({
      from: written === 28 ? '2026-04-07' : '2026-03-31',
      to: '2026-04-13',
      floor: '2026-03-03',
    });
    for (let run = 0; run < 5; run += 1) {
      if ((await runJob(cloud, 'noshow-sweep')).backfillFinished === true) break;
    }
    expect(await range()).toEqual({ from: '2026-03-03', to: '2026-04-13', floor: '2026-03-03' });
    expect(await ids('statsDays')).toEqual(days);
    expect(await ids('statsRollups')).toEqual(rollups);
    expect(await stats(SPAN)).toEqual(reference);
  });
});
