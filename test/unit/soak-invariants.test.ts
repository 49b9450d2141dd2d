/**
 * The soak's invariant checker (bench/soak/invariants.ts) can fail: a clean database passes, and each
 * violation planted into it is reported, under its own name (R4, R5, R13, the window's audit trail).
 */
import { checkInvariants, type Snapshot, type StatsAnswer } from '../../bench/soak/invariants';
import type { StatsRow } from '../../typings/admin';
import type { BookingDoc, QueueStep } from '../../server/store/documents/booking';

const SERVICE = 'siming-violation';
const DAY = '2027-03-02';

function booking(n: number, over: Partial<BookingDoc> = {}): BookingDoc {
  const number = over.number ?? n;
  return {
    _id: `b-${n}`,
    serviceId: SERVICE,
    officeId: 'siming',
    date: DAY,
    periodId: 'am1',
    periodStart: '09:00',
    periodEnd: '10:00',
    number,
    label: `A${String(number).padStart(3, '0')}`,
    slotKey: `${SERVICE}|${DAY}|${number}`,
    activeKey: `${SERVICE}|${DAY}|p-${n}`,
    accountKey: `acct|o-${n}|0`,
    status: 'booked',
    openid: `o-${n}`,
    personKey: `p-${n}`,
    name: '测试用户',
    idMasked: '3502**********0011',
    phoneMasked: '138****0001',
    plate: '闽D10001',
    category: 'surveillance',
    channel: 'wechat',
    requestId: `r-${n}`,
    passToken: `t-${n}`,
    startsAt: 0,
    endsAt: 0,
    createdAt: 0,
    updatedAt: 0,
    reminder: { state: 'not_subscribed' },
    ...over,
  };
}

const step = (from: string, to: string): QueueStep =>
  ({ op: `${from}>${to}`, at: 0, by: 'staff', event: 'call', from, to }) as QueueStep;

function clean(): Snapshot {
  return {
    bookings: [
      booking(1),
      booking(2, {
        status: 'served',
        history: [
          step('booked', 'checked_in'),
          step('checked_in', 'called'),
          step('called', 'serving'),
          step('serving', 'served'),
        ],
      }),
      booking(3, { status: 'cancelled', slotKey: 'released:b-3', activeKey: 'released:b-3' }),
    ],
    quotas: new Map([[SERVICE, { total: 3, maxNumber: 3 }]]),
    reminders: [{ touser: 'o-1', data: { character_string1: { value: 'A001' } } }],
    configAudits: 2,
    configRaises: 2,
    acknowledged: ['b-1', 'b-2', 'b-3'],
    stats: [statsOfDay()],
  };
}

/** What `admin.stats` answers for DAY by period when it agrees with the bookings of clean(). */
function statsOfDay(over: Partial<StatsRow> = {}): StatsAnswer {
  return {
    serviceId: SERVICE,
    date: DAY,
    rows: [
      {
        key: '09:00-10:00',
        released: 10,
        booked: 3,
        cancelledByCitizen: 1,
        cancelledByOffice: 0,
        checkedIn: 0,
        served: 1,
        missed: 0,
        noShow: 0,
        usedPercent: 20,
        byChannel: { wechat: 3 },
        medianWaitSeconds: null,
        ...over,
      },
      // A period without bookings: its numbers released, nothing else.
      {
        key: '10:00-11:00',
        released: 10,
        booked: 0,
        cancelledByCitizen: 0,
        cancelledByOffice: 0,
        checkedIn: 0,
        served: 0,
        missed: 0,
        noShow: 0,
        usedPercent: 0,
        byChannel: {},
        medianWaitSeconds: null,
      },
    ],
  };
}

/**
 * The invariants a snapshot breaks. A plant that adds or changes bookings changes their recount too, so
 * the statistics are left out here and compared in their own test (`withStats`).
 */
function names(s: Snapshot, withStats = false): string[] {
  return checkInvariants(withStats ? s : { ...s, stats: [] }).map((v) => v.invariant);
}

