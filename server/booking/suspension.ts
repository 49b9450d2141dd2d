/**
 * R10: a suspended person cannot book and is told until when. Read from the person's own record at the
 * moment of the request, so a suspension (the no-show sweep's) or a lift (an administrator's) takes
 * effect at once. A citizen's `book` and `reschedule` read the record with the day, in the same request
 * (server/store/day-state.ts `readDayAndAccount`); the hall's channels read it here.
 */
import { untilNote } from '../domain/china-time';
import { AppError } from '../shared/errors';
import type { Context } from './context';

/** R10: the refusal of a person suspended until `until`, or undefined when not suspended at `now`. */
export function suspensionRefusal(
  until: number | undefined,
  now: number,
  field = 'person.idNumber',
): AppError | undefined {
  if (until === undefined || until <= now) return undefined;
  return new AppError('BLACKLIST.SUSPENDED', field, untilNote(until, now));
}

/** R10: the refusal of a suspended person, telling until when, or undefined when not suspended. */
export async function suspensionOf(
  ctx: Context,
  personKey: string,
  field = 'person.idNumber',
): Promise<AppError | undefined> {
  const person = await ctx.db.persons.get(personKey);
  return suspensionRefusal(person?.suspendedUntil, ctx.now, field);
}
