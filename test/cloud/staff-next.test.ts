/**
 * Two windows pressing `next` at once never get the same citizen (issue 13): four windows call a queue of
 * checked-in citizens concurrently through the real `staff` function, with the local cloud's latency
 * jitter on (each database request waits 5–40 ms, reordering the windows' reads and writes).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { QueueRow } from '../../typings/staff';
import { chinaTime, docs, ROOT, setClock } from '../../local-cloud/client';
import { ok, person, SERVICE } from './support/booking';
import { adminOk, staff, staffOk } from './support/hall';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(180_000);

const { cloud, db } = useLocalCloud({
  extraEnv: { LOCALCLOUD_LATENCY_MS: '5-40' },
  now: chinaTime('2026-06-22T10:00:00'),
});

const CITY = 'o-next-city';
const WINDOWS = ['o-window-1', 'o-window-2', 'o-window-3', 'o-window-4'];
const DAY = '2026-06-24';

beforeAll(async () => {
  // The first administrator as a developer makes them: `npm run -s admin -- bootstrap <openid>` after
  // `eval "$(npm run -s local-cloud:env)"` (bootstrap's code, entered as that account), then a grant as
  // that administrator; bootstrap once more (no account named): closed now.
  const script = (args: string[]) => {
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'admin.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, ...cloud.env } },
    );
    return { status: res.status, out: JSON.parse(res.stdout.toString() || 'null') as unknown };
  };
  const boot = script(['bootstrap', CITY]);
  const grant = script([
    'grantRole',
    JSON.stringify({ openid: WINDOWS[0], role: 'staff', officeId: 'siming' }),
    '--as',
    CITY,
  ]);
  const again = script(['bootstrap']);
  expect(boot).toEqual({
    status: 0,
    out: { ok: true, data: expect.objectContaining({ roles: [{ role: 'city_admin' }] }) },
  });
  expect(again).toMatchObject({
    status: 1,
    out: { ok: false, error: { code: 'ADMIN.ALREADY_BOOTSTRAPPED' } },
  });
  expect(grant).toMatchObject({ status: 0, out: { ok: true } });
  for (const w of WINDOWS.slice(1))
    await adminOk(cloud, CITY, 'grantRole', { openid: w, role: 'staff', officeId: 'siming' });
});

/** Each window presses `next` until the queue is empty; answers what each window called. */
async function callAll(): Promise<string[][]> {
  return Promise.all(
    WINDOWS.map(async (openid, i) => {
      const called: string[] = [];
      for (;;) {
        const res = await staff(cloud, openid, 'next', {
          serviceId: SERVICE,
          window: `${i + 1}号窗口`,
        });
        if (!res.ok) {
          if (res.error.code === 'QUEUE.EMPTY') return called;
          throw new Error(`next refused: ${res.error.code}`);
        }
        called.push(res.data.id);
      }
    }),
  );
}

describe('next, pressed by four windows at once', () => {
  it('calls every checked-in citizen exactly once, in no window twice', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 20; n += 1) {
      const b = await ok(cloud, `o-next-citizen-${n}`, 'book', {
        serviceId: SERVICE,
        date: DAY,
        periodId: n < 10 ? 'am1' : 'am2',
        person: person(600 + n),
        requestId: `next-${process.pid}-${n}`,
      });
      ids.push(b.id);
    }
    await setClock(cloud, chinaTime(`${DAY}T09:10:00`), { fireTriggers: false });
    const passes = await docs<{ passToken: string }>(db, 'bookings', { date: DAY });
    for (const { passToken } of passes) await staffOk(cloud, CITY, 'checkIn', { passToken });

    // Every window's instance warm first, so the race is between windows, not against cold starts.
    await Promise.all(WINDOWS.map((w) => staffOk(cloud, w, 'me', {})));
    const byWindow = await callAll();
    const called = byWindow.flat();
    const rows = await docs<{
      _id: string;
      status: string;
      callCount: number;
      history: QueueRow[];
    }>(db, 'bookings', { date: DAY });
    // Nobody called twice, nobody left out; every booking called once, by one window.
    expect([...called].sort()).toEqual([...ids].sort());
    expect(new Set(called).size).toBe(called.length);
    expect(rows.map((r) => [r.status, r.callCount]).sort()).toEqual(ids.map(() => ['called', 1]));
    // More than one window got citizens: the race was real.
    expect(byWindow.filter((w) => w.length > 0).length).toBeGreaterThan(1);
  });
});
