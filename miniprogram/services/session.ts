/**
 * What one page hands to the next during a booking: the chosen service, the person, the day and period.
 *
 * Each page is bundled on its own (scripts/build.ts), so a module-level variable would exist once per
 * page; the app instance is the one object every page shares. Kept in memory only, never in
 * `wx.setStorage`: the person holds the full ID and phone numbers (R14), and they are dropped as soon as
 * the booking is made.
 */
import type { AppOption, Session } from '../app-option';

export function session(): Session {
  const app = getApp<AppOption>();
  app.globalData.session ??= {};
  return app.globalData.session;
}

/** Forgets the person and the slot (after booking, or when starting again). */
export function clearDraft(): void {
  const s = session();
  delete s.person;
  delete s.slot;
}
