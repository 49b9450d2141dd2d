/**
 * The `booking` function through POST /callFunction on the local cloud with the seeded data, as the mini
 * program calls it. The clock is China time pinned by the local cloud; the test machine runs TZ=UTC.
 */
import type { Booking } from '../../typings/api';
import { call, ok, person, SERVICE } from './support/booking';
import { useLocalCloud } from './support/local-cloud';
import { callFunction, chinaTime, docs, setClock } from '../../local-cloud/client';

jest.setTimeout(60_000);

const { cloud, db } = useLocalCloud({ empty: ['bookings'] });

/** Every booking document in the database, raw, for asserting what was (not) written. */
const allBookings = (): Promise<Record<string, unknown>[]> => docs(db, 'bookings');

beforeEach(async () => {
  // Tuesday 2026-12-01, 10:00 China time: bookable days are Wed 12-02 … Tue 12-08, weekend closed (R2).
  await setClock(cloud, chinaTime('2026-12-01T10:00:00'));
});

let seq = 0;
const requestId = (): string => `req-${Date.now()}-${(seq += 1)}`;

describe('catalogue (R1, R7)', () => {
  it('lists the Siming brigade with its violation service, categories and their materials', async () => {
    const { offices } = await ok(cloud, 'o-cat', 'catalogue', {});
    expect(offices).toHaveLength(1);
    const office = offices.at(0);
    expect(office?.name).toBe('思明交警大队');
    const service = office?.services.at(0);
    expect(service).toMatchObject({ id: SERVICE, name: '交通违法处理', prefix: 'A' });
    expect(service?.categories.map((c) => c.name)).toEqual(['电子监控类', '营运类', '扣车类']);
    const commercial = service?.categories.find((c) => c.id === 'commercial');
    expect(commercial?.materials.map((m) => m.name)).toEqual(
      expect.arrayContaining(['身份证', '驾驶证', '行驶证', '上岗证', '从业资格证', '单位证明']),
    );
  });
});

describe('availability (R2, R3, R4)', () => {
  it('offers tomorrow to seven days ahead in China time, weekends closed, 50 numbers a day', async () => {
    const { days } = await ok(cloud, 'o-av', 'availability', { serviceId: SERVICE });
    expect(days.map((d) => [d.date, d.open, d.closedReason ?? null, d.remaining])).toEqual([
      ['2026-12-02', true, null, 50],
      ['2026-12-03', true, null, 50],
      ['2026-12-04', true, null, 50],
      ['2026-12-05', false, 'weekend', 0],
      ['2026-12-06', false, 'weekend', 0],
      ['2026-12-07', true, null, 50],
      ['2026-12-08', true, null, 50],
    ]);
    expect(days[0]?.periods.reduce((n, p) => n + p.remaining, 0)).toBe(50);
  });

  it('moves the horizon at China midnight, not at UTC midnight', async () => {
    await setClock(cloud, chinaTime('2026-12-01T23:59:00'));
    const before = await ok(cloud, 'o-av', 'availability', { serviceId: SERVICE });
    await setClock(cloud, chinaTime('2026-12-02T00:00:30'));
    const after = await ok(cloud, 'o-av', 'availability', { serviceId: SERVICE });
    expect([before.days[0]?.date, before.days.at(-1)?.date]).toEqual(['2026-12-02', '2026-12-08']);
    expect([after.days[0]?.date, after.days.at(-1)?.date]).toEqual(['2026-12-03', '2026-12-09']);
  });

  it('closes the National Day holiday and opens the make-up Saturday (2026-10-10) from the calendar', async () => {
    await setClock(cloud, chinaTime('2026-10-05T09:00:00'));
    const { days } = await ok(cloud, 'o-av', 'availability', { serviceId: SERVICE });
    expect(days.map((d) => [d.date, d.open, d.closedReason ?? null])).toEqual([
      ['2026-10-06', false, 'holiday'],
      ['2026-10-07', false, 'holiday'],
      ['2026-10-08', true, null],
      ['2026-10-09', true, null],
      ['2026-10-10', true, null],
      ['2026-10-11', false, 'weekend'],
      ['2026-10-12', true, null],
    ]);
  });

  it('counts a booked number out of its day and period', async () => {
    const booking = await ok(cloud, 'o-av2', 'book', {
      serviceId: SERVICE,
      date: '2026-12-03',
      person: person(1),
      requestId: requestId(),
    });
    const { days } = await ok(cloud, 'o-av', 'availability', { serviceId: SERVICE });
    const day = days.find((d) => d.date === '2026-12-03');
    expect(day?.remaining).toBe(49);
    expect(day?.periods.find((p) => p.id === booking.period.id)?.remaining).toBe(
      (days[0]?.periods.find((p) => p.id === booking.period.id)?.remaining ?? 0) - 1,
    );
  });
});

