/**
 * `npm run bench:local-cloud`: throughput of the local cloud, median of 5 runs each —
 * 1. callFunction round trips (POST /callFunction) to a trivial fixture function, warm instances;
 * 2. database writes through wx-server-sdk from one Node process (in memory, then on disk);
 * 3. a burst on disk: BURST inserts sent at once, then BURST updates of those documents at once, each
 *    write timed from send to acknowledgement (throughput and p99) — what group commit is for: the writes
 *    that arrive together share one fsync instead of queueing for one each.
 * Request logging is off (LOCALCLOUD_LOG=0) so that the figures measure the emulator, not the terminal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  callFunction,
  type LocalCloud,
  ROOT,
  sdk,
  startLocalCloud,
  stats,
} from '../local-cloud/client';

/** The runtime tests' small functions (read as files, not imported): `counter` is the trivial one. */
const FIXTURE_FUNCTIONS = path.join(ROOT, 'test', 'fixtures', 'functions');
const RUNS = 5;
const CALLS = 400;
const WRITES = 1000;
const CONCURRENCY = 8;
const BURST = Number(process.env.BENCH_BURST ?? 400);
/** `BENCH_PARTS=burst` runs only the burst (comparing storage changes). */
const PARTS = (process.env.BENCH_PARTS ?? 'calls,writes,burst').split(',');
const PROFILES = 'profiles';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('the median of no values');
  return middle;
}

async function inParallel(
  total: number,
  concurrency: number,
  task: () => Promise<void>,
): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        await task();
      }
    }),
  );
}

async function callThroughput(cloud: LocalCloud): Promise<number> {
  const started = performance.now();
  await inParallel(CALLS, CONCURRENCY, async () => {
    const outcome = await callFunction(cloud, 'counter', {});
    if (!('result' in outcome)) throw new Error(`call failed: ${outcome.errMsg}`);
  });
  return CALLS / ((performance.now() - started) / 1000);
}

async function writeThroughput(cloud: LocalCloud, label: string): Promise<number[]> {
  const runner = await sdk(cloud);
  try {
    // The benchmark's own collection: not the product's (server/database/schema.json), and the platform
    // does not create one on insert.
    await runner.run(
      async (c, args) => {
        await c.database().createCollection(args.collection);
      },
      { collection: PROFILES },
    );
    const rates: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const seconds = await runner.run(
        async (c, args) => {
          const collection = c.database().collection(args.collection);
          let next = 0;
          const started = Date.now();
          await Promise.all(
            Array.from({ length: args.concurrency }, async () => {
              while (next < args.writes) {
                const i = next++;
                await collection.add({ data: { bench: args.tag, i } });
              }
            }),
          );
          return (Date.now() - started) / 1000;
        },
        { writes: WRITES, concurrency: CONCURRENCY, tag: `${label}-${run}`, collection: PROFILES },
      );
      // The first run warms the SDK's connections and the engine; it is not counted.
      if (run > 0) rates.push(WRITES / seconds);
    }
    return rates;
  } finally {
    await runner.close();
  }
}

interface Burst {
  insertRate: number;
  insertP99: number;
  updateRate: number;
  updateP99: number;
}

