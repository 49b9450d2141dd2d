/**
 * The booking draft kept in the phone's storage, so that a half-filled booking survives WeChat closing
 * the mini program (a relaunch). R14 decides what it may hold: the service, the chosen day and period,
 * the name, the plate (or 车架号) and the category — never the ID number nor the phone number, which stay
 * in memory only (services/session.ts) and must be typed again after a relaunch (the form says so).
 * Storage is the phone's own, per WeChat user and per mini program; a name and a plate are what a
 * citizen writes on a paper form at the window, and nothing here lets anyone book or look a booking up.
 */
import type { SlotChoice } from './session';

const KEY = 'booking-draft';
/** A draft older than this is not offered again. */
const MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;

export interface StoredDraft {
  version: 1;
  serviceId: string;
  slot?: SlotChoice;
  name: string;
  plate: string;
  category: string;
  savedAt: number;
}

function isDraft(value: unknown): value is StoredDraft {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Partial<Record<keyof StoredDraft, unknown>>;
  return (
    d.version === 1 &&
    typeof d.serviceId === 'string' &&
    typeof d.name === 'string' &&
    typeof d.plate === 'string' &&
    typeof d.category === 'string' &&
    typeof d.savedAt === 'number'
  );
}

/** The draft of `serviceId`, when there is a recent one. */
export function readDraft(serviceId: string, now: number): StoredDraft | undefined {
  let value: unknown;
  try {
    value = wx.getStorageSync(KEY);
  } catch {
    return undefined;
  }
  if (!isDraft(value) || value.serviceId !== serviceId || now - value.savedAt > MAX_AGE_MS) {
    return undefined;
  }
  return value;
}

export function writeDraft(draft: Omit<StoredDraft, 'version'>): void {
  const stored: StoredDraft = { version: 1, ...draft };
  try {
    wx.setStorageSync(KEY, stored);
  } catch {
    // Storage full or refused: the draft lives in memory only, as before.
  }
}

export function forgetDraft(): void {
  try {
    wx.removeStorageSync(KEY);
  } catch {
    // Nothing stored.
  }
}
