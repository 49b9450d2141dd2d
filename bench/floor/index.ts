/**
 * The FLOOR of `npm run bench:booking` (never shipped): a function that sends exactly the database
 * requests a correct booking needs per outcome and computes nothing else. A winning call reads the day
 * (one request) and writes its booking (one request); every other call is a sold-out refusal answered
 * from what the instance already knows (no request). Which calls win is decided by the benchmark (the
 * first 50 it sends, `floor: 'win'`): the floor picks no number and guards nothing. Booking's throughput
 * against it tells how much of the gap to the no-op CEILING is the database latency any correct
 * implementation waits for, and how much is ours.
 */
import { initCloud, instanceDatabase } from '../../server/shared/cloud';

initCloud();

const COLLECTION = 'floor_bookings';

interface Req {
  date?: unknown;
  requestId?: unknown;
  floor?: unknown;
}

/** Logged like the product's function, so the benchmark counts its requests the same way. */
function answer(outcome: string, db: number, started: number, result: unknown): unknown {
  console.log(JSON.stringify({ action: 'book', outcome, ms: Date.now() - started, db, cache: 0 }));
  return result;
}

export async function main(event: Req): Promise<unknown> {
  const started = Date.now();
  if (event.floor !== 'win') {
    return answer('QUOTA.SOLD_OUT', 0, started, {
      ok: false,
      error: { code: 'QUOTA.SOLD_OUT' },
    });
  }
  const bookings = instanceDatabase().collection(COLLECTION);
  await bookings.where({ date: event.date }).limit(50).get();
  const added = (await bookings.add({
    data: { date: event.date, requestId: event.requestId },
  })) as unknown as { _id: string };
  return answer('ok', 2, started, { ok: true, data: { id: added._id } });
}
