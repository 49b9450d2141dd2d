/**
 * Exactly-once delivery of subscribe messages (R13 reminders, R11 notices) on a database without
 * transactions across the platform's send. The protocol, per document holding a `Delivery`
 * (docs/jobs.md argues it in full):
 *
 * 1. **Claim** a batch with ONE conditional update: `state: 'pending'` and not leased (`retryAt` absent
 *    or past). It sets this run's token, `inFlight`, and a lease (`retryAt`) longer than any run can live
 *    (LEASE_MS > the platform's 60 s ceiling), so while the lease lasts its holder may still be running,
 *    and once it has expired the holder is certainly dead. Each document is updated atomically on its own:
 *    two runs claiming the same documents split them, never share one.
 * 2. **Send**, then **record** the outcome with an update conditional on the token: `sent`; a final
 *    refusal (`not_subscribed`, `failed`); or a transient error with backoff (`retryAt`), up to
 *    MAX_ATTEMPTS.
 *
 * A run killed between claim and record leaves `inFlight` under an expiring lease: the next claim after
 * the lease retries it. WeChat has no idempotency key, so whether that retry duplicates depends on where
 * the run died; the one-time consent is what closes most of the gap: a message already delivered used the
 * user's only consent, so the retry is refused with 43101, which after an uncertain try is recorded as
 * `sent` (`presumed`), not as a missing consent. The residual duplicate needs all of: the run died (or
 * the answer was lost) after WeChat accepted the message and before the record landed, AND the user holds
 * a second unused consent for the same template.
 */
import { dynamic, type Collection, type Db, type Expression, type Where } from '../store/db';
import type { Delivery } from '../store/documents/delivery';
import { pool } from './pool';
import { classifySendError, type SendFailure } from './send-errors';
import type { DeliveryHooks, Sender, SubscribeMessage } from './sender';

/** Longer than the longest run (the platform's 60 s ceiling): an expired lease means a dead holder. */
export const LEASE_MS = 90_000;
/** Tries before a transient failure becomes final. */
export const MAX_ATTEMPTS = 6;
/** Documents claimed per conditional update. */
export const CLAIM_BATCH = 20;
/** Messages in flight at once within a run. */
export const SEND_CONCURRENCY = 10;

