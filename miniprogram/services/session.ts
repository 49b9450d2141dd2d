/**
 * What one page hands to the next during a booking: the chosen service, the day and period, the form as
 * typed, the person as checked (the shape is in app-option.ts, with the app's).
 *
 * Each page is bundled on its own (scripts/build.ts), so a module-level variable would exist once per
 * page; the app instance is the one object every page shares. Kept in memory only: the form holds the
 * full ID and phone numbers (R14). What may outlive a relaunch is in services/draft.ts.
 */
import type { AppOption, Session, SlotChoice } from '../app-option';

export type { Session, SlotChoice };

export function session(): Session {
  const app = getApp<AppOption>();
  app.globalData.session ??= {};
  return app.globalData.session;
}

/** Forgets the form, the person and the slot (after booking, or when starting again). */
export function clearBooking(): void {
  const s = session();
  delete s.form;
  delete s.person;
  delete s.known;
  delete s.self;
  delete s.forWhom;
  delete s.slot;
}
