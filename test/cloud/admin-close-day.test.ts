/**
 * Issue 14 through the real `admin`, `booking` and `reminders` functions on the local cloud: an unplanned
 * closure (`closeDay`) asks for confirmation when bookings exist, then cancels them as
 * `cancelled_by_office`, answers their numbers, closes the day to booking and sends the citizens who
 * granted the "booking changed" template one notice (the outbox); and the blacklist (R10): suspended
 * persons listed masked (R14), lifted with a reason, audited.
 */
import {
  chinaTime,
  clearOutbox,
  docs,
  getClock,
  outbox,
  runJob,
  setClock,
  subscribe,
} from '../../local-cloud/client';
import { useAdminCloud } from './support/admin-cloud';
import { call, ok, person, SERVICE } from './support/booking';
import { admin, adminOk } from './support/hall';

jest.setTimeout(120_000);

const CITY = 'o-close-city';
const OFFICE_ADMIN = 'o-close-office';
const NOTIFIED = 'o-close-citizen-1';
const SILENT = 'o-close-citizen-2';
const DAY = '2026-06-24';
const CHANGED = 'local-booking-changed';
const REFRESH_MS = 10_000;

const { cloud, db } = useAdminCloud({
  now: chinaTime('2026-06-22T10:00:00'),
  city: CITY,
  officeAdmins: { [OFFICE_ADMIN]: 'siming' },
});

