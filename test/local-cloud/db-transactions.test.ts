/**
 * Transactions through the real wx-server-sdk 4.0.2: runTransaction and startTransaction, snapshot
 * reads, conflicts, locks (and ordinary writes waiting on them), the 30 s limit, what may run inside a
 * transaction, and what the SDK retries.
 *
 * Pages: https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/transaction.html (事务:
 * 快照隔离, 事务锁, 单记录操作), .../reference-sdk-api/database/Database.runTransaction.html,
 * .../reference-sdk-api/database/Database.startTransaction.html,
 * https://docs.cloudbase.net/error-code/DATABASE_TRANSACTION_CONFLICT; the service's own answers as
 * asserted by @cloudbase/node-sdk's transaction tests ("冲突检测", "读快照", "读偏", "事务提交后, 不能进行其它操作").
 */
import { failure, type Data, type Db } from './support/db-sdk';
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../local-cloud/client';

jest.setTimeout(90_000);

let cloud: LocalCloud;
let runner: SdkRunner;

const CONFLICT =
  '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by ' +
  'others. Please check your request, but if the problem persists, contact us.';
const NOT_EXIST =
  '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction ' +
  'must be commit or abort in 30 seconds. Please check your request, but if the problem persists, ' +
  'contact us.';

beforeAll(async () => {
  cloud = await startLocalCloud();
  runner = await sdk(cloud);
  await runner.run(async (wx) => {
    const db = wx.database() as unknown as Db;
    await db.createCollection('t_tx');
  });
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

let serial = 0;
/** Creates accounts with the given balances; answers their ids, one per balance. */
async function accounts<const B extends readonly number[]>(
  ...balances: B
): Promise<{ [K in keyof B]: string }> {
  // map keeps the length; TypeScript cannot see that a tuple stays one.
  const ids = balances.map(() => `acc${++serial}`) as { [K in keyof B]: string };
  await runner.run(
    async (wx, docs) => {
      const db = wx.database() as unknown as Db;
      await db.collection('t_tx').add({ data: docs });
    },
    ids.map((id, i) => ({ _id: id, balance: balances[i] })),
  );
  return ids;
}

async function balances(ids: readonly string[]): Promise<unknown[]> {
  return runner.run(async (wx, all) => {
    const db = (wx.database as (c: object) => unknown)({ throwOnNotFound: false }) as Db;
    return Promise.all(
      all.map(async (id) => (await db.collection('t_tx').doc(id).get()).data?.balance),
    );
  }, ids);
}

describe('Database.runTransaction', () => {
  it('commits every write of the callback together and resolves with its value', async () => {
    const [a, b] = await accounts(100, 0);
    const value = await runner.run(
      async (wx, ids) => {
        const db = wx.database() as unknown as Db;
        const _ = db.command;
        return db.runTransaction(async (t) => {
          const from = await t.collection('t_tx').doc(ids[0]).get();
          await t
            .collection('t_tx')
            .doc(ids[0])
            .update({ data: { balance: _.inc(-30) } });
          await t
            .collection('t_tx')
            .doc(ids[1])
            .update({ data: { balance: _.inc(30) } });
          await t.collection('t_tx').add({ data: { _id: `log-${ids[0]}`, amount: 30 } });
          return { before: from.data?.balance };
        });
      },
      [a, b],
    );
    expect(value).toEqual({ before: 100 });
    expect(await balances([a, b, `log-${a}`])).toEqual([70, 30, undefined]);
  });

  it('writes nothing when the callback throws, and rejects with what it threw', async () => {
    const [a] = await accounts(100);
    const err = await failure(
      runner.run(async (wx, id) => {
        const db = wx.database() as unknown as Db;
        await db.runTransaction(async (t) => {
          await t
            .collection('t_tx')
            .doc(id)
            .update({ data: { balance: 0 } });
          await t.collection('t_tx').add({ data: { _id: `${id}-new` } });
          throw new Error('insufficient funds');
        });
      }, a),
    );
    expect(err.message).toBe('insufficient funds');
    expect(await balances([a])).toEqual([100]);
  });

  // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/transaction/Transaction.rollback.html
  it('writes nothing after transaction.rollback(reason), and rejects with the reason', async () => {
    const [a] = await accounts(100);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      try {
        await db.runTransaction(async (t) => {
          await t
            .collection('t_tx')
            .doc(id)
            .update({ data: { balance: 1 } });
          await t.rollback({ reason: 'changed my mind' });
        });
        return 'resolved';
      } catch (e) {
        return e;
      }
    }, a);
    expect(out).toEqual({ reason: 'changed my mind' });
    expect(await balances([a])).toEqual([100]);
  });
});

