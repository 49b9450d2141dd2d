/**
 * Writes of `persons` documents (R10): read, compute, write only if nobody wrote in between (`version`),
 * else read again. The no-show sweep and administrators' lifts are the writers; both are rare per person,
 * so conflicts are rare and a few rounds always suffice.
 */
import type { PersonDoc } from '../booking/model';
import { duplicateKeyIndex, type Db } from '../shared/db';

const ROUNDS = 8;

/**
 * Applies `change` to the person's current document (undefined when there is none): it answers the
 * fields to write, or undefined for "nothing to do". Answers the document as written (or as it was).
 */
export async function updatePerson(
  db: Db,
  personKey: string,
  now: number,
  change: (current: PersonDoc | undefined) => Record<string, unknown> | undefined,
): Promise<PersonDoc | undefined> {
  const _ = db.command;
  for (let round = 0; round < ROUNDS; round += 1) {
    const current = await db.getById<PersonDoc>('persons', personKey);
    const patch = change(current);
    if (patch === undefined) return current;
    const version = current?.version ?? 0;
    const written = { ...patch, version: version + 1, updatedAt: now };
    if (!current) {
      const doc = { noShows: [], ...written, _id: personKey };
      try {
        await db.insert('persons', doc);
        return doc;
      } catch (err) {
        if (duplicateKeyIndex(err) === undefined) throw err;
        continue; // created meanwhile: read it and apply the change to it
      }
    }
    const updated = await db.updateWhere(
      'persons',
      { _id: personKey, version: current.version === undefined ? _.exists(false) : version },
      written,
    );
    if (updated === 1) return { ...current, ...written };
  }
  throw new Error('person document kept changing');
}
