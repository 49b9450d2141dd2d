/**
 * At-most-once delivery of subscribe messages (R13 reminders "at most once per booking", R11 notices) on
 * a database without transactions across the platform's send. The protocol, per document holding a
 * `Delivery` (docs/jobs.md argues it in full):
 *
 * 1. **Claim** a batch with ONE conditional update: `state: 'pending'`, not leased (`retryAt` absent or
 *    past) and not `inFlight`. It sets this run's token, `inFlight` (the "sending" mark, written BEFORE
 *    the platform is called), and a lease (`retryAt`) longer than any run can live (LEASE_MS > the
 *    platform's 60 s ceiling), so while the lease lasts its holder may still be running, and once it has
 *    expired the holder is certainly dead. Each document is updated atomically on its own: two runs
 *    claiming the same documents split them, never share one.
 * 2. **Send**, then **record** the outcome with an update conditional on the token: `sent`; a final
 *    refusal (`not_subscribed`, `failed`); an answer that says nothing went out (quota, token…) is
 *    retried with backoff (`retryAt`), up to MAX_ATTEMPTS; an answer that may hide a delivery (a timeout,
 *    no answer) is final: `failed`, `uncertain`.
 * 3. **Abandon** what a dead run left: a document still `inFlight` once its lease has expired was claimed
 *    by a run that died between its claim and its record, before or after WeChat accepted the message,
 *    which nobody can tell (`subscribeMessage.send` has no idempotency key and no query). It is recorded
 *    `failed` (`IN_FLIGHT`, `uncertain`) and never sent again: at most once, a reminder lost in a crash
 *    rather than the same reminder twice.
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

/** The error code of a delivery abandoned in flight: its run died after claiming it (sent or not). */
export const IN_FLIGHT = 'IN_FLIGHT';

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
  /** Left in flight by a dead run, recorded `failed` (`IN_FLIGHT`) without sending. */
  abandoned: number;
}

export function emptyTally(): Tally {
  return {
    claimed: 0,
    lost: 0,
    sent: 0,
    presumed: 0,
    notSubscribed: 0,
    failed: 0,
    retry: 0,
    abandoned: 0,
  };
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
 * Records as `failed` (`IN_FLIGHT`, `uncertain`) those of `ids` still in flight under an expired lease —
 * their run died between claim and record, maybe after WeChat accepted the message — with one
 * conditional update; answers how many. They are never sent again (at most once).
 */
export async function abandonInFlight<D extends { _id: string }>(
  db: Db,
  q: Queue<D>,
  ids: readonly string[],
  now: number,
): Promise<number> {
  if (ids.length === 0) return 0;
  const _ = db.command;
  const f = q.field;
  return q.collection(db).update(
    _.and([{ _id: _.in([...ids]) }, dueWhere(db, q, now), { [`${f}.inFlight`]: true }]),
    dynamic({
      [`${f}.state`]: 'failed',
      [`${f}.inFlight`]: false,
      [`${f}.uncertain`]: true,
      [`${f}.error`]: { code: IN_FLIGHT, at: now },
    }),
  );
}

/**
 * Claims those of `ids` still due and not in flight, for `token`; answers the ids this run now holds. One request, plus a
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
    // Never a document a dead run left in flight: it may have been sent (abandonInFlight records it).
    _.and([{ _id: _.in([...ids]) }, dueWhere(db, q, now), { [`${f}.inFlight`]: _.neq(true) }]),
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
 * The patch recording `result` for a delivery that was `prior` when claimed. Pure. A failure that may
 * hide a delivery (`maybeDelivered`) is final (at most once): `failed`, `uncertain`. A 43101 after an
 * uncertain try (only in documents recorded before that rule: such a try is no longer retried) means
 * "already delivered".
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
  if (failure.kind === 'transient' && failure.maybeDelivered) {
    return {
      outcome: 'failed',
      patch: { ...base, ...error, [`${f}.state`]: 'failed', [`${f}.uncertain`]: true },
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
      [`${f}.uncertain`]: uncertain,
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
 * Abandons those of `docs` (due documents read just before) a dead run left in flight, claims the others,
 * sends each won one as `build` makes it, and records each outcome right after its send, so the window in
 * which a death leaves a sent message unrecorded (and so abandoned) is one database write.
 */
export async function deliverBatch<D extends { _id: string }, T extends Pick<D, '_id'>>(
  env: DeliveryEnv,
  q: Queue<D>,
  docs: readonly T[],
  delivery: (doc: T) => Delivery<string>,
  build: (doc: T) => SubscribeMessage,
): Promise<Tally> {
  const tally = emptyTally();
  const dead = docs.filter((d) => delivery(d).inFlight === true).map((d) => d._id);
  tally.abandoned = await abandonInFlight(env.db, q, dead, env.clock());
  const fresh = docs.filter((d) => delivery(d).inFlight !== true).map((d) => d._id);
  const won = await claim(env.db, q, fresh, env.token, env.clock());
  tally.claimed = won.size;
  tally.lost = fresh.length - won.size;
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
