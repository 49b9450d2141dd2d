/**
 * The store's claiming routine (server/store/claim.ts) run in this process against the local cloud's
 * database, with writes that fail the way the platform can: what the functions' tests cannot stage. A
 * reschedule whose commit landed but whose answer was lost answers with the booking it made (no second
 * one, the old one released: R4, R8); a transaction conflict is tried again; collisions on the number
 * end in SYSTEM.BUSY after the write's limit, re-reading the day every third one.
 */
import { chinaDate } from '../../server/domain/china-time';
import { RELEASE_RUSH_MS } from '../../server/domain/numbers';
import { AppError } from '../../server/shared/errors';
import { cloud as wx, type Database } from '../../server/shared/cloud';
import { liftSuspension } from '../../server/admin/lift-suspension';
import {
  CACHE_MS,
  getCatalogue,
  invalidateCatalogue,
  type Catalogue,
} from '../../server/store/catalogue';
import { book } from '../../server/booking/book';
import type { Context } from '../../server/booking/context';
import { reschedulePolicy } from '../../server/booking/identity';
import { personKey } from '../../server/shared/person-key';
import {
  churnLookBack,
  claimNumber,
  insertClaim,
  newBookingDoc,
  periodsToTry,
  releasePatch,
  replaceClaim,
  type ClaimRequest,
  type ClaimWrite,
  type PersonPolicy,
} from '../../server/store/claim';
import { forgetAccountGates, GATES_READ_MAX } from '../../server/store/account-gates';
import { updateAccount } from '../../server/store/accounts';
import { forgetInstanceState, SUSPENSIONS_READ_MAX } from '../../server/store/day-state';
import { updatePerson } from '../../server/store/persons';
import { Db } from '../../server/store/db';
import type { AccountDoc } from '../../server/store/documents/account';
import { uncountedKey, type BookingDoc } from '../../server/store/documents/booking';
import { chinaTime, docs } from '../../local-cloud/client';
import { person, SERVICE } from './support/booking';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(60_000);

// This process talks to the same local cloud as a function would.
const { db: raw } = useLocalCloud({ inProcess: true, empty: ['bookings', 'accounts', 'persons'] });
let catalogue: Catalogue;

const NOW = chinaTime('2026-12-01T09:00:00');
const OPENID = 'o-claim';
const PERSON = 'p-claim-0001';
/** The person's details as every booking of this file stores them (masked, R14). */
const MASKED_PERSON = {
  name: '测试用户',
  idMasked: '3502**********0011',
  phoneMasked: '138****0001',
  plate: '闽D10001',
  category: 'surveillance',
} as const;
const FROM = '2026-12-02';
const TO = '2026-12-03';

beforeAll(async () => {
  catalogue = await getCatalogue(new Db(wx.database()), NOW);
});

beforeEach(() => {
  forgetInstanceState();
  forgetAccountGates();
});

function service() {
  const s = catalogue.services.find((x) => x._id === SERVICE);
  if (!s) throw new Error(`seed has no ${SERVICE}`);
  return s;
}

/** A claim of `date` for the test person, as `book` or `reschedule` makes one. */
function request(id: string, date: string, replacing?: BookingDoc, person = PERSON): ClaimRequest {
  return {
    service: service(),
    date,
    periodId: undefined,
    periods: periodsToTry(service(), undefined),
    day: { serviceId: SERVICE, date, openid: OPENID, personKey: person, ownId: id, now: NOW },
    accountLimit: replacing ? undefined : 3,
    ...(replacing ? { replacing: replacing._id } : {}),
    personField: 'date',
    build: (pick) =>
      newBookingDoc({
        id,
        by: { openid: OPENID, channel: 'wechat', now: NOW },
        catalogue,
        service: service(),
        date,
        pick,
        person: MASKED_PERSON,
        personKey: person,
        requestId: `req-${id}`,
        subscribed: false,
      }),
    found: (own) => (own.openid === OPENID ? own : undefined),
  };
}

const transient = () =>
  Object.assign(new Error('server timeout'), { errCode: -501004, errMsg: 'server timeout' });
const conflict = () =>
  Object.assign(new Error('transaction conflict'), {
    errCode: -501007,
    errMsg: '[TRANSACTION_CONFLICT] Transaction is conflicted',
  });
const slotTaken = () =>
  Object.assign(new Error('duplicate'), {
    errCode: -501001,
    errMsg:
      '[DATABASE_DUPLICATE_WRITE] E11000 duplicate key error collection: env.bookings index: slot_unique dup key',
  });

/** Every number of `date` held, by `p-fill-<n>` on another account (as earlier bookers left it). */
async function fill(date: string): Promise<void> {
  const made: BookingDoc[] = [];
  for (const period of service().periods)
    for (let number = period.from; number <= period.to; number += 1) {
      const id = `b-fill-${date}-${number}`;
      made.push({
        ...newBookingDoc({
          id,
          by: { openid: `o-fill-${number}`, channel: 'wechat', now: NOW - 60_000 },
          catalogue,
          service: service(),
          date,
          pick: { period, number },
          person: MASKED_PERSON,
          personKey: `p-fill-${number}`,
          requestId: `req-${id}`,
          subscribed: false,
        }),
        accountKey: uncountedKey(id),
      });
    }
  await raw.run(
    async (c, a) => {
      for (const doc of a.made) await c.database().collection('bookings').add({ data: doc });
    },
    { made },
  );
}

