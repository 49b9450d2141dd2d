/**
 * R11 "notify me when numbers open" through the real `booking` function (`notify`, `notifyCancel`) and
 * the real `notify` timer function on the local cloud. The service is configured with 2 numbers a day so
 * that the whole horizon sells out quickly; the seeded factor is 2 notices per number that appears.
 */
import { call, ok, person, SERVICE } from './support/booking';
import {
  chinaTime,
  clearOutbox,
  docs,
  getClock,
  outbox,
  type OutboxMessage,
  runJob,
  setClock,
  subscribe,
} from '../../local-cloud/client';
import { configure } from './support/jobs';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(90_000);

const TEMPLATE = 'local-slots-released';
/** Open days seen on Tuesday 2026-12-01 (weekend closed). */
const OPEN = ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08'];

const { cloud, db } = useLocalCloud({
  // Latency jitter, so that concurrent runs interleave their database steps.
  extraEnv: { LOCALCLOUD_LATENCY_MS: '5-40' },
  empty: ['bookings', 'waitlist', 'notifier'],
});

const periods = (to: number) => [{ id: 'am1', start: '09:00', end: '10:00', from: 1, to }];

let minute = 0;
/**
 * Each test starts on a later minute of the same morning: functions keep configuration for 10 s of
 * emulated time, and each test changes it.
 */
beforeEach(async () => {
  await configure(db, 'services', SERVICE, { periods: periods(2) });
  await clearOutbox(cloud);
  minute += 2;
  await setClock(cloud, chinaTime('2026-12-01T10:00:00') + minute * 60_000, {
    fireTriggers: false,
  });
});

let seq = 0;

/** Books every number of the horizon; answers the bookings by date. */
async function sellOut(): Promise<Map<string, { id: string; openid: string }[]>> {
  const byDate = new Map<string, { id: string; openid: string }[]>();
  for (const date of OPEN) {
    for (let k = 0; k < 2; k += 1) {
      const openid = `o-holder-${(seq += 1)}`;
      const b = await ok(cloud, openid, 'book', {
        serviceId: SERVICE,
        date,
        person: person(500 + seq),
        requestId: `nt-${process.pid}-${seq}`,
      });
      byDate.set(date, [...(byDate.get(date) ?? []), { id: b.id, openid }]);
    }
  }
  const { days } = await ok(cloud, 'o-look', 'availability', { serviceId: SERVICE });
  expect(days.reduce((n, d) => n + d.remaining, 0)).toBe(0);
  return byDate;
}

/** The citizen grants the template's consent (`consents` times), then asks to be told. */
async function wait(openid: string, consents = 1) {
  for (let k = 0; k < consents; k += 1) await subscribe(cloud, openid, TEMPLATE);
  return ok(cloud, openid, 'notify', { serviceId: SERVICE });
}

const told = async (): Promise<string[]> => (await outbox(cloud)).map((m) => m.touser);

async function states(): Promise<Record<string, string>> {
  const rows = await docs<{ openid: string; delivery: { state: string } }>(db, 'waitlist');
  return Object.fromEntries(rows.map((r) => [r.openid, r.delivery.state]));
}