describe('book (R4, R5, R6, R14)', () => {
  it('gives the smallest free number with the period, office, materials and masked identity', async () => {
    const p = person(2);
    const booking = await ok(cloud, 'o-b1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: p,
      requestId: requestId(),
    });
    expect(booking).toMatchObject({
      number: 'A001',
      date: '2026-12-02',
      status: 'booked',
      serviceName: '交通违法处理',
      office: { name: '思明交警大队' },
      idMasked: `${p.idNumber.slice(0, 4)}**********${p.idNumber.slice(-4)}`,
      phoneMasked: `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`,
      category: 'surveillance',
      channel: 'wechat',
    });
    expect(booking.period.start).toMatch(/^\d{2}:\d{2}$/);
    expect(booking.startsAt).toBe(chinaTime(`2026-12-02T${booking.period.start}:00`));
    expect(booking.materials.map((m) => m.name)).toEqual(['身份证', '驾驶证', '行驶证']);
    expect(JSON.stringify(booking)).not.toContain(p.idNumber);
    expect(JSON.stringify(booking)).not.toContain(p.phone);
    // R14: the database holds neither in full either.
    const stored = JSON.stringify(await allBookings());
    expect(stored).not.toContain(p.idNumber);
    expect(stored).not.toContain(p.phone);
  });

  it('returns the same booking for a repeated requestId, never a second one', async () => {
    const req = {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(3),
      requestId: requestId(),
    };
    const [a, b] = await Promise.all([
      ok(cloud, 'o-b2', 'book', req),
      ok(cloud, 'o-b2', 'book', req),
    ]);
    const c = await ok(cloud, 'o-b2', 'book', req);
    expect([b.id, c.id]).toEqual([a.id, a.id]);
    expect(await allBookings()).toHaveLength(1);
  });

  it('allows one booking per person per service per day, whatever the account (R5)', async () => {
    const p = person(4);
    await ok(cloud, 'o-b3', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: p,
      requestId: requestId(),
    });
    const again = await call(cloud, 'o-other', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      // The same ID typed with spaces is the same person.
      person: {
        ...p,
        idNumber: `${p.idNumber.slice(0, 6)} ${p.idNumber.slice(6)}`,
        name: '另一个名字',
        phone: '13900000000',
      },
      requestId: requestId(),
    });
    // R16 (issue 15): another account is not told why — the neutral answer, not "already booked".
    expect(again).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BOOKING.PERSON_UNAVAILABLE' }),
    });
    const otherDay = await call(cloud, 'o-other', 'book', {
      serviceId: SERVICE,
      date: '2026-12-03',
      person: p,
      requestId: requestId(),
    });
    expect(otherDay.ok).toBe(true);
  });

  it('limits an account to 3 active bookings (R5)', async () => {
    const results = [];
    for (let i = 0; i < 4; i += 1) {
      results.push(
        await call(cloud, 'o-limit', 'book', {
          serviceId: SERVICE,
          date: '2026-12-02',
          person: person(100 + i),
          requestId: requestId(),
        }),
      );
    }
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'ok',
      'ok',
      'BOOKING.ACCOUNT_LIMIT',
    ]);
  });

  it('books an impounded vehicle without a plate by its VIN, masked in the answer and the database (R6, R7, R14)', async () => {
    const vin = '1M8GDM9AXKP042788';
    const { offices } = await ok(cloud, 'o-vin', 'catalogue', {});
    const categories = offices.at(0)?.services.at(0)?.categories ?? [];
    expect(categories.map((c) => [c.id, c.unplated === true])).toEqual([
      ['surveillance', false],
      ['commercial', false],
      ['impounded', true],
    ]);
    const booking = await ok(cloud, 'o-vin', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(7, { plate: '', vin: vin.toLowerCase(), category: 'impounded' }),
      requestId: requestId(),
    });
    expect([booking.plate, booking.vinMasked]).toEqual(['', '1M8**********2788']);
    expect(JSON.stringify(await allBookings())).not.toContain(vin);
    const refusals = await Promise.all(
      [
        person(8, { plate: '', vin, category: 'surveillance' }),
        person(8, { vin, category: 'impounded' }),
        person(8, { plate: '', vin: '1M8GDM9A1KP042788', category: 'impounded' }),
      ].map((p) =>
        call(cloud, 'o-vin', 'book', {
          serviceId: SERVICE,
          date: '2026-12-02',
          person: p,
          requestId: requestId(),
        }),
      ),
    );
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.error.code} ${r.error.field ?? ''}`))).toEqual([
      'IDENTITY.VIN_NOT_ALLOWED person.plate',
      'IDENTITY.VIN_AND_PLATE person.plate',
      'IDENTITY.VIN_CHECK_DIGIT person.vin',
    ]);
    expect(await allBookings()).toHaveLength(1);
  });

  it.each([
    ['today', '2026-12-01', 'CALENDAR.SAME_DAY'],
    ['a weekend', '2026-12-05', 'CALENDAR.CLOSED'],
    ['beyond the horizon', '2026-12-09', 'CALENDAR.OUT_OF_HORIZON'],
    ['the past', '2026-11-30', 'CALENDAR.OUT_OF_HORIZON'],
  ])('refuses %s (R2)', async (_what, date, code) => {
    const res = await call(cloud, 'o-date', 'book', {
      serviceId: SERVICE,
      date,
      person: person(5),
      requestId: requestId(),
    });
    expect(res).toEqual({ ok: false, error: expect.objectContaining({ code, field: 'date' }) });
    expect(await allBookings()).toHaveLength(0);
  });
});

describe('bad input gets a coded error and writes nothing', () => {
  const base = (): Record<string, unknown> => ({
    action: 'book',
    serviceId: SERVICE,
    date: '2026-12-02',
    person: person(6),
    requestId: requestId(),
  });
  const cases: [string, (b: Record<string, unknown>) => void, string, string | undefined][] = [
    ['no serviceId', (b) => delete b.serviceId, 'REQUEST.INVALID', 'serviceId'],
    ['a numeric serviceId', (b) => (b.serviceId = 42), 'REQUEST.INVALID', 'serviceId'],
    [
      'an unknown service',
      (b) => (b.serviceId = 'nope'),
      'CATALOGUE.SERVICE_NOT_FOUND',
      'serviceId',
    ],
    ['a date in another format', (b) => (b.date = '2026/12/02'), 'REQUEST.INVALID', 'date'],
    ['an unknown period', (b) => (b.periodId = 'p99'), 'QUOTA.PERIOD_NOT_FOUND', 'periodId'],
    ['a short requestId', (b) => (b.requestId = 'x'), 'REQUEST.INVALID', 'requestId'],
    [
      'an extra field naming an account',
      (b) => (b.openid = 'o-victim'),
      'REQUEST.INVALID',
      'openid',
    ],
    ['no person', (b) => delete b.person, 'REQUEST.INVALID', 'person'],
    [
      'a one-character name',
      (b) => ((b.person as Record<string, unknown>).name = '王'),
      'IDENTITY.NAME_INVALID',
      'person.name',
    ],
    [
      'a wrong check digit',
      (b) => ((b.person as Record<string, unknown>).idNumber = '350203198001010010'),
      'IDENTITY.ID_CHECK_DIGIT',
      'person.idNumber',
    ],
    [
      'a 15-digit ID',
      (b) => ((b.person as Record<string, unknown>).idNumber = '350203800101001'),
      'IDENTITY.ID_OLD_15',
      'person.idNumber',
    ],
    [
      'a landline',
      (b) => ((b.person as Record<string, unknown>).phone = '0592-1234567'),
      'IDENTITY.PHONE_INVALID',
      'person.phone',
    ],
    [
      'a bad plate',
      (b) => ((b.person as Record<string, unknown>).plate = '闽D1234'),
      'IDENTITY.PLATE_INVALID',
      'person.plate',
    ],
    [
      'an armed-police plate',
      (b) => ((b.person as Record<string, unknown>).plate = 'WJ闽12345'),
      'IDENTITY.PLATE_MILITARY',
      'person.plate',
    ],
    [
      'an unknown category',
      (b) => ((b.person as Record<string, unknown>).category = 'speeding'),
      'IDENTITY.CATEGORY_INVALID',
      'person.category',
    ],
    [
      'a huge name',
      (b) => ((b.person as Record<string, unknown>).name = '王'.repeat(5000)),
      'REQUEST.INVALID',
      'person.name',
    ],
  ];
  it.each(cases)('%s', async (_what, mutate, code, field) => {
    const body = base();
    mutate(body);
    const outcome = await callFunction(cloud, 'booking', body, 'o-bad');
    expect(outcome).toEqual({
      result: { ok: false, error: expect.objectContaining({ code, field }) },
    });
    const error = (outcome as { result: { error: { message: string } } }).result.error;
    expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await allBookings()).toHaveLength(0);
  });

  it('never sends back an unknown key it cannot vouch for: a 100 KB key, markup', async () => {
    const huge = 'k'.repeat(100_000);
    const markup = '<img src=x onerror=alert(1)>';
    const answers = await Promise.all(
      [huge, markup, `a.${markup}`].map((key) =>
        callFunction(cloud, 'booking', { ...base(), [key]: 1 }, 'o-bad'),
      ),
    );
    // The code and its message only: no field, so nothing of the request comes back.
    expect(answers).toEqual(
      answers.map(() => ({
        result: { ok: false, error: { code: 'REQUEST.INVALID', message: expect.any(String) } },
      })),
    );
    expect(Math.max(...answers.map((a) => JSON.stringify(a).length))).toBeLessThan(200);
    // Inside an object, the object is named instead.
    const nested = base();
    nested.person = { ...(nested.person as Record<string, unknown>), [markup]: 1 };
    expect(await callFunction(cloud, 'booking', nested, 'o-bad')).toEqual({
      result: { ok: false, error: expect.objectContaining({ field: 'person' }) },
    });
    expect(await allBookings()).toHaveLength(0);
  });

  it('answers an unknown action and a missing identity with their codes', async () => {
    expect(await callFunction(cloud, 'booking', { action: 'drop' }, 'o-bad')).toEqual({
      result: { ok: false, error: expect.objectContaining({ code: 'REQUEST.UNKNOWN_ACTION' }) },
    });
    expect(await callFunction(cloud, 'booking', { action: 'mine' })).toEqual({
      result: { ok: false, error: expect.objectContaining({ code: 'AUTH.NO_IDENTITY' }) },
    });
  });
});

describe('cancel and reschedule (R4, R8)', () => {
  async function bookFor(
    openid: string,
    n: number,
    date = '2026-12-02',
    periodId?: string,
  ): Promise<Booking> {
    return ok(cloud, openid, 'book', {
      serviceId: SERVICE,
      date,
      person: person(n),
      requestId: requestId(),
      ...(periodId ? { periodId } : {}),
    });
  }

  it('frees the number at once: the next booker gets it', async () => {
    const first = await bookFor('o-c1', 10);
    const cancelled = await ok(cloud, 'o-c1', 'cancel', { bookingId: first.id });
    expect(cancelled.status).toBe('cancelled');
    const next = await bookFor('o-c2', 11);
    expect(next.number).toBe(first.number);
    // A repeated cancel answers with the cancelled booking and changes nothing.
    expect((await ok(cloud, 'o-c1', 'cancel', { bookingId: first.id })).status).toBe('cancelled');
    expect((await ok(cloud, 'o-c2', 'detail', { bookingId: next.id })).status).toBe('booked');
  });

  it("answers someone else's booking exactly like a missing one", async () => {
    const mineBooking = await bookFor('o-c3', 12);
    const theirs = await call(cloud, 'o-intruder', 'cancel', { bookingId: mineBooking.id });
    const missing = await call(cloud, 'o-intruder', 'cancel', { bookingId: 'b0000000000000000' });
    expect(theirs).toEqual(missing);
    expect(theirs).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BOOKING.NOT_FOUND' }),
    });
    expect(await call(cloud, 'o-intruder', 'detail', { bookingId: mineBooking.id })).toEqual(
      missing,
    );
  });

  it('refuses to cancel after the cutoff before the period starts', async () => {
    const booking = await bookFor('o-c4', 13);
    await setClock(cloud, booking.cancelDeadline + 1000);
    const res = await call(cloud, 'o-c4', 'cancel', { bookingId: booking.id });
    expect(res).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BOOKING.CUTOFF_PASSED' }),
    });
    await setClock(cloud, booking.cancelDeadline - 60_000);
    expect((await ok(cloud, 'o-c4', 'cancel', { bookingId: booking.id })).status).toBe('cancelled');
  });

  it('reschedules to another day: new number taken, old released, in one step', async () => {
    const old = await bookFor('o-r1', 20, '2026-12-02');
    const moved = await ok(cloud, 'o-r1', 'reschedule', { bookingId: old.id, date: '2026-12-03' });
    expect(moved).toMatchObject({ date: '2026-12-03', status: 'booked', number: 'A001' });
    expect((await ok(cloud, 'o-r1', 'detail', { bookingId: old.id })).status).toBe('cancelled');
    // The old number is back in the pool.
    expect((await bookFor('o-r2', 21, '2026-12-02')).number).toBe(old.number);
    // Repeating the same reschedule answers with the same new booking.
    expect(
      (await ok(cloud, 'o-r1', 'reschedule', { bookingId: old.id, date: '2026-12-03' })).id,
    ).toBe(moved.id);
  });

  it('cancels the replacement when asked to cancel a booking that was rescheduled (R8)', async () => {
    const old = await bookFor('o-r4', 23, '2026-12-02');
    const moved = await ok(cloud, 'o-r4', 'reschedule', { bookingId: old.id, date: '2026-12-03' });
    // A page still showing the old booking cancels what the citizen holds now, and says which.
    const cancelled = await ok(cloud, 'o-r4', 'cancel', { bookingId: old.id });
    expect([cancelled.id, cancelled.status]).toEqual([moved.id, 'cancelled']);
    const { bookings } = await ok(cloud, 'o-r4', 'mine', {});
    expect(bookings.map((b) => [b.id, b.status])).toEqual([
      [moved.id, 'cancelled'],
      [old.id, 'cancelled'],
    ]);
  });

  it('reschedules within the same day to another period', async () => {
    const { days } = await ok(cloud, 'o-r3', 'availability', { serviceId: SERVICE });
    const periods = days.at(0)?.periods ?? [];
    const p1 = periods.at(0);
    const p2 = periods.at(1);
    if (!p1 || !p2) throw new Error('the seeded service has fewer than two periods');
    const old = await bookFor('o-r3', 22, '2026-12-02', p1.id);
    const moved = await ok(cloud, 'o-r3', 'reschedule', {
      bookingId: old.id,
      date: '2026-12-02',
      periodId: p2.id,
    });
    expect(moved.period.id).toBe(p2.id);
    const same = await call(cloud, 'o-r3', 'reschedule', {
      bookingId: moved.id,
      date: '2026-12-02',
      periodId: p2.id,
    });
    expect(same).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BOOKING.SAME_SLOT' }),
    });
  });
});

describe('mine, detail and standing', () => {
  it('lists own bookings newest first with status, and the standing', async () => {
    const a = await ok(cloud, 'o-m1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(30),
      requestId: requestId(),
    });
    const b = await ok(cloud, 'o-m1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-03',
      person: person(30),
      requestId: requestId(),
    });
    await ok(cloud, 'o-m1', 'cancel', { bookingId: a.id });
    await ok(cloud, 'o-m2', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(31),
      requestId: requestId(),
    });
    const { bookings } = await ok(cloud, 'o-m1', 'mine', {});
    expect(bookings.map((x) => [x.id, x.status])).toEqual([
      [b.id, 'booked'],
      [a.id, 'cancelled'],
    ]);
    expect(await ok(cloud, 'o-m1', 'standing', {})).toEqual({
      activeCount: 1,
      activeLimit: 3,
      noShowsThisMonth: 0,
    });
  });
});

describe('precheck: R5 told as soon as the ID is complete (issue 12 finding 4)', () => {
  const precheck = (openid: string, idNumber: string, date = '2026-12-02') =>
    call(cloud, openid, 'precheck', { serviceId: SERVICE, date, idNumber });
  const code = (r: Awaited<ReturnType<typeof precheck>>) =>
    r.ok ? 'clear' : `${r.error.code} ${r.error.field ?? ''}`.trim();

  it('tells this account its own booking of the person that day, and its limit; writes nothing', async () => {
    const p = person(40);
    await ok(cloud, 'o-pc1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: p,
      requestId: requestId(),
    });
    expect(
      [
        await precheck('o-pc1', p.idNumber),
        await precheck('o-pc1', p.idNumber, '2026-12-03'),
        await precheck('o-pc1', person(41).idNumber),
        await precheck('o-pc1', `${p.idNumber.slice(0, 17)}0`),
        await precheck('o-pc1', p.idNumber, '2026-12-05'),
      ].map(code),
    ).toEqual([
      'BOOKING.PERSON_ALREADY_BOOKED idNumber',
      'clear',
      'clear',
      'IDENTITY.ID_CHECK_DIGIT idNumber',
      'CALENDAR.CLOSED date',
    ]);
    for (const n of [42, 43]) {
      await ok(cloud, 'o-pc1', 'book', {
        serviceId: SERVICE,
        date: '2026-12-03',
        person: person(n),
        requestId: requestId(),
      });
    }
    expect(code(await precheck('o-pc1', person(44).idNumber))).toBe('BOOKING.ACCOUNT_LIMIT');
    expect(await allBookings()).toHaveLength(3);
  });

  it('says nothing about a person another account booked (issue 15): only book refuses it', async () => {
    const p = person(45);
    await ok(cloud, 'o-pc2', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: p,
      requestId: requestId(),
    });
    expect(code(await precheck('o-pc3', p.idNumber))).toBe('clear');
  });
});

describe('常用办理人: the same person again without retyping (issue 12 finding 3)', () => {
  it('lists the people this account booked, masked, newest first, each once', async () => {
    const a = person(50, { name: '林晓梅' });
    const b = person(51, {
      name: '陈大文',
      category: 'impounded',
      plate: '',
      vin: '1M8GDM9AXKP042788',
    });
    await ok(cloud, 'o-kp1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: a,
      requestId: requestId(),
    });
    await ok(cloud, 'o-kp1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-03',
      person: a,
      requestId: requestId(),
    });
    const last = await ok(cloud, 'o-kp1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-04',
      person: b,
      requestId: requestId(),
    });
    const { persons } = await ok(cloud, 'o-kp1', 'persons', {});
    expect(persons).toEqual([
      {
        ref: last.id,
        nameMasked: '陈*文',
        idMasked: `${b.idNumber.slice(0, 4)}**********${b.idNumber.slice(-4)}`,
        phoneMasked: `${b.phone.slice(0, 3)}****${b.phone.slice(-4)}`,
        plate: '',
        vinMasked: '1M8**********2788',
        category: 'impounded',
        lastDate: '2026-12-04',
      },
      expect.objectContaining({ nameMasked: '林*梅', plate: a.plate, lastDate: '2026-12-03' }),
    ]);
    const text = JSON.stringify(persons);
    for (const full of [a.idNumber, a.phone, b.idNumber, b.phone, '林晓梅', '陈大文'])
      expect(text).not.toContain(full);
    expect((await ok(cloud, 'o-kp-other', 'persons', {})).persons).toEqual([]);
  });

  it('books the person of a ref with a new vehicle; R5 still holds for that person', async () => {
    const a = person(52, { name: '林晓梅' });
    const first = await ok(cloud, 'o-kp2', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: a,
      requestId: requestId(),
    });
    const again = await ok(cloud, 'o-kp2', 'book', {
      serviceId: SERVICE,
      date: '2026-12-03',
      known: { ref: first.id, plate: '闽D88888', category: 'commercial' },
      requestId: requestId(),
    });
    expect(again).toMatchObject({
      name: '林晓梅',
      idMasked: first.idMasked,
      phoneMasked: first.phoneMasked,
      plate: '闽D88888',
      category: 'commercial',
      date: '2026-12-03',
    });
    // The same person on a day they hold already: refused as if typed (R5).
    const twice = await call(cloud, 'o-kp2', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      known: { ref: first.id, plate: a.plate, category: 'surveillance' },
      requestId: requestId(),
    });
    expect(twice).toMatchObject({
      ok: false,
      error: { code: 'BOOKING.PERSON_ALREADY_BOOKED', field: 'known.ref' },
    });
  });

  it("refuses another account's ref like a missing one, a bad vehicle on its field, and both or neither person", async () => {
    const mine = await ok(cloud, 'o-kp3', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(53),
      requestId: requestId(),
    });
    const base = { serviceId: SERVICE, date: '2026-12-03' };
    const answers = [
      await call(cloud, 'o-kp4', 'book', {
        ...base,
        known: { ref: mine.id, plate: '闽D12345', category: 'surveillance' },
        requestId: requestId(),
      }),
      await call(cloud, 'o-kp3', 'book', {
        ...base,
        known: { ref: 'no-such-booking', plate: '闽D12345', category: 'surveillance' },
        requestId: requestId(),
      }),
      await call(cloud, 'o-kp3', 'book', {
        ...base,
        known: { ref: mine.id, plate: '闽D1234', category: 'surveillance' },
        requestId: requestId(),
      }),
      await call(cloud, 'o-kp3', 'book', {
        ...base,
        person: person(54),
        known: { ref: mine.id, plate: '闽D12345', category: 'surveillance' },
        requestId: requestId(),
      }),
      await call(cloud, 'o-kp3', 'book', { ...base, requestId: requestId() }),
    ];
    expect(answers.map((r) => (r.ok ? 'ok' : `${r.error.code} ${r.error.field ?? ''}`))).toEqual([
      'PERSON.NOT_FOUND known.ref',
      'PERSON.NOT_FOUND known.ref',
      'IDENTITY.PLATE_INVALID known.plate',
      'REQUEST.INVALID person',
      'REQUEST.INVALID person',
    ]);
    expect(await allBookings()).toHaveLength(1);
  });
});

describe('开启提醒: the reminder turned on again from the booking (R13, issue 12 finding 9)', () => {
  it('makes a declined reminder pending, keeps a pending one, refuses a cancelled booking', async () => {
    const declined = await ok(cloud, 'o-rm1', 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(60),
      requestId: requestId(),
      subscribed: false,
    });
    expect(declined.reminder).toBe('not_subscribed');
    const on = await ok(cloud, 'o-rm1', 'remind', { bookingId: declined.id });
    expect(on.reminder).toBe('pending');
    expect((await ok(cloud, 'o-rm1', 'remind', { bookingId: declined.id })).reminder).toBe(
      'pending',
    );
    expect((await ok(cloud, 'o-rm1', 'detail', { bookingId: declined.id })).reminder).toBe(
      'pending',
    );
    expect(await call(cloud, 'o-rm2', 'remind', { bookingId: declined.id })).toMatchObject({
      ok: false,
      error: { code: 'BOOKING.NOT_FOUND' },
    });
    await ok(cloud, 'o-rm1', 'cancel', { bookingId: declined.id });
    expect(await call(cloud, 'o-rm1', 'remind', { bookingId: declined.id })).toMatchObject({
      ok: false,
      error: { code: 'BOOKING.NOT_ACTIVE' },
    });
  });
});

describe('the office card and 办事指南 from the catalogue (issue 12 finding 8)', () => {
  it('serves hours, phone, directions, the guide, the release time and the reminder time', async () => {
    const res = await ok(cloud, 'o-card', 'catalogue', {});
    const office = res.offices.at(0);
    expect(office).toMatchObject({
      hours: expect.stringContaining('周一至周五'),
      phone: '0592-0000000',
      directions: expect.stringContaining('停车'),
    });
    expect(office?.services.at(0)).toMatchObject({
      releaseTime: '00:00',
      guide: {
        handles: expect.arrayContaining([expect.stringContaining('交通违法处理')]),
        first: expect.arrayContaining([expect.stringContaining('交管12123')]),
        withoutBooking: expect.stringContaining('现场取号'),
      },
    });
    expect(res.reminder).toEqual({ daysBefore: 1, at: '18:00' });
  });
});