/** A citizen's claim at `now` (the request's own clock), for `person`. */
function citizen(id: string, date: string, person: string, now = NOW): ClaimRequest {
  const r = request(id, date, undefined, person);
  return { ...r, day: { ...r.day, now }, policy: citizenPolicy([]) };
}

/** What a call does first: its configuration, refreshed when older than CACHE_MS (counted as cache). */
async function configurationAt(now: number): Promise<Db> {
  const db = new Db(wx.database());
  await getCatalogue(db, now);
  return db;
}

async function stored(): Promise<Pick<BookingDoc, '_id' | 'status' | 'date' | 'number'>[]> {
  const rows = await docs<BookingDoc>(raw, 'bookings');
  return rows
    .map(({ _id, status, date, number }) => ({ _id, status, date, number }))
    .sort((a, b) => a._id.localeCompare(b._id));
}

async function bookFirst(): Promise<BookingDoc> {
  const db = new Db(wx.database());
  return claimNumber(db, request('b-claim-old', FROM), insertClaim(db));
}

describe('claimNumber', () => {
  it('answers a reschedule whose commit landed but whose answer was lost with the booking it made (R4, R8)', async () => {
    const old = await bookFirst();
    const db = new Db(wx.database());
    const real = replaceClaim(db, old, { ...releasePatch(old, NOW), rescheduledTo: 'r-claim-new' });
    let writes = 0;
    const lostAnswer: ClaimWrite = {
      ...real,
      write: async (doc) => {
        writes += 1;
        await real.write(doc);
        throw transient();
      },
    };
    const moved = await claimNumber(db, request('r-claim-new', TO, old), lostAnswer);
    expect({ writes, id: moved._id, date: moved.date }).toEqual({
      writes: 1,
      id: 'r-claim-new',
      date: TO,
    });
    expect(await stored()).toEqual([
      { _id: 'b-claim-old', status: 'cancelled', date: FROM, number: old.number },
      { _id: 'r-claim-new', status: 'booked', date: TO, number: moved.number },
    ]);
  });

  it('tries a reschedule again after a transaction conflict, and ends with one booking', async () => {
    const old = await bookFirst();
    const db = new Db(wx.database());
    const real = replaceClaim(db, old, { ...releasePatch(old, NOW), rescheduledTo: 'r-claim-2' });
    let writes = 0;
    const conflictOnce: ClaimWrite = {
      ...real,
      write: async (doc) => {
        writes += 1;
        if (writes === 1) throw conflict();
        await real.write(doc);
      },
    };
    const moved = await claimNumber(db, request('r-claim-2', TO, old), conflictOnce);
    expect(writes).toBe(2);
    expect(await stored()).toEqual([
      { _id: 'b-claim-old', status: 'cancelled', date: FROM, number: old.number },
      { _id: 'r-claim-2', status: 'booked', date: TO, number: moved.number },
    ]);
  });

  it("gives up with SYSTEM.BUSY after the write's limit of collisions, re-reading the day every third", async () => {
    const db = new Db(wx.database());
    let writes = 0;
    const alwaysTaken: ClaimWrite = {
      ...insertClaim(db),
      write: () => {
        writes += 1;
        return Promise.reject(slotTaken());
      },
    };
    await expect(claimNumber(db, request('b-claim-busy', FROM), alwaysTaken)).rejects.toEqual(
      new AppError('SYSTEM.BUSY'),
    );
    // One read of the day first, then one after every third collision (3, 6, 9, 12).
    expect({ writes, requests: db.requests }).toEqual({ writes: 12, requests: 1 + 12 / 3 });
    expect(await stored()).toEqual([]);
  });

  it('reads the day for every booking, even one right after this instance read it; a retry is answered with its booking', async () => {
    const first = await bookFirst();
    // Another person of the same account, the same moment: a read of the day, then another number.
    const db = new Db(wx.database());
    const second = await claimNumber(
      db,
      request('b-claim-second', FROM, undefined, 'p-claim-0002'),
      insertClaim(db),
    );
    expect(db.requests).toBe(2);
    expect(second.number).not.toBe(first.number);
    // A retry of the first request: its read brings the booking it made, and no second one is made.
    const again = new Db(wx.database());
    const retried = await claimNumber(again, request('b-claim-old', FROM), insertClaim(again));
    expect(retried._id).toBe(first._id);
    expect(retried.number).toBe(first.number);
    // The same person with a new request: refused on their day, by the read.
    const twice = new Db(wx.database());
    await expect(
      claimNumber(twice, request('b-claim-third', FROM), insertClaim(twice)),
    ).rejects.toEqual(new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'date'));
    expect(await stored()).toEqual([
      { _id: 'b-claim-old', status: 'booked', date: FROM, number: first.number },
      { _id: 'b-claim-second', status: 'booked', date: FROM, number: second.number },
    ]);
  });

  it("reads a citizen's day and account record in one request, then inserts: 2 requests (issue 16, R15, R16)", async () => {
    const seen: (AccountDoc | undefined)[] = [];
    const db = new Db(wx.database());
    const made = await claimNumber(
      db,
      { ...request('b-claim-citizen', FROM), policy: citizenPolicy(seen) },
      insertClaim(db),
    );
    expect({ requests: db.requests, gate: seen }).toEqual({ requests: 2, gate: [undefined] });
    expect(await stored()).toEqual([
      { _id: 'b-claim-citizen', status: 'booked', date: FROM, number: made.number },
    ]);
  });

  it("answers a citizen's retried request from the one read alone: 1 request, the same booking (issue 16)", async () => {
    const first = new Db(wx.database());
    const made = await claimNumber(
      first,
      { ...request('b-claim-retry', FROM), policy: citizenPolicy([]) },
      insertClaim(first),
    );
    const again = new Db(wx.database());
    const answered = await claimNumber(
      again,
      { ...request('b-claim-retry', FROM), policy: citizenPolicy([]) },
      insertClaim(again),
    );
    expect({ requests: again.requests, answered }).toEqual({ requests: 1, answered: made });
    expect(await stored()).toEqual([
      { _id: 'b-claim-retry', status: 'booked', date: FROM, number: made.number },
    ]);
  });

  it('refuses an account suspended a moment before, from the same single read, writing nothing (R15)', async () => {
    await raw.run(
      async (c, a) => {
        await c.database().collection('accounts').add({ data: a.doc });
      },
      { doc: { _id: OPENID, noShows: [NOW - 1_000], suspendedUntil: NOW + 86_400_000 } },
    );
    const seen: (AccountDoc | undefined)[] = [];
    const db = new Db(wx.database());
    await expect(
      claimNumber(
        db,
        { ...request('b-claim-suspended', FROM), policy: citizenPolicy(seen) },
        insertClaim(db),
      ),
    ).rejects.toEqual(new AppError('BLACKLIST.ACCOUNT_SUSPENDED'));
    expect({ requests: db.requests, suspendedUntil: seen[0]?.suspendedUntil }).toEqual({
      requests: 1,
      suspendedUntil: NOW + 86_400_000,
    });
    expect(await stored()).toEqual([]);
  });

  it('refuses a person suspended a moment before, from the same single read, writing nothing (R10)', async () => {
    await suspend(PERSON);
    const db = new Db(wx.database());
    await expect(
      claimNumber(db, citizen('b-claim-person-suspended', FROM, PERSON), insertClaim(db)),
    ).rejects.toEqual(new AppError('BLACKLIST.SUSPENDED', 'date'));
    // Another person of the same instance a moment later books: the read was the person's own.
    const other = new Db(wx.database());
    const made = await claimNumber(
      other,
      citizen('b-claim-person-free', FROM, 'p-claim-0002'),
      insertClaim(other),
    );
    expect({ refused: db.requests, booked: other.requests }).toEqual({ refused: 1, booked: 2 });
    expect(await stored()).toEqual([
      { _id: 'b-claim-person-free', status: 'booked', date: FROM, number: made.number },
    ]);
  });
});