describe('R11 notify me when numbers open', () => {
  it('a cancel tells the first waiting people (2 per number), once, holding nothing for them', async () => {
    const held = await sellOut();
    await runJob(cloud, 'notify'); // the notifier has seen the sold-out horizon
    const first = await wait('o-w1');
    // Later than o-w1 however long selling out took (the clock runs on from where the test set it).
    await setClock(cloud, (await getClock(cloud)) + 5_000, { fireTriggers: false });
    await wait('o-w2');
    await wait('o-w3');
    // Asking again keeps the place in the queue.
    expect(await ok(cloud, 'o-w1', 'notify', { serviceId: SERVICE })).toEqual(first);
    expect(first).toEqual({ serviceId: SERVICE, waiting: true, since: expect.any(Number) });

    expect(await runJob(cloud, 'notify')).toMatchObject({ appeared: 0, notified: 0 });
    const freed = held.get('2026-12-03')?.[0];
    await ok(cloud, freed?.openid ?? '', 'cancel', { bookingId: freed?.id ?? '' });

    expect(await runJob(cloud, 'notify')).toMatchObject({ appeared: 1, notified: 2 });
    const messages = await outbox(cloud);
    expect(messages).toEqual(
      ['o-w1', 'o-w2'].map((touser): OutboxMessage => ({
        msgid: expect.any(String),
        touser,
        templateId: TEMPLATE,
        page: `pages/slot/index?serviceId=${SERVICE}`,
        miniprogramState: 'formal',
        lang: 'zh_CN',
        data: {
          thing1: { value: '交通违法处理' },
          date2: { value: '2026年12月3日' },
          thing3: { value: '号源有限，先到先得，请尽快预约' },
        },
        sentAt: expect.any(Number),
        function: 'notify',
      })),
    );
    expect(await states()).toEqual({ 'o-w1': 'sent', 'o-w2': 'sent', 'o-w3': 'pending' });
    // Nothing held: the number is free for anyone.
    const { days } = await ok(cloud, 'o-look', 'availability', { serviceId: SERVICE });
    expect(days.find((d) => d.date === '2026-12-03')?.remaining).toBe(1);
    // Sent once: later runs tell nobody else about the same number.
    await runJob(cloud, 'notify');
    expect(await told()).toEqual(['o-w1', 'o-w2']);
  });

  it('a raised quota tells the next in line; the timer does it within a minute', async () => {
    await sellOut();
    await runJob(cloud, 'notify');
    await wait('o-w4');
    await configure(db, 'services', SERVICE, { periods: periods(3) });
    // The quota rise is seen by the next run of the timer (every minute, at :30).
    const base = chinaTime('2026-12-01T10:00:00') + minute * 60_000;
    const fired = await setClock(cloud, base + 60_000 + 30_000);
    expect(fired.fired).toContainEqual(expect.objectContaining({ function: 'notify', ok: true }));
    expect(await told()).toEqual(['o-w4']);
  });

  it('a new day released at midnight tells the waiting at 07:30, after the quiet hours, naming that day', async () => {
    await setClock(cloud, chinaTime('2026-12-01T20:50:00') + minute * 1000, {
      fireTriggers: false,
    });
    await sellOut();
    await runJob(cloud, 'notify');
    await wait('o-w5');
    // 00:00 China time: 2026-12-09 opens with 2 numbers; the run at 00:00:30 keeps the credit, quietly.
    const midnight = await setClock(cloud, chinaTime('2026-12-02T00:00:30'));
    expect(midnight.fired).toContainEqual(
      expect.objectContaining({ function: 'notify', ok: true }),
    );
    expect(await runJob(cloud, 'notify')).toMatchObject({
      appeared: 0,
      notified: 0,
      skipped: 'QUIET_HOURS',
    });
    await setClock(cloud, chinaTime('2026-12-02T07:29:30'));
    expect(await outbox(cloud)).toEqual([]);
    await setClock(cloud, chinaTime('2026-12-02T07:30:30'));
    expect((await outbox(cloud)).map((m) => [m.touser, m.data.date2?.value])).toEqual([
      ['o-w5', '2026年12月9日'],
    ]);
  });

  it('skips a waiting citizen without consent (43101) for the next in line', async () => {
    const held = await sellOut();
    await runJob(cloud, 'notify');
    await ok(cloud, 'o-w6', 'notify', { serviceId: SERVICE }); // no consent granted
    await wait('o-w7');
    await wait('o-w8');
    const freed = held.get('2026-12-04')?.[1];
    await ok(cloud, freed?.openid ?? '', 'cancel', { bookingId: freed?.id ?? '' });
    // Credit 2: o-w6 is refused (not subscribed) and its share given back, so o-w8 is told too.
    expect(await runJob(cloud, 'notify')).toMatchObject({ notified: 2, notSubscribed: 1 });
    expect(await states()).toEqual({ 'o-w6': 'not_subscribed', 'o-w7': 'sent', 'o-w8': 'sent' });
    expect(await told()).toEqual(['o-w7', 'o-w8']);
  });

  it('notifyCancel takes the citizen out of the queue; notify puts them back at its end', async () => {
    const held = await sellOut();
    await runJob(cloud, 'notify');
    await wait('o-w9');
    // The registration is shown (home, mine, slot), so it can be withdrawn (issue 12 finding 9).
    expect(await ok(cloud, 'o-w9', 'notifyState', { serviceId: SERVICE })).toEqual({
      serviceId: SERVICE,
      waiting: true,
      since: expect.any(Number),
    });
    expect(await ok(cloud, 'o-w9-none', 'notifyState', { serviceId: SERVICE })).toEqual({
      serviceId: SERVICE,
      waiting: false,
    });
    expect(await ok(cloud, 'o-w9', 'notifyCancel', { serviceId: SERVICE })).toEqual({
      serviceId: SERVICE,
      waiting: false,
    });
    const freed = held.get('2026-12-07')?.[0];
    await ok(cloud, freed?.openid ?? '', 'cancel', { bookingId: freed?.id ?? '' });
    await runJob(cloud, 'notify');
    expect(await told()).toEqual([]);
    expect(await states()).toEqual({ 'o-w9': 'cancelled' });
    expect(await ok(cloud, 'o-w9', 'notifyState', { serviceId: SERVICE })).toMatchObject({
      waiting: false,
    });
    // Sold out again: waiting is allowed again.
    await ok(cloud, 'o-w9-other', 'book', {
      serviceId: SERVICE,
      date: '2026-12-07',
      person: person(900),
      requestId: `nt-${process.pid}-again`,
    });
    expect(await ok(cloud, 'o-w9', 'notify', { serviceId: SERVICE })).toMatchObject({
      waiting: true,
    });
  });

  it('runs at once never tell more people than the numbers times the factor', async () => {
    const held = await sellOut();
    // Three warm instances, so that the runs below really overlap.
    await Promise.all([runJob(cloud, 'notify'), runJob(cloud, 'notify'), runJob(cloud, 'notify')]);
    // Two consents each: a second notice to anyone would be delivered, and seen.
    for (let k = 0; k < 6; k += 1) await wait(`o-many-${k}`, 2);
    const freed = held.get('2026-12-08')?.[0];
    await ok(cloud, freed?.openid ?? '', 'cancel', { bookingId: freed?.id ?? '' });
    // Seen inside quiet hours (set to cover now): the service holds a credit of 2 notices, unspent.
    await configure(db, 'settings', 'global', { quietHours: { from: '00:00', to: '23:59' } });
    await setClock(cloud, (await getClock(cloud)) + 15_000, { fireTriggers: false });
    expect(await runJob(cloud, 'notify')).toMatchObject({ appeared: 1, notified: 0 });
    await configure(db, 'settings', 'global', { quietHours: { from: '21:00', to: '07:30' } });
    await setClock(cloud, (await getClock(cloud)) + 15_000, { fireTriggers: false });
    // Every run sees the credit; only what each reserved first may be spent.
    await Promise.all([runJob(cloud, 'notify'), runJob(cloud, 'notify'), runJob(cloud, 'notify')]);
    await runJob(cloud, 'notify');
    const messages = await told();
    expect([messages.length, new Set(messages).size]).toEqual([2, 2]);
    expect(messages.sort()).toEqual(['o-many-0', 'o-many-1']);
  });

  it('refuses to wait while a day has numbers, with its own code (R11, issue 12)', async () => {
    await subscribe(cloud, 'o-w12', TEMPLATE);
    expect(await call(cloud, 'o-w12', 'notify', { serviceId: SERVICE })).toEqual({
      ok: false,
      error: {
        code: 'WAITLIST.NOT_SOLD_OUT',
        message: '现在还有可预约的号，请直接选择日期预约',
        field: 'serviceId',
      },
    });
    expect(await states()).toEqual({});
  });

  it('refuses an unknown service', async () => {
    const res = await ok(cloud, 'o-w10', 'catalogue', {});
    expect(res.templates.slotsReleased).toBe(TEMPLATE);
    expect(await call(cloud, 'o-w10', 'notify', { serviceId: 'no-such-service' })).toMatchObject({
      ok: false,
      error: { code: 'CATALOGUE.SERVICE_NOT_FOUND' },
    });
  });

  it('notifyCancel refuses a service that is not in the catalogue, even an object-prototype name', async () => {
    const names = ['no-such-service', 'constructor', '__proto__', 'toString'];
    const answers = await Promise.all(
      names.map((serviceId) => call(cloud, 'o-w11', 'notifyCancel', { serviceId })),
    );
    expect(answers.map((a) => (a.ok ? 'ok' : `${a.error.code} ${a.error.field ?? ''}`))).toEqual(
      names.map(() => 'CATALOGUE.SERVICE_NOT_FOUND serviceId'),
    );
    expect(await states()).toEqual({});
  });
});
