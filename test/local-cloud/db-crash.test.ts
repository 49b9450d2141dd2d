/**
 * Durability under a crash: the local cloud (real CLI, durable data directory) takes 1,000 concurrent
 * writes through the real wx-server-sdk — adds, single-document updates, increments of one shared
 * document and money transfers in transactions — and is killed with SIGKILL in the middle, at a random
 * point (after a random number of acknowledgements, which the SDK side reports through a file). Restarted
 * on the same directory it must hold every acknowledged write, and nothing half-applied: each transfer
 * moved its amount and wrote its ledger entry together, or did neither.
 *
 * CRASH_ROUNDS sets how many rounds run (default 3; the acceptance run is CRASH_ROUNDS=20).
 *
 * The platform promise it emulates: an acknowledged write is durable, and a transaction's commit is
 * atomic ("事务提交后，操作完毕的快照会被原子性地写入数据库中",
 * https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/transaction.html).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Data, Db } from './support/db-sdk';
import { sdk, startLocalCloud } from '../../local-cloud/client';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? '3');
const ACCOUNTS = 100;
const BALANCE = 1_000;
const ADDS = 550;
const UPDATES = 300;
const INCREMENTS = 100;
const TRANSFERS = 50;

jest.setTimeout(60_000 + ROUNDS * 60_000);

interface Outcome {
  kind: 'add' | 'update' | 'inc' | 'transfer';
  key: number;
  ok: boolean;
}

interface Transfer {
  from: number;
  to: number;
  amount: number;
}

/** The transfers, fixed per round so the verifier knows what each ledger entry stands for. */
function plannedTransfers(): Transfer[] {
  return Array.from({ length: TRANSFERS }, (_x, j) => {
    const from = Math.floor(Math.random() * ACCOUNTS);
    const to = (from + 1 + Math.floor(Math.random() * (ACCOUNTS - 1))) % ACCOUNTS;
    return { from, to, amount: 1 + ((j * 7) % 50) };
  });
}

