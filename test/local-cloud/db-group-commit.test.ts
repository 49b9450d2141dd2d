/**
 * Group commit (local-cloud/src/db/store.ts): writes that arrive together share one disk transaction and
 * its fsync, and each is acknowledged only after that fsync — so `kill -9` in the middle of a burst of
 * 2,000 simultaneous inserts (no latency: they reach the store together) loses none that was
 * acknowledged. The guarantee is the one db-crash.test.ts checks for mixed writes and transactions; this
 * test is the burst that group commit exists for, and it also sees the sharing itself (`diskCommits` in
 * `GET /stats` far below the writes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Data, Db } from './support/db-sdk';
import { sdk, startLocalCloud, stats } from '../../local-cloud/client';

const WRITES = 2_000;

jest.setTimeout(120_000);

describe('group commit', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-group-commit-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const options = (): Parameters<typeof startLocalCloud>[0] => ({
    dataDir: path.join(dir, 'data'),
    extraEnv: { LOCALCLOUD_LOG: '0' },
  });
  // The SDK's HTTP agent warns about listeners when thousands of requests share it; noise here.
  const sdkOf = (c: { env: Record<string, string> }) =>
    sdk({ env: { ...c.env, NODE_NO_WARNINGS: '1' } });

  it('writes a burst of simultaneous inserts in far fewer fsyncs than writes', async () => {
    const cloud = await startLocalCloud(options());
    const runner = await sdkOf(cloud);
    try {
      await runner.run(async (wx) => {
        await (wx.database() as unknown as Db).createCollection('burst');
      });
      const before = await stats(cloud);
      const acked = await runner.run(
        async (wx, args) => {
          const burst = (wx.database() as unknown as Db).collection('burst');
          const done = await Promise.all(
            Array.from({ length: args.n }, (_, i) => burst.add({ data: { _id: `b-${i}`, i } })),
          );
          return done.length;
        },
        { n: 400 },
      );
      const after = await stats(cloud);
      const commits = after.diskCommits - before.diskCommits;
      expect(acked).toBe(400);
      expect(commits).toBeGreaterThan(0);
      // One per write without grouping; the burst shares them.
      expect(commits).toBeLessThan(400 / 4);
    } finally {
      await runner.close();
      await cloud.stop();
    }
  });

  it('loses no acknowledged insert of a burst when killed with SIGKILL in the middle', async () => {
    const progress = path.join(dir, 'acknowledged');
    fs.writeFileSync(progress, '');
    const first = await startLocalCloud(options());
    const runner = await sdkOf(first);
    await runner.run(async (wx) => {
      await (wx.database() as unknown as Db).createCollection('burst');
    });
    const killAfter = 200 + Math.floor(Math.random() * 1_200);
    const firing = runner.run(
      async (wx, args) => {
        const burst = (wx.database() as unknown as Db).collection('burst');
        // `require` is a global of the SDK child (a `node -e` script); the fs module reports progress.
        const fsx = (
          require as (id: string) => { appendFileSync(file: string, text: string): void }
        )('fs');
        return Promise.all(
          Array.from({ length: args.n }, (_, i) =>
            burst.add({ data: { _id: `b-${i}`, i, payload: 'x'.repeat(100) } }).then(
              () => {
                fsx.appendFileSync(args.progress, '.');
                return i;
              },
              () => -1,
            ),
          ),
        );
      },
      { n: WRITES, progress },
    );
    const state = { settled: false };
    void firing.finally(() => (state.settled = true));
    while (!state.settled && fs.statSync(progress).size < killAfter) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await first.kill9();
    const acknowledged = (await firing).filter((i) => i >= 0);
    await runner.close();

    const second = await startLocalCloud(options());
    const reader = await sdkOf(second);
    try {
      const stored = await reader.run(async (wx) => {
        const burst = (wx.database() as unknown as Db).collection('burst');
        const all: Data[] = [];
        for (;;) {
          const page = await burst.skip(all.length).limit(1_000).get();
          all.push(...page.data);
          if (page.data.length < 1_000) return all;
        }
      });
      const byId = new Map(stored.map((d) => [String(d._id), d]));
      const lost = acknowledged.filter((i) => !byId.has(`b-${i}`));
      const torn = stored.filter((d) => String(d.payload).length !== 100);
      console.log(
        `group commit kill -9: ${acknowledged.length}/${WRITES} acknowledged, ${stored.length} stored after restart`,
      );
      expect(lost).toEqual([]);
      expect(torn).toEqual([]);
      // The kill landed mid-burst.
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.length).toBeLessThan(WRITES);
    } finally {
      await reader.close();
      await second.stop();
    }
  });
});
