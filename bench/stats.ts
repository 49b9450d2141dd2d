/**
 * `npm run bench:stats`: issue 14's statistics at city scale on the local cloud — 20 offices × 3 services,
 * 5 periods of 100 numbers (500 a day each), a year up to today (2026-11-30, a Monday). What is seeded,
 * honestly: a year of bookings is ~11 M documents, more than this shared machine can write in a
 * benchmark's time, so every ended day of the year gets the `statsDays` document the no-show sweep would
 * have written (built with the product's own countDay from that day's bookings, generated in memory and
 * never stored), with the city's and each office's `statsRollups` summed from them as the same run writes
 * them, and only TODAY's bookings are stored — ~90 % of 60 × 500 numbers, at 15:00: the morning's served,
 * missed, cancelled or waiting with their check-in and calls, the afternoon's booked — the day `stats`
 * counts live (one aggregation) on every request (the days ahead have no bookings here).
 *
 * Printed: for each query (city-wide and one office; by day, month and period; a year, and 30 days as the
 * chart asks) the median and slowest time of RUNS calls of the real `admin` function (callFunction round
 * trip, as the page sees it) and the database requests of one answer (the function's own log line,
 * which counts every request it sends); the goal is ≤ 2 s. The load average before and after.
 */
import type { BookingStatus } from '../typings/api';
import type { StatsBy, StatsQuery } from '../typings/admin';
import {
  addCounts,
  countDay,
  emptyCounts,
  type Counts,
  type CountedBooking,
} from '../server/domain/stats';
import { addDays } from '../server/domain/china-time';
import {
  callFunction,
  chinaTime,
  sdk,
  setClock,
  startLocalCloud,
  type SdkRunner,
} from '../local-cloud/client';
import { logLines, median } from './support/figures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OFFICES = 20;
const SERVICES_PER_OFFICE = 3;
const TODAY = '2026-11-30';
const FROM = addDays(TODAY, -364);
const ADMIN = 'o-bench-stats';
const PERIODS = [
  { id: 'am1', start: '09:00', end: '10:00', from: 1, to: 100 },
  { id: 'am2', start: '10:00', end: '11:00', from: 101, to: 200 },
  { id: 'am3', start: '11:00', end: '12:00', from: 201, to: 300 },
  { id: 'pm1', start: '14:30', end: '15:30', from: 301, to: 400 },
  { id: 'pm2', start: '15:30', end: '16:30', from: 401, to: 500 },
];

const serviceIds: { office: string; service: string }[] = [];
for (let o = 0; o < OFFICES; o += 1) {
  for (let s = 0; s < SERVICES_PER_OFFICE; s += 1) {
    serviceIds.push({ office: `office-${o}`, service: `office-${o}-s${s}` });
  }
}

/** A deterministic pseudo-random stream, so every run seeds the same city. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const STATUSES: [BookingStatus, number][] = [
  ['served', 0.7],
  ['missed', 0.05],
  ['no_show', 0.08],
  ['cancelled', 0.1],
  ['cancelled_by_office', 0.02],
  ['checked_in', 0.05],
];

/**
 * One service's day of bookings: ~90 % of 500 numbers taken, statuses and waits as a busy hall has them.
 * `live`: today at 15:00 — the periods begun before then as far as the window took them (no no-shows
 * marked yet: still booked), the later ones booked.
 */
function dayBookings(
  service: string,
  date: string,
  live: boolean,
): (CountedBooking & { n: number })[] {
  const key = `${service}|${date}`;
  let hash = 7;
  for (let i = 0; i < key.length; i += 1) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  const rand = rng(hash);
  const out: (CountedBooking & { n: number })[] = [];
  const base = Date.parse(`${date}T01:00:00Z`);
  for (const p of PERIODS) {
    for (let n = p.from; n <= p.to; n += 1) {
      if (rand() > 0.9) continue;
      let status: BookingStatus = 'booked';
      if (!live || p.start < '15:00') {
        let r = rand();
        for (const [s, w] of STATUSES) {
          if (r < w) {
            status = s;
            break;
          }
          r -= w;
        }
        if (live && status === 'no_show') status = 'booked';
      }
      const b: CountedBooking & { n: number } = {
        n,
        status,
        channel: rand() < 0.85 ? 'wechat' : 'xmjj-web',
        periodStart: p.start,
        periodEnd: p.end,
      };
      if (['served', 'missed', 'checked_in'].includes(status)) {
        const checkedInAt = base + Math.floor(rand() * 3_600_000);
        b.checkedInAt = checkedInAt;
        if (status !== 'checked_in') {
          b.history = [{ event: 'call', at: checkedInAt + Math.floor(rand() * 45 * 60_000) }];
        }
      }
      out.push(b);
    }
  }
  return out;
}

