/**
 * R10: a suspended person cannot book and is told until when. Suspensions are written by the no-show
 * sweep and lifted by administrators, both rare; a warm instance keeps the current list for a short while
 * so the release-time rush does not pay a database read per attempt for it.
 */
import { untilNote } from '../domain/china-time';
import { AppError } from '../shared/errors';
import type { Context } from './context';

const CACHE_MS = 15_000;

let cache: { at: number; until: Map<string, number> } | undefined;

async function suspended(ctx: Context): Promise<Map<string, number>> {
  if (cache && ctx.now - cache.at < CACHE_MS && ctx.now >= cache.at) return cache.until;
  const _ = ctx.db.command;
  const docs = await ctx.db.forCache(() =>
    ctx.db.persons.find(
      { suspendedUntil: _.gt(ctx.now) },
      { fields: ['suspendedUntil'], limit: 100_000 },
    ),
  );
  const until = new Map<string, number>();
  for (const d of docs) if (d.suspendedUntil !== undefined) until.set(d._id, d.suspendedUntil);
  cache = { at: ctx.now, until };
  return until;
}

/** R10: the refusal of a suspended person, telling until when, or undefined when not suspended. */
export async function suspensionOf(
  ctx: Context,
  personKey: string,
  field = 'person.idNumber',
): Promise<AppError | undefined> {
  const until = (await suspended(ctx)).get(personKey);
  if (until === undefined || until <= ctx.now) return undefined;
  return new AppError('BLACKLIST.SUSPENDED', field, untilNote(until, ctx.now));
}

/** R10: refuses a suspended person, telling until when; `field` is the request's field it names. */
export async function assertNotSuspended(
  ctx: Context,
  personKey: string,
  field = 'person.idNumber',
): Promise<void> {
  const refusal = await suspensionOf(ctx, personKey, field);
  if (refusal) throw refusal;
}
