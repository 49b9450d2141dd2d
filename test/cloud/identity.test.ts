/**
 * Issue 15, through the real `booking` and `noshow-sweep` functions on the local cloud, WeChat's
 * real-name checks emulated there (local-cloud/src/openapi/realname.ts):
 *
 * - finding 1 (R15): an account booking a stranger's ID and staying away gets ITSELF suspended; the
 *   verified holder is neither suspended nor refused, sees those bookings (他人为您预约) and cancels them;
 * - finding 2 (R16): an account probing a stranger's ID learns nothing — already booked, suspended or
 *   free answer alike (neutral, sold out, account limit, whatever the ID) — and is slowed after
 *   `personRefusalLimit` neutral answers in a China day;
 * - 实名认证 with either facility (R15), and `requireVerification`;
 * - R16's order on a day a warm instance knows sold out: a suspended or slowed account hears its own
 *   refusal there too, not SOLD_OUT, while everyone else is still refused without a request.
 */
import type { ApiResult, Booking, BookingApi } from '../../typings/api';
import {
  chinaTime,
  docs,
  faceCheck,
  realNameCode,
  registerRealName,
  setClock,
  stats,
} from '../../local-cloud/client';
import { bookPerson, call, ok, person, pool, requestIds, SERVICE } from './support/booking';
import { configure } from './support/jobs';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(120_000);

const { cloud, db } = useLocalCloud({ empty: ['bookings', 'persons', 'accounts'] });

beforeAll(async () => {
  await configure(db, 'settings', 'global', { identityMethod: 'realname' });
});

const requestId = requestIds('id');

const book = (openid: string, n: number, date: string): Promise<ApiResult<Booking>> =>
  bookPerson(cloud, openid, n, date, requestId());

const code = (r: ApiResult<unknown>): string => (r.ok ? 'ok' : r.error.code);

/** `openid` proves through 城市服务实名信息校验 that it holds test person `n`'s ID. */
async function verify(openid: string, n: number): Promise<BookingApi['verifyIdentity']['res']> {
  const { name, idNumber } = person(n);
  await registerRealName(cloud, openid, { name, idNumber });
  const start = await ok(cloud, openid, 'identityStart', { name, idNumber });
  expect(start).toEqual({
    method: 'realname',
    appId: 'wx308bd2aeb83d3345',
    path: 'subPages/city/wxpay-auth/main',
  });
  return ok(cloud, openid, 'verifyIdentity', {
    name,
    idNumber,
    code: await realNameCode(cloud, openid),
  });
}

interface Account {
  _id: string;
  noShows: number[];
  suspendedUntil?: number;
  verified?: { personKey: string; idMasked: string };
}

