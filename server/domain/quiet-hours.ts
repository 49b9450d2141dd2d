/**
 * Quiet hours (issue 12, R13, R11): no subscribed message goes out between 21:00 and 07:30 China time
 * (R3) by default; `settings.quietHours` changes the window without a deploy. A message that falls due
 * inside the window goes out when it ends, unless the appointment it is about has started by then: then
 * it is not sent at all (a reminder after the fact helps nobody, and it would spend the citizen's
 * one-time consent).
 */
import { addDays, chinaClock, chinaDate, chinaInstant, clockMinutes } from './china-time';

export interface QuietHours {
  /** `HH:mm` China time the quiet starts (inclusive). */
  from: string;
  /** `HH:mm` China time it ends (exclusive); before `from` when the window spans midnight. */
  to: string;
}

/**
 * The instant the quiet hours holding `now` end, or undefined when `now` is outside them. `from` equal
 * to `to` means no quiet hours.
 */
export function quietUntil(now: number, quiet: QuietHours): number | undefined {
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  if (from === to) return undefined;
  const day = chinaDate(now);
  const at = clockMinutes(chinaClock(now));
  if (from < to) return at >= from && at < to ? chinaInstant(day, quiet.to) : undefined;
  // Across midnight (21:00–07:30): the evening part ends tomorrow morning, the early part this morning.
  if (at >= from) return chinaInstant(addDays(day, 1), quiet.to);
  if (at < to) return chinaInstant(day, quiet.to);
  return undefined;
}

/** When a message that falls due at `dueAt` may go out: then, or when the quiet hours around it end. */
export function sendableAt(dueAt: number, quiet: QuietHours): number {
  return quietUntil(dueAt, quiet) ?? dueAt;
}

/**
 * Whether a message due at `dueAt` about an appointment starting at `startsAt` is sent at all: only if it
 * can go out before the appointment starts.
 */
export function sentBeforeStart(dueAt: number, startsAt: number, quiet: QuietHours): boolean {
  return sendableAt(dueAt, quiet) < startsAt;
}
