/**
 * The emulated clock as functions see it, and timer triggers firing at China time (UTC+8) whatever the
 * local cloud's TZ, on clock jumps and as real time passes. The `ticker` fixture (cron `0 0 18 * * * *`)
 * reports each run through the subscribe-message outbox. With a data directory the clock is kept with the
 * data across restarts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  callFunction,
  chinaTime,
  postJson,
  runJob,
  getClock,
  type LocalCloud,
  outbox,
  setClock,
  startLocalCloud,
  subscribe,
} from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';

jest.setTimeout(90_000);

const OBSERVER = 'timer-observer';
const TEMPLATE = 'local-slots-released';

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the clock functions see', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } });
  });

  afterAll(async () => {
    await cloud.stop();
  });

  it('follows real time until set', async () => {
    const before = Date.now();
    const now = await getClock(cloud);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThan(Date.now() + 1000);
  });

  it('is pinned by POST /clock and keeps running from there, in Date.now(), new Date() and Date()', async () => {
    const pinned = chinaTime('2027-02-10T08:30:00');
    const answer = await setClock(cloud, pinned, { fireTriggers: false });
    expect(answer).toMatchObject({ shifted: true, fired: [] });
    expect(answer.iso).toMatch(/^2027-02-10T00:30:0\d\.\d{3}Z$/);
    const outcome = await callFunction(cloud, 'echo', {});
    const seen = (
      outcome as {
        result: { now: number; newDate: number; dateString: string; offsetMinutes: number };
      }
    ).result;
    expect(seen.now).toBeGreaterThanOrEqual(pinned);
    expect(seen.now).toBeLessThan(pinned + 10_000);
    expect(seen.newDate).toBeGreaterThanOrEqual(seen.now);
    // Functions run in UTC, as on the platform (R3), whatever the machine's zone.
    expect(seen.offsetMinutes).toBe(0);
    expect(seen.dateString).toMatch(/^Wed Feb 10 2027 00:3\d:\d\d GMT\+0000/);
    expect(await getClock(cloud)).toBeGreaterThanOrEqual(seen.now);
  });

  it("behaves as Node's own Date in everything but the clock (the platform's Date)", async () => {
    // The fixture's checks, run here against this process's real Date: what a function on the platform gets.
    const fixture = (await import(path.join(FIXTURE_FUNCTIONS, 'dates', 'index.js'))) as {
      behaviour: (d: DateConstructor) => Record<string, unknown>;
    };
    const platform = fixture.behaviour(Date);
    const pinned = chinaTime('2027-03-01T09:00:00');
    await setClock(cloud, pinned, { fireTriggers: false });
    const outcome = await callFunction(cloud, 'dates', {});
    const seen = (outcome as { result: Record<string, unknown> & { behaviour: unknown } }).result;
    expect(seen.behaviour).toEqual(platform);
    // Every way of asking the time reads the emulated clock: Date.now(), new Date(), Date(x), a
    // subclass and Reflect.construct.
    for (const key of ['now', 'newDate', 'subNow', 'reflectNow']) {
      expect([key, seen[key]]).toEqual([key, expect.any(Number)]);
      expect(seen[key]).toBeGreaterThanOrEqual(pinned);
      expect(seen[key]).toBeLessThan(pinned + 10_000);
    }
    expect(seen.calledWithArg).toMatch(/^Mon Mar 01 2027 01:0\d:\d\d GMT\+0000/);
  });
});

describe.each(['UTC', 'America/New_York'])('timer triggers with TZ=%s', (tz) => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS, TZ: tz },
    });
  });

  afterAll(async () => {
    await cloud.stop();
  });

  it('fire at 18:00 China time, once per occurrence, with no OPENID and the emulated time', async () => {
    await setClock(cloud, chinaTime('2026-12-01T17:59:59'), { fireTriggers: false });
    await subscribe(cloud, OBSERVER, TEMPLATE);
    await subscribe(cloud, OBSERVER, TEMPLATE);

    // One second short of 18:00 China time (10:00 UTC, 05:00 in New York) nothing is due.
    expect((await setClock(cloud, chinaTime('2026-12-01T17:59:59.500'))).fired).toEqual([]);

    const at18 = await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    expect(at18.fired).toEqual([
      {
        function: 'ticker',
        trigger: 'evening',
        scheduledAt: chinaTime('2026-12-01T18:00:00'),
        ok: true,
      },
    ]);
    // Already fired: a later jump within the same minute fires nothing.
    expect((await setClock(cloud, chinaTime('2026-12-01T18:00:30'))).fired).toEqual([]);

    const messages = await outbox(cloud);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      touser: OBSERVER,
      function: 'ticker',
      data: {
        thing1: { value: 'evening' },
        // Computed inside the function from Date.now(): the emulated China day.
        date2: { value: '2026-12-01' },
        // The SCF timer event's Time is the occurrence in UTC.
        thing3: { value: '2026-12-01T10:00:00Z' },
      },
    });
    expect(messages[0]?.sentAt).toBeGreaterThanOrEqual(chinaTime('2026-12-01T18:00:00'));
  });

  it('fire once, for the latest occurrence, when the clock jumps over several days', async () => {
    const jump = await setClock(cloud, chinaTime('2026-12-05T19:00:00'));
    expect(jump.fired).toEqual([
      {
        function: 'ticker',
        trigger: 'evening',
        scheduledAt: chinaTime('2026-12-05T18:00:00'),
        ok: true,
      },
    ]);
    const messages = await outbox(cloud);
    expect(messages.map((m) => m.data.date2?.value)).toEqual(['2026-12-01', '2026-12-05']);
  });

  it('fire as real time passes while the server runs', async () => {
    await subscribe(cloud, OBSERVER, TEMPLATE);
    const before = (await outbox(cloud)).length;
    await setClock(cloud, chinaTime('2026-12-06T17:59:58.800'), { fireTriggers: false });
    const message = await waitFor(async () => {
      const all = await outbox(cloud);
      return all.length > before ? all[all.length - 1] : undefined;
    }, 15_000);
    expect(message.data.thing3).toEqual({ value: '2026-12-06T10:00:00Z' });
  });
});

describe('running a timer trigger now (POST /trigger)', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } });
  });

  afterAll(async () => {
    await cloud.stop();
  });

  it('runs it as the platform does: the SCF timer event, SOURCE wx_trigger, no OPENID', async () => {
    await setClock(cloud, chinaTime('2026-12-01T09:30:15.250'), { fireTriggers: false });
    await subscribe(cloud, OBSERVER, TEMPLATE);
    // getWXContext's SOURCE for a timer trigger is `wx_trigger` (the documented enumeration); the event
    // is SCF's "Timer 触发器的事件消息结构", its Time the occurrence (a whole second) in UTC.
    expect(await runJob(cloud, 'ticker')).toEqual({
      event: { Type: 'Timer', TriggerName: 'evening', Time: '2026-12-01T01:30:15Z', Message: '' },
      openid: null,
      source: 'wx_trigger',
    });
    // The same event sent by the mini program is not a timer run: its caller and source say so.
    await subscribe(cloud, OBSERVER, TEMPLATE);
    const forged = { Type: 'Timer', TriggerName: 'evening', Time: '2026-12-01T01:30:15Z' };
    expect(await callFunction(cloud, 'ticker', forged, 'o-alice')).toMatchObject({
      result: { openid: 'o-alice', source: 'wx_client' },
    });
  });

  it('names the trigger or refuses: an unknown one, a function without any, a missing function', async () => {
    await subscribe(cloud, OBSERVER, TEMPLATE);
    expect(
      await postJson(cloud, '/trigger', { function: 'ticker', trigger: 'evening' }),
    ).toMatchObject({ function: 'ticker', trigger: 'evening', ok: true });
    const status = async (body: unknown): Promise<number> =>
      (
        await fetch(`${cloud.url}/trigger`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    expect(
      await Promise.all([
        status({ function: 'ticker', trigger: 'morning' }),
        status({ function: 'echo' }),
        status({ function: 'nosuchfunction' }),
        status({ function: '../ticker' }),
      ]),
    ).toEqual([400, 400, 404, 400]);
  });
});

describe('the clock kept with the data', () => {
  it('goes on from the emulated time after a restart, a kill -9 included; in memory it starts at real time', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clock-kept-'));
    const options = { dataDir, extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } };
    const pinned = chinaTime('2021-03-01T09:00:00');
    try {
      const first = await startLocalCloud(options);
      await setClock(first, pinned, { fireTriggers: false });
      await first.kill9();

      const second = await startLocalCloud(options);
      const afterCrash = await getClock(second);
      // As if it had kept running meanwhile: a little after the pinned time, nowhere near today.
      expect(afterCrash - pinned).toBeGreaterThanOrEqual(0);
      expect(afterCrash - pinned).toBeLessThan(60_000);
      await setClock(second, pinned + 86_400_000, { fireTriggers: false });
      await second.stop();

      const third = await startLocalCloud(options);
      const afterStop = await getClock(third);
      await third.stop();
      expect(afterStop - (pinned + 86_400_000)).toBeGreaterThanOrEqual(0);
      expect(afterStop - (pinned + 86_400_000)).toBeLessThan(60_000);

      const inMemory = await startLocalCloud({ extraEnv: options.extraEnv });
      const fresh = await getClock(inMemory);
      await inMemory.stop();
      expect(Math.abs(fresh - Date.now())).toBeLessThan(60_000);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
