/**
 * Unique indexes from server/database/schema.json (and, on a database-only cloud, a compound and an array
 * one), enforced on add, set, update (single and multi) and in transactions, through the real
 * wx-server-sdk.
 *
 * Pages: https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/index.html (索引管理:
 * 唯一性限制) and https://docs.cloudbase.net/error-code/DATABASE_DUPLICATE_WRITE; MongoDB's rules for
 * unique indexes (missing fields index as null, arrays per element):
 * https://www.mongodb.com/docs/manual/core/index-unique/
 */
import { failure, startDatabaseOnly, type Data, type Db, type DbOnlyCloud } from './support/db-sdk';
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../local-cloud/client';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;

beforeAll(async () => {
  cloud = await startLocalCloud();
  runner = await sdk(cloud);
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

let serial = 0;
/** A booking with all four unique keys set, distinct unless overridden. */
function booking(overrides: Data = {}): Data {
  serial++;
  return {
    _id: `b${serial}`,
    slotKey: `svc|2026-12-01|${serial}`,
    activeKey: `svc|2026-12-01|person${serial}`,
    passToken: `pass${serial}`,
    accountKey: `acct|o${serial}|0`,
    status: 'booked',
    ...overrides,
  };
}

async function add(doc: Data): Promise<unknown> {
  return runner.run(async (wx, data) => {
    const db = wx.database() as unknown as Db;
    return db.collection('bookings').add({ data });
  }, doc);
}

async function get(id: string): Promise<Data | null> {
  return runner.run(async (wx, docId) => {
    const db = (wx.database as (c: object) => unknown)({ throwOnNotFound: false }) as Db;
    return (await db.collection('bookings').doc(docId).get()).data;
  }, id);
}

const DUP =
  '-501001 resource system error. [FailedOperation.DuplicateWrite] E11000 duplicate key error';

describe('unique index on add', () => {
  it('refuses a second holder of a slotKey, naming the index and the key', async () => {
    const first = booking({ slotKey: 'svc|2026-12-01|1' });
    await add(first);
    const err = await failure(add(booking({ slotKey: 'svc|2026-12-01|1' })));
    expect(err).toMatchObject({
      errCode: -501001,
      errMsg:
        `collection.add:fail ${DUP} collection: local.bookings index: slot_unique ` +
        'dup key: { slotKey: "svc|2026-12-01|1" }. Please check your request, but if the problem ' +
        'persists, contact us.',
    });
  });

  it('lets exactly one of 50 concurrent adds of the same number through', async () => {
    const docs = Array.from({ length: 50 }, () => booking({ slotKey: 'svc|2026-12-02|7' }));
    const outcomes = await runner.run(async (wx, all) => {
      const db = wx.database() as unknown as Db;
      const settled = await Promise.allSettled(
        all.map((data) => db.collection('bookings').add({ data })),
      );
      return settled.map((s) =>
        s.status === 'fulfilled' ? 'ok' : String((s.reason as { errMsg?: string }).errMsg),
      );
    }, docs);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ok').every((o) => o.includes('index: slot_unique'))).toBe(
      true,
    );
  });

  it('indexes a missing field as null: two documents without passToken collide', async () => {
    const { passToken: _a, ...first } = booking();
    const { passToken: _b, ...second } = booking();
    await add(first);
    const err = await failure(add(second));
    expect(err.errMsg).toContain('index: pass_unique dup key: { passToken: null }');
  });
});

describe('unique index on set and update', () => {
  it('refuses set() and update() that would take a held key, leaving the document as it was', async () => {
    const holder = booking();
    const other = booking();
    await add(holder);
    await add(other);
    const viaUpdate = await failure(
      runner.run(
        async (wx, args) => {
          const db = wx.database() as unknown as Db;
          await db
            .collection('bookings')
            .doc(args.id)
            .update({ data: { activeKey: args.key } });
        },
        { id: other._id as string, key: holder.activeKey as string },
      ),
    );
    const viaSet = await failure(
      runner.run(
        async (wx, args) => {
          const db = wx.database() as unknown as Db;
          const { _id, ...data } = args.doc;
          await db
            .collection('bookings')
            .doc(String(_id))
            .set({ data: { ...data, passToken: args.key } });
        },
        { doc: other, key: holder.passToken as string },
      ),
    );
    expect(viaUpdate.errMsg).toContain('document.update:fail -501001');
    expect(viaUpdate.errMsg).toContain('index: person_day_unique');
    expect(viaSet.errMsg).toContain('document.set:fail -501001');
    expect(viaSet.errMsg).toContain('index: pass_unique');
    expect(await get(other._id as string)).toEqual(other);
  });

  it('frees a key once its holder changes it: the number can be booked again (cancel)', async () => {
    const held = booking({ slotKey: 'svc|2026-12-03|5' });
    await add(held);
    await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      await db
        .collection('bookings')
        .where({ _id: id, status: 'booked' })
        .update({ data: { status: 'cancelled', slotKey: `released:${id}` } });
    }, held._id as string);
    await expect(add(booking({ slotKey: 'svc|2026-12-03|5' }))).resolves.toBeDefined();
  });

  it('applies a multi update in order up to the first duplicate (as MongoDB updateMany)', async () => {
    const a = booking({ group: 'g1' });
    const b = booking({ group: 'g1' });
    await add(a);
    await add(b);
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        await db
          .collection('bookings')
          .where({ group: 'g1' })
          .update({ data: { passToken: 'same' } });
      }),
    );
    expect(err.errMsg).toContain('collection.update:fail');
    expect(err.errMsg).toContain('dup key: { passToken: "same" }');
    expect([
      (await get(a._id as string))?.passToken,
      (await get(b._id as string))?.passToken,
    ]).toEqual(['same', b.passToken]);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/transaction.html