/** BURST concurrent inserts, then BURST concurrent updates of them; per-write latency in ms. */
async function burst(cloud: LocalCloud, create: boolean): Promise<Burst[]> {
  // The SDK's HTTP agent warns about listeners when hundreds of requests share it; noise here.
  const runner = await sdk({ env: { ...cloud.env, NODE_NO_WARNINGS: '1' } });
  if (create)
    await runner.run(
      async (c, args) => {
        await c.database().createCollection(args.collection);
      },
      { collection: PROFILES },
    );
  // The function runs as source text in the SDK child: no named helpers inside (tsx would wrap them).
  const timed = async (kind: 'add' | 'update', ids: string[], tag: string) =>
    runner.run(
      async (c, args) => {
        const collection = c.database().collection(args.collection);
        const ms: number[] = [];
        const started = Date.now();
        const out = await Promise.all(
          Array.from({ length: args.n }, async (_, i) => {
            const t = Date.now();
            let id = args.ids[i] ?? '';
            if (args.kind === 'add') {
              const added = (await collection.add({ data: { burst: args.tag, i, v: 0 } })) as {
                _id: string;
              };
              id = added._id;
            } else {
              await collection.doc(id).update({ data: { v: 1 } });
            }
            ms.push(Date.now() - t);
            return id;
          }),
        );
        ms.sort((a, b) => a - b);
        return {
          rate: args.n / ((Date.now() - started) / 1000),
          p99: ms[Math.floor(ms.length * 0.99)] ?? NaN,
          ids: out,
        };
      },
      { n: BURST, kind, ids, tag, collection: PROFILES },
    );
  try {
    const figures: Burst[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const inserts = await timed('add', [], `burst-${run}`);
      const updates = await timed('update', inserts.ids, `burst-${run}`);
      // The first run warms the SDK's connections; it is not counted.
      if (run > 0)
        figures.push({
          insertRate: inserts.rate,
          insertP99: inserts.p99,
          updateRate: updates.rate,
          updateP99: updates.p99,
        });
    }
    return figures;
  } finally {
    await runner.close();
  }
}

function reportBurst(runs: Burst[], diskCommits: number): void {
  const med = (k: keyof Burst): string => median(runs.map((r) => r[k])).toFixed(0);
  // Every run's writes, the uncounted warm-up's too, over the disk transactions they took.
  const writes = 2 * BURST * (RUNS + 1);
  const perCommit = diskCommits > 0 ? (writes / diskCommits).toFixed(1) : 'n/a';
  console.log(
    `burst on disk, ${BURST} at once: inserts median ${med('insertRate')}/s p99 ${med('insertP99')} ms; ` +
      `updates median ${med('updateRate')}/s p99 ${med('updateP99')} ms; ${perCommit} writes per fsync`,
  );
}

function report(name: string, rates: number[]): void {
  const shown = rates.map((r) => r.toFixed(0)).join(', ');
  console.log(`${name}: median ${median(rates).toFixed(0)}/s  (runs: ${shown})`);
}

async function main(): Promise<void> {
  console.log(
    `local cloud benchmark — ${os.cpus().length} CPU(s), Node ${process.version}, concurrency ${CONCURRENCY}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const quiet = { LOCALCLOUD_LOG: '0', LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS };

  if (PARTS.includes('calls') || PARTS.includes('writes')) {
    const memory = await startLocalCloud({ extraEnv: quiet });
    try {
      if (PARTS.includes('calls')) {
        // Warm-up: the instances' cold starts are not what this measures.
        await inParallel(CONCURRENCY * 4, CONCURRENCY, async () => {
          await callFunction(memory, 'counter', {});
        });
        const calls: number[] = [];
        for (let run = 0; run < RUNS; run++) calls.push(await callThroughput(memory));
        report(`callFunction round trips (${CALLS} per run)`, calls);
      }
      if (PARTS.includes('writes'))
        report(
          `db writes via wx-server-sdk, in memory (${WRITES} per run)`,
          await writeThroughput(memory, 'mem'),
        );
    } finally {
      await memory.stop();
    }
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-bench-'));
  const disk = await startLocalCloud({ dataDir, extraEnv: quiet });
  try {
    if (PARTS.includes('writes'))
      report(
        `db writes via wx-server-sdk, on disk (${WRITES} per run)`,
        await writeThroughput(disk, 'disk'),
      );
    if (PARTS.includes('burst')) {
      const before = await stats(disk);
      const figures = await burst(disk, !PARTS.includes('writes'));
      const after = await stats(disk);
      reportBurst(figures, after.diskCommits - before.diskCommits);
    }
  } finally {
    await disk.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
