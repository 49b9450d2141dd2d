/**
 * R15, R16 on the sold-out snapshot's path: the WeChat accounts this instance knows suspended (R15:
 * `BLACKLIST.ACCOUNT_SUSPENDED`) or slowed for the China day (R16: `BOOKING.SLOWED`). R16's order puts
 * the account's own refusals before the day's state, so such an account hears its own refusal on a day
 * the instance knows sold out too, not `QUOTA.SOLD_OUT`: its booking is sent to the database path, whose
 * one read brings the account's record exactly (`readDayAndAccount`). This picture only chooses that
 * path: it never refuses anyone, and an entry gone stale costs one read, never a wrong answer.
 *
 * It is read like the suspended persons of day-state.ts (record-picture.ts says how): in the request the
 * configuration's refresh makes anyway, in parts of GATES_READ_MAX rows, then by the records changed since
 * (`updatedAt`, index `account_updated`). Nothing but time lifts an account's gate (a suspension ends, a
 * China day ends), so entries leave the picture by their own dates. "Slowed" depends on
 * `settings.personRefusalLimit`: the reads ask for the limit of the configuration in use, and a changed
 * limit starts the picture over.
 */
import { chinaDate } from '../domain/china-time';
import { FREED_OVERLAP_MS } from './day-state';
import type { AccountDoc } from './documents/account';
import { RecordPicture } from './record-picture';

export const GATES_READ_MAX = 500;

/** What the reads bring of an account: only what tells whether it is gated. */
export type GateDoc = Pick<AccountDoc, '_id' | 'suspendedUntil' | 'refusals'>;

interface Gate {
  /** R15: suspended until then. */
  until?: number;
  /** R16: slowed for this China day. */
  slowedDay?: string;
}

/** The gate `doc` shows at `now` under the refusal limit `limit`, or undefined when it has none. */
function gateOf(doc: GateDoc, now: number, limit: number): Gate | undefined {
  const today = chinaDate(now);
  const gate: Gate = {
    ...((doc.suspendedUntil ?? 0) > now ? { until: doc.suspendedUntil } : {}),
    ...(doc.refusals?.day === today && doc.refusals.count >= limit ? { slowedDay: today } : {}),
  };
  return gate.until === undefined && gate.slowedDay === undefined ? undefined : gate;
}

/** The accounts gated now, by OPENID; `basis`: R16's refusal limit of the configuration in use. */
export const accountGates = new RecordPicture<GateDoc, Gate, number>({
  from: 'accounts',
  projection: { _id: true, suspendedUntil: true, refusals: true },
  readMax: GATES_READ_MAX,
  overlapMs: FREED_OVERLAP_MS,
  as: { part: 'gated', changed: 'gateChanges' },
  flagged: (db, now, limit) => {
    const _ = db.command;
    return _.or([
      { suspendedUntil: _.gt(now) },
      { 'refusals.day': chinaDate(now), 'refusals.count': _.gte(limit) },
    ]);
  },
  entryOf: gateOf,
  expired: (gate, now) => (gate.until ?? 0) <= now && gate.slowedDay !== chinaDate(now),
});

/** Forgets the picture (tests start each case from the database alone). */
export function forgetAccountGates(): void {
  accountGates.forget();
}

/**
 * Whether the account may be suspended or slowed at `now` as far as this instance knows (R15, R16): seen
 * so, or not read yet by a full read that has not finished (the database path then decides).
 */
export function accountGatedLately(openid: string, now: number): boolean {
  return accountGates.flaggedLately(openid, now);
}
