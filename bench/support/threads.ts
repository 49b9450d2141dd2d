/**
 * CPU time per thread of a process, from Linux's `/proc/<pid>/task/<tid>/stat` (utime + stime, in clock
 * ticks of USER_HZ, 100 a second): what tells the local cloud's main thread (its HTTP server, gateway
 * and database) from its function instances (worker threads) and from V8's and libuv's helper threads
 * (garbage collection, optimising compilation of JIT-cold code). Empty where there is no `/proc`.
 */
import fs from 'node:fs';

/** ms of CPU per thread id. */
export type ThreadCpu = Map<number, number>;

export function threadCpu(pid: number): ThreadCpu {
  const out: ThreadCpu = new Map();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** CPU per call of one part of the process, ms. */
export interface CpuSplit {
  /** The main thread: HTTP, the gateway and instance pool, the database. */
  main: number;
  /** The function instances' threads alive at both ends of the span. */
  instances: number;
  /** Everything else: V8's and libuv's helper threads (GC, JIT compilation), threads that ended. */
  helpers: number;
}

/**
 * Splits `total`, the process's CPU between the snapshots `before` and `after` (from /proc/<pid>/stat,
 * ms), by thread, per call: the main thread (`pid`); the instances, the threads alive in both snapshots
 * that were not among `startupTids` (the threads before any function ran); the rest.
 */
export function splitCpu(
  pid: number,
  before: ThreadCpu,
  after: ThreadCpu,
  startupTids: ReadonlySet<number>,
  total: number,
  calls: number,
): CpuSplit {
  const delta = (tid: number): number => (after.get(tid) ?? 0) - (before.get(tid) ?? 0);
  const main = delta(pid);
  let instances = 0;
  for (const tid of after.keys()) {
    if (tid !== pid && !startupTids.has(tid) && before.has(tid)) instances += delta(tid);
  }
  return {
    main: main / calls,
    instances: instances / calls,
    helpers: (total - main - instances) / calls,
  };
}
