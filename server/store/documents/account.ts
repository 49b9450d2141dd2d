/**
 * `accounts`: one document per WeChat account (`_id` = its OPENID), written only when there is something
 * to keep (issue 15): the person it verified (by person key, never the ID number, R14), the no-shows of
 * bookings it made for persons it is not the verified holder of (R10 for the account), and its count of
 * person-level refusals of the China day (the probing limit).
 */
export interface AccountDoc {
  _id: string;
  /** The person this account proved to be (实名认证): key, what is shown, when and how. */
  verified?: {
    personKey: string;
    name: string;
    idMasked: string;
    method: 'realname' | 'face';
    at: number;
  };
  /**
   * The ID this account had verified was verified since by another WeChat account (R15: the latest
   * verification wins), which then removed `verified` here: what the account is told instead.
   */
  displaced?: { idMasked: string; at: number };
  /** R10 for the account: epoch ms of no-shows counted against it, in the order recorded. */
  noShows: number[];
  /** The bookings behind `noShows`: recording one twice is a no-op. */
  noShowBookings?: string[];
  suspendedUntil?: number;
  /** Person-level refusals drawn on China day `day` (`YYYY-MM-DD`). */
  refusals?: { day: string; count: number };
  version?: number;
  updatedAt?: number;
}
