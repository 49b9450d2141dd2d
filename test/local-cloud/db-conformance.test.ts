/**
 * Where mingo (our query engine) differed from the platform's database, MongoDB, found by running
 * Tencent's node-sdk database suite against the local cloud (issue 16). Each test names the MongoDB
 * behaviour it holds the local cloud to, through the real wx-server-sdk:
 * - `$elemMatch` with a sub-document filter matches documents in the array, never plain values;
 * - `_.jsonSchema` (MongoDB's `$jsonSchema`, draft 4 with bsonType) filters, and refuses the keywords
 *   MongoDB does not support;
 * - `$week`: weeks begin on Sunday, days before the year's first Sunday are week 0;
 * - `$indexOfCP`: the code-point index of a substring;
 * - `$substr`/`$substrBytes` with a negative length: the rest of the string;
 * - `add()` of a field whose name begins with `$`: refused, nothing stored.
 */
import { failure, type Data, type Db } from './support/db-sdk';
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../local-cloud/client';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;

beforeAll(async () => {
  cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_LOG: '0' } });
  runner = await sdk(cloud);
  await runner.run(async (wx) => {
    const db = wx.database() as unknown as Db;
    await db.createCollection('t_conf');
    await db.collection('t_conf').add({
      data: [
        { _id: 'plain', tags: [1, 2, 3], name: 'a😀b号', code: 'abcdef' },
        { _id: 'docs', tags: [{ x: 1 }, { x: 5 }], name: '号码', code: '号码牌' },
        { _id: 'mixed', tags: [7, { x: 2 }], name: 'zz', code: 'z', age: 3.5 },
        { _id: 'person', name: 'Ann', age: 30, phone: '13800000000' },
      ],
    });
  });
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

async function ids(where: Data): Promise<string[]> {
  const list = await runner.run(async (wx, condition) => {
    const db = wx.database() as unknown as Db;
    return (await db.collection('t_conf').where(condition).get()).data.map((d) => String(d._id));
  }, where);
  return list.sort();
}

/** The ids a condition built with the SDK's commands selects (built in the SDK's process). */
async function idsWith(kind: string): Promise<string[]> {
  const list = await runner.run(async (wx, which) => {
    const db = wx.database() as unknown as Db;
    const _ = db.command;
    const conditions: Record<string, () => Data> = {
      elemMatchGt: () => ({ tags: _.elemMatch({ x: _.gt(0) }) }),
      elemMatchEq: () => ({ tags: _.elemMatch({ x: 1 }) }),
      elemMatchSelf: () => ({ tags: _.elemMatch(_.gt(2)) }),
      schemaAdult: () =>
        _.jsonSchema({
          required: ['age'],
          properties: { age: { bsonType: 'int', minimum: 18 }, name: { type: 'string' } },
        }),
      schemaTags: () =>
        _.jsonSchema({
          properties: { tags: { bsonType: 'array', items: { bsonType: 'object' } } },
          required: ['tags'],
        }),
      schemaShort: () =>
        _.jsonSchema({
          properties: { name: { maxLength: 2 } },
          additionalProperties: { not: { bsonType: 'double' } },
        }),
      schemaRef: () => _.jsonSchema({ $ref: '#/x' }),
    };
    const build = conditions[which];
    if (!build) throw new Error(`no condition ${which}`);
    return (await db.collection('t_conf').where(build()).get()).data.map((d) => String(d._id));
  }, kind);
  return list.sort();
}

describe('$elemMatch (MongoDB: a sub-document filter matches only documents among the elements)', () => {
  it('does not match plain values with a field condition', async () => {
    expect(await idsWith('elemMatchGt')).toEqual(['docs', 'mixed']);
    expect(await idsWith('elemMatchEq')).toEqual(['docs']);
  });

  it('still matches plain values with conditions on the element itself', async () => {
    expect(await idsWith('elemMatchSelf')).toEqual(['mixed', 'plain']);
  });
});