async function insertAll(db: SdkRunner, collection: string, docs: object[]): Promise<void> {
  const BATCH = 500;
  for (let i = 0; i < docs.length; i += BATCH) {
    await db.run(
      async (c, a) => {
        const col = c.database().collection(a.collection);
        let next = 0;
        // No named inner function: the source travels as text (tsx would wrap a name in a helper).
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < a.docs.length) {
              const doc = a.docs[next] as Record<string, unknown>;
              next += 1;
              await col.add({ data: doc });
            }
          }),
        );
      },
      { collection, docs: docs.slice(i, i + BATCH) },
    );
  }
}

async function seed(
  db: SdkRunner,
): Promise<{ statsDays: number; statsRollups: number; bookings: number }> {
  const seeded = Date.now();
  await db.run(
    async (c, a) => {
      const d = c.database();
      const template = (await d.collection('services').doc('siming-violation').get()) as {
        data: Record<string, unknown>;
      };
      for (let o = 0; o < a.offices; o += 1) {
        await d
          .collection('offices')
          .doc(`office-${o}`)
          .set({
            data: {
              name: `第${o + 1}大队`,
              address: '厦门',
              latitude: 24.4,
              longitude: 118.1,
              order: o + 1,
            },
          });
        for (let s = 0; s < a.perOffice; s += 1) {
          const service = Object.assign({}, template.data, {
            officeId: `office-${o}`,
            prefix: String.fromCharCode(65 + s),
            order: s + 1,
            periods: a.periods,
          });
          delete service._id;
          await d.collection('services').doc(`office-${o}-s${s}`).set({ data: service });
        }
      }
      // The city is these 60 services: the demo office and its service (the template) leave it.
      await d.collection('services').doc('siming-violation').remove();
      await d.collection('offices').doc('siming').remove();
      await d
        .collection('settings')
        .doc('global')
        .update({ data: { configVersion: d.command.inc(1) } });
    },
    { offices: OFFICES, perOffice: SERVICES_PER_OFFICE, periods: PERIODS },
  );
  // Ended days: what the sweep would have stored, from bookings generated here and never stored.
  const days: object[] = [];
  const rollups: object[] = [];
  for (let date = FROM; date < TODAY; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const open = weekday !== 0 && weekday !== 6;
    const writtenAt = Date.parse(`${addDays(date, 1)}T00:05:00Z`);
    const scopes = new Map<string, { serviceIds: string[]; periods: Record<string, Counts> }>();
    for (const { office, service } of serviceIds) {
      const periods = countDay(PERIODS, open, open ? dayBookings(service, date, false) : []);
      days.push({
        _id: `${service}|${date}`,
        serviceId: service,
        officeId: office,
        date,
        periods,
        writtenAt,
      });
      for (const scope of ['city', `office:${office}`]) {
        let sum = scopes.get(scope);
        if (!sum) scopes.set(scope, (sum = { serviceIds: [], periods: {} }));
        sum.serviceIds.push(service);
        for (const [key, c] of Object.entries(periods)) {
          addCounts((sum.periods[key] ??= emptyCounts()), c);
        }
      }
    }
    for (const [scope, sum] of scopes) {
      rollups.push({
        _id: `${scope}|${date}`,
        scope,
        date,
        serviceIds: sum.serviceIds.sort(),
        periods: sum.periods,
        writtenAt,
      });
    }
  }
  await insertAll(db, 'statsDays', days);
  await insertAll(db, 'statsRollups', rollups);
  // Today: the bookings themselves, every one a unique holder of its keys.
  const bookings: object[] = [];
  for (const { office, service } of serviceIds) {
    for (const b of dayBookings(service, TODAY, true)) {
      const id = `bench-${service}-${b.n}`;
      bookings.push({
        _id: id,
        serviceId: service,
        officeId: office,
        date: TODAY,
        number: b.n,
        status: b.status,
        channel: b.channel,
        periodStart: b.periodStart,
        periodEnd: b.periodEnd,
        slotKey: `${service}|${TODAY}|${b.n}`,
        activeKey: `${service}|${TODAY}|p${b.n}`,
        accountKey: `own:${id}`,
        passToken: `pass-${id}`,
        personKey: `p${b.n}`,
        openid: `o-bench-${b.n}`,
        ...(b.checkedInAt === undefined ? {} : { checkedInAt: b.checkedInAt }),
        ...(b.history === undefined ? {} : { history: b.history }),
      });
    }
  }
  await insertAll(db, 'bookings', bookings);
  console.log(
    `seeded ${days.length} statsDays documents (${serviceIds.length} services × ${days.length / serviceIds.length} ended days), ${rollups.length} statsRollups (the city and ${OFFICES} offices × ${days.length / serviceIds.length} days) and ${bookings.length} bookings of today in ${((Date.now() - seeded) / 1000).toFixed(0)} s`,
  );
  return { statsDays: days.length, statsRollups: rollups.length, bookings: bookings.length };
}