describe('the soak invariant checker', () => {
  it('passes a consistent database', () => {
    expect(checkInvariants(clean())).toEqual([]);
  });

  it('reports a day over its quota, and a number outside every range it had (R4)', () => {
    const over = clean();
    over.bookings.push(booking(4), booking(5));
    over.quotas.set(SERVICE, { total: 3, maxNumber: 5 });
    expect(names(over)).toEqual(['day over quota']);
    const outside = clean();
    outside.bookings.push(booking(9, { status: 'booked' }));
    outside.quotas.set(SERVICE, { total: 10, maxNumber: 3 });
    expect(names(outside)).toEqual(['day over quota']);
  });

  it('reports a number held twice (R4)', () => {
    const s = clean();
    s.bookings.push(booking(7, { number: 1 }));
    s.quotas.set(SERVICE, { total: 10, maxNumber: 10 });
    expect(names(s)).toEqual(['number held twice']);
  });

  it('reports a person twice on a day (R5)', () => {
    const s = clean();
    s.bookings.push(booking(3, { _id: 'b-3b', personKey: 'p-1', activeKey: 'x' }));
    expect(names(s)).toEqual(['person twice on a day']);
  });

  it('reports a holding booking without its number', () => {
    const s = clean();
    const first = s.bookings[0];
    if (!first) throw new Error('no booking');
    s.bookings[0] = { ...first, slotKey: 'released:b-1' };
    expect(names(s)).toEqual(['booking without its number']);
  });

  it('reports a reminder sent twice (R13)', () => {
    const s = clean();
    s.reminders.push({ touser: 'o-1', data: { character_string1: { value: 'A001' } } });
    expect(names(s)).toEqual(['reminder sent twice']);
  });

  it("reports a window status without its history, a broken history, and a configuration change's missing audit", () => {
    const bare = clean();
    bare.bookings.push(booking(4, { number: 3, status: 'checked_in' }));
    expect(names(bare)).toEqual(['audit entry missing']);
    const broken = clean();
    broken.bookings.push(
      booking(4, {
        number: 3,
        status: 'served',
        history: [
          step('booked', 'checked_in'),
          step('called', 'serving'),
          step('serving', 'served'),
        ],
      }),
    );
    expect(names(broken)).toEqual(['audit entry missing']);
    const config = clean();
    config.configRaises = 3;
    expect(names(config)).toEqual(['audit entry missing']);
  });

  it('reports statistics that differ from a recount of the bookings: a stored statsDays document altered', () => {
    // What `stats` answers after someone raised a stored day's served count by one.
    const altered = clean();
    altered.stats = [statsOfDay({ served: 2 })];
    expect(checkInvariants(altered)).toEqual([
      {
        invariant: 'statistics differ from a recount',
        detail: `${SERVICE} ${DAY} 09:00-10:00: stats [3,1,0,0,2,0,0,{"wechat":3},null], recount [3,1,0,0,1,0,0,{"wechat":3},null]`,
      },
    ]);
    // A channel's count, the median wait, or a booking the statistics did not see at all.
    const channel = clean();
    channel.stats = [statsOfDay({ byChannel: { wechat: 2, 'xmjj-web': 1 } })];
    expect(names(channel, true)).toEqual(['statistics differ from a recount']);
    const unseen = clean();
    unseen.bookings.push(booking(4, { periodStart: '14:30', periodEnd: '15:30' }));
    unseen.quotas.set(SERVICE, { total: 10, maxNumber: 10 });
    expect(names(unseen, true)).toEqual(['statistics differ from a recount']);
    // Released numbers are configuration, not a count of bookings: not compared.
    const released = clean();
    released.stats = [statsOfDay({ released: 12, usedPercent: 16.7 })];
    expect(names(released, true)).toEqual([]);
  });

  it('reports an acknowledged booking that is not stored', () => {
    const s = clean();
    s.acknowledged.push('b-lost');
    expect(checkInvariants(s)).toEqual([
      { invariant: 'acknowledged booking lost', detail: 'b-lost' },
    ]);
  });
});