describe('_.jsonSchema (MongoDB $jsonSchema)', () => {
  it('selects the documents the schema accepts', async () => {
    expect(await idsWith('schemaAdult')).toEqual(['person']);
    expect(await idsWith('schemaTags')).toEqual(['docs']);
    expect(await idsWith('schemaShort')).toEqual(['docs']);
  });

  it('refuses a keyword MongoDB does not support', async () => {
    const err = await failure(idsWith('schemaRef'));
    expect(err.errMsg).toContain("$jsonSchema keyword '$ref' is not currently supported");
  });
});

async function project(projection: Data, id: string): Promise<Data> {
  return runner.run(
    async (wx, arg) => {
      const db = wx.database() as unknown as Db;
      const out = await db
        .collection('t_conf')
        .aggregate()
        .match({ _id: arg.id })
        .project({ _id: 0, ...arg.projection })
        .end();
      return out.list[0] ?? {};
    },
    { projection, id },
  );
}

describe('aggregation operators', () => {
  it('$week: weeks start on Sunday, week 0 before the first Sunday (MongoDB, not ISO weeks)', async () => {
    await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      await db.collection('t_conf').add({
        data: {
          _id: 'dates',
          // 2021-01-01 is a Friday, 2021-01-03 the first Sunday; 2023-01-01 is itself a Sunday.
          d1: new Date('2021-01-01T00:00:00Z'),
          d2: new Date('2021-01-03T00:00:00Z'),
          d3: new Date('2021-01-09T23:00:00Z'),
          d4: new Date('2021-12-31T00:00:00Z'),
          d5: new Date('2023-01-01T00:00:00Z'),
        },
      });
    });
    const week = (field: string): Data => ({ $week: `$${field}` });
    expect(
      await project(
        { w1: week('d1'), w2: week('d2'), w3: week('d3'), w4: week('d4'), w5: week('d5') },
        'dates',
      ),
    ).toEqual({ w1: 0, w2: 1, w3: 1, w4: 52, w5: 1 });
    // In China time 2021-01-09T23:00Z is already Sunday the 10th: week 2.
    expect(
      await project({ w: { $week: { date: '$d3', timezone: 'Asia/Shanghai' } } }, 'dates'),
    ).toEqual({ w: 2 });
  });

  it('$indexOfCP counts code points, from an optional start; -1 when absent', async () => {
    expect(
      await project(
        {
          b: { $indexOfCP: ['$name', 'b'] },
          hao: { $indexOfCP: ['$name', '号', 1] },
          none: { $indexOfCP: ['$name', 'q'] },
        },
        'plain',
      ),
    ).toEqual({ b: 2, hao: 3, none: -1 });
  });

  it('$substr and $substrBytes with length -1 take the rest of the string', async () => {
    expect(
      await project(
        { a: { $substr: ['$code', 2, -1] }, b: { $substrBytes: ['$code', 1, -1] } },
        'plain',
      ),
    ).toEqual({ a: 'cdef', b: 'bcdef' });
    // Bytes: each 汉字 is three.
    expect(await project({ b: { $substrBytes: ['$code', 3, -1] } }, 'docs')).toEqual({
      b: '码牌',
    });
  });
});

describe('add() with a field name beginning with $', () => {
  it("is refused as MongoDB refuses it ('… is not valid for storage'), and nothing is stored", async () => {
    for (const data of [
      { _id: 'd1', $set: 1 },
      { _id: 'd2', a: { b: [{ $gt: '' }] } },
    ]) {
      const err = await failure(
        runner.run(async (wx, doc) => {
          const db = wx.database() as unknown as Db;
          await db.collection('t_conf').add({ data: doc });
        }, data),
      );
      expect(err.errMsg).toMatch(
        /The dollar \(\$\) prefixed field '\$\w+' in '[\w.$]+' is not valid for storage/,
      );
    }
    expect(await ids({ _id: 'd1' })).toEqual([]);
    expect(await ids({ _id: 'd2' })).toEqual([]);
  });
});
