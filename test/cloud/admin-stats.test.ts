/**
 * Issue 14's statistics through the real functions on the local cloud: a week's history made with the
 * real `booking`, hall API, `staff` and `admin` calls — bookings in every status, two channels, two
 * offices, a closed day, a reschedule, a quota lowered afterwards — then `stats` compared with rows the
 * test computes itself from what it did (never from the database). Counted live before the no-show
 * sweep, from the stored days after it (the same numbers as a recount), by day, month and period, for the
 * city, an office and a service; an office admin sees their office only; bad ranges are coded; released
 * numbers start at a service's creation and keep, for an ended day, the configuration it ended with. And
 * `exportStats`: the file downloaded from its temporary link and read back (`.csv` as text, `.xlsx` with
 * read-excel-file) holds the same rows under Chinese headers.
 */
import { chinaTime, removeAll, runJob, setClock } from '../../local-cloud/client';
import { readSheet } from 'read-excel-file/node';
import { request } from '../../scripts/hall-client';
import type { StatsBy, StatsQuery, StatsRow } from '../../typings/admin';
import type { Booking } from '../../typings/api';
import { useAdminCloud } from './support/admin-cloud';
import { ok, person, SERVICE } from './support/booking';
import {
  addOtherOffice,
  admin,
  adminOk,
  copySeededService,
  OTHER_OFFICE,
  OTHER_SERVICE,
  staffOk,
} from './support/hall';

jest.setTimeout(180_000);

const CITY = 'o-stats-city';
const HULI_ADMIN = 'o-stats-huli';
const STAFF = 'o-stats-staff';
const D0 = '2026-06-22';
const D1 = '2026-06-23';
const D2 = '2026-06-24';
const D3 = '2026-06-25';
const WEEK: StatsQuery = { from: D0, to: '2026-06-28', by: 'day' };

const { cloud, db } = useAdminCloud({
  now: chinaTime(`${D0}T10:00:00`),
  prepare: addOtherOffice,
  city: CITY,
  officeAdmins: { [HULI_ADMIN]: OTHER_OFFICE },
});

/* ---------- the test's own record of what happened, and its own counting ---------- */

type Status = 'booked' | 'cancelled' | 'cancelled_by_office' | 'served' | 'missed' | 'no_show';
interface Made {
  id: string;
  passToken: string;
  service: string;
  date: string;
  period: string;
  channel: string;
  status: Status | 'checked_in';
  checkedIn: boolean;
  waitMinutes?: number;
}
const made: Made[] = [];

const PERIODS: Record<string, string> = {
  am1: '09:00-10:00',
  am2: '10:00-11:00',
  am3: '11:00-12:00',
  pm1: '14:30-15:30',
  pm2: '15:30-16:30',
};
/** The size of each period; pm2 of 思明 is lowered to 5 after the 23rd has been stored. */
let pm2Siming = 10;
/** Released numbers of the 23rd and before stay as they were when the sweep stored them. */
function released(service: string, date: string, period: string): number {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return 0;
  if (service === SERVICE && date === D3) return 0; // closeDay
  if (service === SERVICE && period === PERIODS.pm2 && date > D1) return pm2Siming;
  return 10;
}