describe('实名认证 (R15)', () => {
  it('城市服务实名信息校验: the account holding the real name becomes the holder; nobody else can', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    expect(await ok(cloud, 'o-v1', 'identity', {})).toEqual({
      method: 'realname',
      required: false,
    });
    const state = await verify('o-v1', 11);
    expect(state).toEqual({
      method: 'realname',
      required: false,
      verified: {
        nameMasked: '测**户',
        idMasked: expect.stringMatching(/^3502\*+\d{4}$/),
        at: expect.any(Number),
      },
    });
    expect(await ok(cloud, 'o-v1', 'identity', {})).toEqual(state);
    // Stored by person key, never the ID number (R14).
    const [account] = await docs<Account>(db, 'accounts');
    expect(JSON.stringify(account)).not.toContain(person(11).idNumber);

    // Another account typing the same name and ID: WeChat says its real name is someone else's.
    await registerRealName(cloud, 'o-v1-thief', { name: '王五', idNumber: person(12).idNumber });
    const thief = await call(cloud, 'o-v1-thief', 'verifyIdentity', {
      name: person(11).name,
      idNumber: person(11).idNumber,
      code: await realNameCode(cloud, 'o-v1-thief'),
    });
    expect(thief).toMatchObject({ ok: false, error: { code: 'VERIFY.MISMATCH' } });
    // A code of another account, or used already.
    const stolen = await call(cloud, 'o-v1-thief', 'verifyIdentity', {
      name: person(11).name,
      idNumber: person(11).idNumber,
      code: await realNameCode(cloud, 'o-v1'),
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'VERIFY.NOT_DONE' } });
    expect(await ok(cloud, 'o-v1-thief', 'identity', {})).not.toHaveProperty('verified');
  });

  it('微信人脸核身 2.0: getVerifyId, the face at the camera, queryVerifyInfo', async () => {
    await configure(db, 'settings', 'global', { identityMethod: 'face' });
    await setClock(cloud, chinaTime('2026-06-22T11:00:00'), { fireTriggers: false });
    try {
      const { name, idNumber } = person(13);
      await registerRealName(cloud, 'o-f1', { name, idNumber });
      const start = await ok(cloud, 'o-f1', 'identityStart', { name, idNumber });
      if (start.method !== 'face') throw new Error('face expected');
      // Not run yet on the phone.
      expect(
        await call(cloud, 'o-f1', 'verifyIdentity', {
          name,
          idNumber,
          verifyId: start.verifyId,
          session: start.session,
        }),
      ).toMatchObject({ ok: false, error: { code: 'VERIFY.NOT_DONE' } });
      expect(await faceCheck(cloud, 'o-f1', start.verifyId)).toBe(10000);
      // Another ID sent with this verifyId: WeChat refuses the cert_hash.
      expect(
        await call(cloud, 'o-f1', 'verifyIdentity', {
          name,
          idNumber: person(14).idNumber,
          verifyId: start.verifyId,
          session: start.session,
        }),
      ).toMatchObject({ ok: false, error: { code: 'VERIFY.MISMATCH' } });
      const done = await ok(cloud, 'o-f1', 'verifyIdentity', {
        name,
        idNumber,
        verifyId: start.verifyId,
        session: start.session,
      });
      expect(done).toMatchObject({ method: 'face', verified: { nameMasked: '测**户' } });
      // Someone else's face for this ID.
      await registerRealName(cloud, 'o-f2', { name: '王五', idNumber: person(15).idNumber });
      const other = await ok(cloud, 'o-f2', 'identityStart', { name, idNumber });
      if (other.method !== 'face') throw new Error('face expected');
      expect(await faceCheck(cloud, 'o-f2', other.verifyId)).toBe(90011);
      expect(
        await call(cloud, 'o-f2', 'verifyIdentity', {
          name,
          idNumber,
          verifyId: other.verifyId,
          session: other.session,
        }),
      ).toMatchObject({ ok: false, error: { code: 'VERIFY.NOT_DONE' } });
    } finally {
      await configure(db, 'settings', 'global', { identityMethod: 'realname' });
    }
  });

  it('requireVerification: booking needs a verified account; 本人 books without retyping', async () => {
    await configure(db, 'settings', 'global', { requireVerification: true });
    await setClock(cloud, chinaTime('2026-06-22T12:00:00'), { fireTriggers: false });
    try {
      expect(code(await book('o-rq', 16, '2026-06-24'))).toBe('BOOKING.VERIFICATION_REQUIRED');
      await verify('o-rq', 16);
      const self = await ok(cloud, 'o-rq', 'book', {
        serviceId: SERVICE,
        date: '2026-06-24',
        self: { phone: '13800000016', plate: '闽D12345', category: 'surveillance' },
        requestId: requestId(),
      });
      expect(self).toMatchObject({
        status: 'booked',
        name: person(16).name,
        phoneMasked: '138****0016',
      });
      expect(self.idMasked).toBe((await ok(cloud, 'o-rq', 'identity', {})).verified?.idMasked);
      // 本人 without a verification is refused.
      expect(
        code(
          await call(cloud, 'o-rq-none', 'book', {
            serviceId: SERVICE,
            date: '2026-06-24',
            self: { phone: '13800000017', plate: '闽D12345', category: 'surveillance' },
            requestId: requestId(),
          }),
        ),
      ).toBe('VERIFY.NOT_HOLDER');
    } finally {
      await configure(db, 'settings', 'global', { requireVerification: false });
    }
  });

  it('the latest verification wins: the displaced account is told, no longer verified (R15)', async () => {
    await setClock(cloud, chinaTime('2026-06-22T13:00:00'), { fireTriggers: false });
    const first = await verify('o-old-phone', 18);
    expect(first.verified?.idMasked).toMatch(/^3502\*+\d{4}$/);
    // The same citizen on a new WeChat account verifies again.
    await setClock(cloud, chinaTime('2026-06-22T13:05:00'), { fireTriggers: false });
    const second = await verify('o-new-phone', 18);
    expect(second.verified?.idMasked).toBe(first.verified?.idMasked);
    const old = await ok(cloud, 'o-old-phone', 'identity', {});
    expect(old).toEqual({
      method: 'realname',
      required: false,
      displaced: { idMasked: first.verified?.idMasked, at: second.verified?.at },
    });
    // Its 本人 and 他人为您预约 agree with what it is shown: not the holder.
    expect(code(await call(cloud, 'o-old-phone', 'forMe', {}))).toBe('VERIFY.NOT_HOLDER');
    expect((await ok(cloud, 'o-new-phone', 'forMe', {})).bookings).toEqual([]);
    // Verifying again makes it the holder again, and the other account is the displaced one.
    await setClock(cloud, chinaTime('2026-06-22T13:10:00'), { fireTriggers: false });
    const again = await verify('o-old-phone', 18);
    expect(again).not.toHaveProperty('displaced');
    expect(await ok(cloud, 'o-new-phone', 'identity', {})).toMatchObject({
      displaced: { idMasked: first.verified?.idMasked },
    });
    expect(await ok(cloud, 'o-new-phone', 'identity', {})).not.toHaveProperty('verified');
  });
});