describe("a hall channel's booking (R10, R12)", () => {
  /** A claim as `book` makes one for a hall channel: no account limit, no policy, R10 told as it is. */
  function hall(id: string, date: string, person: string): ClaimRequest {
    return {
      ...request(id, date, undefined, person),
      accountLimit: undefined,
      suspension: (p) =>
        (p?.suspendedUntil ?? 0) > NOW
          ? new AppError('BLACKLIST.SUSPENDED', 'person.idNumber')
          : undefined,
    };
  }

  it('reads the day and the person in one request, then inserts: 2 requests, even right after this instance read the day', async () => {
    const first = await bookFirst();
    const db = new Db(wx.database());
    const made = await claimNumber(db, hall('b-claim-hall', FROM, 'p-claim-0002'), insertClaim(db));
    expect({ requests: db.requests, other: made.number !== first.number }).toEqual({
      requests: 2,
      other: true,
    });
  });

  it('refuses a suspended person from that read, before anything else, writing nothing', async () => {
    await suspend('p-claim-0004');
    const db = new Db(wx.database());
    await expect(
      claimNumber(db, hall('b-claim-hall-s', FROM, 'p-claim-0004'), insertClaim(db)),
    ).rejects.toEqual(new AppError('BLACKLIST.SUSPENDED', 'person.idNumber'));
    expect({ requests: db.requests, stored: await stored() }).toEqual({ requests: 1, stored: [] });
  });

  it('costs `book` one request for the read and one for the insert (a suspended person: the read alone)', async () => {
    process.env.ID_HASH_SECRET ??= 'local-cloud-development-only-secret';
    const channel = (db: Db): Context => ({
      openid: 'api:k-claim',
      db,
      now: NOW,
      channel: 'hall',
      accountLimited: false,
    });
    const booked = new Db(wx.database());
    const made = await book(channel(booked), {
      serviceId: SERVICE,
      date: FROM,
      person: person(41),
      requestId: 'claim-hall-1',
    });
    // R10: the person suspended (as the no-show sweep leaves them) is refused by the same read.
    await suspend(personKey(person(42).idNumber));
    const refused = new Db(wx.database());
    const answer = await book(channel(refused), {
      serviceId: SERVICE,
      date: FROM,
      person: person(42),
      requestId: 'claim-hall-2',
    }).catch((err: unknown) => (err instanceof AppError ? err.code : String(err)));
    expect({
      booked: [made.status, booked.requests],
      refused: [answer, refused.requests],
    }).toEqual({ booked: ['booked', 2], refused: ['BLACKLIST.SUSPENDED', 1] });
  });
});

