/**
 * `npm run bench:booking`: the release-time rush against the local cloud (一号难求: docs/rules.md, figures for scale).
 * Each implementation's calls start at the instant its day is released (R2: 00:00 seven days before, the
 * emulated clock set back to it), when every instance reads the day empty at once.
 * 2,000 `book` calls from 1,000 distinct people (each on their own WeChat account, two calls each; for
 * one person in five the second call repeats the first request id, as a retry after a lost answer) for
 * one day of 50 numbers, at a concurrency of 20 (the platform's instance cap), with 5–40 ms database
 * latency. The product's `booking` function and a naive read-then-write implementation (bench/naive-booking,
 * never shipped) run side by side in this process against the same local cloud, each on fresh days, and
 * so does the CEILING: the same 2,000 calls (same data, same accounts, same concurrency) to a function
 * that does nothing (bench/noop, never shipped) — what the local cloud itself allows on this machine now —
 * and the FLOOR (bench/floor, never shipped): the same calls to a function that sends exactly the requests
 * a correct booking needs (one read and one write for each of the first 50 calls, none for the rest,
 * answered as sold out) and computes nothing — what the database's latency alone allows.
 *
 * Printed per implementation (median of RUNS runs, correctness counts summed over all runs): bookings
 * made, overbooked, duplicate persons, duplicate numbers, lost numbers, database requests per successful
 * booking and per sold-out refusal (from the functions' own log lines, which count every request they
 * send, cached configuration reloads included), p50/p99 latency, the time inside the function (its log
 * line's `ms`, p50/p99), the CPU time per call of the local cloud's process (its instances included) and
 * of this caller, and throughput; then each throughput as a percentage of the same run's ceiling
 * and booking's as a percentage of the same run's floor (the median of the per-run ratios), booking's
 * slowest calls by outcome and by second since the release, and the load average.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { person, SERVICE } from './support/people';
import { logLines, median, percentile } from './support/figures';
import { releaseInstant } from '../server/domain/calendar';
import { DEFAULT_RULES } from '../server/domain/config';
import {
  callFunction,
  chinaTime,
  type LocalCloud,
  ROOT,
  sdk,
  type SdkRunner,
  setClock,
  startLocalCloud,
} from '../local-cloud/client';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PEOPLE = 1000;
const CONCURRENCY = 20;
const QUOTA = 50;
/** Open weekdays of the horizon seen on Tuesday 2026-12-01: one fresh day per run. */
const DAYS = ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08'];
const FUNCTIONS = path.join(ROOT, '.bench', 'functions');

interface Impl {
  label: string;
  fn: string;
  /** Where it books; none for the floor and the ceiling, whose bookings are not checked. */
  collection?: string;
  /** Logs a line per call with its requests (all but the ceiling). */
  logs: boolean;
}

const OURS: Impl = {
  label: 'booking (unique keys)',
  fn: 'booking',
  collection: 'bookings',
  logs: true,
};
const NAIVE: Impl = {
  label: 'naive read-then-write',
  fn: 'naive-booking',
  collection: 'naive_bookings',
  logs: true,
};
const FLOOR: Impl = { label: 'floor (2 requests a success, 0 a refusal)', fn: 'floor', logs: true };
const CEILING: Impl = { label: 'ceiling (no-op function)', fn: 'noop', logs: false };
const IMPLS = [OURS, NAIVE, FLOOR, CEILING];

/** Builds a bench-only function (bench/<dir>/index.ts) into the benchmark's functions root. */
async function buildBenchFunction(dir: string, name: string): Promise<void> {
  const out = path.join(FUNCTIONS, name);
  fs.mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'bench', dir, 'index.ts')],
    outfile: path.join(out, 'index.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node16',
    external: ['wx-server-sdk'],
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify({ timeout: 20 }));
  fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({ name }));
}

async function prepareFunctions(): Promise<void> {
  fs.rmSync(FUNCTIONS, { recursive: true, force: true });
  await buildBenchFunction('naive-booking', 'naive-booking');
  await buildBenchFunction('floor', 'floor');
  await buildBenchFunction('noop', 'noop');
  const product = path.join(ROOT, 'cloudfunctions', 'booking');
  if (!fs.existsSync(path.join(product, 'index.js'))) throw new Error('run `npm run build` first');
  fs.symlinkSync(product, path.join(FUNCTIONS, 'booking'), 'dir');
}

interface Call {
  openid: string;
  data: Record<string, unknown>;
}

