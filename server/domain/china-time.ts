/**
 * R3: every date and time of the product is China Standard Time (UTC+8, no daylight saving), whatever the
 * zone of the machine. These helpers never read the machine's zone: they shift epoch milliseconds by eight
 * hours and use the UTC accessors.
 */

export const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The China calendar day (`YYYY-MM-DD`) that contains the instant `ms`. */
export function chinaDate(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `HH:mm` China time of the instant `ms`. */
export function chinaClock(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The instant `ms` as citizens read it, China time: `12月16日 00:00`, with the year (`2027年1月5日 00:00`)
 * only when it is not the China year of `now`.
 */
export function chinaMoment(ms: number, now: number): string {
  const [y, m, d] = chinaDate(ms).split('-').map(Number) as [number, number, number];
  const year = chinaDate(now).slice(0, 4) === chinaDate(ms).slice(0, 4) ? '' : `${y}年`;
  return `${year}${m}月${d}日 ${chinaClock(ms)}`;
}

/** What the server appends to a refusal told until when (R10, R15, R16, R17): `（至 12月16日 00:00）`. */
export function untilNote(until: number, now: number): string {
  return `（至 ${chinaMoment(until, now)}）`;
}

/** True for a real calendar day written as `YYYY-MM-DD`. */
export function isDateString(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Epoch ms of `HH:mm` (default midnight) China time on the day `date`. */
export function chinaInstant(date: string, clock = '00:00'): number {
  if (!isDateString(date)) throw new RangeError(`not a date: ${String(date)}`);
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = clock.split(':').map(Number) as [number, number];
  return Date.UTC(y, mo - 1, d, h, mi) - CST_OFFSET_MS;
}

/** The day `n` calendar days after `date` (negative `n` goes back). */
export function addDays(date: string, n: number): string {
  return chinaDate(chinaInstant(date) + n * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, for a China calendar day. */
export function weekday(date: string): number {
  return new Date(chinaInstant(date) + CST_OFFSET_MS).getUTCDay();
}

/** `YYYY-MM`, the China calendar month of the instant `ms`. */
export function chinaMonth(ms: number): string {
  return chinaDate(ms).slice(0, 7);
}

const CLOCK_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a wall-clock time written as `HH:mm` (00:00–23:59). */
export function isClock(value: unknown): value is string {
  return typeof value === 'string' && CLOCK_RE.test(value);
}

/** Minutes since midnight of an `HH:mm` clock; throws on anything else. */
export function clockMinutes(clock: string): number {
  const m = CLOCK_RE.exec(clock);
  if (!m) throw new RangeError(`not a clock: ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Number of days of month `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * R3/R10: the instant `months` China calendar months after `ms`: same day of the month and same China
 * wall-clock time, the day clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb).
 */
export function addChinaMonths(ms: number, months: number): number {
  const d = new Date(ms + CST_OFFSET_MS);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month0 + 1));
  const shifted = Date.UTC(
    year,
    month0,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
  return shifted - CST_OFFSET_MS;
}
