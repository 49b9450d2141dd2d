import type { Session } from './services/session';

/** The app instance's shape, for `getApp<AppOption>()`. */
export interface AppOption {
  globalData: {
    /** State handed from page to page, in memory only (see services/session.ts). */
    session?: Session;
  };
}