describe('a reschedule under R17', () => {
  /** The real policy of `reschedule` (server/booking/identity.ts) at NOW, for OPENID. */
  function moving(old: BookingDoc, id: string, date: string, db: Db, cancelLimit?: number) {
    const ctx = { openid: OPENID, db, now: NOW, channel: 'wechat', accountLimited: true };
    const real = reschedulePolicy(ctx, catalogue);
    const policy = {
      ...real,
      churn: { ...real.churn, cancelLimit: cancelLimit ?? real.churn.cancelLimit },
    };
    const r = request(id, date, old);
    return {
      req: { ...r, day: { ...r.day, cancelsSince: NOW - churnLookBack(policy.churn) }, policy },
      how: replaceClaim(db, old, { ...releasePatch(old, NOW), rescheduledTo: id }),
    };
  }

  it("reads the day, the account's record and the recent cancels in one request, then its transaction: 6 requests", async () => {
    const old = await bookFirst();
    const db = new Db(wx.database());
    const { req, how } = moving(old, 'r-claim-cost', TO, db);
    const moved = await claimNumber(db, req, how);
    // The read, then the transaction: start, the old booking's get and release, the insert, commit.
    expect({ requests: db.requests, date: moved.date }).toEqual({ requests: 1 + 5, date: TO });
    // Moving back counts the first move as a cancel: with a limit of one, refused from that one read.
    const back = new Db(wx.database());
    const again = moving(moved, 'r-claim-back', FROM, back, 1);
    await expect(claimNumber(back, again.req, again.how)).rejects.toMatchObject({
      code: 'BOOKING.CANCEL_LIMIT',
    });
    expect(back.requests).toBe(1);
    expect(await stored()).toEqual([
      { _id: 'b-claim-old', status: 'cancelled', date: FROM, number: old.number },
      { _id: 'r-claim-cost', status: 'booked', date: TO, number: moved.number },
    ]);
  });
});

describe("the caller's configuration check, awaited with the day's read (issue 16)", () => {
  /** A `ready` that settles when told: outdated (throws) or current. */
  function check(): { ready: () => Promise<void>; tell(outdated: boolean): void } {
    let tell: (outdated: boolean) => void = () => undefined;
    const told = new Promise<boolean>((resolve) => (tell = resolve));
    return {
      ready: async () => {
        if (await told) throw new Error('configuration changed');
      },
      tell: (outdated) => tell(outdated),
    };
  }

  async function sent(db: Db, requests: number): Promise<void> {
    while (db.requests < requests) await new Promise((r) => setTimeout(r, 5));
  }

  it('sends the read before the check settles, and writes nothing when the configuration changed', async () => {
    const { ready, tell } = check();
    const db = new Db(wx.database());
    const claim = claimNumber(
      db,
      { ...citizen('b-claim-outdated', FROM, PERSON), ready },
      insertClaim(db),
    );
    await sent(db, 1);
    tell(true);
    await expect(claim).rejects.toThrow('configuration changed');
    expect({ requests: db.requests, stored: await stored() }).toEqual({ requests: 1, stored: [] });
  });

  it('inserts once the check says the configuration is current: 2 requests', async () => {
    const { ready, tell } = check();
    const db = new Db(wx.database());
    const claim = claimNumber(
      db,
      { ...citizen('b-claim-current', FROM, PERSON), ready },
      insertClaim(db),
    );
    await sent(db, 1);
    expect(await stored()).toEqual([]);
    tell(false);
    const made = await claim;
    expect({ requests: db.requests, stored: await stored() }).toEqual({
      requests: 2,
      stored: [{ _id: 'b-claim-current', status: 'booked', date: FROM, number: made.number }],
    });
  });
});