describe('finding 1: a stranger booking your ID and staying away (R15)', () => {
  it('suspends the booking account, not the verified holder, who sees and cancels such bookings', async () => {
    await setClock(cloud, chinaTime('2026-06-22T13:00:00'), { fireTriggers: false });
    await verify('o-holder', 21);
    // The attacker books three open days for the holder's ID (any phone and plate pass).
    const made = [];
    for (const date of ['2026-06-24', '2026-06-25', '2026-06-26'])
      made.push(
        await ok(cloud, 'o-attacker', 'book', {
          serviceId: SERVICE,
          date,
          person: person(21, { name: '某某' }),
          requestId: requestId(),
        }),
      );
    // 他人为您预约: the holder sees them, masked.
    const { bookings } = await ok(cloud, 'o-holder', 'forMe', {});
    expect(bookings.map((b) => b.date)).toEqual(['2026-06-24', '2026-06-25', '2026-06-26']);
    expect(bookings[0]).toMatchObject({
      nameMasked: '某*',
      idMasked: made[0]?.idMasked,
      status: 'booked',
    });
    expect(JSON.stringify(bookings)).not.toContain(person(21).idNumber);
    // The holder is told what blocks their day (it is theirs to know).
    expect(code(await book('o-holder', 21, '2026-06-29'))).toBe('ok');
    // Nobody else lists or cancels them.
    expect(code(await call(cloud, 'o-attacker', 'forMe', {}))).toBe('VERIFY.NOT_HOLDER');

    // The attacker stays away; the sweep runs.
    await setClock(cloud, chinaTime('2026-06-27T00:05:00'));
    const persons = await docs<{ _id: string; noShows: number[]; suspendedUntil?: number }>(
      db,
      'persons',
    );
    expect(persons.map((p) => [p.noShows.length, p.suspendedUntil])).toEqual([[0, undefined]]);
    const accounts = await docs<Account>(db, 'accounts');
    const attacker = accounts.find((a) => a._id === 'o-attacker');
    expect(attacker).toMatchObject({ suspendedUntil: chinaTime('2026-07-26T09:00:00') });
    expect(attacker?.noShows).toHaveLength(3);

    // The holder books on; the attacker's account is refused, whoever it types, told until when.
    await setClock(cloud, chinaTime('2026-06-29T10:00:00'), { fireTriggers: false });
    expect(code(await book('o-holder', 21, '2026-06-30'))).toBe('ok');
    expect(await ok(cloud, 'o-holder', 'standing', {})).not.toHaveProperty('suspendedUntil');
    expect(await book('o-attacker', 22, '2026-06-30')).toEqual({
      ok: false,
      error: {
        code: 'BLACKLIST.ACCOUNT_SUSPENDED',
        message: expect.stringContaining('至 7月26日 09:00'),
      },
    });
  });

  it('lets the holder cancel a booking made for them and book that day', async () => {
    await setClock(cloud, chinaTime('2026-06-22T14:00:00'), { fireTriggers: false });
    await verify('o-holder2', 23);
    const theirs = await ok(cloud, 'o-squatter', 'book', {
      serviceId: SERVICE,
      date: '2026-06-24',
      person: person(23),
      requestId: requestId(),
    });
    // The holder is told why (R16: theirs to know).
    expect(code(await book('o-holder2', 23, '2026-06-24'))).toBe('BOOKING.PERSON_ALREADY_BOOKED');
    expect(await ok(cloud, 'o-holder2', 'cancelForMe', { bookingId: theirs.id })).toMatchObject({
      status: 'cancelled',
    });
    // Again: the same answer (idempotent); the booking's account sees it cancelled.
    expect(await ok(cloud, 'o-holder2', 'cancelForMe', { bookingId: theirs.id })).toMatchObject({
      status: 'cancelled',
    });
    expect((await ok(cloud, 'o-squatter', 'detail', { bookingId: theirs.id })).status).toBe(
      'cancelled',
    );
    expect(code(await book('o-holder2', 23, '2026-06-24'))).toBe('ok');
    // Another person's booking: answered like a missing one.
    const stranger = await ok(cloud, 'o-squatter', 'book', {
      serviceId: SERVICE,
      date: '2026-06-25',
      person: person(24),
      requestId: requestId(),
    });
    expect(code(await call(cloud, 'o-holder2', 'cancelForMe', { bookingId: stranger.id }))).toBe(
      'BOOKING.NOT_FOUND',
    );
  });

  it('counts against the person as before while nobody verified it, and against the booking account too', async () => {
    await setClock(cloud, chinaTime('2026-06-22T15:00:00'), { fireTriggers: false });
    for (const date of ['2026-06-24', '2026-06-25', '2026-06-26'])
      await ok(cloud, 'o-kin', 'book', {
        serviceId: SERVICE,
        date,
        person: person(25),
        requestId: requestId(),
      });
    await setClock(cloud, chinaTime('2026-06-27T00:05:00'));
    const persons = await docs<{ noShows: number[]; suspendedUntil?: number }>(db, 'persons');
    expect(persons.map((p) => p.noShows.length)).toEqual([3]);
    expect((await docs<Account>(db, 'accounts')).map((a) => [a._id, a.noShows.length])).toEqual([
      ['o-kin', 3],
    ]);
  });
});

