/**
 * The emulated time. Functions, the database's server dates and the timer triggers all read it. By default
 * it follows real time; `set(ms)` pins a new "now" from which it keeps running at real speed, so that a
 * test can jump to 17:59 China time and watch the 18:00 trigger fire a minute later, or jump again.
 *
 * The offset lives in shared memory so that every function instance (a worker thread) reads the same
 * "now" at once, without a message round trip after each `set`.
 */
export class Clock {
  private readonly offset = new BigInt64Array(new SharedArrayBuffer(8));

  now(): number {
    return Date.now() + Number(Atomics.load(this.offset, 0));
  }

  set(nowMs: number): void {
    Atomics.store(this.offset, 0, BigInt(Math.round(nowMs - Date.now())));
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