/** One call as the caller saw it: its latency, when it started (ms since the run's first) and outcome. */
interface Timed {
  ms: number;
  at: number;
  outcome: string;
}

interface Answer {
  ok?: boolean;
  error?: { code?: string };
}

/**
 * CPU time (user and system) the process `pid` has used so far, in ms, from Linux's `/proc` (in clock
 * ticks of USER_HZ, 100 a second); NaN where there is no `/proc`.
 */
function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Booking's calls of every run, for where its slowest ones are. */
const slowest: Timed[][] = [];

/**
 * Booking's slowest 1 % of calls (those at or above each run's p99) by outcome and by the second of the
 * run they started in (the run starts at the day's release), summed over the runs.
 */
function slowestReport(): string {
  const byOutcome = new Map<string, number>();
  const bySecond = new Map<number, number>();
  let count = 0;
  for (const run of slowest) {
    const p99 = percentile(
      run.map((c) => c.ms).sort((a, b) => a - b),
      99,
    );
    for (const c of run.filter((x) => x.ms >= p99)) {
      count += 1;
      byOutcome.set(c.outcome, (byOutcome.get(c.outcome) ?? 0) + 1);
      const second = Math.floor(c.at / 1000);
      bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
    }
  }
  const list = <K>(m: Map<K, number>, name: (k: K) => string): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${name(k)} ${n}`)
      .join(', ');
  return [
    `booking's ${count} calls at or above its p99, by outcome: ${list(byOutcome, String)}`,
    `  by second since the release they started in: ${list(bySecond, (s) => `${s}–${s + 1} s`)}`,
  ].join('\n');
}

/** 2,000 calls: each person twice; one in five repeats its request id; shuffled deterministically. */
function workload(date: string, run: number): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < PEOPLE; i += 1) {
    const openid = `o-bench-${run}-${i}`;
    const base = { action: 'book', serviceId: SERVICE, date, person: person(10_000 + i) };
    const first = `bench-${run}-${i}-first`;
    calls.push({ openid, data: { ...base, requestId: first } });
    calls.push({
      openid,
      data: { ...base, requestId: i % 5 === 0 ? first : `bench-${run}-${i}-again` },
    });
  }
  let seed = 42 + run;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = calls.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const [a, b] = [calls[i], calls[j]];
    if (a === undefined || b === undefined) throw new RangeError(`shuffle: ${i}, ${j}`);
    [calls[i], calls[j]] = [b, a];
  }
  return calls;
}

interface Figures {
  made: number;
  overbooked: number;
  duplicatePersons: number;
  duplicateNumbers: number;
  lostNumbers: number;
  dbPerSuccess: number;
  dbPerRefusal: number;
  cachePerCall: number;
  p50: number;
  p99: number;
  /** Time inside the function, from its log lines. */
  fnP50: number;
  fnP99: number;
  /** CPU time per call of the local cloud's process (its instances included) and of this caller, ms. */
  cloudCpu: number;
  callerCpu: number;
  throughput: number;
  errors: number;
}

interface LogLine {
  action?: string;
  outcome?: string;
  ms?: number;
  /** Requests the invocation sent… */
  db?: number;
  /** …of which refreshed an instance-wide cache (configuration, suspensions), shared by later calls. */
  cache?: number;
}

function functionLog(output: string): LogLine[] {
  return logLines<LogLine>(output, '{"action":"book"');
}

