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
 * Before each run each implementation's 20 instances are warmed the SAME way, on their own path, as
 * instances are at a real release instant after an evening of `book` calls (issue 16, third pass): the
 * run's workload replayed on a day released before (`WARM_DAYS`), by other accounts and people, with the
 * clock set half an hour before the run's release (`BENCH_WARMUP=availability`: the method before, two
 * `availability`/refused calls per instance, to compare).
 *
 * Printed per implementation (median of RUNS runs, correctness counts summed over all runs): bookings
 * made, overbooked, duplicate persons, duplicate numbers, lost numbers, database requests per successful
 * booking and per sold-out refusal (from the functions' own log lines, which count every request they
 * send, cached configuration reloads included), p50/p99 latency, the time inside the function (its log
 * line's `ms`, p50/p99), the CPU time per call of the local cloud's process (its instances included),
 * split by thread (its main thread, the function instances, V8's and libuv's helpers: GC and JIT
 * compilation), and of this caller, and throughput; then each throughput as a percentage of the same run's ceiling
 * and booking's as a percentage of the same run's floor (the median of the per-run ratios), booking's
 * slowest calls by outcome and by second since the release, and the load average.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { person, SERVICE } from './support/people';
import { logLines, median, percentile } from './support/figures';
import { type CpuSplit, splitCpu, threadCpu } from './support/threads';
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
/** Open weekdays: one fresh day per run, each run starting at its release (R2: 00:00 seven days before). */
const DAYS = ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-10'];
/**
 * The warm-up day of each run: an open weekday released before the run's day and still ahead at its
 * release (in the 7-day horizon then), never a run's day.
 */
const WARM_DAYS = ['2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-09'];
/** The run's people are person(10,000 + i); the warm-up's are others (person(n) repeats every 21,000). */
const RUN_PEOPLE = 10_000;
const WARM_PEOPLE = 13_000;
/**
 * How each implementation's instances are warmed before each run (`BENCH_WARMUP`): `release` (the
 * default), the previous day's release replayed — the run's whole workload on the run's warm-up day,
 * with other accounts and people, BENCH_WARM_ROUNDS times (1); or `availability`, the method before
 * issue 16's third pass (two calls per instance, `availability` for booking and a refused `{ person: {} }`
 * for the others), kept to compare with figures measured with it.
 */
const WARMUP = process.env.BENCH_WARMUP ?? 'release';
const WARM_ROUNDS = Number(process.env.BENCH_WARM_ROUNDS ?? 1);
/** The warm-up starts this long before the run's release: it ends before it even on a loaded machine. */
const WARM_LEAD_MS = 30 * 60_000;
/** What a warm-up's calls may answer: a booking, its replay, or the refusals of a sold-out day. */
const WARM_OUTCOMES = new Set(['ok', 'QUOTA.SOLD_OUT', 'BOOKING.PERSON_ALREADY_BOOKED']);
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
/**
 * `BENCH_IMPLS=booking,noop` runs only those (by function name), for profiling one of them; the ratios
 * need booking, the floor and the ceiling, and the ones missing print as NaN.
 */
const IMPLS = [OURS, NAIVE, FLOOR, CEILING].filter(
  (impl) => process.env.BENCH_IMPLS?.split(',').includes(impl.fn) ?? true,
);

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

/** The local cloud's threads before any function ran (main, V8's and libuv's): not instances. */
let startupThreads: ReadonlySet<number> = new Set();

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

/**
 * 2,000 calls for `date`: each person twice; one in five repeats its request id; shuffled
 * deterministically. `tag` names the accounts and requests (`bench` for a run, another for a warm-up, so
 * that the two never share an account or a request); the people are `person(firstPerson + i)`.
 */
function workload(date: string, run: number, tag: string, firstPerson: number): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < PEOPLE; i += 1) {
    const openid = `o-${tag}-${run}-${i}`;
    const base = { action: 'book', serviceId: SERVICE, date, person: person(firstPerson + i) };
    const first = `${tag}-${run}-${i}-first`;
    calls.push({ openid, data: { ...base, requestId: first } });
    calls.push({
      openid,
      data: { ...base, requestId: i % 5 === 0 ? first : `${tag}-${run}-${i}-again` },
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
  /** The local cloud's CPU per call by thread: main, function instances, helpers (GC, JIT). */
  cloudSplit: CpuSplit;
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

/**
 * Sends `calls` to `impl`, CONCURRENCY at a time (each caller takes the next call when it is free); the
 * floor's winners are the first QUOTA calls sent. Answers each call as the caller saw it.
 */
async function send(
  cloud: LocalCloud,
  impl: Impl,
  calls: Call[],
): Promise<{ timed: Timed[]; errors: number }> {
  const timed: Timed[] = [];
  let errors = 0;
  let sent = 0;
  const queue = calls.values();
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
        if (!('result' in outcome)) {
          errors += 1;
          if (process.env.BENCH_DEBUG) console.log(impl.label, 'platform error', outcome);
        }
      }
    }),
  );
  return { timed, errors };
}