async function round(n: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-crash-'));
  const progress = path.join(dir, 'acknowledged');
  const data = path.join(dir, 'data');
  // Some latency spreads the writes out, so that the kill finds many of them in flight.
  const options = {
    dataDir: data,
    extraEnv: { LOCALCLOUD_LOG: '0', LOCALCLOUD_LATENCY_MS: '0-10' },
  };
  // The SDK's HTTP agent warns about listeners when a thousand requests share it; noise here.
  const sdkOf = (c: { env: Record<string, string> }) =>
    sdk({ env: { ...c.env, NODE_NO_WARNINGS: '1' } });
  try {
    const first = await startLocalCloud(options);
    const runner = await sdkOf(first);
    await runner.run(
      async (wx, setup) => {
        const db = wx.database() as unknown as Db;
        await db.createCollection('crash');
        const docs: Data[] = [{ _id: 'counter', n: 0 }];
        for (let a = 0; a < setup.accounts; a++)
          docs.push({ _id: `acc-${a}`, balance: setup.balance });
        for (let u = 0; u < setup.updates; u++) docs.push({ _id: `u-${u}`, done: false });
        await db.collection('crash').add({ data: docs });
      },
      { accounts: ACCOUNTS, balance: BALANCE, updates: UPDATES },
    );

    const transfers = plannedTransfers();
    fs.writeFileSync(progress, '');
    const killAfter = 150 + Math.floor(Math.random() * 750);
    const firing = runner.run(
      async (wx, plan) => {
        const db = wx.database() as unknown as Db;
        const _ = db.command;
        const crash = db.collection('crash');
        // `require` is a global of the SDK child (a `node -e` script); the fs module reports progress.
        const fsx = (
          require as (id: string) => { appendFileSync(file: string, text: string): void }
        )('fs');
        const ops: Promise<{ kind: string; key: number; ok: boolean }>[] = [];
        const track = (kind: string, key: number, op: () => Promise<unknown>): void => {
          ops.push(
            op().then(
              () => {
                fsx.appendFileSync(plan.progress, '.');
                return { kind, key, ok: true };
              },
              () => ({ kind, key, ok: false }),
            ),
          );
        };
        // A transfer retries its conflicts (wx-server-sdk does not), until the crash stops it.
        const transfer = async (
          i: number,
          t: { from: number; to: number; amount: number },
        ): Promise<void> => {
          for (let attempt = 0; ; attempt++) {
            try {
              await db.runTransaction(async (tx) => {
                const from = await tx.collection('crash').doc(`acc-${t.from}`).get();
                if (Number(from.data?.balance) < t.amount) throw new Error('insufficient');
                await tx
                  .collection('crash')
                  .doc(`acc-${t.from}`)
                  .update({ data: { balance: _.inc(-t.amount) } });
                await tx
                  .collection('crash')
                  .doc(`acc-${t.to}`)
                  .update({ data: { balance: _.inc(t.amount) } });
                await tx.collection('crash').add({ data: { _id: `ledger-${i}`, ...t } });
              });
              return;
            } catch (e) {
              const conflict = String((e as { errMsg?: string }).errMsg).includes(
                'TransactionConflict',
              );
              if (!conflict || attempt >= 50) throw e;
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
            }
          }
        };
        // Interleaved and spread over time (a pause every 2), so that the kill lands among all kinds of
        // writes, with some transfers done and others in flight.
        for (let i = 0; i < 1_000; i++) {
          if (i % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
          if (i < plan.adds)
            track('add', i, () =>
              crash.add({ data: { _id: `add-${i}`, i, payload: 'x'.repeat(200) } }),
            );
          if (i < plan.updates)
            track('update', i, () => crash.doc(`u-${i}`).update({ data: { done: true, op: i } }));
          if (i < plan.increments)
            track('inc', i, () => crash.doc('counter').update({ data: { n: _.inc(1) } }));
          const j = i / 5;
          const t = Number.isInteger(j) ? plan.transfers[j] : undefined;
          if (t !== undefined) track('transfer', j, () => transfer(j, t));
        }
        return Promise.all(ops);
      },
      { adds: ADDS, updates: UPDATES, increments: INCREMENTS, transfers, progress },
    );

    // Kill as soon as `killAfter` writes were acknowledged (or all settled, which fails the round).
    const state = { settled: false };
    void firing.finally(() => (state.settled = true));
    while (!state.settled && fs.statSync(progress).size < killAfter) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await first.kill9();
    const outcomes = (await firing) as Outcome[];
    await runner.close();

    const second = await startLocalCloud(options);
    const reader = await sdkOf(second);
    const stored = await reader.run(async (wx) => {
      const db = wx.database() as unknown as Db;
      const all: Data[] = [];
      for (;;) {
        const page = await db.collection('crash').skip(all.length).limit(1_000).get();
        all.push(...page.data);
        if (page.data.length < 1_000) return all;
      }
    });
    await reader.close();
    await second.stop();

    const acked = (kind: Outcome['kind']): number[] =>
      outcomes.filter((o) => o.kind === kind && o.ok).map((o) => o.key);
    const byId = new Map(stored.map((doc) => [String(doc._id), doc]));
    const problems: string[] = [];

    // Every acknowledged add is there, whole; any other add is whole or absent.
    for (const i of acked('add')) if (!byId.has(`add-${i}`)) problems.push(`lost add-${i}`);
    for (const [id, doc] of byId) {
      if (
        id.startsWith('add-') &&
        (doc.i !== Number(id.slice(4)) || String(doc.payload).length !== 200)
      ) {
        problems.push(`torn ${id}`);
      }
    }
    // Every acknowledged update is there; an unacknowledged one applied whole or not at all.
    for (const i of acked('update'))
      if (byId.get(`u-${i}`)?.done !== true) problems.push(`lost update u-${i}`);
    for (let u = 0; u < UPDATES; u++) {
      const doc = byId.get(`u-${u}`);
      if (!doc) problems.push(`missing u-${u}`);
      else if (doc.done === true ? doc.op !== u : 'op' in doc) problems.push(`torn u-${u}`);
    }
    // The counter holds every acknowledged increment and no more than were sent.
    const counter = Number(byId.get('counter')?.n);
    const incAcked = acked('inc').length;
    const incSent = outcomes.filter((o) => o.kind === 'inc').length;
    if (!(counter >= incAcked && counter <= incSent)) {
      problems.push(`counter ${counter} outside [${incAcked}, ${incSent}]`);
    }
    // Transfers: every acknowledged one has its ledger entry, and the balances are exactly the
    // initial ones moved by the ledger entries present (all of a transfer or none of it).
    for (const i of acked('transfer'))
      if (!byId.has(`ledger-${i}`)) problems.push(`lost transfer ${i}`);
    const expected = Array.from({ length: ACCOUNTS }, () => BALANCE);
    transfers.forEach((t, i) => {
      if (!byId.has(`ledger-${i}`)) return;
      expected[t.from] = (expected[t.from] ?? 0) - t.amount;
      expected[t.to] = (expected[t.to] ?? 0) + t.amount;
    });
    const balances = Array.from({ length: ACCOUNTS }, (_x, a) => byId.get(`acc-${a}`)?.balance);
    if (JSON.stringify(balances) !== JSON.stringify(expected)) {
      problems.push(`balances ${JSON.stringify(balances)} != ledger ${JSON.stringify(expected)}`);
    }
    // Nothing that was never written.
    const known = /^(counter|acc-\d+|u-\d+|add-\d+|ledger-\d+)$/;
    for (const id of byId.keys()) if (!known.test(id)) problems.push(`unexpected ${id}`);

    const total = outcomes.filter((o) => o.ok).length;
    console.log(
      `crash round ${n}: killed after ${killAfter}+ acknowledgements; ${total}/${outcomes.length} writes ` +
        `acknowledged (adds ${acked('add').length}, updates ${acked('update').length}, increments ` +
        `${incAcked}, transfers ${acked('transfer').length}); ${stored.length} documents after restart`,
    );
    expect(problems).toEqual([]);
    // The kill landed mid-stream: some writes were acknowledged and some were not.
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(outcomes.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('kill -9 in the middle of 1,000 concurrent writes', () => {
  for (let n = 1; n <= ROUNDS; n++) {
    it(`loses no acknowledged write and half-applies nothing (round ${n} of ${ROUNDS})`, async () => {
      await round(n);
    });
  }
});
