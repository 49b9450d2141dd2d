/**
 * Queries through the real wx-server-sdk: where() with the query commands, nested fields, arrays and
 * regular expressions, orderBy / skip / limit (and the server's page sizes), count, field.
 */
import { failure, type Data, type Db } from './support/db-sdk';
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../local-cloud/client';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;

const PEOPLE: Data[] = [
  {
    _id: 'p1',
    name: 'Alice',
    age: 30,
    city: 'Xiamen',
    tags: ['a', 'b'],
    addr: { zip: '361000', floor: 3 },
  },
  {
    _id: 'p2',
    name: 'bob',
    age: 25,
    city: 'Fuzhou',
    tags: ['b'],
    addr: { zip: '350000', floor: 1 },
  },
  {
    _id: 'p3',
    name: 'Carol',
    age: 35,
    city: 'Xiamen',
    tags: [],
    addr: { zip: '361001', floor: 7 },
  },
  { _id: 'p4', name: 'dave', age: 25, city: 'Quanzhou', nick: null },
  {
    _id: 'p5',
    name: 'Eve',
    age: 41,
    city: 'Xiamen',
    tags: ['c', 'a', 'd'],
    scores: [{ s: 90 }, { s: 60 }],
  },
];

beforeAll(async () => {
  cloud = await startLocalCloud();
  runner = await sdk(cloud);
  await runner.run(async (wx, people) => {
    const db = wx.database() as unknown as Db;
    await db.createCollection('t_people');
    await db.createCollection('t_many');
    await db.collection('t_people').add({ data: people });
    const many = [];
    for (let i = 0; i < 1_200; i++) many.push({ i });
    await db.collection('t_many').add({ data: many });
  }, PEOPLE);
});

afterAll(async () => {
  await runner.run(async (wx) => {
    // The SDK rejects no query on remove(); where({}) matches all (used here to check it is allowed).
    const db = wx.database() as unknown as Db;
    await db.collection('t_people').where({}).remove();
  });
  await runner.close();
  await cloud.stop();
});