describe('Database.startTransaction', () => {
  it('commits on commit() and discards on rollback()', async () => {
    const [a, b] = await accounts(10, 10);
    await runner.run(
      async (wx, ids) => {
        const db = wx.database() as unknown as Db;
        const kept = await db.startTransaction();
        await kept
          .collection('t_tx')
          .doc(ids[0])
          .set({ data: { balance: 11 } });
        await kept.commit();
        const dropped = await db.startTransaction();
        await dropped.collection('t_tx').doc(ids[1]).remove();
        await dropped.rollback();
      },
      [a, b],
    );
    expect(await balances([a, b])).toEqual([11, 10]);
  });

  it('refuses any call on a transaction after it ended (DATABASE_TRANSACTION_FAIL)', async () => {
    const [a] = await accounts(10);
    const err = await failure(
      runner.run(async (wx, id) => {
        const db = wx.database() as unknown as Db;
        const t = await db.startTransaction();
        await t.commit();
        await t
          .collection('t_tx')
          .doc(id)
          .set({ data: { balance: 0 } });
      }, a),
    );
    expect(err).toMatchObject({
      errCode: -501001,
      errMsg: `document.set:fail -501001 resource system error. ${NOT_EXIST}`,
    });
  });
});

describe('snapshot isolation', () => {
  it('shows a transaction its own writes and nobody else until commit ("读快照")', async () => {
    const [a] = await accounts(5);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      const t = await db.startTransaction();
      await t
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: 6 } });
      await t.collection('t_tx').add({ data: { _id: `${id}-added`, balance: 1 } });
      const inside = [
        (await t.collection('t_tx').doc(id).get()).data?.balance,
        (await t.collection('t_tx').doc(`${id}-added`).get()).data?.balance,
      ];
      const quiet = (wx.database as (c: object) => unknown)({ throwOnNotFound: false }) as Db;
      const outside = [
        (await quiet.collection('t_tx').doc(id).get()).data?.balance,
        (await quiet.collection('t_tx').doc(`${id}-added`).get()).data,
      ];
      await t.commit();
      const after = (await quiet.collection('t_tx').doc(`${id}-added`).get()).data?.balance;
      return { inside, outside, after };
    }, a);
    expect(out).toEqual({ inside: [6, 1], outside: [5, null], after: 1 });
  });

  it('reads every document as of its first read, and conflicts on writing one changed since ("读偏")', async () => {
    const [a, b] = await accounts(1, 2);
    const out = await runner.run(
      async (wx, ids) => {
        const db = wx.database() as unknown as Db;
        const [ida, idb] = [ids[0], ids[1]];
        const t = await db.startTransaction();
        const first = (await t.collection('t_tx').doc(ida).get()).data?.balance;
        await db
          .collection('t_tx')
          .doc(ida)
          .update({ data: { balance: 100 } });
        await db
          .collection('t_tx')
          .doc(idb)
          .update({ data: { balance: 200 } });
        const later = [
          (await t.collection('t_tx').doc(ida).get()).data?.balance,
          (await t.collection('t_tx').doc(idb).get()).data?.balance,
        ];
        let write = 'written';
        try {
          await t
            .collection('t_tx')
            .doc(ida)
            .update({ data: { balance: 3 } });
        } catch (e) {
          write = String((e as { errMsg?: string }).errMsg);
        }
        return { first, later, write };
      },
      [a, b],
    );
    expect(out).toEqual({
      first: 1,
      later: [1, 2],
      write: `document.update:fail -501001 resource system error. ${CONFLICT}`,
    });
    expect(await balances([a, b])).toEqual([100, 200]);
  });
});