describe('unique index in a transaction', () => {
  it('refuses a duplicate inside a transaction (-502001 with the E11000 text) and aborts it', async () => {
    const holder = booking({ slotKey: 'svc|2026-12-04|1' });
    await add(holder);
    const fresh = booking();
    const err = await failure(
      runner.run(
        async (wx, args) => {
          const db = wx.database() as unknown as Db;
          await db.runTransaction(async (t) => {
            await t.collection('bookings').add({ data: args.fresh });
            await t.collection('bookings').add({ data: { ...args.dup, _id: 'tx-dup' } });
          });
        },
        { fresh, dup: booking({ slotKey: 'svc|2026-12-04|1' }) },
      ),
    );
    expect(err).toMatchObject({
      errCode: -502001,
      errMsg: expect.stringContaining(
        'collection.add:fail -502001 database request fail. [FailedOperation] E11000 duplicate key ' +
          'error collection: local.bookings index: slot_unique dup key: { slotKey: "svc|2026-12-04|1" }',
      ) as unknown,
    });
    expect(await get(fresh._id as string)).toBeNull();
  });

  it('makes the second of two open transactions taking the same key conflict', async () => {
    const err = await failure(
      runner.run(
        async (wx, docs) => {
          const db = wx.database() as unknown as Db;
          const t1 = await db.startTransaction();
          const t2 = await db.startTransaction();
          await t1.collection('bookings').add({ data: docs[0] });
          try {
            await t2.collection('bookings').add({ data: docs[1] });
          } finally {
            await t1.commit();
          }
        },
        [booking({ slotKey: 'svc|2026-12-05|1' }), booking({ slotKey: 'svc|2026-12-05|1' })],
      ),
    );
    expect(err.errMsg).toContain('[ResourceUnavailable.TransactionConflict]');
  });
});

