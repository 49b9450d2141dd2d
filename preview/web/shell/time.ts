/**
 * China time for the side panel, whatever the browser's zone: the local cloud's clock and the booking
 * rules are in UTC+8 (no daylight saving).
 */
import type { ApiResult, BookingResponse } from '../../../typings/api';

const CHINA_OFFSET_MS = 8 * 3_600_000;

const format = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** `2026/12/01 周二 10:00:05`. */
export function chinaText(ms: number): string {
  return format.format(new Date(ms));
}

/** The value of a `datetime-local` input showing `ms` in China time: `2026-12-01T10:00`. */
export function toChinaInput(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

/** Epoch ms of a `datetime-local` value read as China time. */
export function fromChinaInput(value: string): number {
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}+08:00`);
  if (Number.isNaN(ms)) throw new Error(`not a date and time: "${value}"`);
  return ms;
}

/**
 * 18:00 China time on the day before the soonest booking still to come (R13's reminder time), from the
 * answer of the `booking` function's `mine`; or a sentence saying why there is none.
 */
export function eveOfNextBooking(result: unknown, now: number): number | string {
  const answer = result as ApiResult<BookingResponse<'mine'>> | undefined;
  if (!answer || typeof answer !== 'object' || !('ok' in answer)) return '无法读取我的预约';
  if (!answer.ok) return `无法读取我的预约：${answer.error.message}`;
  const upcoming = answer.data.bookings
    .filter((b) => b.status === 'booked' && b.startsAt > now)
    .sort((a, b) => a.startsAt - b.startsAt);
  const next = upcoming[0];
  if (next === undefined) return '当前用户没有待办理的预约';
  const day = Date.parse(`${next.date}T18:00:00+08:00`) - 86_400_000;
  if (day <= now) return `预约 ${next.number} 的前一天 18:00 已经过了`;
  return day;
}
