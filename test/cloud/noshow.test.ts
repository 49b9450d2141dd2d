/**
 * R10 no-shows and suspension through the real `noshow-sweep` function and its hourly timer on the local
 * cloud, bookings made through the real `booking` function, and an administrator's lift
 * (server/admin/lift-suspension.ts) run in this process against the same database. The machine runs TZ=UTC;
 * months and days are China ones.
 */
import type { BookingApi } from '../../typings/api';
import { Db } from '../../server/store/db';
import { cloud as wx } from '../../server/shared/cloud';
import { liftSuspension, LiftError } from '../../server/admin/lift-suspension';
import { call, ok, person, SERVICE } from './support/booking';
import { chinaTime, docs, patch, removeAll, runJob, setClock } from '../../local-cloud/client';
import { configure } from './support/jobs';
import { useLocalCloud } from './support/local-cloud';
import { nth } from '../support/nth';

jest.setTimeout(90_000);

const { cloud, db } = useLocalCloud({
  // This process talks to the same local cloud as a function would (for liftSuspension).
  inProcess: true,
  empty: ['bookings', 'persons', 'accounts'],
});

let seq = 0;

async function book(
  openid: string,
  n: number,
  date: string,
  periodId?: string,
): Promise<BookingApi['book']['res']> {
  return ok(cloud, openid, 'book', {
    serviceId: SERVICE,
    date,
    ...(periodId ? { periodId } : {}),
    person: person(n),
    requestId: `ns-${process.pid}-${(seq += 1)}`,
  });
}

interface Person {
  _id: string;
  noShows: number[];
  noShowBookings?: string[];
  suspendedUntil?: number;
  liftedAt?: number;
  lifts?: { at: number; by: string; reason: string; until: number }[];
  version?: number;
}

const persons = () => docs<Person>(db, 'persons');
const statuses = async () =>
  Object.fromEntries(
    (await docs<{ _id: string; status: string }>(db, 'bookings')).map((b) => [b._id, b.status]),
  );

describe('R10 the no-show sweep', () => {
  it('after the day has ended, marks the bookings neither cancelled nor checked in, once', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const absent = await book('o-n1-a', 1, '2026-06-24');
    const cancelled = await book('o-n1-b', 2, '2026-06-24');
    await ok(cloud, 'o-n1-b', 'cancel', { bookingId: cancelled.id });
    const attended = await book('o-n1-c', 3, '2026-06-24');
    await patch(db, 'bookings', attended.id, { status: 'checked_in' });

    // 23:05 of the day itself: not over yet.
    await setClock(cloud, chinaTime('2026-06-24T23:59:00'));
    expect((await statuses())[absent.id]).toBe('booked');

    const run = await setClock(cloud, chinaTime('2026-06-25T00:05:00'));
    expect(run.fired).toContainEqual(
      expect.objectContaining({ function: 'noshow-sweep', ok: true }),
    );
    expect(await statuses()).toEqual({
      [absent.id]: 'no_show',
      [cancelled.id]: 'cancelled',
      [attended.id]: 'checked_in',
    });
    // Recorded on the person at the appointment (R10: it counts in the appointment's month).
    const recorded = await persons();
    expect(recorded).toEqual([
      expect.objectContaining({ noShows: [absent.startsAt], noShowBookings: [absent.id] }),
    ]);
    expect((await ok(cloud, 'o-n1-a', 'detail', { bookingId: absent.id })).status).toBe('no_show');

    // Idempotent: running again changes nothing.
    expect(await runJob(cloud, 'noshow-sweep')).toMatchObject({ ok: true, noShows: 0 });
    expect(await persons()).toEqual(recorded);
  });

  it('re-records nothing when a run died between the person and the booking (idempotent by booking)', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const absent = await book('o-n2', 4, '2026-06-24');
    await setClock(cloud, chinaTime('2026-06-25T00:05:00'));
    // As if the run had died after writing the person, before marking the booking.
    await patch(db, 'bookings', absent.id, { status: 'booked' });
    await runJob(cloud, 'noshow-sweep');
    expect((await statuses())[absent.id]).toBe('no_show');
    expect((await persons()).map((p) => p.noShows)).toEqual([[absent.startsAt]]);
  });
  it('records each no-show once when sweeps run at once', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const made = [];
    for (const [k, date] of ['2026-06-24', '2026-06-25', '2026-06-26'].entries()) {
      made.push(await book(`o-n3-a${k}`, 5, date));
      made.push(await book(`o-n3-b${k}`, 6, date));
    }
    await setClock(cloud, chinaTime('2026-06-27T00:00:30'), { fireTriggers: false });
    // Warm instances first, so that the sweeps below really overlap.
    await Promise.all([runJob(cloud, 'noshow-sweep'), runJob(cloud, 'noshow-sweep')]);
    await removeAll(db, ['persons']);
    for (const b of made) await patch(db, 'bookings', b.id, { status: 'booked' });
    const runs = await Promise.all([
      runJob(cloud, 'noshow-sweep'),
      runJob(cloud, 'noshow-sweep'),
      runJob(cloud, 'noshow-sweep'),
    ]);
    expect(runs.reduce((n, r) => n + Number(r.noShows), 0)).toBe(6);
    expect((await persons()).map((p) => [p.noShows.length, p.suspendedUntil]).sort()).toEqual([
      [3, chinaTime('2026-07-26T09:00:00')],
      [3, chinaTime('2026-07-26T09:00:00')],
    ]);
  });
});