function expectedRows(q: StatsQuery): { rows: StatsRow[]; total: StatsRow } {
  const services = [SERVICE, OTHER_SERVICE].filter(
    (s) =>
      (q.serviceId === undefined || s === q.serviceId) &&
      (q.officeId === undefined || (s === SERVICE ? 'siming' : OTHER_OFFICE) === q.officeId),
  );
  const dates: string[] = [];
  for (let t = Date.parse(`${q.from}T00:00:00Z`); t <= Date.parse(`${q.to}T00:00:00Z`);) {
    dates.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  const keyOf = (by: StatsBy, date: string, period: string) =>
    by === 'day' ? date : by === 'month' ? date.slice(0, 7) : period;
  type Acc = { row: StatsRow; waits: number[]; used: number };
  const blank = (key: string): Acc => ({
    row: {
      key,
      released: 0,
      booked: 0,
      cancelledByCitizen: 0,
      cancelledByOffice: 0,
      checkedIn: 0,
      served: 0,
      missed: 0,
      noShow: 0,
      usedPercent: null,
      byChannel: {},
      medianWaitSeconds: null,
    },
    waits: [],
    used: 0,
  });
  const rows = new Map<string, Acc>();
  const total = blank('total');
  const into = (key: string, f: (a: Acc) => void) => {
    if (!rows.has(key)) rows.set(key, blank(key));
    f(rows.get(key) as Acc);
    f(total);
  };
  for (const s of services) {
    for (const d of dates) {
      if (q.by !== 'period' && !rows.has(keyOf(q.by, d, '')))
        rows.set(keyOf(q.by, d, ''), blank(keyOf(q.by, d, '')));
      for (const p of Object.values(PERIODS)) {
        const n = released(s, d, p);
        if (n > 0) into(keyOf(q.by, d, p), (a) => (a.row.released += n));
      }
    }
  }
  for (const b of made) {
    if (!services.includes(b.service) || !dates.includes(b.date)) continue;
    into(keyOf(q.by, b.date, b.period), (a) => {
      a.row.booked += 1;
      a.row.byChannel[b.channel] = (a.row.byChannel[b.channel] ?? 0) + 1;
      if (b.status === 'cancelled') a.row.cancelledByCitizen += 1;
      else if (b.status === 'cancelled_by_office') a.row.cancelledByOffice += 1;
      else a.used += 1;
      if (b.checkedIn) a.row.checkedIn += 1;
      if (b.status === 'served') a.row.served += 1;
      if (b.status === 'missed') a.row.missed += 1;
      if (b.status === 'no_show') a.row.noShow += 1;
      if (b.waitMinutes !== undefined) a.waits.push(b.waitMinutes);
    });
  }
  const finish = (a: Acc): StatsRow => {
    const waits = [...a.waits].sort((x, y) => x - y);
    const lower = waits[Math.ceil(waits.length / 2) - 1];
    return {
      ...a.row,
      usedPercent: a.row.released === 0 ? null : Math.round((a.used / a.row.released) * 1000) / 10,
      medianWaitSeconds: lower === undefined ? null : lower * 60,
    };
  };
  return {
    rows: [...rows.keys()].sort().map((k) => finish(rows.get(k) as Acc)),
    total: finish(total),
  };
}

/* ---------- making the history through the real functions ---------- */

let citizen = 0;
async function book(service: string, date: string, periodId: string): Promise<Made> {
  citizen += 1;
  const b = await ok(cloud, `o-stats-${citizen}`, 'book', {
    serviceId: service,
    date,
    periodId,
    person: person(600 + citizen),
    requestId: `stats-booking-${citizen}`,
  });
  return record(b, service);
}

function record(b: Booking, service: string): Made {
  const m: Made = {
    id: b.id,
    passToken: b.passToken,
    service,
    date: b.date,
    period: `${b.period.start}-${b.period.end}`,
    channel: b.channel,
    status: 'booked',
    checkedIn: false,
  };
  made.push(m);
  return m;
}

let hall: { url: string; keyId: string; secret: string };
async function bookByHall(date: string, periodId: string): Promise<Made> {
  citizen += 1;
  const res = await request(hall, 'POST', '/v1/bookings', {
    body: {
      serviceId: SERVICE,
      date,
      periodId,
      person: person(600 + citizen),
      requestId: `stats-hall-${citizen}`,
    },
  });
  if (res.status !== 200) throw new Error(`hall booking refused: ${JSON.stringify(res.body)}`);
  return record(res.body as Booking, SERVICE);
}

const at = (clock: string) => chinaTime(`${D1}T${clock}`);
async function atClock(clock: string): Promise<void> {
  await setClock(cloud, at(clock), { fireTriggers: false });
}

async function stats(openid: string, q: StatsQuery) {
  return adminOk(cloud, openid, 'stats', q);
}

beforeAll(async () => {
  await adminOk(cloud, CITY, 'grantRole', { openid: STAFF, role: 'staff', officeId: 'siming' });
  const key = await adminOk(cloud, CITY, 'createApiKey', {
    officeId: 'siming',
    scopes: ['book'],
    channel: 'xmjj-web',
    name: '厦门交警网',
  });
  hall = { url: `${cloud.url}/http/hall-api`, keyId: key.keyId, secret: key.secret };

  // The 22nd (Monday): bookings for the days ahead.
  const served = await book(SERVICE, D1, 'am1');
  const missed = await book(SERVICE, D1, 'am1');
  const waiting = await bookByHall(D1, 'am1');
  await book(SERVICE, D1, 'am2');
  await book(SERVICE, D1, 'pm1');
  await bookByHall(D1, 'pm2');
  const cancelled = await book(SERVICE, D1, 'am2');
  await ok(cloud, `o-stats-${citizen}`, 'cancel', { bookingId: cancelled.id });
  cancelled.status = 'cancelled';
  const moved = await book(SERVICE, D1, 'am3');
  const replacement = await ok(cloud, `o-stats-${citizen}`, 'reschedule', {
    bookingId: moved.id,
    date: D2,
    periodId: 'am1',
  });
  moved.status = 'cancelled';
  record(replacement, SERVICE);
  await book(SERVICE, D2, 'pm1');
  const closed = await book(SERVICE, D3, 'am1');
  await adminOk(cloud, CITY, 'closeDay', {
    serviceId: SERVICE,
    date: D3,
    reason: '设备检修',
    confirm: true,
  });
  closed.status = 'cancelled_by_office';
  const huliServed = await book(OTHER_SERVICE, D1, 'am1');
  await book(OTHER_SERVICE, D1, 'pm1');
  await book(OTHER_SERVICE, D2, 'am2');

  // The 23rd at the windows: waits of 7, 19 and 28 minutes (the calls half a minute past, so the real
  // seconds the clock runs on meanwhile never reach the next minute).
  await atClock('09:00:00');
  await checkIn(served, '09:00:00');
  await checkIn(missed, '09:01:00');
  await checkIn(huliServed, '09:02:00', CITY);
  await checkIn(waiting, '09:05:00');
  await call(served, '09:07:30');
  await staffOk(cloud, STAFF, 'serve', { bookingId: served.id });
  await staffOk(cloud, STAFF, 'finish', { bookingId: served.id });
  served.status = 'served';
  await call(missed, '09:20:30');
  await call(missed, '09:21:30', false);
  await call(missed, '09:22:30', false);
  await staffOk(cloud, STAFF, 'miss', { bookingId: missed.id });
  missed.status = 'missed';
  await call(huliServed, '09:30:30', true, CITY);
  await staffOk(cloud, CITY, 'serve', { bookingId: huliServed.id });
  await staffOk(cloud, CITY, 'finish', { bookingId: huliServed.id });
  huliServed.status = 'served';
});

async function checkIn(b: Made, clock: string, by = STAFF): Promise<void> {
  await atClock(clock);
  await staffOk(cloud, by, 'checkIn', { passToken: b.passToken });
  b.checkedIn = true;
  b.status = 'checked_in';
  checkedInAt.set(b.id, at(clock));
}
const checkedInAt = new Map<string, number>();

async function call(b: Made, clock: string, first = true, by = STAFF): Promise<void> {
  await atClock(clock);
  await staffOk(cloud, by, 'call', { bookingId: b.id });
  if (first) b.waitMinutes = Math.floor((at(clock) - (checkedInAt.get(b.id) ?? 0)) / 60_000);
}

describe('stats (issue 14)', () => {
  it('counts the history live, then from the stored days once the sweep has run: the same rows', async () => {
    // The 24th just after midnight: the 23rd has ended, its no-shows not yet marked.
    await setClock(cloud, chinaTime(`${D2}T00:01:00`), { fireTriggers: false });
    const live = await stats(CITY, WEEK);
    expect(live).toEqual(expectedRows(WEEK));

    await runJob(cloud, 'noshow-sweep');
    for (const b of made) if (b.date === D1 && b.status === 'booked') b.status = 'no_show';
    const ids = (collection: string) =>
      db.run(async (c, name) => {
        const res = (await c.database().collection(name).limit(100).get()) as {
          data: { _id: string }[];
        };
        return res.data.map((d) => d._id).sort();
      }, collection);
    const stored = await ids('statsDays');
    // Both offices' ended days of the week before (the 17th on), each once.
    expect(stored).toContain(`${SERVICE}|${D1}`);
    expect(stored).toContain(`${OTHER_SERVICE}|${D1}`);
    expect(stored).toContain(`${SERVICE}|${D0}`);
    expect(stored.some((id) => id.endsWith(D2))).toBe(false);
    // The city's roll-up of each of those days (its two services); no office has two services here.
    const rollups = await ids('statsRollups');
    expect(rollups).toContain(`city|${D1}`);
    expect(rollups).toContain(`city|${D0}`);
    expect(rollups.every((id) => id.startsWith('city|') && id < `city|${D2}`)).toBe(true);
    const after = await stats(CITY, WEEK);
    expect(after).toEqual(expectedRows(WEEK));
    expect(after.total.noShow).toBe(4);
    // The stored days equal a recount: without the roll-ups, then without the days too, the same rows.
    await removeAll(db, ['statsRollups']);
    expect(await stats(CITY, WEEK)).toEqual(after);
    await removeAll(db, ['statsDays']);
    expect(await stats(CITY, WEEK)).toEqual(after);
    await runJob(cloud, 'noshow-sweep');
    expect(await ids('statsRollups')).toEqual(rollups);
  });

  it('keeps the released numbers of stored days when a quota is lowered later', async () => {
    const { offices } = await adminOk(cloud, CITY, 'listOffices', {});
    const service = offices.flatMap((o) => o.services).find((s) => s.id === SERVICE);
    if (!service) throw new Error('the seeded service is missing');
    await adminOk(cloud, CITY, 'saveService', {
      service: {
        ...service,
        periods: service.periods.map((p) => (p.id === 'pm2' ? { ...p, to: p.from + 4 } : p)),
      },
    });
    pm2Siming = 5;
    const rows = await stats(CITY, WEEK);
    expect(rows).toEqual(expectedRows(WEEK));
    expect(rows.rows.find((r) => r.key === D1)?.released).toBe(100);
    expect(rows.rows.find((r) => r.key === D2)?.released).toBe(95);
    // Recounted (neither days nor roll-ups stored), the ended days keep the quota they ended with.
    await removeAll(db, ['statsRollups', 'statsDays']);
    expect(await stats(CITY, WEEK)).toEqual(rows);
    await runJob(cloud, 'noshow-sweep');
    expect(await stats(CITY, WEEK)).toEqual(rows);
  });

  it('groups by month and by period, for the city, an office and a service', async () => {
    const queries: StatsQuery[] = [
      { ...WEEK, by: 'month' },
      { ...WEEK, by: 'period' },
      { ...WEEK, by: 'period', officeId: OTHER_OFFICE },
      { ...WEEK, by: 'day', serviceId: SERVICE },
      { from: D0, to: '2026-07-03', by: 'month', officeId: 'siming' },
    ];
    for (const q of queries) expect(await stats(CITY, q)).toEqual(expectedRows(q));
    const byChannel = (await stats(CITY, { ...WEEK, by: 'month' })).total.byChannel;
    expect(byChannel).toEqual({ wechat: 12, 'xmjj-web': 2 });
  });

  it('answers an office admin their office only, and codes bad ranges and unknown ids', async () => {
    expect(await stats(HULI_ADMIN, WEEK)).toEqual(
      expectedRows({ ...WEEK, officeId: OTHER_OFFICE }),
    );
    const codes = async (openid: string, qs: StatsQuery[]) =>
      Promise.all(
        qs.map(async (q) => {
          const res = await admin(cloud, openid, 'stats', q);
          return res.ok ? 'ok' : `${res.error.code} ${res.error.field ?? ''}`;
        }),
      );
    expect(
      await codes(HULI_ADMIN, [
        { ...WEEK, officeId: 'siming' },
        { ...WEEK, serviceId: SERVICE },
        { ...WEEK, officeId: OTHER_OFFICE, serviceId: OTHER_SERVICE },
      ]),
    ).toEqual(['REQUEST.UNKNOWN_ACTION action', 'REQUEST.UNKNOWN_ACTION action', 'ok']);
    expect(
      await codes(CITY, [
        { ...WEEK, from: '2026-06-29' },
        { from: '2026-01-01', to: '2027-01-02', by: 'day' },
        { from: '2025-01-01', to: '2025-12-31', by: 'month' },
        { ...WEEK, officeId: 'nowhere' },
        { ...WEEK, serviceId: 'nothing' },
        { ...WEEK, officeId: OTHER_OFFICE, serviceId: SERVICE },
        { ...WEEK, from: '2026-02-30' },
        { ...WEEK, by: 'week' as StatsBy },
      ]),
    ).toEqual([
      'ADMIN.STATS_RANGE to',
      'ADMIN.STATS_RANGE_TOO_LONG to',
      'ok',
      'ADMIN.OFFICE_NOT_FOUND officeId',
      'ADMIN.SERVICE_NOT_FOUND serviceId',
      'ADMIN.SERVICE_NOT_FOUND serviceId',
      'REQUEST.INVALID from',
      'REQUEST.INVALID by',
    ]);
  });

  it('exports the same rows as .csv (with a BOM) and .xlsx, under Chinese headers, at a temporary link', async () => {
    const q: StatsQuery = { ...WEEK, by: 'day' };
    const answer = await stats(CITY, q);
    const header = [
      '日期',
      '放号数',
      '预约数',
      '群众取消',
      '单位取消',
      '签到',
      '办结',
      '过号',
      '爽约',
      '号源使用率(%)',
      '候叫时间中位数(秒)',
      '预约-微信小程序',
      '预约-xmjj-web',
    ];
    const line = (key: string, r: StatsRow) => [
      key,
      r.released,
      r.booked,
      r.cancelledByCitizen,
      r.cancelledByOffice,
      r.checkedIn,
      r.served,
      r.missed,
      r.noShow,
      r.usedPercent,
      r.medianWaitSeconds,
      r.byChannel.wechat ?? 0,
      r.byChannel['xmjj-web'] ?? 0,
    ];
    const expected = [
      header,
      ...answer.rows.map((r) => line(r.key, r)),
      line('合计', answer.total),
    ];

    const download = async (format: 'csv' | 'xlsx') => {
      const res = await adminOk(cloud, CITY, 'exportStats', { ...q, format });
      expect(res.rows).toBe(answer.rows.length);
      expect(res.fileID).toMatch(
        new RegExp(`^cloud://local\\.[^/]+/exports/stats/city_.+\\.${format}$`),
      );
      const file = await fetch(res.tempFileURL);
      expect(file.status).toBe(200);
      return Buffer.from(await file.arrayBuffer());
    };
    const csv = await download('csv');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvRows = csv
      .toString('utf8')
      .slice(1)
      .split('\r\n')
      .filter((l) => l !== '')
      .map((l) => l.split(','));
    expect(csvRows).toEqual(expected.map((row) => row.map((v) => (v === null ? '' : String(v)))));

    const xlsx = await download('xlsx');
    expect(await readSheet(xlsx)).toEqual(expected);
    // Each export on the record: who, the query, the format and the file.
    const audited = (await adminOk(cloud, CITY, 'listAudit', { auditAction: 'exportStats' }))
      .entries;
    expect(audited.map((e) => [e.by, e.target.format, e.target.from, e.target.by])).toEqual([
      [CITY, 'xlsx', WEEK.from, 'day'],
      [CITY, 'csv', WEEK.from, 'day'],
    ]);
    expect(String(audited[0]?.target.fileID)).toMatch(/\.xlsx$/);
    // An office admin exports their office only, like `stats`.
    const huli = await admin(cloud, HULI_ADMIN, 'exportStats', {
      ...q,
      officeId: 'siming',
      format: 'csv',
    });
    expect(huli.ok ? 'ok' : huli.error.code).toBe('REQUEST.UNKNOWN_ACTION');
  });

  it('reads a service added later apart from the roll-ups written before it, and rolls up its office once it has two services', async () => {
    const city = { ...WEEK, by: 'period' } as const;
    const siming = { ...WEEK, officeId: 'siming' };
    const before = await stats(CITY, city);
    await copySeededService(db, 'siming-later', { prefix: 'C', order: 3 });
    // Past the catalogue's cache (CACHE_MS), so every instance sees the new service.
    await setClock(cloud, chinaTime(`${D2}T00:05:00`), { fireTriggers: false });
    // The city's roll-ups lack it: its days are counted from its (no) bookings, numbers released.
    const live = await stats(CITY, city);
    expect(live.total.released).toBeGreaterThan(before.total.released);
    expect(live.total.booked).toBe(before.total.booked);
    const office = await stats(CITY, siming);
    await runJob(cloud, 'noshow-sweep');
    const rollups = await db.run(async (c) => {
      const res = (await c.database().collection('statsRollups').limit(100).get()) as unknown as {
        data: { _id: string; serviceIds: string[] }[];
      };
      return res.data;
    });
    expect(rollups.find((r) => r._id === `office:siming|${D1}`)?.serviceIds).toEqual([
      'siming-later',
      SERVICE,
    ]);
    expect(rollups.find((r) => r._id === `city|${D1}`)?.serviceIds).toEqual([
      OTHER_SERVICE,
      SERVICE,
    ]);
    // Now the city's roll-ups plus its stored days, and the office's roll-ups: the same rows.
    expect(await stats(CITY, city)).toEqual(live);
    expect(await stats(CITY, siming)).toEqual(office);
  });

  it('releases no numbers on the days before a service was created, and keeps them when it is deactivated (R2, R4)', async () => {
    const { offices } = await adminOk(cloud, CITY, 'listOffices', {});
    const seeded = offices.flatMap((o) => o.services).find((s) => s.id === SERVICE);
    if (!seeded) throw new Error('the seeded service is missing');
    // Created on the 24th (Wednesday) as a copy of the seeded one (pm2 lowered: 45 a weekday).
    const perDay = seeded.periods.reduce((n, p) => n + p.to - p.from + 1, 0);
    expect(perDay).toBe(45);
    await setClock(cloud, chinaTime(`${D2}T08:00:00`), { fireTriggers: false });
    await adminOk(cloud, CITY, 'saveService', {
      service: { ...seeded, id: 'siming-new', name: '新业务', prefix: 'D', order: 4 },
    });
    await setClock(cloud, chinaTime(`${D2}T08:01:00`), { fireTriggers: false });
    const q: StatsQuery = { ...WEEK, serviceId: 'siming-new' };
    const released = async () =>
      Object.fromEntries((await stats(CITY, q)).rows.map((r) => [r.key, r.released]));
    const week = { [D0]: 0, [D1]: 0, [D2]: perDay, [D3]: perDay, '2026-06-26': perDay };
    expect(await released()).toEqual({ ...week, '2026-06-27': 0, '2026-06-28': 0 });
    // Deactivated on the 26th: the 24th and 25th had their numbers; the 26th and after have none.
    await setClock(cloud, chinaTime('2026-06-26T10:00:00'), { fireTriggers: false });
    await adminOk(cloud, CITY, 'deactivateService', { serviceId: 'siming-new' });
    await setClock(cloud, chinaTime('2026-06-26T10:01:00'), { fireTriggers: false });
    const after = { ...week, '2026-06-26': 0, '2026-06-27': 0, '2026-06-28': 0 };
    expect(await released()).toEqual(after);
    // Stored by the sweep, the same.
    await setClock(cloud, chinaTime('2026-06-27T01:00:00'), { fireTriggers: false });
    await runJob(cloud, 'noshow-sweep');
    expect(await released()).toEqual(after);
  });
});
