/**
 * The local cloud's database through the real wx-server-sdk 4.0.2: documents (add, get, set, update,
 * remove), ids, the duplicate-key error, server dates and data types. Each describe names the platform
 * page it follows (WeChat cloud development reference, "reference-sdk-api" pages).
 */
import {
  type LocalCloud,
  sdk,
  type SdkRunner,
  setClock,
  startLocalCloud,
} from '../../local-cloud/client';
import { failure, type Db } from './support/db-sdk';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;

beforeAll(async () => {
  cloud = await startLocalCloud();
  runner = await sdk(cloud);
  await runner.run(async (wx) => {
    const db = wx.database() as unknown as Db;
    for (const name of ['t_docs', 't_types']) await db.createCollection(name);
  });
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.add.html
describe('Collection.add', () => {
  it('gives a generated string _id when none is set, and the document reads back with it', async () => {
    const { added, read } = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const added = await db.collection('t_docs').add({ data: { name: 'alice', n: 1 } });
      const read = await db.collection('t_docs').doc(String(added._id)).get();
      return { added, read };
    });
    expect(added).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      errMsg: 'collection.add:ok',
    });
    expect(read).toEqual({
      data: { name: 'alice', n: 1, _id: added._id },
      errMsg: 'document.get:ok',
    });
  });

  it('keeps a custom _id, string or number, and they are different ids', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const docs = db.collection('t_docs');
      const a = await docs.add({ data: { _id: '7', kind: 'string' } });
      const b = await docs.add({ data: { _id: 7, kind: 'number' } });
      return [a, b, (await docs.doc('7').get()).data, (await docs.doc(7).get()).data];
    });
    expect(out).toEqual([
      { _id: '7', errMsg: 'collection.add:ok' },
      { _id: 7, errMsg: 'collection.add:ok' },
      { _id: '7', kind: 'string' },
      { _id: 7, kind: 'number' },
    ]);
  });

  it('adds several documents at once and answers their ids', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      return db.collection('t_docs').add({ data: [{ _id: 'm1' }, { _id: 'm2' }] });
    });
    expect(out).toEqual({ _ids: ['m1', 'm2'], errMsg: 'collection.add:ok' });
  });

  // https://docs.cloudbase.net/error-code/DATABASE_DUPLICATE_WRITE
  it('refuses an existing _id with DATABASE_DUPLICATE_WRITE (errCode -501001 in wx-server-sdk) naming _id_', async () => {
    await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      await db.collection('t_docs').add({ data: { _id: 'dup', v: 'first' } });
    });
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        await db.collection('t_docs').add({ data: { _id: 'dup', v: 'second' } });
      }),
    );
    expect(err).toMatchObject({
      errCode: -501001,
      errMsg:
        'collection.add:fail -501001 resource system error. [FailedOperation.DuplicateWrite] E11000 ' +
        'duplicate key error collection: local.t_docs index: _id_ dup key: { _id: "dup" }. Please check ' +
        'your request, but if the problem persists, contact us.',
    });
    const kept = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      return (await db.collection('t_docs').doc('dup').get()).data;
    });
    expect(kept).toEqual({ _id: 'dup', v: 'first' });
  });

  it('inserts the documents before a duplicate in a batch and not the ones after (ordered insert)', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        await db.collection('t_docs').add({ data: { _id: 'o2' } });
        await db.collection('t_docs').add({ data: [{ _id: 'o1' }, { _id: 'o2' }, { _id: 'o3' }] });
      }),
    );
    expect(err.errMsg).toContain('dup key: { _id: "o2" }');
    const ids = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const res = await db
        .collection('t_docs')
        .where({ _id: _.in(['o1', 'o2', 'o3']) })
        .get();
      return res.data.map((d) => d._id);
    });
    expect(ids).toEqual(['o2', 'o1']);
  });

  // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/Database.createCollection.html
  it('answers -502005 "Db or Table not exist" for a collection that was never created', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        await db.collection('no_such').add({ data: { a: 1 } });
      }),
    );
    expect(err).toMatchObject({
      errCode: -502005,
      errMsg: expect.stringContaining('[ResourceNotFound] Db or Table not exist') as unknown,
    });
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/document/Document.get.html
describe('Document.get', () => {
  it('rejects a missing document by default, and answers null with throwOnNotFound: false', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        await db.collection('t_docs').doc('missing').get();
      }),
    );
    expect(err.errMsg).toBe('document.get:fail document with _id missing does not exist');
    const quiet = await runner.run(async (wx) => {
      const db = (wx.database as (c: object) => unknown)({ throwOnNotFound: false }) as Db;
      return db.collection('t_docs').doc('missing').get();
    });
    expect(quiet).toEqual({ data: null, errMsg: 'document.get:ok' });
  });

  it('returns only the fields asked for with field(), and _id', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      await db.collection('t_docs').add({ data: { _id: 'f1', a: 1, b: { c: 2, d: 3 }, e: 4 } });
      const only = await db.collection('t_docs').doc('f1').field({ a: true, 'b.c': true }).get();
      const without = await db.collection('t_docs').doc('f1').field({ b: false }).get();
      return [only.data, without.data];
    });
    expect(out).toEqual([
      { _id: 'f1', a: 1, b: { c: 2 } },
      { _id: 'f1', a: 1, e: 4 },
    ]);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/document/Document.set.html