describe('reschedule by a suspended account (R15)', () => {
  it('moves no booking while the account is suspended, told until when; cancelling stays open', async () => {
    await setClock(cloud, chinaTime('2026-06-22T14:00:00'), { fireTriggers: false });
    const made = await book('o-resched-susp', 19, '2026-06-24');
    expect(made.ok).toBe(true);
    const bookingId = made.ok ? made.data.id : '';
    await db.run(async (c, until) => {
      await c
        .database()
        .collection('accounts')
        .add({ data: { _id: 'o-resched-susp', noShows: [], suspendedUntil: until } });
    }, chinaTime('2026-07-20T09:00:00'));
    const moved = await call(cloud, 'o-resched-susp', 'reschedule', {
      bookingId,
      date: '2026-06-25',
    });
    expect(moved).toMatchObject({
      ok: false,
      error: {
        code: 'BLACKLIST.ACCOUNT_SUSPENDED',
        message: expect.stringContaining('（至 7月20日 09:00）'),
      },
    });
    expect(await ok(cloud, 'o-resched-susp', 'cancel', { bookingId })).toMatchObject({
      status: 'cancelled',
    });
  });
});

describe('finding 2: probing a stranger’s ID (R16)', () => {
  // Probed IDs: 31 booked by its holder's account on the 24th, 32 suspended, 33 free.
  const BOOKED = 31;
  const SUSPENDED = 32;
  const FREE = 33;

  async function scene(): Promise<void> {
    await setClock(cloud, chinaTime('2026-06-22T16:00:00'), { fireTriggers: false });
    await ok(cloud, 'o-own31', 'book', {
      serviceId: SERVICE,
      date: '2026-06-24',
      person: person(BOOKED),
      requestId: requestId(),
    });
    await ok(cloud, 'o-own32', 'book', {
      serviceId: SERVICE,
      date: '2026-06-23',
      person: person(SUSPENDED),
      requestId: requestId(),
    });
    const key = (await docs<{ personKey: string; openid: string }>(db, 'bookings')).find(
      (b) => b.openid === 'o-own32',
    )?.personKey;
    if (!key) throw new Error('no key');
    await db.run(
      async (c, args) => {
        await c
          .database()
          .collection('persons')
          .add({ data: { _id: args.key, noShows: [], suspendedUntil: args.until, version: 1 } });
      },
      { key, until: chinaTime('2026-07-20T09:00:00') },
    );
    // A minute on (the suspension counts at once: R10, read with the day).
    await setClock(cloud, chinaTime('2026-06-22T16:01:00'), { fireTriggers: false });
  }

  it('answers alike whatever the ID: neutral, account limit, sold out', async () => {
    await scene();
    // Not at its limit, a day with numbers: booked and suspended IDs get the same neutral answer.
    const booked = await book('o-probe', BOOKED, '2026-06-24');
    const suspended = await book('o-probe', SUSPENDED, '2026-06-24');
    expect(booked).toEqual(suspended);
    expect(booked).toMatchObject({ ok: false, error: { code: 'BOOKING.PERSON_UNAVAILABLE' } });
    expect(JSON.stringify(suspended)).not.toContain('2026-07-20');
    // The accounts entitled to know are told.
    expect(code(await book('o-own31', BOOKED, '2026-06-24'))).toBe('BOOKING.PERSON_ALREADY_BOOKED');
    expect(await book('o-own32', SUSPENDED, '2026-06-24')).toMatchObject({
      ok: false,
      error: {
        code: 'BLACKLIST.SUSPENDED',
        message: expect.stringContaining('至 7月20日 09:00'),
      },
    });

    // At its limit: ACCOUNT_LIMIT for every ID, before anything about the person.
    for (const n of [41, 42, 43]) expect(code(await book('o-full', n, '2026-06-25'))).toBe('ok');
    const atLimit = await Promise.all(
      [BOOKED, SUSPENDED, FREE].map((n) => book('o-full', n, '2026-06-24')),
    );
    expect(atLimit.map(code)).toEqual([
      'BOOKING.ACCOUNT_LIMIT',
      'BOOKING.ACCOUNT_LIMIT',
      'BOOKING.ACCOUNT_LIMIT',
    ]);

    // A sold-out day (the 24th filled, the booked ID among its holders): SOLD_OUT for every ID, from a
    // warm instance's snapshot or from the database alike.
    await pool(
      Array.from(
        { length: 49 },
        (_, i) => () =>
          ok(cloud, `o-fill-${i}`, 'book', {
            serviceId: SERVICE,
            date: '2026-06-24',
            person: person(500 + i),
            requestId: requestId(),
          }),
      ),
      5,
    );
    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all(
        [BOOKED, SUSPENDED, FREE].map((n) => book('o-probe2', n, '2026-06-24')),
      );
      expect(answers.map(code)).toEqual(['QUOTA.SOLD_OUT', 'QUOTA.SOLD_OUT', 'QUOTA.SOLD_OUT']);
    }
  });

  it('slows an account after personRefusalLimit neutral answers in a China day, whatever it types then', async () => {
    await scene();
    await configure(db, 'settings', 'global', { personRefusalLimit: 3 });
    await setClock(cloud, chinaTime('2026-06-22T16:02:00'), { fireTriggers: false });
    try {
      const answers = [];
      for (let i = 0; i < 3; i += 1)
        answers.push(code(await book('o-slow', i % 2 ? SUSPENDED : BOOKED, '2026-06-24')));
      expect(answers).toEqual(Array(3).fill('BOOKING.PERSON_UNAVAILABLE'));
      // Slowed: a free ID is refused too, told until the next China midnight.
      expect(await book('o-slow', FREE, '2026-06-24')).toEqual({
        ok: false,
        error: { code: 'BOOKING.SLOWED', message: expect.stringContaining('至 6月23日 00:00') },
      });
      // Other accounts are not slowed; the next China day the account books again.
      expect(code(await book('o-not-slow', FREE, '2026-06-24'))).toBe('ok');
      await setClock(cloud, chinaTime('2026-06-23T00:00:30'), { fireTriggers: false });
      expect(code(await book('o-slow', 34, '2026-06-25'))).toBe('ok');
    } finally {
      await configure(db, 'settings', 'global', { personRefusalLimit: 5 });
    }
  });
});

