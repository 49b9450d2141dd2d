/**
 * Aggregation through the real wx-server-sdk, for the statistics pages: match, group, sort, project,
 * count, lookup, and the platform's page limits for aggregate().end().
 *
 * Pages: https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/aggregate/Aggregate.html
 * (and .../aggregate/Aggregate.limit.html); the 20-document default: "云函数端Aggregate聚合操作limit默认20条限制",
 * https://developers.weixin.qq.com/community/develop/article/doc/000624c67c8b48611dba2b12058c13
 */
import type { Data, Db } from './support/db-sdk';
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../local-cloud/client';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;

const STATUSES = ['booked', 'checked_in', 'served', 'cancelled', 'no_show'];

beforeAll(async () => {
  cloud = await startLocalCloud();
  runner = await sdk(cloud);
  const docs: Data[] = [];
  for (let i = 0; i < 60; i++) {
    docs.push({
      _id: `s${String(i).padStart(2, '0')}`,
      serviceId: i % 2 === 0 ? 'siming-violation' : 'huli-licence',
      date: `2026-12-0${1 + (i % 3)}`,
      status: STATUSES[i % 5],
      number: i,
    });
  }
  await runner.run(async (wx, data) => {
    const db = wx.database() as unknown as Db;
    await db.createCollection('t_stats');
    await db.collection('t_stats').add({ data });
    await db.collection('services').add({
      data: [
        { _id: 'siming-violation', name: '交通违法处理' },
        { _id: 'huli-licence', name: '驾驶证业务' },
      ],
    });
  }, docs);
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

describe('Collection.aggregate', () => {
  it('groups matched documents and sorts the groups', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const $ = _.aggregate;
      return db
        .collection('t_stats')
        .aggregate()
        .match({ status: _.in(['booked', 'served']), date: '2026-12-01' })
        .group({ _id: '$serviceId', count: $.sum(1), numbers: $.push('$number') })
        .sort({ count: -1, _id: 1 })
        .end();
    });
    // date 2026-12-01: i % 3 === 0; booked: i % 5 === 0; served: i % 5 === 2.
    // i in 0..59 with i%3==0 and i%5 in {0,2}: 0, 12, 15, 27, 30, 42, 45, 57.
    expect(out).toEqual({
      list: [
        { _id: 'huli-licence', count: 4, numbers: [15, 27, 45, 57] },
        { _id: 'siming-violation', count: 4, numbers: [0, 12, 30, 42] },
      ],
      errMsg: 'collection.aggregate:ok',
    });
  });

  it('counts and projects', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const counted = await db
        .collection('t_stats')
        .aggregate()
        .match({ status: 'cancelled' })
        .count('n')
        .end();
      const projected = await db
        .collection('t_stats')
        .aggregate()
        .match({ _id: 's07' })
        .project({ _id: 0, day: '$date', label: { $concat: ['A', { $toString: '$number' }] } })
        .end();
      return [counted.list, projected.list];
    });
    expect(out).toEqual([[{ n: 12 }], [{ day: '2026-12-02', label: 'A7' }]]);
  });

  it('joins another collection with lookup', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      return (
        await db
          .collection('t_stats')
          .aggregate()
          .match({ _id: 's01' })
          .lookup({ from: 'services', localField: 'serviceId', foreignField: '_id', as: 'service' })
          .project({ _id: 1, name: { $arrayElemAt: ['$service.name', 0] } })
          .end()
      ).list;
    });
    expect(out).toEqual([{ _id: 's01', name: '驾驶证业务' }]);
  });

  it('answers at most 20 documents without a limit stage, and up to the limit with one', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const plain = await db.collection('t_stats').aggregate().match({}).end();
      const limited = await db.collection('t_stats').aggregate().match({}).limit(50).end();
      return [plain.list.length, limited.list.length];
    });
    expect(out).toEqual([20, 50]);
  });

  it('leaves a missing field out of an expression object, and makes a missing array element null', async () => {
    // MongoDB: a document never holds a missing value; "Project New Array Fields" in the $project
    // reference: a non-existent field in an array expression is null.
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      return (
        await db
          .collection('t_stats')
          .aggregate()
          .match({ _id: _.in(['s00', 's03']) })
          .group({
            _id: '$date',
            seen: { $push: { n: '$number', absent: '$nowhere', deep: '$nowhere.at' } },
          })
          .project({ _id: 0, seen: 1, pair: ['$_id', '$nowhere'] })
          .limit(10)
          .end()
      ).list;
    });
    expect(out).toEqual([{ seen: [{ n: 0 }, { n: 3 }], pair: ['2026-12-01', null] }]);
  });
});
