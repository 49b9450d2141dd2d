/**
 * R13 reminders through the real `reminders` function and its timer trigger on the local cloud, with the
 * seeded configuration (template `local-booking-reminder`, 18:00 China time the day before). The test
 * machine runs TZ=UTC; the local cloud's clock is moved to China wall-clock instants, which fires the
 * functions' timers; messages land in the local cloud's subscribe-message outbox.
 */
import type { BookingApi } from '../../typings/api';
import { ok, person, SERVICE } from './support/booking';
import {
  callFunction,
  chinaTime,
  clearOutbox,
  docs,
  outbox,
  runJob,
  setClock,
  subscribe,
} from '../../local-cloud/client';
import { configure } from './support/jobs';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(60_000);

const TEMPLATE = 'local-booking-reminder';

const { cloud, db } = useLocalCloud({ empty: ['bookings'] });

beforeEach(async () => {
  await clearOutbox(cloud);
  // Tuesday 2026-12-01, 10:00 China time; no timer side effects while setting the scene.
  await setClock(cloud, chinaTime('2026-12-01T10:00:00'), { fireTriggers: false });
});

let seq = 0;

/** Books for `openid` (person `n`), with the reminder consent asked; `consents` granted beforehand. */
async function bookFor(
  openid: string,
  n: number,
  date: string,
  options: {
    subscribed?: boolean;
    consents?: number;
    category?: 'commercial';
    periodId?: string;
  } = {},
): Promise<BookingApi['book']['res']> {
  for (let i = 0; i < (options.consents ?? 1); i += 1) await subscribe(cloud, openid, TEMPLATE);
  return ok(cloud, openid, 'book', {
    serviceId: SERVICE,
    date,
    ...(options.periodId === undefined ? {} : { periodId: options.periodId }),
    person: person(n, options.category ? { category: options.category } : {}),
    requestId: `rem-${process.pid}-${(seq += 1)}`,
    subscribed: options.subscribed ?? true,
  });
}

async function reminderOf(openid: string, bookingId: string): Promise<string> {
  return (await ok(cloud, openid, 'detail', { bookingId })).reminder;
}

interface Stored {
  _id: string;
  reminder: { state: string; attempts?: number; error?: { code: string } };
}

async function stored(id: string): Promise<Stored['reminder'] | undefined> {
  return (await docs<Stored>(db, 'bookings', { _id: id })).at(0)?.reminder;
}

