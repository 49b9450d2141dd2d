/**
 * The NAIVE booking, for comparison in `npm run bench:booking` only (never shipped): the obvious
 * read-then-write design — count the day's bookings, check the person, check the request, take
 * "count + 1" as the number, insert — with no unique key guarding anything. Under concurrency two
 * callers read the same count and both insert: overbooking and duplicate numbers. It does the same
 * validation and hashing as the product so that the figures compare the data access only.
 */
import { chinaDate } from '../../server/domain/china-time';
import { validatePerson } from '../../server/domain/identity';
import { formatNumber } from '../../server/domain/numbers';
import { cloud, initCloud } from '../../server/shared/cloud';
import { personKey } from '../../server/shared/person-key';

initCloud();

const QUOTA = 50;
const COLLECTION = 'naive_bookings';

interface Req {
  serviceId: string;
  date: string;
  person: unknown;
  requestId: string;
}

/** Logged like the product's function, so the benchmark reads both the same way. */
function answer(outcome: string, db: number, started: number, result: unknown): unknown {
  console.log(JSON.stringify({ action: 'book', outcome, ms: Date.now() - started, db, cache: 0 }));
  return result;
}

export async function main(event: Req): Promise<unknown> {
  const started = Date.now();
  const { OPENID } = cloud.getWXContext();
  const checked = validatePerson(event.person, {
    today: chinaDate(Date.now()),
    categories: ['surveillance', 'commercial', 'impounded'],
  });
  if (!checked.ok) {
    const code = checked.errors[0].code;
    return answer(code, 0, started, { ok: false, error: { code } });
  }
  const key = personKey(checked.value.idNumber);
  const db = cloud.database();
  const bookings = db.collection(COLLECTION);
  const day = { serviceId: event.serviceId, date: event.date };

  const taken = (await bookings.where(day).count()) as { total: number };
  if (taken.total >= QUOTA) {
    return answer('QUOTA.SOLD_OUT', 1, started, { ok: false, error: { code: 'QUOTA.SOLD_OUT' } });
  }
  const mine = (await bookings
    .where({ openid: OPENID, requestId: event.requestId })
    .get()) as unknown as {
    data: { _id: string; number: number }[];
  };
  if (mine.data.length > 0) return answer('ok', 2, started, { ok: true, data: mine.data[0] });
  const person = (await bookings.where({ ...day, personKey: key }).count()) as { total: number };
  if (person.total > 0) {
    const code = 'BOOKING.PERSON_ALREADY_BOOKED';
    return answer(code, 3, started, { ok: false, error: { code } });
  }
  const number = taken.total + 1;
  const doc = {
    ...day,
    number,
    label: formatNumber('A', number),
    personKey: key,
    openid: OPENID,
    requestId: event.requestId,
    status: 'booked',
  };
  const added = (await bookings.add({ data: doc })) as unknown as { _id: string };
  return answer('ok', 4, started, { ok: true, data: { id: added._id, number } });
}
