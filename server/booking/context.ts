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
}
