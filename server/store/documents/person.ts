/** `persons`: one document per person, keyed by the keyed hash of the ID number (R10, R14). */
export interface PersonDoc {
  _id: string;
  /** R10: epoch ms of no-shows (each booking's `startsAt`), in the order they were recorded. */
  noShows: number[];
  /** The bookings behind `noShows`, same order: recording a no-show twice is a no-op. */
  noShowBookings?: string[];
  suspendedUntil?: number;
  liftedAt?: number;
  /** Administrators' lifts, oldest first (R10). */
  lifts?: { at: number; by: string; reason: string; until: number }[];
  /**
   * Issue 15: the OPENID of the person's verified holder (the account that proved, through WeChat, to be
   * this person); the latest verification wins. No-shows of bookings other accounts made count against
   * those accounts, not against the person (docs/rules.md R15).
   */
  holder?: string;
  heldSince?: number;
  /** Raised by every write: writers read, compute, and write only if nobody wrote in between. */
  version?: number;
  updatedAt?: number;
}
