/**
 * The emulated time. Functions, the database's server dates and the timer triggers all read it. By default
 * it follows real time; `set(ms)` pins a new "now" from which it keeps running at real speed, so that a
 * test can jump to 17:59 China time and watch the 18:00 trigger fire a minute later, or jump again.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  set(nowMs: number): void {
    this.offsetMs = nowMs - Date.now();
  }

  /** True when the clock is not following real time. */
  get shifted(): boolean {
    return this.offsetMs !== 0;
  }
}
