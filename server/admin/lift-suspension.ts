/**
 * R10: an administrator lifts a person's suspension, with a reason. Every no-show up to the lift is
 * forgiven (server/domain/standing.ts `Lift`), so the count starts again from zero; the lift is kept on
 * the person with who did it and why. Called by the `admin` function's `liftSuspension`
 * (server/admin/suspensions.ts), which audits it.
 *
 * The booking function's instances cache the suspended persons for up to 15 s
 * (server/booking/suspension.ts): a lifted person may be refused for that long after the lift.
 */
import type { Db } from '../store/db';
import type { PersonDoc } from '../store/documents/person';
import { updatePerson } from '../store/persons';

export type LiftResult =
  { lifted: true; until: number } | { lifted: false; reason: 'NOT_SUSPENDED' };

export class LiftError extends Error {}

export async function liftSuspension(
  db: Db,
  personKey: string,
  reason: string,
  by: string,
  now: number,
): Promise<LiftResult> {
  const why = reason.trim();
  if (why === '' || Array.from(why).length > 200)
    throw new LiftError('a reason of 1–200 characters is required');
  if (by.trim() === '') throw new LiftError('who lifts it is required');
  let lifted: number | undefined;
  await updatePerson(db, personKey, now, (current: PersonDoc | undefined) => {
    lifted = undefined;
    const until = current?.suspendedUntil;
    if (!current || until === undefined || until <= now) return undefined;
    lifted = until;
    return {
      set: {
        liftedAt: now,
        lifts: [...(current.lifts ?? []), { at: now, by: by.trim(), reason: why, until }],
      },
      remove: ['suspendedUntil'],
    };
  });
  return lifted === undefined
    ? { lifted: false, reason: 'NOT_SUSPENDED' }
    : { lifted: true, until: lifted };
}
