/**
 * Updates through the real wx-server-sdk: the update commands, where().update() / where().remove() and
 * their stats, and atomicity per document under concurrency.
 */
import { failure, type Data, type Db } from './support/db-sdk';
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../local-cloud/client';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;

beforeAll(async () => {
  cloud = await startLocalCloud();
  runner = await sdk(cloud);
  await runner.run(async (wx) => {
    const db = wx.database() as unknown as Db;
    await db.createCollection('t_upd');
  });
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

/** Writes `start` as document `id`, applies the update named `which` (built in the child), reads it back. */
async function afterUpdate(id: string, start: Data, which: string): Promise<Data | null> {
  return runner.run(
    async (wx, args) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const updates: Record<string, Data> = {
        inc: { n: _.inc(5), missing: _.inc(2) },
        mul: { n: _.mul(3) },
        min: { n: _.min(2), m: _.min(100) },
        max: { n: _.max(20), m: _.max(100) },
        setObject: { obj: _.set({ only: 'this' }) },
        mergeObject: { obj: { added: 1 } },
        remove: { n: _.remove(), 'obj.a': _.remove() },
        rename: { n: _.rename('renamed') },
        push: { arr: _.push(4) },
        pushMany: { arr: _.push([4, 5]) },
        pushEach: { arr: _.push({ each: [9, 0], position: 1, sort: 1, slice: 4 }) },
        pop: { arr: _.pop() },
        shift: { arr: _.shift() },
        unshift: { arr: _.unshift([7, 8]) },
        pull: { arr: _.pull(2) },
        pullCondition: { arr: _.pull(_.gte(2)) },
        pullAll: { arr: _.pullAll([1, 3]) },
        addToSet: { arr: _.addToSet(3) },
        addToSetNew: { arr: _.addToSet(9) },
        addToSetEach: { arr: _.addToSet({ $each: [1, 9, 10] }) },
        arrayIndex: { 'arr.1': 20 },
        nested: { 'obj.deep.er': 'x' },
        date: { when: new Date(Date.UTC(2026, 0, 2)) },
      };
      const docs = db.collection('t_upd');
      await docs.doc(args.id).set({ data: args.start });
      await docs.doc(args.id).update({ data: updates[args.which] ?? {} });
      return (await docs.doc(args.id).get()).data;
    },
    { id, start, which },
  );
}

const BASE = { n: 10, m: 10, arr: [1, 2, 3], obj: { a: 1, b: 2 } };

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.inc.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.mul.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.min.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.max.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.set.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.remove.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.rename.html
describe('field update commands', () => {
  it.each<[string, Data]>([
    ['inc', { ...BASE, n: 15, missing: 2 }],
    ['mul', { ...BASE, n: 30 }],
    ['min', { ...BASE, n: 2, m: 10 }],
    ['max', { ...BASE, n: 20, m: 100 }],
    ['setObject', { ...BASE, obj: { only: 'this' } }],
    ['mergeObject', { ...BASE, obj: { a: 1, b: 2, added: 1 } }],
    ['remove', { m: 10, arr: [1, 2, 3], obj: { b: 2 } }],
    ['rename', { m: 10, arr: [1, 2, 3], obj: { a: 1, b: 2 }, renamed: 10 }],
    ['nested', { ...BASE, obj: { a: 1, b: 2, deep: { er: 'x' } } }],
    ['date', { ...BASE, when: new Date(Date.UTC(2026, 0, 2)) }],
  ])('%s', async (which, expected) => {
    expect(await afterUpdate(`f-${which}`, BASE, which)).toEqual({
      _id: `f-${which}`,
      ...expected,
    });
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.push.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.pop.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.shift.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.unshift.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.pull.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.pullAll.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.addToSet.html
describe('array update commands', () => {
  it.each<[string, unknown[]]>([
    ['push', [1, 2, 3, 4]],
    ['pushMany', [1, 2, 3, 4, 5]],
    // each [9, 0] at position 1 → [1, 9, 0, 2, 3], then sort ascending, then the first 4.
    ['pushEach', [0, 1, 2, 3]],
    ['pop', [1, 2]],
    ['shift', [2, 3]],
    ['unshift', [7, 8, 1, 2, 3]],
    ['pull', [1, 3]],
    ['pullCondition', [1]],
    ['pullAll', [2]],
    ['addToSet', [1, 2, 3]],
    ['addToSetNew', [1, 2, 3, 9]],
    ['addToSetEach', [1, 2, 3, 9, 10]],
    ['arrayIndex', [1, 20, 3]],
  ])('%s', async (which, expected) => {
    const after = await afterUpdate(`a-${which}`, BASE, which);
    expect(after?.arr).toEqual(expected);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.update.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.remove.html
describe('where().update() and where().remove()', () => {
  it('update every match and count the documents actually changed; remove every match', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      await db.createCollection('t_where');
      const docs = db.collection('t_where');
      await docs.add({
        data: [
          { _id: 'w1', day: 'mon', status: 'booked' },
          { _id: 'w2', day: 'mon', status: 'booked' },
          { _id: 'w3', day: 'mon', status: 'cancelled' },
          { _id: 'w4', day: 'tue', status: 'booked' },
        ],
      });
      const cancelled = await docs.where({ day: 'mon' }).update({ data: { status: 'cancelled' } });
      const again = await docs.where({ day: 'mon' }).update({ data: { status: 'cancelled' } });
      const none = await docs.where({ day: 'sun' }).update({ data: { status: 'x' } });
      const removed = await docs.where({ status: _.eq('cancelled') }).remove();
      const left = await docs.get();
      return { cancelled, again, none, removed, left: left.data.map((d) => d._id) };
    });
    expect(out).toEqual({
      cancelled: { stats: { updated: 2 }, errMsg: 'collection.update:ok' },
      // As MongoDB (nModified): documents already holding the values are not counted.
      again: { stats: { updated: 0 }, errMsg: 'collection.update:ok' },
      none: { stats: { updated: 0 }, errMsg: 'collection.update:ok' },
      removed: { stats: { removed: 3 }, errMsg: 'collection.remove:ok' },
      left: ['w4'],
    });
  });

  it('is a conditional write: of two racing "cancel if booked", exactly one counts 1', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const docs = db.collection('t_upd');
      await docs.add({ data: { _id: 'race', status: 'booked' } });
      const attempts = await Promise.all(
        Array.from({ length: 20 }, () =>
          docs.where({ _id: 'race', status: 'booked' }).update({ data: { status: 'cancelled' } }),
        ),
      );
      return attempts.map((a) => a.stats.updated).sort();
    });
    expect(out).toEqual([...Array<number>(19).fill(0), 1]);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/update.html ("原子更新")
describe('atomicity', () => {
  it('applies 200 concurrent _.inc(1) to one document without losing any', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const docs = db.collection('t_upd');
      await docs.add({ data: { _id: 'counter', n: 0 } });
      await Promise.all(
        Array.from({ length: 200 }, () => docs.doc('counter').update({ data: { n: _.inc(1) } })),
      );
      return (await docs.doc('counter').get()).data;
    });
    expect(out).toEqual({ _id: 'counter', n: 200 });
  });
});

describe('refused updates', () => {
  it('will not change _id (MongoDB: "immutable field")', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        const docs = db.collection('t_upd');
        await docs.add({ data: { _id: 'fixed', a: 1 } });
        await docs.where({ _id: 'fixed' }).update({ data: { _id: 'moved' } });
      }),
    );
    // The SDK refuses `_id` in update data itself, before any request.
    expect(err.message).toContain('不能更新_id的值');
  });

  it('answers a non-numeric _.inc with DATABASE_REQUEST_FAILED (-502001) and changes nothing', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        const _ = db.command;
        const docs = db.collection('t_upd');
        await docs.add({ data: { _id: 'text', s: 'abc' } });
        await docs.doc('text').update({ data: { s: _.inc(1) } });
      }),
    );
    expect(err.errCode).toBe(-502001);
    const doc = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      return (await db.collection('t_upd').doc('text').get()).data;
    });
    expect(doc).toEqual({ _id: 'text', s: 'abc' });
  });
});