describe('closeDay (an unplanned closure)', () => {
  it('asks first, then cancels the day’s bookings, tells who subscribed, and closes the day', async () => {
    await subscribe(cloud, NOTIFIED, CHANGED);
    const first = await ok(cloud, NOTIFIED, 'book', {
      serviceId: SERVICE,
      date: DAY,
      periodId: 'am1',
      person: person(501),
      requestId: 'close-day-first',
      changeSubscribed: true,
    });
    const second = await ok(cloud, SILENT, 'book', {
      serviceId: SERVICE,
      date: DAY,
      periodId: 'am1',
      person: person(502),
      requestId: 'close-day-second',
    });
    // Two numbers of am1 (which ones: the pick spreads bookers made close together, R4).
    const numbers = [first.number, second.number].sort();

    const bad = [
      await admin(cloud, OFFICE_ADMIN, 'closeDay', { serviceId: SERVICE, date: DAY, reason: '停' }),
      await admin(cloud, OFFICE_ADMIN, 'closeDay', {
        serviceId: SERVICE,
        date: '2026-06-21',
        reason: '系统维护',
      }),
    ];
    expect(bad.map((r) => (r.ok ? 'ok' : `${r.error.code} ${r.error.field ?? ''}`))).toEqual([
      'ADMIN.REASON_INVALID reason',
      'ADMIN.CLOSE_PAST date',
    ]);

    const asked = await adminOk(cloud, OFFICE_ADMIN, 'closeDay', {
      serviceId: SERVICE,
      date: DAY,
      reason: '系统维护',
    });
    expect(asked).toEqual({ closed: false, needsConfirmation: true, numbers });
    expect((await ok(cloud, NOTIFIED, 'detail', { bookingId: first.id })).status).toBe('booked');

    const done = await adminOk(cloud, OFFICE_ADMIN, 'closeDay', {
      serviceId: SERVICE,
      date: DAY,
      reason: '系统维护',
      confirm: true,
    });
    expect(done).toEqual({ closed: true, needsConfirmation: false, numbers });
    expect((await ok(cloud, NOTIFIED, 'detail', { bookingId: first.id })).status).toBe(
      'cancelled_by_office',
    );
    expect((await ok(cloud, SILENT, 'detail', { bookingId: second.id })).status).toBe(
      'cancelled_by_office',
    );

    await clearOutbox(cloud);
    const run = await runJob(cloud, 'reminders');
    expect(run).toMatchObject({ changeNotices: { sent: 1, notSubscribed: 0 } });
    expect(
      (await outbox(cloud)).map((m) => ({ to: m.touser, t: m.templateId, data: m.data })),
    ).toEqual([
      {
        to: NOTIFIED,
        t: CHANGED,
        data: {
          character_string1: { value: first.number },
          time2: { value: '2026年6月24日 09:00~10:00' },
          thing3: { value: '系统维护' },
          thing4: { value: '该日停办，预约已取消，请另约时间' },
        },
      },
    ]);
    // Exactly once: the next minute's run sends nothing more.
    await runJob(cloud, 'reminders');
    expect(await outbox(cloud)).toHaveLength(1);

    await setClock(cloud, (await getClock(cloud)) + REFRESH_MS, { fireTriggers: false });
    const { days } = await ok(cloud, 'o-close-reader', 'availability', { serviceId: SERVICE });
    expect(days.find((d) => d.date === DAY)).toMatchObject({ open: false, closedReason: 'closed' });
    const refused = await call(cloud, 'o-close-late', 'book', {
      serviceId: SERVICE,
      date: DAY,
      person: person(503),
      requestId: 'close-day-late',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CALENDAR.CLOSED' } });
    // Idempotent: closing again finds nothing more to cancel.
    expect(
      await adminOk(cloud, CITY, 'closeDay', {
        serviceId: SERVICE,
        date: DAY,
        reason: '系统维护',
        confirm: true,
      }),
    ).toEqual({ closed: true, needsConfirmation: false, numbers: [] });
    expect(await docs(db, 'audit', { action: 'closeDay' })).toEqual([
      expect.objectContaining({
        by: OFFICE_ADMIN,
        target: { serviceId: SERVICE, date: DAY, reason: '系统维护' },
      }),
    ]);
  });
});

describe('R10 the blacklist', () => {
  it('lists suspended persons masked and lifts one with a reason, audited', async () => {
    const [booking] = await docs<{ personKey: string }>(db, 'bookings', { openid: SILENT });
    if (!booking) throw new Error('booking missing');
    const now = await getClock(cloud);
    const until = chinaTime('2026-07-20T00:00:00');
    await db.run(
      async (c, a) => {
        await c
          .database()
          .collection('persons')
          .add({
            data: {
              _id: a.key,
              noShows: [a.now - 3e8, a.now - 2e8, a.now - 1e8],
              suspendedUntil: a.until,
              version: 1,
            },
          });
      },
      { key: booking.personKey, now, until },
    );
    const listed = await adminOk(cloud, OFFICE_ADMIN, 'listSuspensions', {});
    expect(listed.suspensions).toEqual([
      {
        personRef: booking.personKey,
        // person(n)'s name is 测试用户 (test/cloud/support/booking.ts), masked as the staff see it.
        name: '测**户',
        idMasked: expect.stringMatching(/^\d{3,6}\*+[\dX]{2,4}$/),
        phoneMasked: expect.stringMatching(/^138\*+\d{4}$/),
        suspendedUntil: until,
        noShowsThisMonth: expect.any(Number),
        lifts: 0,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(person(502).idNumber);

    const short = await admin(cloud, CITY, 'liftSuspension', {
      personRef: booking.personKey,
      reason: ' ',
    });
    expect(short).toMatchObject({ ok: false, error: { code: 'ADMIN.REASON_INVALID' } });
    expect(
      await adminOk(cloud, CITY, 'liftSuspension', {
        personRef: booking.personKey,
        reason: '系统误判，已核实到场',
      }),
    ).toEqual({ lifted: true, until });
    expect((await adminOk(cloud, CITY, 'listSuspensions', {})).suspensions).toEqual([]);
    expect(
      await adminOk(cloud, CITY, 'liftSuspension', {
        personRef: booking.personKey,
        reason: '再次',
      }),
    ).toEqual({ lifted: false });
    expect(await docs(db, 'audit', { action: 'liftSuspension' })).toEqual([
      expect.objectContaining({
        by: CITY,
        target: { personRef: booking.personKey, reason: '系统误判，已核实到场' },
      }),
    ]);
  });
});