describe('Document.set', () => {
  it('creates a missing document and replaces an existing one whole', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const doc = db.collection('t_docs').doc('s1');
      const created = await doc.set({ data: { a: 1, b: 2 } });
      const replaced = await doc.set({ data: { c: 3 } });
      const same = await doc.set({ data: { c: 3 } });
      return { created, replaced, same, now: (await doc.get()).data };
    });
    expect(out).toEqual({
      created: { _id: 's1', errMsg: 'document.set:ok', stats: { updated: 0, created: 1 } },
      replaced: { _id: 's1', errMsg: 'document.set:ok', stats: { updated: 1, created: 0 } },
      // As MongoDB: a replacement that changes nothing modifies nothing.
      same: { _id: 's1', errMsg: 'document.set:ok', stats: { updated: 0, created: 0 } },
      now: { _id: 's1', c: 3 },
    });
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/document/Document.update.html
describe('Document.update', () => {
  it('merges the given fields (nested objects by path) and counts 0 for a missing document', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const docs = db.collection('t_docs');
      await docs.add({ data: { _id: 'u1', a: 1, nested: { x: 1, y: 2 }, keep: true } });
      const first = await docs.doc('u1').update({ data: { a: 2, nested: { y: 3 }, added: 'new' } });
      const missing = await docs.doc('nope').update({ data: { a: 1 } });
      return { first, missing, now: (await docs.doc('u1').get()).data };
    });
    expect(out).toEqual({
      first: { stats: { updated: 1 }, errMsg: 'document.update:ok' },
      missing: { stats: { updated: 0 }, errMsg: 'document.update:ok' },
      now: { _id: 'u1', a: 2, nested: { x: 1, y: 3 }, keep: true, added: 'new' },
    });
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/document/Document.remove.html
describe('Document.remove', () => {
  it('removes the document and says how many were removed', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const docs = db.collection('t_docs');
      await docs.add({ data: { _id: 'r1' } });
      const first = await docs.doc('r1').remove();
      const again = await docs.doc('r1').remove();
      return { first, again };
    });
    expect(out).toEqual({
      first: { stats: { removed: 1 }, errMsg: 'document.remove:ok' },
      again: { stats: { removed: 0 }, errMsg: 'document.remove:ok' },
    });
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/Database.serverDate.html
describe('Database.serverDate', () => {
  it('stores the server (emulated) time, plus an offset, in documents and updates', async () => {
    const pinned = Date.parse('2031-12-01T09:59:00Z');
    await setClock(cloud, pinned);
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const docs = db.collection('t_types');
      await docs.add({
        data: { _id: 'sd', at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) },
      });
      await docs.doc('sd').update({ data: { touched: db.serverDate() } });
      return (await docs.doc('sd').get()).data as { at: Date; later: Date; touched: Date };
    });
    // (Dates cross from the SDK child by structured clone, into another realm: compare their times.)
    expect(Object.prototype.toString.call(out.at)).toBe('[object Date]');
    expect(out.at.getTime() - pinned).toBeGreaterThanOrEqual(0);
    // The emulated clock runs on from the pinned instant; a loaded machine may take seconds to get there.
    // Minutes still tell it apart from the machine's own time, which is days away from `pinned`.
    expect(out.at.getTime() - pinned).toBeLessThan(10 * 60_000);
    expect(out.later.getTime() - out.at.getTime()).toBe(60_000);
    expect(out.touched.getTime()).toBeGreaterThanOrEqual(out.at.getTime());
  });

  it('compares with serverDate() in a query', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const docs = db.collection('t_types');
      await docs.add({ data: { _id: 'past', due: new Date(Date.UTC(2000, 0, 1)) } });
      await docs.add({ data: { _id: 'future', due: new Date(Date.UTC(2999, 0, 1)) } });
      const res = await docs.where({ due: _.lt(db.serverDate()) }).get();
      return res.data.map((d) => d._id);
    });
    expect(out).toEqual(['past']);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/data-type.html
describe('data types', () => {
  it('round-trips strings, integers, floats, big numbers, booleans, null, dates, arrays and objects', async () => {
    const original = {
      _id: 'types',
      s: '中文 and emoji 🚦',
      i: 42,
      f: 3.25,
      neg: -7,
      big: 2 ** 40,
      t: true,
      n: null,
      d: new Date(Date.UTC(2026, 9, 1, 8, 30)),
      arr: [1, 'two', { three: 3 }, [4]],
      obj: { deep: { deeper: { deepest: 'x' } } },
    };
    const out = await runner.run(async (wx, doc) => {
      const db = wx.database() as unknown as Db;
      await db.collection('t_types').add({ data: doc });
      return (await db.collection('t_types').doc('types').get()).data;
    }, original);
    expect(out).toEqual(original);
  });
});
