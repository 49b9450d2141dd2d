/**
 * What a job run is given: the database, the clock, a sender, its time budget and its claim token. Built
 * by `timerJob` (server/jobs/entry.ts) in a cloud function, or by a test around a scripted sender.
 */
import type { Db } from '../store/db';
import type { DeliveryEnv } from './delivery';

export interface JobEnv extends DeliveryEnv {
  db: Db;
  /**
   * Whether `reserveMs` more of work still fits in the run's time limit. Runs stop taking new work when
   * not, and leave it to the next run (the platform kills a function at its timeout).
   */
  hasTime(reserveMs: number): boolean;
}

/** Keeps the slowest step seen, so a run reserves enough time for one more. */
export class StepTimer {
  private slowest = 0;

  constructor(private readonly floorMs: number) {}

  async time<T>(step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await step();
    } finally {
      this.slowest = Math.max(this.slowest, performance.now() - started);
    }
  }

  /** What to reserve before starting another step. */
  reserve(): number {
    return Math.max(this.floorMs, 2 * this.slowest);
  }
}
