/**
 * The shared entry of the timer functions (reminders, noshow-sweep, notify): refuses callers from the
 * mini program, builds the run's environment (time budget from the platform's `time_limit_in_ms`,
 * a fresh claim token, the platform's sender with any injected faults) and logs one line per run with
 * counts only (no openid, no names: R14).
 */
import { randomUUID } from 'node:crypto';
import { cloud } from '../shared/cloud';
import { Db } from '../store/db';
import type { JobEnv } from './env';
import { platformSender, withFaults } from './sender';

/** What the platform passes as `context` (SCF); only the time limit is used. */
interface ScfContext {
  time_limit_in_ms?: number;
}

/** Kept free at the end of the time limit for the last writes and the answer. */
const SAFETY_MS = 1_000;
/** The platform's default timeout, when the context does not say. */
const DEFAULT_LIMIT_MS = 3_000;

export type JobResult = Record<string, unknown>;

export function timerJob(
  name: string,
  run: (env: JobEnv) => Promise<JobResult>,
): (event: unknown, context?: ScfContext) => Promise<JobResult> {
  return async (_event, context) => {
    const started = performance.now();
    // A job is run by its timer (or an operator's script), never by a citizen: the mini program's
    // calls carry an OPENID.
    const { OPENID } = cloud.getWXContext();
    if (typeof OPENID === 'string' && OPENID !== '') return { ok: false, error: 'FORBIDDEN' };
    const limit = context?.time_limit_in_ms ?? DEFAULT_LIMIT_MS;
    const deadline = started + limit - SAFETY_MS;
    const db = new Db(cloud.database());
    const { send, hooks } = withFaults(platformSender, process.env.JOB_FAULT);
    const env: JobEnv = {
      db,
      clock: () => Date.now(),
      send,
      hooks,
      token: `${name}-${randomUUID()}`,
      hasTime: (reserveMs) => performance.now() + reserveMs < deadline,
    };
    try {
      const report = await run(env);
      const line = {
        job: name,
        outcome: 'ok',
        ms: Math.round(performance.now() - started),
        db: db.requests,
        ...report,
      };
      console.log(JSON.stringify(line));
      return { ok: true, ...report, db: db.requests };
    } catch (err) {
      const code =
        typeof err === 'object' && err !== null && 'errCode' in err
          ? String(err.errCode)
          : undefined;
      console.error(
        JSON.stringify({
          job: name,
          outcome: 'INTERNAL',
          ms: Math.round(performance.now() - started),
          db: db.requests,
          code,
          message: err instanceof Error ? err.message : 'non-error thrown',
        }),
      );
      throw err;
    }
  };
}