describe('sold-out snapshots (issue 16, R4, R11)', () => {
  beforeEach(async () => {
    // A fresh configuration: every snapshot gone, freed numbers checked as of NOW.
    invalidateCatalogue();
    await configurationAt(NOW);
  });

  it("teaches the instance every sold-out day of the service from one citizen's read: another's refusal costs 0 requests, a holder still reads", async () => {
    await fill(TO);
    const db = new Db(wx.database());
    await claimNumber(db, citizen('b-claim-teach', FROM, PERSON), insertClaim(db));
    expect(db.requests).toBe(2);
    // Another person asks for the full day this instance never read on its own: refused from the picture.
    const other = new Db(wx.database());
    await expect(
      claimNumber(other, citizen('b-claim-refused', TO, 'p-claim-0002'), insertClaim(other)),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    expect(other.requests).toBe(0);
    // A person holding a number of that day is sent to the database, which tells them (R5).
    const holder = new Db(wx.database());
    await expect(
      claimNumber(holder, citizen('b-claim-holder', TO, 'p-fill-7'), insertClaim(holder)),
    ).rejects.toEqual(new AppError('BOOKING.PERSON_ALREADY_BOOKED', 'date'));
    expect(holder.requests).toBe(1);
  });

  it("leaves the service's picture out of a read in the release's first seconds, and brings it with the first read after (R2)", async () => {
    await fill(TO);
    // FROM was released a second ago: every instance reads it at once, and only FROM.
    const released = NOW - 1_000;
    const rush = new Db(wx.database());
    await claimNumber(
      rush,
      { ...citizen('b-claim-rush', FROM, PERSON), releasedAt: released },
      insertClaim(rush),
    );
    expect(rush.requests).toBe(2);
    // The full day TO was not taught by that read: its refusal reads TO itself.
    const unknown = new Db(wx.database());
    await expect(
      claimNumber(unknown, citizen('b-claim-unknown', TO, 'p-claim-0002'), insertClaim(unknown)),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    expect(unknown.requests).toBe(1);
    // Once the rush is over, the next read of FROM brings the picture (TO's snapshot is renewed by it).
    forgetInstanceState();
    invalidateCatalogue();
    await configurationAt(NOW);
    const after = NOW + RELEASE_RUSH_MS;
    const calm = new Db(wx.database());
    await claimNumber(
      calm,
      { ...citizen('b-claim-calm', FROM, 'p-claim-0003', after), releasedAt: released },
      insertClaim(calm),
    );
    const taught = new Db(wx.database());
    await expect(
      claimNumber(
        taught,
        citizen('b-claim-taught', TO, 'p-claim-0004', after),
        insertClaim(taught),
      ),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    expect(taught.requests).toBe(0);
  });

  it('gives a number cancelled on another instance to someone else within CACHE_MS: the configuration refresh brings the freed day (R4)', async () => {
    await fill(TO);
    const first = new Db(wx.database());
    await expect(
      claimNumber(first, citizen('b-claim-first', TO, 'p-claim-0002'), insertClaim(first)),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    // Another instance cancels number 7 a second later (the cancel's one write).
    const [seven] = await docs<BookingDoc>(raw, 'bookings', { _id: `b-fill-${TO}-7` });
    if (!seven) throw new Error('no number 7');
    await raw.run(
      async (c, a) => {
        await c.database().collection('bookings').doc(a.id).update({ data: a.patch });
      },
      { id: seven._id, patch: releasePatch(seven, NOW + 1_000) },
    );
    // Until this instance's configuration is due again, its snapshot may still refuse (no request).
    const soon = NOW + 2_000;
    expect((await configurationAt(soon)).requests).toBe(0);
    const stale = new Db(wx.database());
    await expect(
      claimNumber(stale, citizen('b-claim-stale', TO, 'p-claim-0003', soon), insertClaim(stale)),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    expect(stale.requests).toBe(0);
    // CACHE_MS after the last check: one request refreshes the configuration and brings the freed day…
    const due = NOW + CACHE_MS;
    const refresh = await configurationAt(due);
    expect({ requests: refresh.requests, cache: refresh.cacheRequests }).toEqual({
      requests: 1,
      cache: 1,
    });
    // …and the next person gets number 7.
    const db = new Db(wx.database());
    const made = await claimNumber(
      db,
      citizen('b-claim-freed', TO, 'p-claim-0003', due),
      insertClaim(db),
    );
    expect({ number: made.number, requests: db.requests }).toEqual({ number: 7, requests: 2 });
  });

  it('sends a suspended person to the database on a day known sold out, where the suspension is told (R10, R16)', async () => {
    await fill(TO);
    await suspend('p-claim-0004');
    // The configuration's refresh reads the suspended persons with the freed numbers (no request more).
    const due = NOW + CACHE_MS;
    expect((await configurationAt(due)).requests).toBe(1);
    const first = new Db(wx.database());
    await expect(
      claimNumber(first, citizen('b-claim-s1', TO, 'p-claim-0002', due), insertClaim(first)),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    // Known sold out now: anyone else is refused from the snapshot, the suspended person from the read.
    const other = new Db(wx.database());
    await expect(
      claimNumber(other, citizen('b-claim-s2', TO, 'p-claim-0003', due), insertClaim(other)),
    ).rejects.toEqual(new AppError('QUOTA.SOLD_OUT', 'date'));
    const suspended = new Db(wx.database());
    await expect(
      claimNumber(
        suspended,
        citizen('b-claim-s3', TO, 'p-claim-0004', due),
        insertClaim(suspended),
      ),
    ).rejects.toEqual(new AppError('BLACKLIST.SUSPENDED', 'date'));
    expect({ other: other.requests, suspended: suspended.requests }).toEqual({
      other: 0,
      suspended: 1,
    });
  });

  it('reads the suspended persons in parts of SUSPENSIONS_READ_MAX, sends those not read yet to the database, and tells a suspension set after the full read (R10, R16)', async () => {
    await fill(TO);
    // More suspended persons than one part: p-many-0000 … p-many-0519.
    const many = SUSPENSIONS_READ_MAX + 20;
    await suspendMany('p-many', many, NOW - 86_400_000);
    // The instance's first check: one request, the first part of the full read.
    const first = NOW + CACHE_MS;
    expect(await personsRead(first)).toEqual({ requests: 1, part: SUSPENSIONS_READ_MAX });
    expect(await refusal('p-claim-0002', first)).toEqual(told('QUOTA.SOLD_OUT', 1));
    // Known sold out: a person read and known suspended, and one not read yet, go to the database and
    // hear their suspension; a person below the part read is refused from the snapshot, one above it
    // goes to the database (the bound's cost, until the next part).
    expect({
      read: await refusal('p-many-0000', first),
      unread: await refusal(`p-many-0${many - 1}`, first),
      below: await refusal('p-claim-0003', first),
      above: await refusal('p-zz', first),
    }).toEqual({
      read: told('BLACKLIST.SUSPENDED', 1),
      unread: told('BLACKLIST.SUSPENDED', 1),
      below: told('QUOTA.SOLD_OUT', 0),
      above: told('QUOTA.SOLD_OUT', 1),
    });
    // The next check reads the rest of the full read and the changes since (none).
    const second = first + CACHE_MS;
    expect(await personsRead(second)).toEqual({ requests: 1, part: 20, changes: 0 });
    expect(await refusal('p-zz', second)).toEqual(told('QUOTA.SOLD_OUT', 0));
    // A suspension set (by the writer the no-show sweep uses) and a lift after the full read: the next
    // check reads those two records only.
    const late = new Db(wx.database());
    await updatePerson(late, 'p-late', second + 1_000, () => ({
      set: { noShows: [], suspendedUntil: NOW + 86_400_000 },
    }));
    await liftSuspension(late, 'p-many-0000', '误判', 'admin', second + 1_000);
    const third = second + CACHE_MS;
    expect(await personsRead(third)).toEqual({ requests: 1, changes: 2 });
    expect({
      late: await refusal('p-late', third),
      lifted: await refusal('p-many-0000', third),
      still: await refusal('p-many-0001', third),
    }).toEqual({
      late: told('BLACKLIST.SUSPENDED', 1),
      lifted: told('QUOTA.SOLD_OUT', 0),
      still: told('BLACKLIST.SUSPENDED', 1),
    });
  });

  it('starts the full read over when more suspensions changed in one interval than one read brings: everyone goes to the database meanwhile (R10, R16)', async () => {
    await fill(TO);
    const first = NOW + CACHE_MS;
    expect(await personsRead(first)).toEqual({ requests: 1, part: 0 });
    expect(await refusal('p-claim-0002', first)).toEqual(told('QUOTA.SOLD_OUT', 1));
    expect(await refusal('p-claim-0003', first)).toEqual(told('QUOTA.SOLD_OUT', 0));
    // A sweep suspends more persons in one interval than the changes' read brings.
    await suspendMany('p-swept', SUSPENSIONS_READ_MAX + 1, first + 1_000);
    const second = first + CACHE_MS;
    expect(await personsRead(second)).toEqual({ requests: 1, changes: SUSPENSIONS_READ_MAX });
    expect({
      unknown: await refusal('p-claim-0003', second),
      swept: await refusal(`p-swept-0${SUSPENSIONS_READ_MAX}`, second),
    }).toEqual({
      unknown: told('QUOTA.SOLD_OUT', 1),
      swept: told('BLACKLIST.SUSPENDED', 1),
    });
    // Every check starts over while the sweep's writes are within the changes' look-back (30 s), each
    // answer bounded; then the full read runs again, a part per check.
    const later = [3, 4, 5, 6, 7].map((k) => first + k * CACHE_MS - CACHE_MS);
    const reads = [];
    for (const at of later) reads.push(await personsRead(at));
    const full = SUSPENSIONS_READ_MAX;
    expect(reads).toEqual([
      { requests: 1, part: full, changes: full },
      { requests: 1, part: full, changes: full },
      { requests: 1, part: full, changes: full },
      { requests: 1, part: full, changes: 0 },
      { requests: 1, part: 1, changes: 0 },
    ]);
    const done = later[4] ?? 0;
    expect({
      other: await refusal('p-claim-0003', done),
      swept: await refusal(`p-swept-0${SUSPENSIONS_READ_MAX}`, done),
    }).toEqual({
      other: told('QUOTA.SOLD_OUT', 0),
      swept: told('BLACKLIST.SUSPENDED', 1),
    });
  });
});

describe('sold-out snapshots and the accounts suspended or slowed (issue 16, R15, R16)', () => {
  beforeEach(async () => {
    invalidateCatalogue();
    await configurationAt(NOW);
  });

  it('sends such an account to the database on a day known sold out, where its own refusal is told; one slowed after the full read, from the next check on', async () => {
    await fill(TO);
    const today = chinaDate(NOW);
    await accounts(NOW - 60_000, [
      { _id: 'o-suspended', suspendedUntil: NOW + 86_400_000 },
      { _id: 'o-slowed', refusals: { day: today, count: 5 } },
      // Under the limit, and slowed on a past China day: neither is gated.
      { _id: 'o-probing', refusals: { day: today, count: 4 } },
      { _id: 'o-yesterday', refusals: { day: chinaDate(NOW - 86_400_000), count: 9 } },
      { _id: 'o-served-out', suspendedUntil: NOW - 1_000 },
    ]);
    // The instance's first check: the full read brings the two gated accounts, in the same one request.
    const first = NOW + CACHE_MS;
    expect(await accountsRead(first)).toEqual({ requests: 1, part: 2 });
    expect(await accountRefusal('o-teach', first)).toEqual(told('QUOTA.SOLD_OUT', 1));
    expect({
      suspended: await accountRefusal('o-suspended', first),
      slowed: await accountRefusal('o-slowed', first),
      probing: await accountRefusal('o-probing', first),
      yesterday: await accountRefusal('o-yesterday', first),
      servedOut: await accountRefusal('o-served-out', first),
      other: await accountRefusal('o-other', first),
    }).toEqual({
      suspended: told('BLACKLIST.ACCOUNT_SUSPENDED', 1),
      slowed: told('BOOKING.SLOWED', 1),
      probing: told('QUOTA.SOLD_OUT', 0),
      yesterday: told('QUOTA.SOLD_OUT', 0),
      servedOut: told('QUOTA.SOLD_OUT', 0),
      other: told('QUOTA.SOLD_OUT', 0),
    });
    // Its fifth neutral answer, counted by the writer `neutral` uses after the full read: the next check
    // reads that record only, and from then on the account hears BOOKING.SLOWED on the full day too.
    await updateAccount(new Db(wx.database()), 'o-probing', first + 1_000, () => ({
      set: { refusals: { day: today, count: 5 } },
    }));
    const second = first + CACHE_MS;
    expect(await accountsRead(second)).toEqual({ requests: 1, changes: 1 });
    expect({
      probing: await accountRefusal('o-probing', second),
      other: await accountRefusal('o-other', second),
    }).toEqual({
      probing: told('BOOKING.SLOWED', 1),
      other: told('QUOTA.SOLD_OUT', 0),
    });
  });

  it('reads them in parts of GATES_READ_MAX, sends the accounts not read yet to the database, and starts over when more changed in one interval than one read brings', async () => {
    await fill(TO);
    const many = GATES_READ_MAX + 20;
    const suspended = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        _id: `${prefix}-${String(i).padStart(4, '0')}`,
        suspendedUntil: NOW + 86_400_000,
      }));
    await accounts(NOW - 86_400_000, suspended('o-many', many));
    const first = NOW + CACHE_MS;
    expect(await accountsRead(first)).toEqual({ requests: 1, part: GATES_READ_MAX });
    expect(await accountRefusal('o-teach', first)).toEqual(told('QUOTA.SOLD_OUT', 1));
    expect({
      read: await accountRefusal('o-many-0000', first),
      unread: await accountRefusal(`o-many-0${many - 1}`, first),
      below: await accountRefusal('o-a', first),
      above: await accountRefusal('o-zz', first),
    }).toEqual({
      read: told('BLACKLIST.ACCOUNT_SUSPENDED', 1),
      unread: told('BLACKLIST.ACCOUNT_SUSPENDED', 1),
      below: told('QUOTA.SOLD_OUT', 0),
      above: told('QUOTA.SOLD_OUT', 1),
    });
    const second = first + CACHE_MS;
    expect(await accountsRead(second)).toEqual({ requests: 1, part: 20, changes: 0 });
    expect(await accountRefusal('o-zz', second)).toEqual(told('QUOTA.SOLD_OUT', 0));
    // A sweep suspends more accounts in one interval than the changes' read brings: unknown, everyone
    // goes to the database until the full read has run again.
    await accounts(second + 1_000, suspended('o-swept', GATES_READ_MAX + 1));
    const third = second + CACHE_MS;
    expect(await accountsRead(third)).toEqual({ requests: 1, changes: GATES_READ_MAX });
    expect({
      unknown: await accountRefusal('o-a', third),
      swept: await accountRefusal(`o-swept-0${GATES_READ_MAX}`, third),
    }).toEqual({
      unknown: told('QUOTA.SOLD_OUT', 1),
      swept: told('BLACKLIST.ACCOUNT_SUSPENDED', 1),
    });
  });
});

/** `count` persons `<prefix>-0000`… suspended for a day from NOW, their records written at `at`. */
async function suspendMany(prefix: string, count: number, at: number): Promise<void> {
  await raw.run(
    async (c, a) => {
      for (const doc of a.docs) await c.database().collection('persons').add({ data: doc });
    },
    {
      docs: Array.from({ length: count }, (_, i) => ({
        _id: `${prefix}-${String(i).padStart(4, '0')}`,
        noShows: [],
        suspendedUntil: NOW + 86_400_000,
        version: 1,
        updatedAt: at,
      })),
    },
  );
}

/** A citizen's claim of TO for `person` at `now`: its answer's code and its requests. */
async function refusal(person: string, now: number): Promise<{ answer: string; requests: number }> {
  const db = new Db(wx.database());
  const answer = await claimNumber(
    db,
    citizen(`b-claim-${person}-${now}`, TO, person, now),
    insertClaim(db),
  ).then(
    () => 'booked',
    (err: unknown) => (err instanceof AppError ? err.code : String(err)),
  );
  return { answer, requests: db.requests };
}

function told(answer: string, requests: number): { answer: string; requests: number } {
  return { answer, requests };
}

/** `person` suspended for a day from NOW (R10), as the no-show sweep leaves them. */
async function suspend(person: string): Promise<void> {
  await raw.run(
    async (c, a) => {
      await c.database().collection('persons').add({ data: a.doc });
    },
    { doc: { _id: person, noShows: [], suspendedUntil: NOW + 86_400_000, version: 1 } },
  );
}

/** A citizen's policy (server/booking/identity.ts makes the real one) whose gate records what it saw. */
function citizenPolicy(seen: (AccountDoc | undefined)[]): PersonPolicy {
  return {
    suspension: (person) =>
      (person?.suspendedUntil ?? 0) > NOW ? new AppError('BLACKLIST.SUSPENDED', 'date') : undefined,
    gate(account) {
      seen.push(account);
      if ((account?.suspendedUntil ?? 0) > NOW) throw new AppError('BLACKLIST.ACCOUNT_SUSPENDED');
      // R16: slowed at the default limit of 5 neutral answers in the China day.
      if (account?.refusals?.day === chinaDate(NOW) && account.refusals.count >= 5)
        throw new AppError('BOOKING.SLOWED');
    },
    mayTell: () => Promise.resolve(true),
    neutral: () => Promise.resolve(new AppError('BOOKING.PERSON_UNAVAILABLE', 'date')),
    churn: { cancelLimit: 3, windowMs: 3_600_000, cooldownMs: 0, holdMs: 0 },
  };
}

/** The configuration's refresh at `now`: its requests and its answer's row, through the real SDK. */
async function refreshAt(
  now: number,
): Promise<{ requests: number; row?: Record<string, unknown> }> {
  const answers: unknown[] = [];
  const db = new Db(recording(wx.database(), answers));
  await getCatalogue(db, now);
  // The SDK's aggregation answer (server/store/db.ts reads it the same way).
  type Row = Record<string, unknown>;
  const row = (answers as { data?: Row[]; list?: Row[] }[]).flatMap(
    (a) => a.data ?? a.list ?? [],
  )[0];
  return { requests: db.cacheRequests, ...(row ? { row } : {}) };
}

/** How many rows a lookup `as` brought, when the refresh made it. */
function rows(row: Record<string, unknown> | undefined, as: string): number | undefined {
  const value = row?.[as];
  return Array.isArray(value) ? value.length : undefined;
}

/**
 * The configuration's refresh at `now`, with how many `persons` rows its answer brought: `part` (the
 * full read's), `changes` (the records changed since the last check), when read.
 */
async function personsRead(
  now: number,
): Promise<{ requests: number; part?: number; changes?: number }> {
  const { requests, row } = await refreshAt(now);
  const part = rows(row, 'suspended');
  const changes = rows(row, 'suspensionChanges');
  return {
    requests,
    ...(part === undefined ? {} : { part }),
    ...(changes === undefined ? {} : { changes }),
  };
}

/** The same for the `accounts` rows (server/store/account-gates.ts). */
async function accountsRead(
  now: number,
): Promise<{ requests: number; part?: number; changes?: number }> {
  const { requests, row } = await refreshAt(now);
  const part = rows(row, 'gated');
  const changes = rows(row, 'gateChanges');
  return {
    requests,
    ...(part === undefined ? {} : { part }),
    ...(changes === undefined ? {} : { changes }),
  };
}

/** A citizen's claim of TO as `openid` (for a person of its own) at `now`: its answer's code and requests. */
async function accountRefusal(
  openid: string,
  now: number,
): Promise<{ answer: string; requests: number }> {
  const db = new Db(wx.database());
  const r = citizen(`b-claim-${openid}-${now}`, TO, `p-of-${openid}`, now);
  const answer = await claimNumber(db, { ...r, day: { ...r.day, openid } }, insertClaim(db)).then(
    () => 'booked',
    (err: unknown) => (err instanceof AppError ? err.code : String(err)),
  );
  return { answer, requests: db.requests };
}

/** `accounts` documents as the no-show sweep and the count of neutral answers leave them, written at `at`. */
async function accounts(at: number, gates: Partial<AccountDoc>[]): Promise<void> {
  await raw.run(
    async (c, a) => {
      for (const data of a.docs) await c.database().collection('accounts').add({ data });
    },
    { docs: gates.map((g) => ({ noShows: [], version: 1, updatedAt: at, ...g })) },
  );
}

/** `raw` whose aggregations' answers are also pushed to `answers`, as the SDK gave them. */
function recording(raw: Database, answers: unknown[]): Database {
  const stage = (pipeline: object): object =>
    new Proxy(pipeline, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const out: unknown = value.apply(target, args);
          if (key === 'end')
            return (out as Promise<unknown>).then((answer) => {
              answers.push(answer);
              return answer;
            });
          return typeof out === 'object' && out !== null ? stage(out) : out;
        };
      },
    });
  return new Proxy(raw, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (key !== 'collection' || typeof value !== 'function') return value;
      return (name: string) => stage(value.call(target, name) as object);
    },
  });
}
