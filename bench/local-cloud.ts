/**
 * `npm run bench:local-cloud`: throughput of the local cloud, median of 5 runs each —
 * 1. callFunction round trips (POST /callFunction) to a trivial fixture function, warm instances;
 * 2. database writes through wx-server-sdk from one Node process (in memory, then on disk).
 * Request logging is off (LOCALCLOUD_LOG=0) so that the figures measure the emulator, not the terminal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callFunction, type LocalCloud, ROOT, sdk, startLocalCloud } from '../local-cloud/client';

/** The runtime tests' small functions (read as files, not imported): `counter` is the trivial one. */
const FIXTURE_FUNCTIONS = path.join(ROOT, 'test', 'fixtures', 'functions');
const RUNS = 5;
const CALLS = 400;
const WRITES = 1000;
const CONCURRENCY = 8;
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

function report(name: string, rates: number[]): void {
  const shown = rates.map((r) => r.toFixed(0)).join(', ');
  console.log(`${name}: median ${median(rates).toFixed(0)}/s  (runs: ${shown})`);
}

async function main(): Promise<void> {
  console.log(
    `local cloud benchmark — ${os.cpus().length} CPU(s), Node ${process.version}, concurrency ${CONCURRENCY}`,
  );
  const quiet = { LOCALCLOUD_LOG: '0', LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS };

  const memory = await startLocalCloud({ extraEnv: quiet });
  try {
    // Warm-up: the instances' cold starts are not what this measures.
    await inParallel(CONCURRENCY * 4, CONCURRENCY, async () => {
      await callFunction(memory, 'counter', {});
    });
    const calls: number[] = [];
    for (let run = 0; run < RUNS; run++) calls.push(await callThroughput(memory));
    report(`callFunction round trips (${CALLS} per run)`, calls);
    report(
      `db writes via wx-server-sdk, in memory (${WRITES} per run)`,
      await writeThroughput(memory, 'mem'),
    );
  } finally {
    await memory.stop();
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-bench-'));
  const disk = await startLocalCloud({ dataDir, extraEnv: quiet });
  try {
    report(
      `db writes via wx-server-sdk, on disk (${WRITES} per run)`,
      await writeThroughput(disk, 'disk'),
    );
  } finally {
    await disk.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
