/**
 * What the other phones of the preview show as QR codes, for the scanner sheet of `wx.scanCode`: each
 * known OPENID's bookings as its `pages/booking` page shows them, i.e. the pass (`passToken`) of a
 * booking still to be checked in or checked in (components/qr-pass). Read through the `booking`
 * function's `mine` as that OPENID, as the citizen's own phone reads them.
 */
import type { Booking } from '../../../typings/api';
import { dayLabel, periodLabel } from '../../../miniprogram/utils/format';
import { qrMatrix } from '../../../miniprogram/utils/qr';
import { callFunction } from '../cloud';
import type { ShownCode } from './overlays';

/** The statuses whose booking page shows the pass (pages/booking/index.ts). */
const SHOWS_PASS: readonly string[] = ['booked', 'checked_in'];

function modulesOf(text: string): boolean[][] {
  return qrMatrix(text).rows.map((runs) =>
    runs.flatMap((run) => Array.from({ length: run.size }, () => run.dark)),
  );
}

async function codesOf(openid: string): Promise<(ShownCode & { date: string })[]> {
  const answer = await callFunction('booking', { action: 'mine' }, openid);
  const result = answer.result as { ok?: boolean; data?: { bookings?: Booking[] } } | undefined;
  const bookings = result?.ok ? (result.data?.bookings ?? []) : [];
  return bookings
    .filter((b) => SHOWS_PASS.includes(b.status) && b.passToken)
    .map((b) => ({
      text: b.passToken,
      modules: modulesOf(b.passToken),
      title: `${b.number} · ${dayLabel(b.date)} ${periodLabel(b.period.start, b.period.end)}`,
      owner: `${openid} 的手机`,
      date: `${b.date} ${b.period.start} ${b.number}`,
    }));
}

/** The codes shown on the phones of `openids`, soonest booking first. */
export async function shownCodes(openids: string[]): Promise<ShownCode[]> {
  const all = (await Promise.all(openids.map(codesOf))).flat();
  all.sort((a, b) => a.date.localeCompare(b.date));
  return all.map(({ text, modules, title, owner }) => ({ text, modules, title, owner }));
}
