/**
 * Timer triggers from each function's config.json. Cron has 7 fields (second minute hour day month
 * weekday year), weekday 0 = Sunday, day and weekday OR-ed when both are set, evaluated in China time
 * (UTC+8) whatever the machine's TZ — all as the timer-trigger documentation of WeChat cloud development
 * describes.
 *
 * Each trigger remembers up to when (emulated time) it has been checked. A check fires the trigger once
 * if at least one occurrence fell in (checked, now]: as real time passes (a check every second) that is
 * every occurrence; after a clock jump it is ONCE, for the latest occurrence, however many were skipped
 * (the platform would have run each one; a jump of days would flood the functions). A jump backwards
 * fires nothing and restarts the watch from the new now, so jumping back and forth can fire an
 * occurrence again. Triggers are not fired for time the server was not running.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '../clock';
import { listFunctionNames, readFunction, type TimerTrigger } from './functions';
import type { FiredTrigger } from './types';

const CHINA_TZ = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 3600_000;

export class CronError extends Error {}

/** The year field (7th) is not in cron-parser; it is checked here: `*`, lists, ranges, steps. */
interface YearField {
  test(year: number): boolean;
  /** Bounds that end a search early instead of walking through centuries of occurrences. */
  min: number;
  max: number;
}

function yearMatcher(field: string): YearField {
  if (field === '*' || field === '?') return { test: () => true, min: 1970, max: 2099 };
  const ranges = field.split(',').map((part) => {
    const m = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`bad year field "${field}"`);
    const from = m[1] === '*' ? 1970 : Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[3] || m[1] === '*' ? 2099 : from;
    const step = m[3] ? Number(m[3]) : 1;
    return { from, to, step };
  });
  return {
    test: (y) => ranges.some((r) => y >= r.from && y <= r.to && (y - r.from) % r.step === 0),
    min: Math.min(...ranges.map((r) => r.from)),
    max: Math.max(...ranges.map((r) => r.to)),
  };
}

export interface ParsedCron {
  /** The latest occurrence at or before `atMs`, not earlier than `notBeforeMs`; undefined when none. */
  latest(atMs: number, notBeforeMs: number): number | undefined;
  next(afterMs: number): number | undefined;
}

export function parseCron(expression: string): ParsedCron {
  const fields = expression.trim().split(/\s+/);
  const yearField = fields[6];
  if (fields.length !== 7 || yearField === undefined) {
    throw new CronError(
      `"${expression}": a timer trigger needs 7 fields (s m h day month weekday year)`,
    );
  }
  const six = fields.slice(0, 6).join(' ');
  const years = yearMatcher(yearField);
  const chinaYear = (ms: number): number => new Date(ms + CHINA_OFFSET_MS).getUTCFullYear();
  try {
    CronExpressionParser.parse(six, { tz: CHINA_TZ });
  } catch (err) {
    throw new CronError(`"${expression}": ${(err as Error).message}`);
  }
  return {
    latest(atMs, notBeforeMs) {
      // prev() is strictly before currentDate; +1 ms includes an occurrence at exactly atMs.
      const it = CronExpressionParser.parse(six, { tz: CHINA_TZ, currentDate: atMs + 1 });
      for (let i = 0; i < 10_000 && it.hasPrev(); i++) {
        const t = it.prev().getTime();
        const year = chinaYear(t);
        if (t < notBeforeMs || year < years.min) return undefined;
        if (years.test(year)) return t;
      }
      return undefined;
    },
    next(afterMs) {
      const it = CronExpressionParser.parse(six, { tz: CHINA_TZ, currentDate: afterMs });
      for (let i = 0; i < 10_000 && it.hasNext(); i++) {
        const t = it.next().getTime();
        const year = chinaYear(t);
        if (year > years.max) return undefined;
        if (years.test(year)) return t;
      }
      return undefined;
    },
  };
}

/** The event an SCF timer trigger passes to `main`. */
export function timerEvent(trigger: string, scheduledAt: number): Record<string, string> {
  return {
    Type: 'Timer',
    TriggerName: trigger,
    Time: new Date(scheduledAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Message: '',
  };
}

export type Fire = (
  fn: string,
  trigger: TimerTrigger,
  scheduledAt: number,
) => Promise<FiredTrigger>;

export class TriggerScheduler {
  private readonly checkedUpTo = new Map<string, number>();
  private readonly parsed = new Map<string, ParsedCron | CronError>();
  private interval: NodeJS.Timeout | undefined;

  constructor(
    private readonly functionsDir: string,
    private readonly clock: Clock,
    private readonly fire: Fire,
    private readonly warn: (message: string) => void,
  ) {}

  /** Checks every second, so occurrences fire as real time passes. */
  start(): void {
    void this.check();
    this.interval = setInterval(() => void this.check(), 1000);
    this.interval.unref();
  }

  stop(): void {
    clearInterval(this.interval);
  }

  /**
   * Fires what became due and resolves when those invocations have finished. Finding what is due is
   * synchronous, so two checks never see the same occurrence and each fires at most once.
   */
  check(): Promise<FiredTrigger[]> {
    return Promise.all(this.collectDue().map((d) => this.fire(d.fn, d.trigger, d.at)));
  }

  /**
   * Sets the clock and fires what the jump made due, in one step no other check can interleave with.
   * With `fire` false the occurrences the jump passed are dropped instead (setting up a test scene).
   */
  jump(nowMs: number, fire = true): Promise<FiredTrigger[]> {
    this.clock.set(nowMs);
    if (!fire) {
      this.collectDue();
      return Promise.resolve([]);
    }
    return this.check();
  }

  private cron(fn: string, trigger: TimerTrigger): ParsedCron | undefined {
    const key = trigger.config;
    let p = this.parsed.get(key);
    if (!p) {
      try {
        p = parseCron(key);
      } catch (err) {
        p = err instanceof CronError ? err : new CronError(String(err));
        this.warn(`trigger ${fn}/${trigger.name} ignored: ${p.message}`);
      }
      this.parsed.set(key, p);
    }
    return p instanceof CronError ? undefined : p;
  }

  private collectDue(): { fn: string; trigger: TimerTrigger; at: number }[] {
    const now = this.clock.now();
    const due: { fn: string; trigger: TimerTrigger; at: number }[] = [];
    const seen = new Set<string>();
    for (const fn of listFunctionNames(this.functionsDir)) {
      let triggers: TimerTrigger[];
      try {
        triggers = readFunction(this.functionsDir, fn)?.config.triggers ?? [];
      } catch {
        // Reported when the function is invoked. A config.json caught half-written, or broken and then
        // mended, is not a new deployment: its triggers keep their watch (the platform keeps a
        // function's triggers through a failed deployment) and fire what fell due once it reads again.
        const prefix = `${fn}\u0000`;
        for (const key of this.checkedUpTo.keys()) if (key.startsWith(prefix)) seen.add(key);
        continue;
      }
      for (const trigger of triggers) {
        const key = `${fn}\u0000${trigger.name}\u0000${trigger.config}`;
        seen.add(key);
        const from = this.checkedUpTo.get(key);
        this.checkedUpTo.set(key, now);
        // A trigger seen for the first time (server start, new deployment) starts watching from now.
        if (from === undefined || now <= from) continue;
        const cron = this.cron(fn, trigger);
        const at = cron?.latest(now, from + 1);
        if (at !== undefined) due.push({ fn, trigger, at });
      }
    }
    for (const key of this.checkedUpTo.keys()) if (!seen.has(key)) this.checkedUpTo.delete(key);
    // Like the platform, triggers of different functions run concurrently.
    return due;
  }
}