describe('R16’s order on a day a warm instance knows sold out (issue 16)', () => {
  it('tells a suspended or slowed account its own refusal, not SOLD_OUT; others are refused with no request', async () => {
    await setClock(cloud, chinaTime('2026-06-22T17:00:00'), { fireTriggers: false });
    // As the no-show sweep (R15) and the count of neutral answers (R16) leave them.
    await db.run(
      async (c, a) => {
        for (const data of a.docs) await c.database().collection('accounts').add({ data });
      },
      {
        docs: [
          {
            _id: 'o-gate-suspended',
            noShows: [],
            suspendedUntil: chinaTime('2026-07-20T09:00:00'),
            version: 1,
            updatedAt: chinaTime('2026-06-22T16:00:00'),
          },
          {
            _id: 'o-gate-slowed',
            noShows: [],
            refusals: { day: '2026-06-22', count: 5 },
            version: 1,
            updatedAt: chinaTime('2026-06-22T16:30:00'),
          },
        ],
      },
    );
    // The 24th sold out (50 numbers), one call at a time: the same warm instance serves them all.
    for (let i = 0; i < 50; i += 1)
      expect(code(await book(`o-gate-fill-${i}`, 600 + i, '2026-06-24'))).toBe('ok');
    // Past CACHE_MS the instance's configuration refresh reads the freed numbers, the suspended persons
    // and these accounts in its one request; the next refusal teaches it the day sold out.
    await setClock(cloud, chinaTime('2026-06-22T17:00:30'), { fireTriggers: false });
    expect(code(await book('o-gate-first', 700, '2026-06-24'))).toBe('QUOTA.SOLD_OUT');
    // Anyone else is refused from the snapshot: no database request.
    const before = (await stats(cloud)).databaseRequests;
    expect(code(await book('o-gate-other', 701, '2026-06-24'))).toBe('QUOTA.SOLD_OUT');
    expect((await stats(cloud)).databaseRequests - before).toBe(0);
    // The accounts' own refusals come first (R16's order), told until when, as on a day with room.
    const suspended = {
      ok: false,
      error: {
        code: 'BLACKLIST.ACCOUNT_SUSPENDED',
        message: expect.stringContaining('至 7月20日 09:00'),
      },
    };
    const slowed = {
      ok: false,
      error: { code: 'BOOKING.SLOWED', message: expect.stringContaining('至 6月23日 00:00') },
    };
    expect({
      suspended: await book('o-gate-suspended', 702, '2026-06-24'),
      slowed: await book('o-gate-slowed', 703, '2026-06-24'),
      suspendedWithRoom: await book('o-gate-suspended', 702, '2026-06-25'),
      slowedWithRoom: await book('o-gate-slowed', 703, '2026-06-25'),
    }).toEqual({
      suspended,
      slowed,
      suspendedWithRoom: suspended,
      slowedWithRoom: slowed,
    });
  });
});