async function runOnce(
  cloud: LocalCloud,
  db: SdkRunner,
  impl: Impl,
  date: string,
  run: number,
): Promise<Figures> {
  const calls = workload(date, run);
  const logBefore = functionLog(cloud.output()).length;
  const timed: Timed[] = [];
  let errors = 0;
  // The floor's winners: the first QUOTA calls sent.
  let sent = 0;
  // One iterator shared by the callers: each takes the next call when it is free.
  const queue = calls.values();
  const cloudCpuBefore = processCpuMs(cloud.pid);
  const callerCpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (const call of queue) {
        const data = impl === FLOOR && sent < QUOTA ? { ...call.data, floor: 'win' } : call.data;
        sent += 1;
        const t = performance.now();
        const outcome = await callFunction(cloud, impl.fn, data, call.openid);
        const result = 'result' in outcome ? (outcome.result as Answer | null) : undefined;
        timed.push({
          ms: performance.now() - t,
          at: t - started,
          outcome: result?.ok === true ? 'ok' : (result?.error?.code ?? 'error'),
        });
        if (!('result' in outcome)) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const callerCpu = process.cpuUsage(callerCpuBefore);
  const cloudCpu = (processCpuMs(cloud.pid) - cloudCpuBefore) / calls.length;
  const latencies = timed.map((c) => c.ms).sort((a, b) => a - b);
  // Only this run's lines: the log is cumulative.
  const log = functionLog(cloud.output()).slice(logBefore);
  const inside = log.map((l) => l.ms ?? NaN).sort((a, b) => a - b);
  const timing = {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    fnP50: impl.logs ? percentile(inside, 50) : NaN,
    fnP99: impl.logs ? percentile(inside, 99) : NaN,
    cloudCpu,
    callerCpu: (callerCpu.user + callerCpu.system) / 1000 / calls.length,
    throughput: calls.length / seconds,
    errors,
  };
  if (impl === OURS) slowest.push(timed);
  // The request's own database requests; cache refreshes are reported apart, per call of any kind.
  const perCall = (lines: LogLine[]): number =>
    lines.length === 0
      ? NaN
      : lines.reduce((s, l) => s + (l.db ?? 0) - (l.cache ?? 0), 0) / lines.length;
  const successes = log.filter((l) => l.outcome === 'ok');
  const refusals = log.filter((l) => l.outcome === 'QUOTA.SOLD_OUT');
  if (impl.collection === undefined) {
    return {
      ...timing,
      made: NaN,
      overbooked: 0,
      duplicatePersons: 0,
      duplicateNumbers: 0,
      lostNumbers: 0,
      dbPerSuccess: impl.logs ? perCall(successes) : NaN,
      dbPerRefusal: impl.logs ? perCall(refusals) : NaN,
      cachePerCall: NaN,
    };
  }
  const rows = await db.run(
    async (c, args) => {
      const q = c
        .database()
        .collection(args.collection)
        .where({ date: args.date, status: 'booked' });
      const res = (await q.limit(1000).get()) as unknown as {
        data: { number: number; personKey: string }[];
      };
      return res.data;
    },
    { collection: impl.collection, date },
  );
  const numbers = new Set(rows.map((r) => r.number));
  const persons = new Set(rows.map((r) => r.personKey));
  let lost = 0;
  for (let n = 1; n <= QUOTA; n += 1) if (!numbers.has(n)) lost += 1;
  if (process.env.BENCH_DEBUG) {
    const hist = (lines: LogLine[]): Record<number, number> => {
      const h: Record<number, number> = {};
      for (const l of lines) {
        const own = (l.db ?? 0) - (l.cache ?? 0);
        h[own] = (h[own] ?? 0) + 1;
      }
      return h;
    };
    console.log(impl.label, 'success db histogram', hist(successes), 'refusal', hist(refusals));
  }
  const cacheReads = log.reduce((s, l) => s + (l.cache ?? 0), 0);
  return {
    ...timing,
    made: rows.length,
    overbooked: Math.max(0, rows.length - QUOTA),
    duplicatePersons: rows.length - persons.size,
    duplicateNumbers: rows.length - numbers.size,
    lostNumbers: lost,
    dbPerSuccess: perCall(successes),
    dbPerRefusal: perCall(refusals),
    cachePerCall: cacheReads / Math.max(1, log.length),
  };
}

function report(impl: Impl, runs: Figures[]): string[] {
  const sum = (k: keyof Figures): number => runs.reduce((s, r) => s + r[k], 0);
  const med = (k: keyof Figures): number => median(runs.map((r) => r[k]));
  const books = impl.collection !== undefined;
  const count = (k: keyof Figures): string => (books ? `${sum(k)}` : '—');
  const ratio = (k: keyof Figures, digits: number): string =>
    books || (impl.logs && k !== 'cachePerCall') ? med(k).toFixed(digits) : '—';
  const ms = (k: keyof Figures): string => (impl.logs ? `${med(k).toFixed(0)} ms` : '—');
  return [
    impl.label,
    books ? `${med('made')}` : '—',
    count('overbooked'),
    count('duplicatePersons'),
    count('duplicateNumbers'),
    count('lostNumbers'),
    ratio('dbPerSuccess', 2),
    ratio('dbPerRefusal', 2),
    ratio('cachePerCall', 3),
    `${med('p50').toFixed(0)} ms`,
    `${med('p99').toFixed(0)} ms`,
    ms('fnP50'),
    ms('fnP99'),
    `${med('cloudCpu').toFixed(2)} ms`,
    `${med('callerCpu').toFixed(2)} ms`,
    `${med('throughput').toFixed(0)} calls/s`,
    `${sum('errors')}`,
  ];
}

/**
 * Warm instances of `impl`, as at a real release minute when citizens have been looking at the
 * availability for a while: the instance cap is shared, so the other function's instances retire.
 */
async function warm(cloud: LocalCloud, impl: Impl): Promise<void> {
  const data =
    impl.fn === 'booking' ? { action: 'availability', serviceId: SERVICE } : { person: {} };
  for (let round = 0; round < 2; round += 1) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        callFunction(cloud, impl.fn, data, `o-warm-${i}`),
      ),
    );
  }
}