/** Ids of the people matching a condition built in the child from `which` (a key of the table below). */
async function ids(which: string): Promise<unknown[]> {
  return runner.run(async (wx, key) => {
    const db = wx.database() as unknown as Db;
    const _ = db.command;
    const conditions: Record<string, Data> = {
      eq: { city: _.eq('Xiamen') },
      plain: { city: 'Xiamen', age: 30 },
      neq: { city: _.neq('Xiamen') },
      gt: { age: _.gt(30) },
      gte: { age: _.gte(30) },
      lt: { age: _.lt(30) },
      lte: { age: _.lte(30) },
      range: { age: _.gt(25).and(_.lt(40)) },
      in: { city: _.in(['Fuzhou', 'Quanzhou']) },
      nin: { city: _.nin(['Fuzhou', 'Quanzhou']) },
      or: _.or([{ age: _.lt(26) }, { city: 'Quanzhou' }]),
      fieldOr: { age: _.lt(26).or(_.gt(40)) },
      and: _.and([{ city: 'Xiamen' }, { age: _.gt(31) }]),
      exists: { nick: _.exists(true) },
      missing: { tags: _.exists(false) },
      nullMatchesMissing: { nick: null },
      regex: { name: /^[a-c]/i },
      dbRegExp: { name: db.RegExp({ regexp: '^[A-Z]', options: '' }) },
      nested: { addr: { zip: '361000' } },
      dotted: { 'addr.floor': _.gte(3) },
      arrayElement: { tags: 'a' },
      arrayAll: { tags: _.all(['a', 'd']) },
      arraySize: { tags: _.size(0) },
      elemMatch: { scores: _.elemMatch({ s: _.lt(70) }) },
      arrayIndex: { 'tags.0': 'c' },
    };
    const res = await db
      .collection('t_people')
      .where(conditions[key] ?? {})
      .get();
    return res.data.map((d) => d._id);
  }, which);
}

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/Command.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/query.html
describe('where() with the query commands', () => {
  it.each([
    ['eq', ['p1', 'p3', 'p5']],
    ['plain', ['p1']],
    ['neq', ['p2', 'p4']],
    ['gt', ['p3', 'p5']],
    ['gte', ['p1', 'p3', 'p5']],
    ['lt', ['p2', 'p4']],
    ['lte', ['p1', 'p2', 'p4']],
    ['range', ['p1', 'p3']],
    ['in', ['p2', 'p4']],
    ['nin', ['p1', 'p3', 'p5']],
    ['or', ['p2', 'p4']],
    ['fieldOr', ['p2', 'p4', 'p5']],
    ['and', ['p3', 'p5']],
  ])('%s', async (which, expected) => {
    expect(await ids(which)).toEqual(expected);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/command/Command.exists.html
describe('existence and null', () => {
  it.each([
    ['exists', ['p4']],
    ['missing', ['p4']],
    // As MongoDB: { field: null } matches a null and a missing field.
    ['nullMatchesMissing', ['p1', 'p2', 'p3', 'p4', 'p5']],
  ])('%s', async (which, expected) => {
    expect(await ids(which)).toEqual(expected);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/Database.RegExp.html
describe('regular expressions', () => {
  it.each([
    ['regex', ['p1', 'p2', 'p3']],
    ['dbRegExp', ['p1', 'p3', 'p5']],
  ])('%s', async (which, expected) => {
    expect(await ids(which)).toEqual(expected);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/query-array-object.html
describe('nested fields and arrays', () => {
  it.each([
    ['nested', ['p1']],
    ['dotted', ['p1', 'p3']],
    ['arrayElement', ['p1', 'p5']],
    ['arrayAll', ['p5']],
    ['arraySize', ['p3']],
    ['elemMatch', ['p5']],
    ['arrayIndex', ['p5']],
  ])('%s', async (which, expected) => {
    expect(await ids(which)).toEqual(expected);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.orderBy.html
// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.skip.html
describe('orderBy, skip and limit', () => {
  it('orders by several fields, then pages', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const people = db.collection('t_people');
      const all = await people.orderBy('age', 'asc').orderBy('name', 'desc').get();
      const page = await people.orderBy('age', 'desc').skip(1).limit(2).get();
      return [all.data.map((d) => d._id), page.data.map((d) => d._id)];
    });
    // age 25: dave and bob, name descending → dave first.
    expect(out).toEqual([
      ['p4', 'p2', 'p1', 'p3', 'p5'],
      ['p3', 'p1'],
    ]);
  });

  // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.limit.html
  it('answers 100 documents without limit(), and at most 1,000 with any limit', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const many = db.collection('t_many');
      const plain = await many.get();
      const big = await many.limit(5_000).get();
      const last = await many.skip(1_150).limit(1_000).get();
      return [plain.data.length, big.data.length, last.data.length, plain.data[0]?.i];
    });
    expect(out).toEqual([100, 1000, 50, 0]);
  });

  // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.count.html
  it('counts all matches, beyond any page size', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const all = await db.collection('t_many').count();
      const some = await db
        .collection('t_many')
        .where({ i: _.gte(1_000) })
        .count();
      return [all, some];
    });
    expect(out).toEqual([
      { total: 1200, errMsg: 'collection.count:ok' },
      { total: 200, errMsg: 'collection.count:ok' },
    ]);
  });
});

// https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/collection/Collection.field.html
describe('Collection.field', () => {
  it('includes or excludes fields, _id always kept unless excluded', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const people = db.collection('t_people').where({ _id: 'p1' });
      const inc = await people.field({ name: true, 'addr.zip': true }).get();
      const exc = await people.field({ tags: false, addr: false, _id: false }).get();
      return [inc.data, exc.data];
    });
    expect(out).toEqual([
      [{ _id: 'p1', name: 'Alice', addr: { zip: '361000' } }],
      [{ name: 'Alice', age: 30, city: 'Xiamen' }],
    ]);
  });
});

describe('refused queries', () => {
  // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference/errcode.html (-502002)
  it('answers an unknown operator with DATABASE_INVALID_OPERRATOR (-502002)', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        // A raw operator the SDK passes through untouched.
        await db
          .collection('t_people')
          .where({ age: { $wat: 1 } })
          .get();
      }),
    );
    expect(err.errCode).toBe(-502002);
  });

  it('does not run JavaScript from a query ($where)', async () => {
    const err = await failure(
      runner.run(async (wx) => {
        const db = wx.database() as unknown as Db;
        await db.collection('t_people').where({ $where: 'true' }).get();
      }),
    );
    expect(err.errCode).toBe(-502002);
  });
});
