/**
 * The emulated time. Functions, the database's server dates and the timer triggers all read it. By default
 * it follows real time; `set(ms)` pins a new "now" from which it keeps running at real speed, so that a
 * test can jump to 17:59 China time and watch the 18:00 trigger fire a minute later, or jump again.
 *
 * The offset lives in shared memory so that every function instance (a worker thread) reads the same
 * "now" at once, without a message round trip after each `set`.
 *
 * With a durable data directory the offset is kept with the data (`clock.json`, written before `set`
 * returns): a restart, even after `kill -9`, goes on from the emulated time the data was written in, as
 * if the clock had kept running meanwhile. Otherwise a restarted cloud would stamp new documents with a
 * real date older than the ones already stored (days reopening, reminders due again).
 */
import fs from 'node:fs';

interface ClockFile {
  offsetMs: number;
}

function readOffset(file: string): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<ClockFile>;
  if (typeof parsed.offsetMs !== 'number' || !Number.isSafeInteger(parsed.offsetMs)) {
    throw new Error(`${file}: "offsetMs" must be an integer (delete the file to follow real time)`);
  }
  return parsed.offsetMs;
}

export class Clock {
  private readonly offset = new BigInt64Array(new SharedArrayBuffer(8));

  /** `file`: where the offset is kept between runs (none: every run starts at real time). */
  constructor(private readonly file?: string) {
    if (file !== undefined) Atomics.store(this.offset, 0, BigInt(readOffset(file)));
  }

  now(): number {
    return Date.now() + Number(Atomics.load(this.offset, 0));
  }

  set(nowMs: number): void {
    const offsetMs = Math.round(nowMs - Date.now());
    if (this.file !== undefined) {
      // Written whole then renamed: a crash leaves the old offset or the new one, never half a file.
      const tmp = `${this.file}.tmp`;
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, JSON.stringify({ offsetMs } satisfies ClockFile));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    }
    Atomics.store(this.offset, 0, BigInt(offsetMs));
  }

  /** True when the clock is not following real time. */
  get shifted(): boolean {
    return Atomics.load(this.offset, 0) !== 0n;
  }

  /** The shared cell holding the offset in ms (a BigInt64), for worker threads. */
  get sharedOffset(): SharedArrayBuffer {
    return this.offset.buffer;
  }
}
