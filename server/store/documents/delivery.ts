/**
 * The exactly-once delivery state of one subscribe message, embedded in the document it is about (a
 * booking's `reminder`, a waiting entry's `delivery`); docs/jobs.md explains the protocol and
 * server/jobs/delivery.ts runs it. Only `state` is set when the document is made.
 */
export interface Delivery<S extends string> {
  state: S;
  /** Claims so far (each one a try to send). */
  attempts?: number;
  /** Token of the run holding (or last holding) the claim; outcomes are recorded only under it. */
  claim?: string;
  claimedAt?: number;
  /** Not to be claimed before this instant: the claim's lease, or the backoff after a transient error. */
  retryAt?: number;
  /** A claim whose outcome has not been recorded: its run may have died before or after sending. */
  inFlight?: boolean;
  /** An earlier try may have reached the user (a lost answer, a run that died after claiming). */
  uncertain?: boolean;
  sentAt?: number;
  /** Sent, inferred: a retry after an uncertain try was refused for want of consent (43101). */
  presumed?: boolean;
  msgid?: string;
  /** The last failure: the platform's errCode (or ours, e.g. `EXPIRED`) and when. */
  error?: { code: string; at: number };
}
