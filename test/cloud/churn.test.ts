/**
 * R17 churn limits (issue 15 finding 4), through the real `booking` function on the local cloud: cancels
 * per account and per person in a rolling window, a cool-down before a person books a day they just
 * cancelled, and a number an account released not bookable by that account for a while — so a scalper
 * cannot hand a sold-out day's number to a customer of their choice against honest pollers.
 */
import type { ApiResult, Booking } from '../../typings/api';
import { CACHE_MS } from '../../server/store/catalogue';
import { chinaTime, getClock, setClock } from '../../local-cloud/client';
import { bookPerson, call, ok, person, pool, requestIds, SERVICE } from './support/booking';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(180_000);

const { cloud } = useLocalCloud({ empty: ['bookings', 'persons', 'accounts'] });

const requestId = requestIds('ch');
const code = (r: ApiResult<unknown>): string => (r.ok ? 'ok' : r.error.code);

const book = (openid: string, n: number, date: string): Promise<ApiResult<Booking>> =>
  bookPerson(cloud, openid, n, date, requestId());

describe('R17 book–cancel churn', () => {
  it('stops 50 book/cancel rounds of one person and day at the cool-down, telling until when', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const answers: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const made = await book('o-churn', 1, '2026-06-24');
      answers.push(code(made));
      if (made.ok) await ok(cloud, 'o-churn', 'cancel', { bookingId: made.data.id });
    }
    expect(answers[0]).toBe('ok');
    expect(answers.slice(1)).toEqual(Array(49).fill('BOOKING.REBOOK_COOLDOWN'));
    expect(await book('o-churn', 1, '2026-06-24')).toMatchObject({
      ok: false,
      error: {
        code: 'BOOKING.REBOOK_COOLDOWN',
        message: expect.stringContaining('至 6月22日 10:30'),
      },
    });
    // Another day is not cooling down.
    expect(code(await book('o-churn', 1, '2026-06-25'))).toBe('ok');
  });

  it('stops an account after 5 cancels within 24 hours, whichever people and days, until the oldest leaves the window', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const answers: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const made = await book(
        'o-churn-acct',
        100 + i,
        ['2026-06-24', '2026-06-25', '2026-06-26'][i % 3] ?? '',
      );
      answers.push(code(made));
      if (made.ok) await ok(cloud, 'o-churn-acct', 'cancel', { bookingId: made.data.id });
    }
    expect(answers.filter((a) => a === 'ok')).toHaveLength(5);
    expect(answers.slice(5)).toEqual(Array(45).fill('BOOKING.CANCEL_LIMIT'));
    const refused = await book('o-churn-acct', 200, '2026-06-24');
    expect(refused).toMatchObject({ ok: false, error: { code: 'BOOKING.CANCEL_LIMIT' } });
    // Told until when: 24 h after the 5th most recent cancel (all within the same minute or so).
    expect(!refused.ok && refused.error.message).toMatch(/至 6月23日 10:0\d/);
    await setClock(cloud, chinaTime('2026-06-23T10:05:00'), { fireTriggers: false });
    expect(code(await book('o-churn-acct', 201, '2026-06-25'))).toBe('ok');
  });

  it('stops a person after 5 cancels from any accounts; told to whom it concerns, neutral to others (R16)', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    for (let i = 0; i < 5; i += 1) {
      const made = await ok(cloud, `o-pc-${i}`, 'book', {
        serviceId: SERVICE,
        date: ['2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26', '2026-06-29'][i] ?? '',
        person: person(300),
        requestId: requestId(),
      });
      await ok(cloud, `o-pc-${i}`, 'cancel', { bookingId: made.id });
    }
    expect(await book('o-pc-0', 300, '2026-06-23')).toMatchObject({
      ok: false,
      error: {
        code: 'BOOKING.PERSON_CANCEL_LIMIT',
        message: expect.stringContaining('至 6月23日 10:0'),
      },
    });
    expect(code(await book('o-pc-new', 300, '2026-06-23'))).toBe('BOOKING.PERSON_UNAVAILABLE');
  });

  it('keeps a released number from the releasing account a while, so a sold-out day’s number goes to the honest pollers', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const day = '2026-06-24';
    // The scalper holds 3 of the day's 50 numbers under made-up people; 47 others hold the rest.
    const held = [];
    for (let i = 0; i < 3; i += 1)
      held.push(
        await ok(cloud, 'o-scalper', 'book', {
          serviceId: SERVICE,
          date: day,
          person: person(400 + i),
          requestId: requestId(),
        }),
      );
    await pool(
      Array.from(
        { length: 47 },
        (_, i) => () =>
          ok(cloud, `o-crowd-${i}`, 'book', {
            serviceId: SERVICE,
            date: day,
            person: person(500 + i),
            requestId: requestId(),
          }),
      ),
      5,
    );
    const wins = { scalper: 0, honest: 0 };
    for (const [round, booking] of held.entries()) {
      // The hand-off: cancel, then book the customer's ID into the freed number — once every warm
      // instance's configuration is due again (CACHE_MS), its refresh brings the freed number and drops
      // the instance's sold-out snapshot of the day (issue 16): the database itself answers.
      await ok(cloud, 'o-scalper', 'cancel', { bookingId: booking.id });
      await setClock(cloud, (await getClock(cloud)) + CACHE_MS + 200, { fireTriggers: false });
      const first = await book('o-scalper', 700 + round, day);
      expect(first).toMatchObject({
        ok: false,
        error: {
          code: 'BOOKING.RELEASED_HOLD',
          message: expect.stringContaining('至 6月22日 10:0'),
        },
      });
      // Five honest citizens poll the day; the scalper keeps trying alongside them.
      let done = false;
      const poller = async (openid: string, n: number, honest: boolean): Promise<void> => {
        while (!done) {
          const r = await book(openid, n, day);
          if (r.ok) {
            wins[honest ? 'honest' : 'scalper'] += 1;
            done = true;
          } else expect(['BOOKING.RELEASED_HOLD', 'QUOTA.SOLD_OUT']).toContain(r.error.code);
        }
      };
      await Promise.all([
        poller('o-scalper', 700 + round, false),
        ...Array.from({ length: 5 }, (_, k) =>
          poller(`o-poll-${round}-${k}`, 600 + round * 10 + k, true),
        ),
      ]);
    }
    expect(wins).toEqual({ scalper: 0, honest: 3 });
  });
});

