/**
 * R10: a suspended person cannot book and is told until when. Read from the person's own record at the
 * moment of the request, so a suspension (the no-show sweep's) or a lift (an administrator's) takes
 * effect at once. Every booking and reschedule reads the record with the day, in the same request
 * (server/store/day-state.ts `readDayAndAccount`): a citizen's through its policy, the hall's channels
 * through the claim's `suspension`.
 */
import { untilNote } from '../domain/china-time';
import { AppError } from '../shared/errors';

/** R10: the refusal of a person suspended until `until`, or undefined when not suspended at `now`. */
export function suspensionRefusal(
  until: number | undefined,
  now: number,
  field = 'person.idNumber',
): AppError | undefined {
  if (until === undefined || until <= now) return undefined;
  return new AppError('BLACKLIST.SUSPENDED', field, untilNote(until, now));
}
