/**
 * R5's account limit (3 active bookings per WeChat account) guarded by the database, not by a read
 * (issue 15 finding 3: 10 simultaneous `book` calls from one account used to get 3 to 10 bookings). Each
 * active booking holds one of the account's slot keys under a unique index; finished bookings give theirs
 * back when the account needs it. Run through the real wx-server-sdk on the local cloud with latency
 * jitter and injected transient faults, with clients retrying the same request as the page does.
 */
import type { ApiResult, Booking } from '../../typings/api';
import { ok, person, persist, pool, SERVICE } from './support/booking';
import { useLocalCloud } from './support/local-cloud';
import { chinaTime } from '../../local-cloud/client';

jest.setTimeout(240_000);

const { cloud, db } = useLocalCloud({
  extraEnv: { LOCALCLOUD_LATENCY_MS: '5-40', LOCALCLOUD_FAULT_RATE: '0.02' },
  now: chinaTime('2026-12-01T00:00:05'),
  fireTriggers: true,
});
let openDays: string[] = [];

beforeAll(async () => {
  const days = await ok(cloud, 'o-limit-probe', 'availability', { serviceId: SERVICE });
  openDays = days.days.filter((d) => d.open).map((d) => d.date);
});

interface Row {
  _id: string;
  openid: string;
  status: string;
  accountKey: string;
}

/** The whole collection, read again when an injected fault hits the test's own read. */
async function rows(): Promise<Row[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.run(async (c) => {
        const all: Row[] = [];
        for (let skip = 0; ; skip += 1000) {
          const page = (await c
            .database()
            .collection('bookings')
            .skip(skip)
            .limit(1000)
            .get()) as unknown as {
            data: Row[];
          };
          all.push(...page.data);
          if (page.data.length < 1000) return all;
        }
      }, {});
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

const ACTIVE = ['booked', 'checked_in', 'called', 'serving'];
let seq = 0;

function attempt(openid: string, n: number): () => Promise<ApiResult<Booking>> {
  const requestId = `lim-${process.pid}-${(seq += 1)}`;
  return () =>
    persist(cloud, openid, 'book', {
      serviceId: SERVICE,
      date: openDays[n % openDays.length] ?? '',
      person: person(n),
      requestId,
    });
}

describe('R5 the account limit under simultaneous attempts', () => {
  it('lets no account past 3 active bookings in 1,000 simultaneous attempts (5 accounts × 200)', async () => {
    expect(openDays.length).toBeGreaterThanOrEqual(3);
    const accounts = Array.from({ length: 5 }, (_, i) => `o-limit-${i}`);
    // Each account fires its 200 at once, 50 in flight: its own attempts race each other.
    const outcomes: { openid: string; res: ApiResult<Booking> }[] = [];
    for (const [a, openid] of accounts.entries()) {
      const tasks = Array.from({ length: 200 }, (_, i) => {
        const run = attempt(openid, 10_000 + a * 200 + i);
        return async () => ({ openid, res: await run() });
      });
      outcomes.push(...(await pool(tasks, 50)));
    }

    for (const openid of accounts) {
      const mine = outcomes.filter((o) => o.openid === openid).map((o) => o.res);
      const made = mine.flatMap((r) => (r.ok ? [r.data.id] : []));
      const refusals = new Set(mine.flatMap((r) => (r.ok ? [] : [r.error.code])));
      // Numbers are plentiful (5 × 3 of 250): every account reaches its limit, and no further.
      expect({ openid, made: new Set(made).size }).toEqual({ openid, made: 3 });
      expect(
        [...refusals].filter((c) => c !== 'BOOKING.ACCOUNT_LIMIT' && c !== 'SYSTEM.BUSY'),
      ).toEqual([]);
    }
    const all = await rows();
    for (const openid of accounts) {
      const active = all.filter((r) => r.openid === openid && ACTIVE.includes(r.status));
      expect({ openid, active: active.length }).toEqual({ openid, active: 3 });
      expect(new Set(active.map((r) => r.accountKey)).size).toBe(3);
    }
  });

  it('gives a finished booking’s slot back when the account books again, to no more than the limit', async () => {
    const openid = 'o-limit-reuse';
    const made: Booking[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await attempt(openid, 20_000 + i)();
      if (!res.ok) throw new Error(`arranging failed: ${res.error.code}`);
      made.push(res.data);
    }
    // The window served one and the sweep marked one a no-show (as their writes leave them).
    const [served, noShow] = made as [Booking, Booking, Booking];
    // Written again when an injected fault hits it (setting a status twice changes nothing).
    for (let attempt = 1; ; attempt += 1) {
      try {
        await db.run(
          async (c, args) => {
            const bookings = c.database().collection('bookings');
            await bookings.doc(args.served).update({ data: { status: 'served' } });
            await bookings.doc(args.noShow).update({ data: { status: 'no_show' } });
          },
          { served: served.id, noShow: noShow.id },
        );
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }

    // 30 attempts at once: the two slots come back, exactly two more bookings.
    const outcomes = await pool(
      Array.from({ length: 30 }, (_, i) => attempt(openid, 20_100 + i)),
      30,
    );
    expect(outcomes.filter((r) => r.ok)).toHaveLength(2);
    const all = (await rows()).filter((r) => r.openid === openid);
    expect(all.filter((r) => ACTIVE.includes(r.status))).toHaveLength(3);
    const finished = all.filter((r) => r._id === served.id || r._id === noShow.id);
    expect(finished.map((r) => r.accountKey).sort()).toEqual(
      [`released:${noShow.id}`, `released:${served.id}`].sort(),
    );
    expect(await ok(cloud, openid, 'standing', {})).toMatchObject({ activeCount: 3 });
  });
});
