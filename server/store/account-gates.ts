/**
 * R15, R16 on the sold-out snapshot's path: the WeChat accounts this instance knows suspended (R15:
 * `BLACKLIST.ACCOUNT_SUSPENDED`) or slowed for the China day (R16: `BOOKING.SLOWED`). R16's order puts
 * the account's own refusals before the day's state, so such an account hears its own refusal on a day
 * the instance knows sold out too, not `QUOTA.SOLD_OUT`: its booking is sent to the database path, whose
 * one read brings the account's record exactly (`readDayAndAccount`). This picture only chooses that
 * path: it never refuses anyone, and an entry gone stale costs one read, never a wrong answer.
 *
 * It costs no request of its own: it is read in the request the configuration's refresh makes anyway, at
 * most every CACHE_MS (`readSettingsAndFreed` in catalogue.ts, beside the suspended persons of
 * day-state.ts, and read the same way), in bounded parts of GATES_READ_MAX rows:
 * - the full read, at an instance's first check: the accounts gated now, in `_id` order, one part per
 *   check until a part comes back short. Until then an account whose OPENID is above the last one read is
 *   not known either way, and `accountGatedLately` answers true for it (the database path decides);
 * - from then on, at every check, only the accounts whose record changed since the previous check
 *   (`updatedAt`, index `account_updated`; FREED_OVERLAP_MS of overlap for writes that land late) and
 *   are gated now. When that answer is full, what it left out is unknown: the picture starts over with
 *   the full read. Nothing but time lifts an account's gate (a suspension ends, a China day ends), so
 *   entries leave the picture by their own dates.
 * "Slowed" depends on `settings.personRefusalLimit`: the reads ask for the limit of the configuration in
 * use, and a changed limit starts the picture over (so does a clock set back).
 * Before an instance's first check nothing is known and such an account is told SOLD_OUT there (up to
 * CACHE_MS after a cold start: the trade-off the suspended persons' picture makes too).
 */
import { chinaDate } from '../domain/china-time';
import type { Db } from './db';
import { FREED_OVERLAP_MS } from './day-state';
import type { AccountDoc } from './documents/account';

export const GATES_READ_MAX = 500;

/** What the reads bring of an account: only what tells whether it is gated. */
export type GateDoc = Pick<AccountDoc, '_id' | 'suspendedUntil' | 'refusals'>;
export const GATE_PROJECTION = { _id: true, suspendedUntil: true, refusals: true };

interface Gate {
  /** R15: suspended until then. */
  until?: number;
  /** R16: slowed for this China day. */
  slowedDay?: string;
}

const gates = {
  /** OPENID → its gate. */
  known: new Map<string, Gate>(),
  /** The full read's progress: OPENIDs above this one are not read yet ('' none yet, undefined all). */
  after: '' as string | undefined,
  /** When the last check ran (undefined: never, in this instance). */
  checkedAt: undefined as number | undefined,
  /** The refusal limit the picture was read with. */
  limit: undefined as number | undefined,
};

/** What the next check reads of `accounts`. */
export interface GatesPlan {
  /** R16: the refusals of a China day that slow an account. */
  limit: number;
  /** The full read's next part: OPENIDs above this one. */
  after?: string;
  /** The records changed since this instant. */
  since?: number;
}

/** Forgets the picture (tests start each case from the database alone). */
export function forgetAccountGates(): void {
  gates.known.clear();
  gates.after = '';
  gates.checkedAt = undefined;
  gates.limit = undefined;
}

/** The next check's reads of `accounts` at `now`, for the configuration's refusal limit `limit`. */
export function accountGatesPlan(limit: number, now: number): GatesPlan {
  const back = gates.checkedAt !== undefined && now < gates.checkedAt;
  if ((gates.limit !== undefined && gates.limit !== limit) || back) {
    // Who is slowed depends on the limit, and changes are read from the last check on (a clock set
    // back, as the local cloud's can be, would skip them): read everyone again.
    gates.known.clear();
    gates.after = '';
    gates.checkedAt = undefined;
  }
  const { after, checkedAt } = gates;
  return {
    limit,
    ...(after === undefined ? {} : { after }),
    ...(checkedAt === undefined ? {} : { since: checkedAt - FREED_OVERLAP_MS }),
  };
}

/** The filters of a plan's reads (each at most GATES_READ_MAX rows, `part`'s in `_id` order). */
export function accountGatesFilters(
  db: Db,
  plan: GatesPlan,
  now: number,
): { part?: object; changed?: object } {
  const _ = db.command;
  const gatedNow = (): object =>
    _.or([
      { suspendedUntil: _.gt(now) },
      { 'refusals.day': chinaDate(now), 'refusals.count': _.gte(plan.limit) },
    ]);
  return {
    ...(plan.after === undefined ? {} : { part: _.and([{ _id: _.gt(plan.after) }, gatedNow()]) }),
    ...(plan.since === undefined
      ? {}
      : { changed: _.and([{ updatedAt: _.gt(plan.since) }, gatedNow()]) }),
  };
}

/** The gate `doc` shows at `now`, or undefined when it has none. */
function gateOf(doc: GateDoc, limit: number, now: number): Gate | undefined {
  const today = chinaDate(now);
  const gate: Gate = {
    ...((doc.suspendedUntil ?? 0) > now ? { until: doc.suspendedUntil } : {}),
    ...(doc.refusals?.day === today && doc.refusals.count >= limit ? { slowedDay: today } : {}),
  };
  return gate.until === undefined && gate.slowedDay === undefined ? undefined : gate;
}

function open(gate: Gate, now: number): boolean {
  return (gate.until ?? 0) <= now && gate.slowedDay !== chinaDate(now);
}

/** The check planned as `plan` ran at `now` and read these accounts (`part`, `changed`: as planned). */
export function noteAccountGates(
  plan: GatesPlan,
  read: { part?: readonly GateDoc[]; changed?: readonly GateDoc[] },
  now: number,
): void {
  const { known } = gates;
  const learn = (docs: readonly GateDoc[]): void => {
    for (const doc of docs) {
      const gate = gateOf(doc, plan.limit, now);
      if (gate) known.set(doc._id, gate);
      else known.delete(doc._id);
    }
  };
  if (plan.after !== undefined && read.part) {
    learn(read.part);
    const last = read.part.at(-1);
    gates.after = read.part.length < GATES_READ_MAX || !last ? undefined : last._id;
  }
  if (plan.since !== undefined && read.changed) {
    if (read.changed.length >= GATES_READ_MAX) {
      // Some changes were left out: nobody's gate is known until the full read has reached them.
      known.clear();
      gates.after = '';
    } else learn(read.changed);
  }
  for (const [openid, gate] of known) if (open(gate, now)) known.delete(openid);
  gates.checkedAt = now;
  gates.limit = plan.limit;
}

/**
 * Whether the account may be suspended or slowed at `now` as far as this instance knows (R15, R16): seen
 * so, or not read yet by a full read that has not finished (the database path then decides).
 */
export function accountGatedLately(openid: string, now: number): boolean {
  const gate = gates.known.get(openid);
  if (gate && !open(gate, now)) return true;
  const { after, checkedAt } = gates;
  // OPENIDs are ASCII, so this order is the database's `_id` order.
  return checkedAt !== undefined && after !== undefined && openid > after;
}