describe('R13 the reminder goes out at 18:00 China time the day before, once', () => {
  it('nothing at 17:59, the due reminder at 18:00 with number, time, place and materials, nothing more at 18:01', async () => {
    const due = await bookFor('o-r1-due', 1, '2026-12-02', { category: 'commercial' });
    const dayAfter = await bookFor('o-r1-later', 2, '2026-12-03');
    const refused = await bookFor('o-r1-noconsent', 3, '2026-12-02', { consents: 0 });
    // Consent granted but the booking said no: never sent.
    const declined = await bookFor('o-r1-declined', 4, '2026-12-02', { subscribed: false });

    await setClock(cloud, chinaTime('2026-12-01T17:59:00'));
    expect(await outbox(cloud)).toEqual([]);
    expect(await reminderOf('o-r1-due', due.id)).toBe('pending');

    const fired = await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    expect(fired.fired).toContainEqual(
      expect.objectContaining({ function: 'reminders', ok: true }),
    );
    expect(await outbox(cloud)).toEqual([
      {
        msgid: expect.any(String),
        touser: 'o-r1-due',
        templateId: TEMPLATE,
        page: `pages/booking-detail/index?id=${due.id}`,
        miniprogramState: 'formal',
        lang: 'zh_CN',
        data: {
          character_string1: { value: due.number },
          time2: { value: `2026年12月2日 ${due.period.start}~${due.period.end}` },
          thing3: { value: '思明交警大队' },
          thing4: { value: '请携带身份证、驾驶证、行驶证等6项材料' },
        },
        sentAt: expect.any(Number),
        function: 'reminders',
      },
    ]);
    const sentAt = (await outbox(cloud)).at(0)?.sentAt ?? 0;
    expect(sentAt - chinaTime('2026-12-01T18:00:00')).toBeLessThan(5_000);
    expect([
      await reminderOf('o-r1-due', due.id),
      await reminderOf('o-r1-later', dayAfter.id),
      await reminderOf('o-r1-noconsent', refused.id),
      await reminderOf('o-r1-declined', declined.id),
    ]).toEqual(['sent', 'pending', 'not_subscribed', 'not_subscribed']);
    // The booking without consent was tried once: 43101, recorded, never retried.
    expect(await stored(refused.id)).toMatchObject({ attempts: 1, error: { code: '43101' } });

    await setClock(cloud, chinaTime('2026-12-01T18:01:00'));
    expect(await outbox(cloud)).toHaveLength(1);
    expect(await stored(refused.id)).toMatchObject({ attempts: 1 });

    // The next evening, the next day's.
    await setClock(cloud, chinaTime('2026-12-02T18:00:00'));
    expect((await outbox(cloud)).map((m) => m.touser)).toEqual(['o-r1-due', 'o-r1-later']);
  });

  it('sends none for a cancelled booking nor for the old slot of a rescheduled one; the new slot gets its own', async () => {
    const cancelled = await bookFor('o-r2-cancel', 11, '2026-12-02');
    await ok(cloud, 'o-r2-cancel', 'cancel', { bookingId: cancelled.id });
    const moved = await bookFor('o-r2-move', 12, '2026-12-02');
    const replacement = await ok(cloud, 'o-r2-move', 'reschedule', {
      bookingId: moved.id,
      date: '2026-12-03',
    });
    expect(replacement.reminder).toBe('pending');

    await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    expect(await outbox(cloud)).toEqual([]);
    await setClock(cloud, chinaTime('2026-12-02T18:00:00'));
    expect((await outbox(cloud)).map((m) => [m.touser, m.page])).toEqual([
      ['o-r2-move', `pages/booking-detail/index?id=${replacement.id}`],
    ]);
  });

  it('reminds a booking made after 18:00 for tomorrow at the next run', async () => {
    await setClock(cloud, chinaTime('2026-12-01T20:00:10'), { fireTriggers: false });
    const late = await bookFor('o-r3-late', 21, '2026-12-02');
    await setClock(cloud, chinaTime('2026-12-01T20:01:00'));
    expect((await outbox(cloud)).map((m) => m.touser)).toEqual(['o-r3-late']);
    expect(await reminderOf('o-r3-late', late.id)).toBe('sent');
  });

  it('quiet hours: booked at 23:00 for tomorrow, reminded at 07:30, not at 23:01 (issue 12)', async () => {
    await setClock(cloud, chinaTime('2026-12-01T23:00:00'), { fireTriggers: false });
    const night = await bookFor('o-r9-night', 71, '2026-12-02');
    const fired = await setClock(cloud, chinaTime('2026-12-01T23:01:00'));
    expect(fired.fired).toContainEqual(
      expect.objectContaining({ function: 'reminders', ok: true }),
    );
    expect(await runJob(cloud, 'reminders')).toMatchObject({
      ok: true,
      sent: 0,
      skipped: 'QUIET_HOURS',
    });
    await setClock(cloud, chinaTime('2026-12-02T07:29:00'));
    expect([await outbox(cloud), await reminderOf('o-r9-night', night.id)]).toEqual([
      [],
      'pending',
    ]);
    await setClock(cloud, chinaTime('2026-12-02T07:30:00'));
    expect((await outbox(cloud)).map((m) => m.touser)).toEqual(['o-r9-night']);
  });

  it('quiet hours are a setting; a reminder whose period starts before they end is never sent', async () => {
    await configure(db, 'settings', 'global', { quietHours: { from: '21:00', to: '09:30' } });
    try {
      await setClock(cloud, chinaTime('2026-12-01T22:00:00'), { fireTriggers: false });
      const morning = await bookFor('o-r10-am', 72, '2026-12-02', { periodId: 'am1' });
      const afternoon = await bookFor('o-r10-pm', 73, '2026-12-02', { periodId: 'pm1' });
      await setClock(cloud, chinaTime('2026-12-02T09:29:00'));
      expect(await outbox(cloud)).toEqual([]);
      await setClock(cloud, chinaTime('2026-12-02T09:30:00'));
      expect((await outbox(cloud)).map((m) => m.touser)).toEqual(['o-r10-pm']);
      expect([
        await reminderOf('o-r10-am', morning.id),
        await reminderOf('o-r10-pm', afternoon.id),
      ]).toEqual(['failed', 'sent']);
      expect(await stored(morning.id)).toMatchObject({ error: { code: 'EXPIRED' } });
    } finally {
      await configure(db, 'settings', 'global', { quietHours: { from: '21:00', to: '07:30' } });
    }
  });

  it('never sends late: once the period has started without a reminder (the job was down), it is failed', async () => {
    const missed = await bookFor('o-r4-missed', 31, '2026-12-02');
    await setClock(cloud, chinaTime('2026-12-02T09:00:30'), { fireTriggers: false });
    await runJob(cloud, 'reminders');
    expect(await outbox(cloud)).toEqual([]);
    expect(await reminderOf('o-r4-missed', missed.id)).toBe('failed');
    expect(await stored(missed.id)).toMatchObject({ error: { code: 'EXPIRED' } });
  });

  it('refuses to run for a citizen: the mini program cannot call a job', async () => {
    await bookFor('o-r5', 41, '2026-12-02');
    await setClock(cloud, chinaTime('2026-12-01T18:00:30'), { fireTriggers: false });
    const outcome = await callFunction(cloud, 'reminders', {}, 'o-r5');
    expect(outcome).toEqual({ result: { ok: false, error: 'FORBIDDEN' } });
    expect(await outbox(cloud)).toEqual([]);
  });
});