describe('a key that a transaction is releasing', () => {
  it('makes an ordinary add wait for the transaction: it succeeds after a commit that freed the key', async () => {
    const holder = booking({ slotKey: 'svc|2026-12-06|1' });
    await add(holder);
    const out = await runner.run(
      async (wx, args) => {
        const db = wx.database() as unknown as Db;
        const t = await db.startTransaction();
        await t
          .collection('bookings')
          .doc(args.holder)
          .update({ data: { slotKey: `released:${args.holder}` } });
        let done = false;
        const taking = db
          .collection('bookings')
          .add({ data: args.next })
          .then(() => (done = true));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const waited = !done;
        await t.commit();
        await taking;
        return waited;
      },
      {
        holder: holder._id as string,
        next: booking({ _id: 'next-holder', slotKey: 'svc|2026-12-06|1' }),
      },
    );
    expect(out).toBe(true);
    expect((await get('next-holder'))?.slotKey).toBe('svc|2026-12-06|1');
  });

  it('refuses the waiting add once the transaction rolls back and the key stays taken', async () => {
    const holder = booking({ slotKey: 'svc|2026-12-07|1' });
    await add(holder);
    const out = await runner.run(
      async (wx, args) => {
        const db = wx.database() as unknown as Db;
        const t = await db.startTransaction();
        await t
          .collection('bookings')
          .doc(args.holder)
          .update({ data: { slotKey: `released:${args.holder}` } });
        const taking = db
          .collection('bookings')
          .add({ data: args.next })
          .then(
            () => 'added',
            (e: unknown) => String((e as { errMsg?: string }).errMsg),
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
        await t.rollback();
        return taking;
      },
      { holder: holder._id as string, next: booking({ slotKey: 'svc|2026-12-07|1' }) },
    );
    expect(out).toContain('index: slot_unique');
  });

  it('makes another transaction taking that key conflict', async () => {
    const holder = booking({ slotKey: 'svc|2026-12-08|1' });
    await add(holder);
    const err = await failure(
      runner.run(
        async (wx, args) => {
          const db = wx.database() as unknown as Db;
          const releasing = await db.startTransaction();
          await releasing
            .collection('bookings')
            .doc(args.holder)
            .update({ data: { slotKey: `released:${args.holder}` } });
          const taking = await db.startTransaction();
          try {
            await taking.collection('bookings').add({ data: args.next });
          } finally {
            await releasing.rollback();
          }
        },
        { holder: holder._id as string, next: booking({ slotKey: 'svc|2026-12-08|1' }) },
      ),
    );
    expect(err.errMsg).toContain('[ResourceUnavailable.TransactionConflict]');
  });
});

describe('compound and array unique indexes (database-only cloud with its own schema)', () => {
  let own: DbOnlyCloud;
  let ownRunner: SdkRunner;

  beforeAll(async () => {
    own = await startDatabaseOnly({
      collections: {
        pairs: {
          rule: { read: false, write: false },
          indexes: [{ name: 'ab_unique', keys: { a: 1, b: -1 }, unique: true }],
        },
        tagged: {
          rule: { read: false, write: false },
          indexes: [{ name: 'tags_unique', keys: { tags: 1 }, unique: true }],
        },
      },
    });
    ownRunner = await sdk(own);
  });

  afterAll(async () => {
    await ownRunner.close();
    await own.stop();
  });

  it('refuses only when every field of a compound index is equal', async () => {
    const out = await ownRunner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const pairs = db.collection('pairs');
      const results: string[] = [];
      for (const data of [
        { a: 1, b: 1 },
        { a: 1, b: 2 },
        { a: 2, b: 1 },
        { a: 1, b: 1 },
        { a: '1', b: 1 },
      ]) {
        try {
          await pairs.add({ data });
          results.push('ok');
        } catch (e) {
          results.push(String((e as { errMsg?: string }).errMsg));
        }
      }
      return results;
    });
    expect(out.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(out[3]).toContain('index: ab_unique dup key: { a: 1, b: 1 }');
    // "1" is not 1.
    expect(out[4]).toBe('ok');
  });

  it('indexes each element of an array, and a document may repeat its own values', async () => {
    const out = await ownRunner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const tagged = db.collection('tagged');
      await tagged.add({ data: { _id: 't1', tags: ['x', 'y', 'x'] } });
      try {
        await tagged.add({ data: { _id: 't2', tags: ['z', 'y'] } });
        return 'ok';
      } catch (e) {
        return String((e as { errMsg?: string }).errMsg);
      }
    });
    expect(out).toContain('index: tags_unique dup key: { tags: "y" }');
  });
});
