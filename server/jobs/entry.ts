/**
 * The shared entry of the timer functions (reminders, noshow-sweep, notify): runs a job only for its
 * platform timer, builds the run's environment (time budget from the platform's `time_limit_in_ms`,
 * a fresh claim token, the platform's sender with any injected faults) and logs one line per run with
 * counts only (no openid, no names: R14).
 */
import { randomUUID } from 'node:crypto';
import { cloud, instanceDatabase } from '../shared/cloud';
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

/** What every caller but the timer is answered; it changes nothing. */
export const FORBIDDEN = { ok: false, error: 'FORBIDDEN' } as const;

const TIMER_KEYS = new Set(['Type', 'TriggerName', 'Time', 'Message']);
/** SCF's `Time`: the occurrence in UTC, e.g. `2019-02-21T11:49:00Z`. */
const TIMER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/**
 * The SCF timer trigger's event ("Timer 触发器的事件消息结构": `{ Type: 'Timer', TriggerName, Time,
 * Message }`) and nothing more — a mini program call carries `userInfo`, the HTTP access service an
 * integration request. `Message` is the trigger's optional text (empty unless configured).
 */
export function isTimerEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  return (
    Object.keys(e).every((k) => TIMER_KEYS.has(k)) &&
    e.Type === 'Timer' &&
    typeof e.TriggerName === 'string' &&
    /^[\w-]{1,64}$/.test(e.TriggerName) &&
    typeof e.Time === 'string' &&
    TIMER_TIME.test(e.Time) &&
    (e.Message === undefined || e.Message === null || typeof e.Message === 'string')
  );
}

/**
 * A run by the platform's timer: its event, `SOURCE` `wx_trigger` (getWXContext's value for a timer
 * trigger) and no caller. OPENID is checked for any value at all, not only a string: wx-server-sdk turns
 * a numeric context value into a number.
 */
function isTimerRun(event: unknown): boolean {
  const { OPENID, SOURCE } = cloud.getWXContext() as { OPENID?: unknown; SOURCE?: unknown };
  return SOURCE === 'wx_trigger' && (OPENID === undefined || OPENID === '') && isTimerEvent(event);
}

export function timerJob(
  name: string,
  run: (env: JobEnv) => Promise<JobResult>,
): (event: unknown, context?: ScfContext) => Promise<JobResult> {
  return async (event, context) => {
    const started = performance.now();
    // A job is run by its timer only: a citizen, a script or an HTTP caller is refused before anything.
    if (!isTimerRun(event)) {
      console.log(JSON.stringify({ job: name, outcome: 'FORBIDDEN' }));
      return { ...FORBIDDEN };
    }
    const limit = context?.time_limit_in_ms ?? DEFAULT_LIMIT_MS;
    const deadline = started + limit - SAFETY_MS;
    const db = new Db(instanceDatabase());
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