describe('conflicts and locks', () => {
  it('fails a transaction writing a document another open transaction wrote ("冲突检测"), and ends it', async () => {
    const [a] = await accounts(50);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      const t1 = await db.startTransaction();
      const t2 = await db.startTransaction();
      await t1.collection('t_tx').doc(id).get();
      await t2
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: 51 } });
      let conflict = '';
      try {
        await t1
          .collection('t_tx')
          .doc(id)
          .update({ data: { balance: 49 } });
      } catch (e) {
        conflict = String((e as { errMsg?: string }).errMsg);
      }
      await t2.commit();
      // The conflict aborted t1: committing it finds nothing. (wx-server-sdk's commit() passes the
      // service's error through as is: `code` and `message`, no errCode.)
      let commit: unknown = 'committed';
      try {
        await t1.commit();
      } catch (e) {
        const err = e as { code?: string; message?: string };
        commit = { code: err.code, message: err.message };
      }
      return { conflict, commit };
    }, a);
    expect(out).toEqual({
      conflict: `document.update:fail -501001 resource system error. ${CONFLICT}`,
      commit: { code: 'DATABASE_TRANSACTION_FAIL', message: NOT_EXIST },
    });
    expect(await balances([a])).toEqual([51]);
  });

  it('makes an ordinary write to a locked document wait for the commit, then apply on top', async () => {
    const [a] = await accounts(0);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const t = await db.startTransaction();
      await t
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: _.inc(1) } });
      let done = false;
      const ordinary = db
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: _.inc(10) } })
        .then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const whileLocked = { done, seen: (await db.collection('t_tx').doc(id).get()).data?.balance };
      await t.commit();
      await ordinary;
      return { whileLocked, after: (await db.collection('t_tx').doc(id).get()).data?.balance };
    }, a);
    expect(out).toEqual({ whileLocked: { done: false, seen: 0 }, after: 11 });
  });

  it('releases the locks on rollback', async () => {
    const [a] = await accounts(0);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      const t = await db.startTransaction();
      await t
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: _.inc(1) } });
      const ordinary = db
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: _.inc(10) } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await t.rollback();
      await ordinary;
      return (await db.collection('t_tx').doc(id).get()).data?.balance;
    }, a);
    expect(out).toBe(10);
  });

  it('ends a transaction after 30 s of emulated time: its locks go, its calls fail', async () => {
    const [a] = await accounts(0);
    const out = await runner.run(
      async (wx, args) => {
        const db = wx.database() as unknown as Db;
        const _ = db.command;
        const t = await db.startTransaction();
        await t
          .collection('t_tx')
          .doc(args.id)
          .update({ data: { balance: _.inc(1) } });
        const ordinary = db
          .collection('t_tx')
          .doc(args.id)
          .update({ data: { balance: _.inc(10) } });
        const clock = (await (await fetch(`${args.url}/clock`)).json()) as { now: number };
        await fetch(`${args.url}/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ now: clock.now + 30_500 }),
        });
        await ordinary;
        let commit: unknown = 'committed';
        try {
          await t.commit();
        } catch (e) {
          commit = (e as { code?: string }).code;
        }
        return { commit, balance: (await db.collection('t_tx').doc(args.id).get()).data?.balance };
      },
      { id: a, url: cloud.url },
    );
    expect(out).toEqual({ commit: 'DATABASE_TRANSACTION_FAIL', balance: 10 });
  });

  it('keeps the sum when 30 concurrent transfers race (each retried by its caller on conflict)', async () => {
    const ids = await accounts(1000, 1000, 1000);
    const attempts = await runner.run(async (wx, all) => {
      const db = wx.database() as unknown as Db;
      const _ = db.command;
      let tries = 0;
      const transfer = async (i: number): Promise<void> => {
        const from = all[i % 3];
        const to = all[(i + 1) % 3];
        if (from === undefined || to === undefined) throw new Error(`no account for transfer ${i}`);
        for (;;) {
          tries++;
          try {
            await db.runTransaction(async (t) => {
              const source = await t.collection('t_tx').doc(from).get();
              if (Number(source.data?.balance) < 7) throw new Error('insufficient');
              await t
                .collection('t_tx')
                .doc(from)
                .update({ data: { balance: _.inc(-7) } });
              await t
                .collection('t_tx')
                .doc(to)
                .update({ data: { balance: _.inc(7) } });
            });
            return;
          } catch (e) {
            if (!String((e as { errMsg?: string }).errMsg).includes('TransactionConflict')) throw e;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
          }
        }
      };
      await Promise.all(Array.from({ length: 30 }, (_x, i) => transfer(i)));
      return tries;
    }, ids);
    const after = (await balances(ids)) as number[];
    expect(after.reduce((sum, n) => sum + n, 0)).toBe(3000);
    // Each account sent 10 transfers of 7 and received 10.
    expect(after).toEqual([1000, 1000, 1000]);
    expect(attempts).toBeGreaterThanOrEqual(30);
  });
});

describe('what runs inside a transaction ("单记录操作")', () => {
  it('refuses a where() query on the transaction (-502002) and aborts it', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const t = await db.startTransaction();
      let query = '';
      try {
        await t.collection('t_tx').where({ balance: 1 }).get();
      } catch (e) {
        const err = e as { errCode?: number; errMsg?: string };
        query = `${String(err.errCode)} ${String(err.errMsg)}`;
      }
      let commit: unknown = 'committed';
      try {
        await t.commit();
      } catch (e) {
        commit = (e as { code?: string }).code;
      }
      return { query, commit };
    });
    expect(out.query).toContain('-502002 collection.get:fail -502002 database invalid command.');
    expect(out.query).toContain('is not supported in a transaction');
    expect(out.commit).toBe('DATABASE_TRANSACTION_FAIL');
  });

  // The same holds for count() and aggregate(): @cloudbase/database sends no transactionId with them.
  it('runs a where().update() called on the transaction OUTSIDE it (the SDK sends no transaction id)', async () => {
    const [a] = await accounts(1);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      try {
        await db.runTransaction(async (t) => {
          await t
            .collection('t_tx')
            .where({ _id: id })
            .update({ data: { balance: 2 } });
          throw new Error('abort');
        });
      } catch {
        // expected
      }
      return (await db.collection('t_tx').doc(id).get()).data?.balance;
    }, a);
    // Not rolled back: it was never part of the transaction.
    expect(out).toBe(2);
  });
});

describe('what wx-server-sdk 4.0.2 retries', () => {
  it('does not retry a conflict raised by an operation in the callback: the caller sees it once', async () => {
    const [a] = await accounts(0);
    const out = await runner.run(async (wx, id) => {
      const db = wx.database() as unknown as Db;
      const holder = await db.startTransaction();
      await holder
        .collection('t_tx')
        .doc(id)
        .update({ data: { balance: 1 } });
      let runs = 0;
      let error = '';
      try {
        await db.runTransaction(async (t) => {
          runs++;
          await t
            .collection('t_tx')
            .doc(id)
            .update({ data: { balance: 2 } });
        });
      } catch (e) {
        error = String((e as { errMsg?: string }).errMsg);
      }
      await holder.rollback();
      return { runs, error };
    }, a);
    // Its DocumentReference wrapper turns { code } into { errCode: -501001, errMsg }, and runTransaction
    // retries only on `code === 'DATABASE_TRANSACTION_CONFLICT'`.
    expect(out).toEqual({
      runs: 1,
      error: `document.update:fail -501001 resource system error. ${CONFLICT}`,
    });
  });

  it('reruns the callback when it throws { code: DATABASE_TRANSACTION_CONFLICT }: 4 runs with the default times = 3', async () => {
    const out = await runner.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      let runs = 0;
      let error: unknown;
      try {
        await db.runTransaction(async () => {
          runs++;
          await Promise.resolve();
          throw Object.assign(new Error('simulated'), { code: 'DATABASE_TRANSACTION_CONFLICT' });
        });
      } catch (e) {
        error = (e as Data).code;
      }
      return { runs, error };
    });
    expect(out).toEqual({ runs: 4, error: 'DATABASE_TRANSACTION_CONFLICT' });
  });
});
