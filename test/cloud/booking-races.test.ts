/**
 * A citizen's own requests racing each other (R4, R8): a `cancel` sent a few milliseconds after a
 * `reschedule` of the same booking, from the same account, as a double-tapping or twice-opened page does.
 * Through the real wx-server-sdk on the local cloud with its latency jitter on, many tries at staggered
 * delays; afterwards `mine` is the judge: a cancel that answered "cancelled" left the citizen holding
 * nothing, and a refused cancel left exactly one booking.
 */
import type { ApiResult, Booking } from '../../typings/api';
import { call, ok, person, SERVICE } from './support/booking';
import { chinaTime } from '../../local-cloud/client';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(180_000);

const { cloud } = useLocalCloud({
  extraEnv: { LOCALCLOUD_LATENCY_MS: '5-40' },
  // Tuesday 2026-12-01, 10:00 China time: Wed 12-02 and Thu 12-03 are bookable (R2).
  now: chinaTime('2026-12-01T10:00:00'),
  fireTriggers: true,
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Try {
  delayMs: number;
  reschedule: string;
  /** The cancel's answer: the status it reports, or its error code. */
  cancel: string;
  /** What `mine` shows still booked afterwards. */
  held: number;
}

async function oneTry(i: number, delayMs: number): Promise<Try> {
  const openid = `o-race-${i}`;
  const booked = await ok(cloud, openid, 'book', {
    serviceId: SERVICE,
    date: '2026-12-02',
    person: person(9000 + i),
    requestId: `race-${i}-aaaa`,
  });
  const moving = call(cloud, openid, 'reschedule', { bookingId: booked.id, date: '2026-12-03' });
  await sleep(delayMs);
  const cancelling = call(cloud, openid, 'cancel', { bookingId: booked.id });
  const [moved, cancelled]: [ApiResult<Booking>, ApiResult<Booking>] = await Promise.all([
    moving,
    cancelling,
  ]);
  const { bookings } = await ok(cloud, openid, 'mine', {});
  return {
    delayMs,
    reschedule: moved.ok ? 'ok' : moved.error.code,
    cancel: cancelled.ok ? cancelled.data.status : cancelled.error.code,
    held: bookings.filter((b) => b.status === 'booked').length,
  };
}

/** Each try moves the cancel's start by this much towards the moment the two requests meet. */
const STEP_MS = 6;

describe('cancel racing a reschedule of the same booking (R4, R8)', () => {
  it('never answers "cancelled" while the citizen still holds a booking', async () => {
    // A staircase: a cancel that won (the reschedule refused) starts later next time, one that came too
    // late (refused, the reschedule done) earlier; so the tries gather where the cancel reads the booking
    // before the reschedule's transaction commits and writes after — wherever the jitter puts that.
    const tries: Try[] = [];
    let delayMs = 100;
    for (let i = 0; i < 40; i += 1) {
      const t = await oneTry(i, delayMs);
      tries.push(t);
      if (t.reschedule !== 'ok') delayMs += STEP_MS;
      else if (t.cancel !== 'cancelled') delayMs = Math.max(0, delayMs - STEP_MS);
    }
    // Whoever won, an answer "cancelled" means the citizen holds nothing; a refusal leaves one booking.
    const wrong = tries.filter((t) => (t.cancel === 'cancelled' ? t.held !== 0 : t.held !== 1));
    expect(wrong).toEqual([]);
  });
});