async function runOnce(
  cloud: LocalCloud,
  db: SdkRunner,
  impl: Impl,
  date: string,
  run: number,
): Promise<Figures> {
  const calls = workload(date, run, 'bench', RUN_PEOPLE);
  const logBefore = functionLog(cloud.output()).length;
  const cloudCpuBefore = processCpuMs(cloud.pid);
  const threadsBefore = threadCpu(cloud.pid);
  const callerCpuBefore = process.cpuUsage();
  const started = performance.now();
  const { timed, errors } = await send(cloud, impl, calls);
  const seconds = (performance.now() - started) / 1000;
  const callerCpu = process.cpuUsage(callerCpuBefore);
  const cloudTotal = processCpuMs(cloud.pid) - cloudCpuBefore;
  const cloudSplit = splitCpu(
    cloud.pid,
    threadsBefore,
    threadCpu(cloud.pid),
    startupThreads,
    cloudTotal,
    calls.length,
  );
  const cloudCpu = cloudTotal / calls.length;
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
    cloudSplit,
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
  type Scalar = Exclude<keyof Figures, 'cloudSplit'>;
  const sum = (k: Scalar): number => runs.reduce((s, r) => s + r[k], 0);
  const med = (k: Scalar): number => median(runs.map((r) => r[k]));
  const books = impl.collection !== undefined;
  const count = (k: Scalar): string => (books ? `${sum(k)}` : '—');
  const ratio = (k: Scalar, digits: number): string =>
    books || (impl.logs && k !== 'cachePerCall') ? med(k).toFixed(digits) : '—';
  const ms = (k: Scalar): string => (impl.logs ? `${med(k).toFixed(0)} ms` : '—');
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
    (['main', 'instances', 'helpers'] as const)
      .map((k) => median(runs.map((r) => r.cloudSplit[k])).toFixed(2))
      .join(' / '),
    `${med('callerCpu').toFixed(2)} ms`,
    `${med('throughput').toFixed(0)} calls/s`,
    `${sum('errors')}`,
  ];
}

/**
 * Warms instances of `impl` (the instance cap is shared, so the previous implementation's instances
 * retire) as they are at a real release instant: on the platform they have been serving `book` calls
 * all evening — the previous midnight's release, then refusals of the days already sold out. So each
 * implementation gets the SAME warm-up, on its own path: the run's workload (2,000 `book` calls, the
 * floor's first 50 sent winning) on `warmDay`, a day released before and still open, by other accounts
 * and people; the emulated clock is set half an hour before the run's release first, so that the run's
 * day is not yet open and none of its data is touched. Answers what the calls answered, by outcome.
 */
async function warm(
  cloud: LocalCloud,
  impl: Impl,
  run: number,
  date: string,
  warmDay: string,
): Promise<Map<string, number>> {
  const outcomes = new Map<string, number>();
  if (WARMUP === 'availability') {
    const data =
      impl.fn === 'booking' ? { action: 'availability', serviceId: SERVICE } : { person: {} };
    for (let round = 0; round < 2; round += 1) {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) =>
          callFunction(cloud, impl.fn, data, `o-warm-${i}`),
        ),
      );
    }
    return outcomes;
  }
  await setClock(cloud, releaseInstant(date, DEFAULT_RULES) - WARM_LEAD_MS, {
    fireTriggers: false,
  });
  for (let round = 0; round < WARM_ROUNDS; round += 1) {
    const calls = workload(warmDay, run, `warm${round}`, WARM_PEOPLE);
    for (const call of (await send(cloud, impl, calls)).timed) {
      outcomes.set(call.outcome, (outcomes.get(call.outcome) ?? 0) + 1);
    }
  }
  // A platform error (a call that timed out in the queue on a loaded machine) is counted, not fatal; an
  // answer no warm-up call should get (the day not open: CALENDAR.*) is.
  const unexpected = [...outcomes.keys()].filter((o) => !WARM_OUTCOMES.has(o) && o !== 'error');
  if (unexpected.length > 0) {
    throw new Error(`${impl.label}: the warm-up on ${warmDay} answered ${unexpected.join(', ')}`);
  }
  return outcomes;
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
    startupThreads = new Set(threadCpu(cloud.pid).keys());
    const results = new Map<Impl, Figures[]>(IMPLS.map((i) => [i, []]));
    for (let run = 0; run < RUNS; run += 1) {
      const date = DAYS[run];
      const warmDay = WARM_DAYS[run];
      if (date === undefined || warmDay === undefined)
        throw new Error(`BENCH_RUNS is at most ${DAYS.length}: a fresh day each`);
      for (const impl of IMPLS) {
        const warmed = await warm(cloud, impl, run, date, warmDay);
        console.log(
          `run ${run + 1}/${RUNS} ${impl.label}: warm-up ${WARMUP === 'availability' ? '2 availability/refused calls per instance' : `${WARM_ROUNDS} × 2,000 book calls on ${warmDay}`} ${JSON.stringify(Object.fromEntries(warmed))}`,
        );
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
      'of which main / instances / helpers, ms',
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