async function main(): Promise<void> {
  if (RUNS > DAYS.length) throw new Error(`at most ${DAYS.length} runs`);
  await prepareFunctions();
  const cloud = await startLocalCloud({
    seed: true,
    extraEnv: { LOCALCLOUD_FUNCTIONS: FUNCTIONS, LOCALCLOUD_LATENCY_MS: '5-40' },
  });
  const db = await sdk(cloud);
  console.log(
    `load average at the start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  try {
    await setClock(cloud, chinaTime('2026-12-01T00:00:05'));
    // The collections the naive implementation and the floor write (the platform does not create one
    // on insert).
    await db.run(async (c) => {
      await c.database().createCollection('naive_bookings');
      await c.database().createCollection('floor_bookings');
    });
    const results = new Map<Impl, Figures[]>(IMPLS.map((i) => [i, []]));
    for (let run = 0; run < RUNS; run += 1) {
      const date = DAYS[run];
      if (date === undefined)
        throw new Error(`BENCH_RUNS is at most ${DAYS.length}: a fresh day each`);
      for (const impl of IMPLS) {
        await warm(cloud, impl);
        // The release second of the run's day (the seed's horizon and release time are the defaults).
        await setClock(cloud, releaseInstant(date, DEFAULT_RULES), { fireTriggers: false });
        const figures = await runOnce(cloud, db, impl, date, run);
        results.get(impl)?.push(figures);
        console.log(`run ${run + 1}/${RUNS} ${impl.label}: ${JSON.stringify(figures)}`);
      }
    }
    const header = [
      'implementation',
      'bookings made',
      'overbooked',
      'duplicate persons',
      'duplicate numbers',
      'lost numbers',
      'db req / success',
      'db req / sold-out refusal',
      'cache refresh req / call',
      'p50',
      'p99',
      'in function p50',
      'in function p99',
      'local cloud CPU / call',
      'caller CPU / call',
      'throughput',
      'platform errors',
    ];
    const rows = IMPLS.map((i) => report(i, results.get(i) ?? []));
    console.log(
      `\nbench:booking — ${PEOPLE} people, ${PEOPLE * 2} calls, ${QUOTA} numbers, concurrency ${CONCURRENCY}, ${RUNS} runs (medians; correctness counts summed)`,
    );
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    const ours = results.get(OURS) ?? [];
    const naive = results.get(NAIVE) ?? [];
    const floor = results.get(FLOOR) ?? [];
    const ceiling = results.get(CEILING) ?? [];
    // Ratios taken within each run (the same minute of the same machine), then their median.
    const ofCeiling = (runs: Figures[]): string =>
      `${(100 * median(runs.map((r, i) => r.throughput / (ceiling[i]?.throughput ?? NaN)))).toFixed(0)} %`;
    const ratio = median(ours.map((r, i) => r.throughput / (naive[i]?.throughput ?? NaN)));
    console.log(
      `\nthroughput as % of the same run's ceiling: booking ${ofCeiling(ours)}, naive ${ofCeiling(naive)}, floor ${ofCeiling(floor)}`,
    );
    console.log(
      `booking's throughput as % of the same run's floor: ${(100 * median(ours.map((r, i) => r.throughput / (floor[i]?.throughput ?? NaN)))).toFixed(0)} %`,
    );
    console.log(
      `p99 booking / naive: ${median(ours.map((r, i) => r.p99 / (naive[i]?.p99 ?? NaN))).toFixed(2)}; p99 booking / ceiling: ${median(ours.map((r, i) => r.p99 / (ceiling[i]?.p99 ?? NaN))).toFixed(2)}`,
    );
    console.log(`throughput ratio booking / naive: ${ratio.toFixed(2)}`);
    console.log(slowestReport());
    console.log(
      `load average at the end (1, 5, 15 min): ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
  } finally {
    await db.close();
    await cloud.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
