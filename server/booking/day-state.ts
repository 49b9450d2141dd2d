/**
 * One read that answers everything a booking attempt needs to know about its day and its caller: which
 * numbers of the day are held, whether this person already holds one, how many active bookings the account
 * has, and whether this very request already made its booking (a retry). The unique indexes, not this
 * read, are what guarantee correctness; the read only lets most attempts succeed on the first write and
 * lets a sold-out day be refused with a single request.
 */
import type { Db } from '../shared/db';
import { ACTIVE, HOLDING, type BookingDoc } from './model';

export interface DayState {
  taken: Set<number>;
  /** The booking of this person on this service and day, if any. */
  personBooking?: BookingDoc;
  accountActive: number;
  /** The booking this request id made before, if any. */
  own?: BookingDoc;
}

export async function readDayState(
  db: Db,
  q: { serviceId: string; date: string; openid: string; personKey: string; ownId: string },
): Promise<DayState> {
  const _ = db.command;
  const docs = await db.find<BookingDoc>(
    'bookings',
    _.or([
      { serviceId: q.serviceId, date: q.date, status: _.in([...HOLDING]) },
      { openid: q.openid, status: _.in([...ACTIVE]) },
      { _id: q.ownId },
    ]),
  );
  const state: DayState = { taken: new Set(), accountActive: 0 };
  for (const doc of docs) {
    const holding = HOLDING.includes(doc.status);
    if (doc._id === q.ownId) state.own = doc;
    if (holding && doc.serviceId === q.serviceId && doc.date === q.date) {
      state.taken.add(doc.number);
      if (doc.personKey === q.personKey) state.personBooking = doc;
    }
    if (doc.openid === q.openid && ACTIVE.includes(doc.status)) state.accountActive += 1;
  }
  return state;
}
