/**
 * R4 capacity and numbers: a service's day is divided into periods, each holding a range of numbers
 * (09:00–10:00 holds 1..10, shown A001–A010). The quota is the sum of the ranges; raising it opens more
 * numbers at once, lowering it never cancels a booking (a held number above a lowered range is simply no
 * longer in any range), and a cancelled number is free again.
 */
import { clockMinutes, isClock } from './china-time';

export interface Period {
  /** Stable id; bookings refer to it. */
  id: string;
  /** `HH:mm` China time. */
  start: string;
  end: string;
  /** The numbers this period holds, inclusive, within 1..999. */
  from: number;
  to: number;
}

export const MAX_NUMBER = 999;

const PREFIX_RE = /^[A-Z]{1,2}$/;

/** R4: `formatNumber('A', 23)` → `A023`. The prefix is 1–2 upper-case letters (R12: one per channel). */
export function formatNumber(prefix: string, n: number): string {
  if (!PREFIX_RE.test(prefix)) throw new RangeError(`bad number prefix: ${prefix}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_NUMBER) throw new RangeError(`bad number: ${n}`);
  return `${prefix}${String(n).padStart(3, '0')}`;
}

/** R4: the number a printed ticket (`A011`) stands for under `prefix`, or undefined if it is not one. */
export function parseLabel(prefix: string, label: string): number | undefined {
  if (!label.startsWith(prefix)) return undefined;
  const digits = label.slice(prefix.length);
  if (!/^\d{3}$/.test(digits)) return undefined;
  const n = Number(digits);
  return n >= 1 && n <= MAX_NUMBER ? n : undefined;
}

/**
 * A booking number as staff or a queue system type it (`A023`, ` a023 `) → its prefix and number;
 * `undefined` for anything else (`A23`, `A000`, `A1000`).
 */
export function parseNumber(text: unknown): { prefix: string; n: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([A-Z]{1,2})(\d{3})$/.exec(text.trim().toUpperCase());
  const [, prefix, digits] = m ?? [];
  if (prefix === undefined || digits === undefined) return undefined;
  const n = Number(digits);
  return n >= 1 ? { prefix, n } : undefined;
}

export type PeriodProblemReason =
  | 'EMPTY' // no period at all: the day would have no numbers
  | 'DUPLICATE_ID'
  | 'TIME_FORMAT' // start or end is not HH:mm
  | 'TIME_ORDER' // start is not before end
  | 'TIME_OVERLAP' // starts before the previous period ends (periods must be in time order)
  | 'RANGE_BOUNDS' // from/to not integers within 1..999
  | 'RANGE_ORDER' // from > to
  | 'RANGE_OVERLAP'; // from is not above the previous period's to (ranges must ascend)

export interface PeriodProblem {
  /** Index of the offending period in the list (-1 for `EMPTY`). */
  index: number;
  reason: PeriodProblemReason;
}

/**
 * R4: checks an administrator's periods before they are saved: listed in time order, times `HH:mm` with
 * start < end, no time overlap (gaps such as a lunch break are fine), number ranges within 1..999,
 * ascending and disjoint (gaps are fine). Returns every problem; `[]` means valid.
 */
export function validatePeriods(periods: readonly Period[]): PeriodProblem[] {
  const problems: PeriodProblem[] = [];
  if (periods.length === 0) return [{ index: -1, reason: 'EMPTY' }];
  const ids = new Set<string>();
  periods.forEach((p, index) => {
    if (ids.has(p.id)) problems.push({ index, reason: 'DUPLICATE_ID' });
    ids.add(p.id);
    const prev = index > 0 ? periods[index - 1] : undefined;
    if (!isClock(p.start) || !isClock(p.end)) {
      problems.push({ index, reason: 'TIME_FORMAT' });
    } else {
      if (clockMinutes(p.start) >= clockMinutes(p.end))
        problems.push({ index, reason: 'TIME_ORDER' });
      if (prev && isClock(prev.end) && clockMinutes(p.start) < clockMinutes(prev.end)) {
        problems.push({ index, reason: 'TIME_OVERLAP' });
      }
    }
    const inBounds = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_NUMBER;
    if (!inBounds(p.from) || !inBounds(p.to)) {
      problems.push({ index, reason: 'RANGE_BOUNDS' });
    } else {
      if (p.from > p.to) problems.push({ index, reason: 'RANGE_ORDER' });
      if (prev && inBounds(prev.to) && p.from <= prev.to) {
        problems.push({ index, reason: 'RANGE_OVERLAP' });
      }
    }
  });
  return problems;
}

/** Size of one period's range (0 for an inverted range). */
export function periodSize(period: Period): number {
  return Math.max(0, period.to - period.from + 1);
}

/** R4: the day's quota, the numbers all periods hold (50 by default). */
export function dayQuota(periods: readonly Period[]): number {
  return periods.reduce((sum, p) => sum + periodSize(p), 0);
}

/** The period whose range holds `n`, if any (a number above a lowered range has none). */
export function periodOfNumber(periods: readonly Period[], n: number): Period | undefined {
  return periods.find((p) => n >= p.from && n <= p.to);
}

/**
 * R4: free numbers per period id, given the numbers held that day (booked, checked in…). A held number
 * counts once, and only in the period whose range contains it, so a number above a lowered range never
 * makes a period negative.
 */
export function remainingByPeriod(
  periods: readonly Period[],
  taken: Iterable<number>,
): Map<string, number> {
  const held = new Set(taken);
  const remaining = new Map<string, number>();
  for (const p of periods) {
    let free = periodSize(p);
    for (const n of held) if (n >= p.from && n <= p.to) free -= 1;
    remaining.set(p.id, free);
  }
  return remaining;
}

/**
 * The widest window a pick is drawn from: the default day's 50 numbers (R4). Racing bookers are at most
 * the platform's instance cap (20); drawn among 50 numbers rather than 20 they pick the same one about
 * half as often (issue 16, bench:booking).
 */
export const PICK_WINDOW_MAX = 50;

/** The free numbers of `periods` in handing-out order (periods in their order, numbers ascending). */
export function freeNumbers(
  periods: readonly Period[],
  taken: Iterable<number>,
): { period: Period; n: number }[] {
  const held = new Set(taken);
  const free: { period: Period; n: number }[] = [];
  for (const period of periods) {
    for (let n = period.from; n <= period.to; n += 1) if (!held.has(n)) free.push({ period, n });
  }
  return free;
}

/**
 * R4: the number a booking should try. With `window` 1 it is the smallest free number of the periods
 * (numbers are handed out in order, a cancelled one first again). When others are booking the same day
 * at the same moment (a rush, or after a collision), the caller widens `window` and the pick is drawn
 * uniformly from that many smallest free numbers (at most PICK_WINDOW_MAX), across period boundaries,
 * so racing bookers spread out instead of all colliding on the same number. Undefined when all are held.
 * `random` returns [0, 1) like `Math.random` (injectable for tests).
 */
export function pickNumber(
  periods: readonly Period[],
  taken: Iterable<number>,
  window: number,
  random: () => number = Math.random,
): { period: Period; n: number } | undefined {
  const free = freeNumbers(periods, taken);
  const width = Math.min(free.length, PICK_WINDOW_MAX, Math.max(1, Math.floor(window) || 1));
  // Clamped, so a `random` outside [0, 1) (or NaN) cannot pick outside the window.
  const i = Math.min(width - 1, Math.max(0, Math.floor(random() * width) || 0));
  return free[i];
}

/**
 * R2/R4: the first moments after a day's release, when every instance reads the day empty at once (no
 * booking has landed for `recent` to count): the pick is spread over the whole window (PICK_WINDOW_MAX
 * smallest free numbers, a default day's all) instead of all trying the smallest — the platform's
 * instance cap (20) can be booking at once, and the numbers handed out in that second are all equally
 * early.
 */
export const RELEASE_CONTENDERS = PICK_WINDOW_MAX - 1;
/** How long after a day's release instant its reads are taken as the release rush. */
export const RELEASE_RUSH_MS = 5_000;

/** R2: whether `now` is within the first RELEASE_RUSH_MS after the day's release instant. */
export function inReleaseRush(now: number, releasedAt: number | undefined): boolean {
  return releasedAt !== undefined && now >= releasedAt && now < releasedAt + RELEASE_RUSH_MS;
}

/** R2/R4: the contenders a read of the day implies: its recent bookings, or the release rush. */
export function rushContenders(
  recent: number,
  now: number,
  releasedAt: number | undefined,
): number {
  return Math.max(recent, inReleaseRush(now, releasedAt) ? RELEASE_CONTENDERS : 0);
}