describe('R10 the 3rd no-show within one China calendar month suspends for one month', () => {
  it('across accounts, catching up days the timer missed; told until when; booking again the moment it ends', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    // One person (one ID) from three WeChat accounts.
    await book('o-s1-a', 7, '2026-06-24');
    await book('o-s1-b', 7, '2026-06-25');
    const third = await book('o-s1-c', 7, '2026-06-26');
    // The timer was down for days: one run at 00:05 on the 27th sweeps all three.
    await setClock(cloud, chinaTime('2026-06-27T00:05:00'));
    const until = chinaTime('2026-07-26T09:00:00');
    expect(third.startsAt).toBe(chinaTime('2026-06-26T09:00:00'));
    expect((await persons()).map((p) => [p.noShows.length, p.suspendedUntil])).toEqual([
      [3, until],
    ]);

    await setClock(cloud, chinaTime('2026-06-29T10:00:00'), { fireTriggers: false });
    expect(await ok(cloud, 'o-s1-a', 'standing', {})).toMatchObject({
      noShowsThisMonth: 3,
      suspendedUntil: until,
    });
    // An account that booked this person before: refused, and told until when.
    const refused = await call(cloud, 'o-s1-a', 'book', {
      serviceId: SERVICE,
      date: '2026-06-30',
      person: person(7),
      requestId: `ns-${process.pid}-${(seq += 1)}`,
    });
    // Any other account: the neutral answer (R16, issue 15), nothing about the person.
    expect(
      await call(cloud, 'o-s1-new', 'book', {
        serviceId: SERVICE,
        date: '2026-06-30',
        person: person(7),
        requestId: `ns-${process.pid}-${(seq += 1)}`,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BOOKING.PERSON_UNAVAILABLE' } });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'BLACKLIST.SUSPENDED',
        field: 'person.idNumber',
        message: expect.stringContaining('至 7月26日 09:00'),
      },
    });

    // The day it ends (a Sunday): refused at 08:59, allowed from 09:00 (for Monday).
    await setClock(cloud, chinaTime('2026-07-26T08:59:00'), { fireTriggers: false });
    expect(
      await call(cloud, 'o-s1-a', 'book', {
        serviceId: SERVICE,
        date: '2026-07-27',
        person: person(7),
        requestId: `ns-${process.pid}-${(seq += 1)}`,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BLACKLIST.SUSPENDED' } });
    await setClock(cloud, chinaTime('2026-07-26T09:00:00'), { fireTriggers: false });
    expect((await book('o-s1-new', 7, '2026-07-27')).status).toBe('booked');
    expect(await ok(cloud, 'o-s1-a', 'standing', {})).not.toHaveProperty('suspendedUntil');
  });

  it('refuses a suspended person’s reschedule as it refuses their booking; cancelling stays open (issue 15 finding 5)', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    await book('o-r-a', 8, '2026-06-24');
    await book('o-r-a', 8, '2026-06-25');
    await book('o-r-a', 8, '2026-06-26');
    // Booked before the suspension: a later day, from another account.
    const later = await book('o-r-d', 8, '2026-06-29');
    await setClock(cloud, chinaTime('2026-06-27T00:05:00'));
    expect((await persons()).map((p) => p.noShows.length)).toEqual([3]);

    await setClock(cloud, chinaTime('2026-06-27T10:00:00'), { fireTriggers: false });
    const moved = await call(cloud, 'o-r-d', 'reschedule', {
      bookingId: later.id,
      date: '2026-06-30',
    });
    expect(moved).toEqual({
      ok: false,
      error: {
        code: 'BLACKLIST.SUSPENDED',
        field: 'bookingId',
        message: expect.stringContaining('至 7月26日 09:00'),
      },
    });
    expect((await statuses())[later.id]).toBe('booked');
    expect((await ok(cloud, 'o-r-d', 'cancel', { bookingId: later.id })).status).toBe('cancelled');
  });

  describe('month boundaries are China ones', () => {
    const periods = [
      { id: 'early', start: '07:00', end: '08:00', from: 1, to: 10 },
      { id: 'am1', start: '09:00', end: '10:00', from: 11, to: 20 },
    ];
    beforeAll(async () => {
      // An appointment at 07:00 China time on 1 July is still 30 June in UTC.
      await configure(db, 'services', SERVICE, { periods });
    });
    afterAll(async () => {
      const { DEFAULT_SERVICE } = await import('../../server/domain/config');
      await configure(db, 'services', SERVICE, { periods: DEFAULT_SERVICE.periods });
    });

    it('two no-shows at the end of June and one early on 1 July do not suspend; the 3rd in July does', async () => {
      await setClock(cloud, chinaTime('2026-06-28T10:00:20'), { fireTriggers: false });
      await book('o-m-a', 8, '2026-06-29', 'am1');
      await book('o-m-b', 8, '2026-06-30', 'am1');
      const first = await book('o-m-c', 8, '2026-07-01', 'early');
      expect(new Date(first.startsAt).toISOString()).toBe('2026-06-30T23:00:00.000Z');
      await setClock(cloud, chinaTime('2026-07-02T00:05:00'));
      expect((await persons()).map((p) => [p.noShows.length, p.suspendedUntil])).toEqual([
        [3, undefined],
      ]);
      expect(await ok(cloud, 'o-m-a', 'standing', {})).toEqual(
        expect.objectContaining({ noShowsThisMonth: 1 }),
      );
      expect(await ok(cloud, 'o-m-a', 'standing', {})).not.toHaveProperty('suspendedUntil');

      await setClock(cloud, chinaTime('2026-07-02T10:00:00'), { fireTriggers: false });
      await book('o-m-a', 8, '2026-07-03', 'am1');
      const third = await book('o-m-b', 8, '2026-07-06', 'am1');
      await setClock(cloud, chinaTime('2026-07-07T00:05:00'));
      expect((await persons()).map((p) => p.suspendedUntil)).toEqual([
        chinaTime('2026-08-06T09:00:00'),
      ]);
      expect(third.startsAt).toBe(chinaTime('2026-07-06T09:00:00'));
    });
  });
});

describe('R10 a suspension takes effect at once', () => {
  it('refuses a person suspended between two bookings on the same warm instance, moments apart', async () => {
    const now = chinaTime('2026-06-22T10:00:00');
    await setClock(cloud, now, { fireTriggers: false });
    await book('o-at-once', 10, '2026-06-24');
    // The sweep's write, as it leaves a suspended person (the same person key the booking holds).
    const [held] = await docs<{ personKey: string }>(db, 'bookings');
    if (!held) throw new Error('no booking');
    await db.run(
      async (c, a) => {
        await c
          .database()
          .collection('persons')
          .add({ data: { _id: a.key, noShows: [], suspendedUntil: a.until, version: 1 } });
      },
      { key: held.personKey, until: chinaTime('2026-07-22T09:00:00') },
    );
    // The emulated clock runs on from `now`: the next booking comes moments later, on the same instance.
    expect(
      await call(cloud, 'o-at-once', 'book', {
        serviceId: SERVICE,
        date: '2026-06-25',
        person: person(10),
        requestId: `ns-${process.pid}-${(seq += 1)}`,
      }),
    ).toEqual({
      ok: false,
      error: {
        code: 'BLACKLIST.SUSPENDED',
        field: 'person.idNumber',
        message: expect.stringContaining('至 7月22日 09:00'),
      },
    });
  });
});

describe('R10 an administrator lifts a suspension', () => {
  it('at once, with a reason kept on the person; earlier no-shows are forgiven', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    await book('o-l-a', 9, '2026-06-24');
    await book('o-l-b', 9, '2026-06-25');
    await book('o-l-c', 9, '2026-06-26');
    await setClock(cloud, chinaTime('2026-06-27T00:05:00'));
    const suspended = nth(await persons(), 0);
    expect(suspended.suspendedUntil).toBe(chinaTime('2026-07-26T09:00:00'));

    const now = chinaTime('2026-06-29T10:00:00');
    await setClock(cloud, now, { fireTriggers: false });
    // Refused just before the lift (the account that booked the person is told, R16).
    expect(
      await call(cloud, 'o-l-a', 'book', {
        serviceId: SERVICE,
        date: '2026-06-30',
        person: person(9),
        requestId: `ns-${process.pid}-${(seq += 1)}`,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BLACKLIST.SUSPENDED' } });
    const dbh = new Db(wx.database());
    await expect(liftSuspension(dbh, suspended._id, '  ', 'admin-1', now)).rejects.toThrow(
      LiftError,
    );
    expect(await liftSuspension(dbh, suspended._id, '当事人提供就医证明', 'admin-1', now)).toEqual({
      lifted: true,
      until: chinaTime('2026-07-26T09:00:00'),
    });
    const [lifted] = await persons();
    expect(lifted).toMatchObject({
      liftedAt: now,
      lifts: [
        {
          at: now,
          by: 'admin-1',
          reason: '当事人提供就医证明',
          until: chinaTime('2026-07-26T09:00:00'),
        },
      ],
    });
    expect(lifted).not.toHaveProperty('suspendedUntil');
    expect(await ok(cloud, 'o-l-a', 'standing', {})).toEqual(
      expect.not.objectContaining({ suspendedUntil: expect.anything() }),
    );
    expect((await ok(cloud, 'o-l-a', 'standing', {})).noShowsThisMonth).toBe(0);
    // The booking function reads the person's record with the day: the lift counts at once (R10).
    expect((await book('o-l-d', 9, '2026-06-30')).status).toBe('booked');
    expect(await liftSuspension(dbh, suspended._id, '再次解除', 'admin-1', now)).toEqual({
      lifted: false,
      reason: 'NOT_SUSPENDED',
    });
  });
});
