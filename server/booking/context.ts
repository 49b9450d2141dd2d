import type { Db } from '../store/db';

/** Who is calling and with what: built once per invocation by the function entry. */
export interface Context {
  /** From `cloud.getWXContext()` only, never from the request (R8). */
  openid: string;
  db: Db;
  /** The function's clock, read once per invocation so one request sees one "now". */
  now: number;
  /** R12: the channel the request came through. */
  channel: string;
  /**
   * R5: whether the account's limit of active bookings applies — for a WeChat account; not for another
   * channel's key (server/hall/api.ts), which books for many people (the one-per-person rule still holds).
   */
  accountLimited: boolean;
}