describe('R17 a reschedule is a cancel followed by a booking', () => {
  const move = (openid: string, bookingId: string, date: string) =>
    call(cloud, openid, 'reschedule', { bookingId, date });
  const at = (t: string) => setClock(cloud, chinaTime(t), { fireTriggers: false });
  /** What the citizen holds: the booking's day, number and status as `detail` answers. */
  const held = async (openid: string, bookingId: string) => {
    const b = await ok(cloud, openid, 'detail', { bookingId });
    return `${b.date} ${b.number} ${b.status}`;
  };

  it('refuses the 6th reschedule within 24 hours, leaving the booking as it was, and counts them against booking too', async () => {
    await at('2026-06-22T10:00:00');
    let current = await ok(cloud, 'o-move', 'book', {
      serviceId: SERVICE,
      date: '2026-06-23',
      person: person(800),
      requestId: requestId(),
    });
    // Five reschedules 40 minutes apart (past each day's cool-down), round the five open days.
    const times = ['10:40', '11:20', '12:00', '12:40', '13:20'];
    const days = ['2026-06-24', '2026-06-25', '2026-06-26', '2026-06-29', '2026-06-24'];
    for (const [i, date] of days.entries()) {
      await at(`2026-06-22T${times[i] ?? ''}:00`);
      current = await ok(cloud, 'o-move', 'reschedule', { bookingId: current.id, date });
    }
    await at('2026-06-22T14:00:00');
    const before = await held('o-move', current.id);
    expect(await move('o-move', current.id, '2026-06-25')).toMatchObject({
      ok: false,
      error: {
        code: 'BOOKING.CANCEL_LIMIT',
        // 24 hours after the oldest of the five.
        message: expect.stringContaining('至 6月23日 10:40'),
      },
    });
    expect(await held('o-move', current.id)).toBe(before);
    expect(before).toMatch(/^2026-06-24 A\d{3} booked$/);
    // The same account's `book` is refused alike: its reschedules were cancels.
    expect(code(await book('o-move', 801, '2026-06-26'))).toBe('BOOKING.CANCEL_LIMIT');
    // Once the oldest leaves the window, it moves again.
    await at('2026-06-23T10:41:00');
    expect(
      (await ok(cloud, 'o-move', 'reschedule', { bookingId: current.id, date: '2026-06-25' })).date,
    ).toBe('2026-06-25');
  });

  it('refuses moving back to the day the person left within the cool-down, and booking it, telling until when', async () => {
    await at('2026-06-22T10:00:00');
    const first = await ok(cloud, 'o-back', 'book', {
      serviceId: SERVICE,
      date: '2026-06-24',
      person: person(810),
      requestId: requestId(),
    });
    const away = await ok(cloud, 'o-back', 'reschedule', {
      bookingId: first.id,
      date: '2026-06-25',
    });
    await at('2026-06-22T10:10:00');
    const back = await move('o-back', away.id, '2026-06-24');
    expect(back).toMatchObject({
      ok: false,
      error: {
        code: 'BOOKING.REBOOK_COOLDOWN',
        message: expect.stringContaining('至 6月22日 10:30'),
      },
    });
    expect(await held('o-back', away.id)).toBe(`2026-06-25 ${away.number} booked`);
    expect(code(await book('o-back', 810, '2026-06-24'))).toBe('BOOKING.REBOOK_COOLDOWN');
    await at('2026-06-22T10:31:00');
    expect(
      (await ok(cloud, 'o-back', 'reschedule', { bookingId: away.id, date: '2026-06-24' })).date,
    ).toBe('2026-06-24');
  });

  it('keeps the number a reschedule released from the rescheduling account; another account takes it', async () => {
    await at('2026-06-22T10:00:00');
    const day = '2026-06-26';
    const mine = await ok(cloud, 'o-hop', 'book', {
      serviceId: SERVICE,
      date: day,
      person: person(820),
      requestId: requestId(),
    });
    const other = await ok(cloud, 'o-hop', 'book', {
      serviceId: SERVICE,
      date: '2026-06-29',
      person: person(821),
      requestId: requestId(),
    });
    await pool(
      Array.from(
        { length: 49 },
        (_, i) => () =>
          ok(cloud, `o-hop-crowd-${i}`, 'book', {
            serviceId: SERVICE,
            date: day,
            person: person(830 + i),
            requestId: requestId(),
          }),
      ),
      5,
    );
    // The day is full; moving away frees only its number. Once every instance's configuration is due
    // again its sold-out snapshot goes (issue 16) and the database answers.
    await ok(cloud, 'o-hop', 'reschedule', { bookingId: mine.id, date: '2026-06-29' });
    await setClock(cloud, (await getClock(cloud)) + CACHE_MS + 200, { fireTriggers: false });
    const hold = {
      ok: false,
      error: { code: 'BOOKING.RELEASED_HOLD', message: expect.stringContaining('至 6月22日 10:0') },
    };
    expect(await book('o-hop', 822, day)).toMatchObject(hold);
    expect(await move('o-hop', other.id, day)).toMatchObject(hold);
    expect(await held('o-hop', other.id)).toBe(`2026-06-29 ${other.number} booked`);
    const taken = await book('o-hop-honest', 823, day);
    expect(taken).toMatchObject({ ok: true, data: { date: day, number: mine.number } });
  });
});