interface LogLine {
  action: string;
  outcome: string;
  ms: number;
  db: number;
}

function statsLines(output: string): LogLine[] {
  return logLines<LogLine>(output, '{"action":"stats"');
}

async function main(): Promise<void> {
  const cloud = await startLocalCloud({ seed: true, extraEnv: { LOCALCLOUD_LOG: '0' } });
  const db = await sdk(cloud);
  try {
    await setClock(cloud, chinaTime(`${TODAY}T15:00:00`), { fireTriggers: false });
    // The first administrator as in production: the console's code, entered by that account.
    const boot = await callFunction(cloud, 'admin', { action: 'bootstrap' });
    const code =
      'result' in boot ? (boot.result as { data?: { code?: string } }).data?.code : undefined;
    if (code === undefined) throw new Error('bootstrap failed');
    const entered = await callFunction(cloud, 'staff', { action: 'acceptInvitation', code }, ADMIN);
    if (!('result' in entered) || !(entered.result as { ok?: boolean }).ok)
      throw new Error("bootstrap's code refused");
    const seeded = await seed(db);
    const loadBefore = (await import('node:os')).loadavg();
    const queries: { label: string; q: StatsQuery }[] = [];
    for (const by of ['day', 'month', 'period'] as StatsBy[]) {
      queries.push({ label: `city, a year, by ${by}`, q: { from: FROM, to: TODAY, by } });
      queries.push({
        label: `one office, a year, by ${by}`,
        q: { officeId: 'office-7', from: FROM, to: TODAY, by },
      });
    }
    queries.push({
      label: 'city, 30 days (the chart)',
      q: { from: addDays(TODAY, -29), to: TODAY, by: 'day' },
    });
    const rows: string[][] = [];
    for (const { label, q } of queries) {
      const times: number[] = [];
      let requests = 0;
      let rowCount = 0;
      let failed: string | undefined;
      for (let run = 0; run < RUNS; run += 1) {
        const before = statsLines(cloud.output()).length;
        const started = performance.now();
        const outcome = await callFunction(cloud, 'admin', { action: 'stats', ...q }, ADMIN);
        times.push(performance.now() - started);
        const result =
          'result' in outcome
            ? (outcome.result as { ok: boolean; data?: { rows: unknown[] } })
            : undefined;
        if (!result?.ok) {
          // A timeout (the function's 10 s) is a figure too: printed, and the query not repeated.
          failed = 'errMsg' in outcome ? outcome.errMsg.slice(0, 80) : 'refused';
          break;
        }
        rowCount = result.data?.rows.length ?? 0;
        const line = statsLines(cloud.output()).slice(before).at(-1);
        requests = line?.db ?? NaN;
      }
      if (failed !== undefined) {
        rows.push([label, '-', `FAILED: ${failed}`, '-', '-']);
        console.log(`${label}: failed after ${Math.round(times.at(-1) ?? 0)} ms: ${failed}`);
        continue;
      }
      rows.push([
        label,
        String(rowCount),
        `${(median(times) / 1000).toFixed(2)} s`,
        `${(Math.max(...times) / 1000).toFixed(2)} s`,
        String(requests),
      ]);
      console.log(`${label}: ${JSON.stringify(times.map((t) => Math.round(t)))} ms`);
    }
    console.log(
      `\nstats on the local cloud, median of ${RUNS} calls (goal ≤ 2 s); seeded: ${seeded.statsDays} statsDays, ${seeded.statsRollups} statsRollups, ${seeded.bookings} bookings of today:\n`,
    );
    console.log('| query | rows | median | slowest | db requests per answer |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    const [one, five, fifteen] = (await import('node:os')).loadavg();
    const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    console.log(
      `\nload average before: ${loads(loadBefore)}; after: ${loads([one ?? 0, five ?? 0, fifteen ?? 0])}`,
    );
  } finally {
    await db.close();
    await cloud.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