/** 1, 2, 4, 8… minutes after the n-th failed try, at most 30. */
export function backoffMs(attempts: number): number {
  return Math.min(30 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

/** The fields of D holding a `Delivery`. */
type DeliveryField<D> = {
  // Optional ones too (a booking's `changeNotice`): a document without it never matches `state`.
  [K in keyof D & string]-?: NonNullable<D[K]> extends Delivery<string> ? K : never;
}[keyof D & string];

/** Where the deliveries of one kind live. */
export interface Queue<D extends { _id: string }> {
  collection: (db: Db) => Collection<D>;
  /** The field holding the `Delivery`, e.g. `reminder`. */
  field: DeliveryField<D>;
  /** What else a document must satisfy to be sent at all (e.g. `{ status: 'booked' }`). */
  base: Where<D>;
}

export type Outcome = 'sent' | 'presumed' | 'not_subscribed' | 'failed' | 'retry';

export interface Tally {
  claimed: number;
  /** Claims another run got first. */
  lost: number;
  sent: number;
  /** Recorded as sent on the evidence of 43101 after an uncertain try. */
  presumed: number;
  notSubscribed: number;
  failed: number;
  retry: number;
}

export function emptyTally(): Tally {
  return { claimed: 0, lost: 0, sent: 0, presumed: 0, notSubscribed: 0, failed: 0, retry: 0 };
}

export function addTally(into: Tally, more: Tally): void {
  for (const k of Object.keys(more) as (keyof Tally)[]) into[k] += more[k];
}

/** The condition of a document that may be claimed at `now`. */
export function dueWhere<D extends { _id: string }>(db: Db, q: Queue<D>, now: number): Expression {
  const _ = db.command;
  const f = q.field;
  return _.and([
    q.base,
    { [`${f}.state`]: 'pending' },
    _.or([{ [`${f}.retryAt`]: _.exists(false) }, { [`${f}.retryAt`]: _.lte(now) }]),
  ]);
}

/**
 * Records as `failed` (`EXPIRED`) the due documents among `rows` whose appointment has started (a notice
 * is never sent late: R13), with one conditional update; answers how many it recorded and the rows still
 * worth sending.
 */
export async function expireStarted<
  D extends { _id: string },
  R extends { _id: string; startsAt: number },
>(db: Db, q: Queue<D>, rows: readonly R[], now: number): Promise<{ expired: number; live: R[] }> {
  const started = rows.filter((d) => d.startsAt <= now).map((d) => d._id);
  const live = rows.filter((d) => d.startsAt > now);
  if (started.length === 0) return { expired: 0, live };
  const _ = db.command;
  const f = q.field;
  const expired = await q
    .collection(db)
    .update(
      _.and([{ _id: _.in(started) }, dueWhere(db, q, now)]),
      dynamic({ [`${f}.state`]: 'failed', [`${f}.error`]: { code: 'EXPIRED', at: now } }),
    );
  return { expired, live };
}

/**
 * Claims those of `ids` still due, for `token`; answers the ids this run now holds. One request, plus a
 * read-back only when some were not won (another run took them, or a retried update hides the count).
 */
export async function claim<D extends { _id: string }>(
  db: Db,
  q: Queue<D>,
  ids: readonly string[],
  token: string,
  now: number,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const _ = db.command;
  const f = q.field;
  const updated = await q.collection(db).update(
    _.and([{ _id: _.in([...ids]) }, dueWhere(db, q, now)]),
    dynamic({
      [`${f}.claim`]: token,
      [`${f}.claimedAt`]: now,
      [`${f}.retryAt`]: now + LEASE_MS,
      [`${f}.inFlight`]: true,
      [`${f}.attempts`]: _.inc(1),
    }),
  );
  if (updated === ids.length) return new Set(ids);
  const held = await q
    .collection(db)
    .find(dynamic({ _id: _.in([...ids]), [`${f}.claim`]: token }), { fields: ['_id'] });
  return new Set(held.map((d) => d._id));
}

export type SendResult = { ok: true; msgid?: string } | { ok: false; failure: SendFailure };

/**
 * The patch recording `result` for a delivery that was `prior` when claimed. Pure. `uncertain` is
 * sticky: once a try may have reached the user, a later 43101 means "already delivered".
 */
export function outcomePatch(
  field: string,
  prior: Delivery<string>,
  result: SendResult,
  now: number,
): { outcome: Outcome; patch: Record<string, unknown> } {
  const f = field;
  const attempts = (prior.attempts ?? 0) + 1;
  const uncertain = prior.uncertain === true || prior.inFlight === true;
  const base = { [`${f}.inFlight`]: false };
  if (result.ok) {
    return {
      outcome: 'sent',
      patch: {
        ...base,
        [`${f}.state`]: 'sent',
        [`${f}.sentAt`]: now,
        ...(result.msgid !== undefined ? { [`${f}.msgid`]: result.msgid } : {}),
      },
    };
  }
  const { failure } = result;
  const error = { [`${f}.error`]: { code: failure.code, at: now } };
  if (failure.kind === 'no_consent') {
    if (uncertain) {
      return {
        outcome: 'presumed',
        patch: {
          ...base,
          ...error,
          [`${f}.state`]: 'sent',
          [`${f}.sentAt`]: now,
          [`${f}.presumed`]: true,
        },
      };
    }
    return {
      outcome: 'not_subscribed',
      patch: { ...base, ...error, [`${f}.state`]: 'not_subscribed' },
    };
  }
  if (failure.kind === 'rejected' || attempts >= MAX_ATTEMPTS) {
    return { outcome: 'failed', patch: { ...base, ...error, [`${f}.state`]: 'failed' } };
  }
  return {
    outcome: 'retry',
    patch: {
      ...base,
      ...error,
      [`${f}.retryAt`]: now + backoffMs(attempts),
      [`${f}.uncertain`]: uncertain || failure.maybeDelivered,
    },
  };
}

export interface DeliveryEnv {
  db: Db;
  /** The platform's clock (the emulated one on the local cloud). */
  clock: () => number;
  send: Sender;
  hooks: DeliveryHooks;
  /** This run's claim token. */
  token: string;
}

/**
 * Claims `docs` (due documents read just before), sends each won one as `build` makes it, and records
 * each outcome right after its send, so the window in which a death leaves a sent message unrecorded is
 * one database write.
 */
export async function deliverBatch<D extends { _id: string }, T extends Pick<D, '_id'>>(
  env: DeliveryEnv,
  q: Queue<D>,
  docs: readonly T[],
  delivery: (doc: T) => Delivery<string>,
  build: (doc: T) => SubscribeMessage,
): Promise<Tally> {
  const tally = emptyTally();
  const won = await claim(
    env.db,
    q,
    docs.map((d) => d._id),
    env.token,
    env.clock(),
  );
  tally.claimed = won.size;
  tally.lost = docs.length - won.size;
  if (won.size === 0) return tally;
  if (env.hooks.afterClaim) await env.hooks.afterClaim();
  await pool(
    docs.filter((d) => won.has(d._id)),
    SEND_CONCURRENCY,
    async (doc) => {
      const message = build(doc);
      let result: SendResult;
      try {
        const sent = await env.send(message);
        result = sent.msgid !== undefined ? { ok: true, msgid: sent.msgid } : { ok: true };
      } catch (err) {
        result = { ok: false, failure: classifySendError(err) };
      }
      if (result.ok && env.hooks.afterSend) await env.hooks.afterSend();
      const { outcome, patch } = outcomePatch(q.field, delivery(doc), result, env.clock());
      await q
        .collection(env.db)
        .update(dynamic({ _id: doc._id, [`${q.field}.claim`]: env.token }), dynamic(patch));
      count(tally, outcome);
    },
  );
  return tally;
}

function count(tally: Tally, outcome: Outcome): void {
  if (outcome === 'sent') tally.sent += 1;
  else if (outcome === 'presumed') tally.presumed += 1;
  else if (outcome === 'not_subscribed') tally.notSubscribed += 1;
  else if (outcome === 'failed') tally.failed += 1;
  else tally.retry += 1;
}