describe('R13 configuration: template ids and field mapping are data', () => {
  const seeded = {
    id: TEMPLATE,
    fields: { number: 'character_string1', time: 'time2', place: 'thing3', hint: 'thing4' },
    page: 'pages/booking-detail/index',
  };

  afterEach(async () => {
    await configure(db, 'settings', 'global', { templates: { reminder: seeded } });
    await configure(db, 'offices', 'siming', { name: '思明交警大队' });
  });

  /**
   * 18:00's run, late by 15 s more in each test: functions keep configuration for 10 s of emulated time,
   * and these tests rewind the clock to the same evening, so each run must come after the previous
   * test's cache expired.
   */
  let late = 0;
  const eveningRun = () => {
    late += 15;
    return setClock(cloud, chinaTime('2026-12-01T18:00:00') + late * 1000);
  };

  it('serves the template ids to the mini program in the catalogue', async () => {
    const { templates } = await ok(cloud, 'o-r6', 'catalogue', {});
    expect(templates).toEqual({
      reminder: 'local-booking-reminder',
      slotsReleased: 'local-slots-released',
      bookingChanged: 'local-booking-changed',
    });
  });

  it('cuts a value to its key type’s limit before sending (a 20-character thing)', async () => {
    await configure(db, 'offices', 'siming', {
      name: '厦门市公安局交通警察支队思明大队车管业务窗口办理大厅',
    });
    await bookFor('o-r7', 51, '2026-12-02');
    await eveningRun();
    const place = (await outbox(cloud)).at(0)?.data.thing3?.value ?? '';
    expect([place.length, place]).toEqual([20, '厦门市公安局交通警察支队思明大队车管业…']);
  });

  it.each([
    ['an unknown template id (40037)', { ...seeded, id: 'no-such-template' }, '40037'],
    [
      'a value of the wrong format for its key (47003)',
      { ...seeded, fields: { ...seeded.fields, number: 'time2', time: 'character_string1' } },
      '47003',
    ],
    [
      'a key left without a value (47003)',
      { ...seeded, fields: { number: 'character_string1', time: 'time2', place: 'thing3' } },
      '47003',
    ],
  ])('records %s on the booking as failed and never retries it', async (_label, template, code) => {
    await configure(db, 'settings', 'global', { templates: { reminder: template } });
    const openid = `o-r8-${code}-${seq}`;
    const b = await bookFor(openid, 61 + seq, '2026-12-02');
    await eveningRun();
    await setClock(cloud, chinaTime('2026-12-01T18:30:00'));
    expect(await outbox(cloud)).toEqual([]);
    expect(await stored(b.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code },
    });
    expect(await reminderOf(openid, b.id)).toBe('failed');
  });
});
