/**
 * Writes of `persons` documents (R10): read, compute, write only if nobody wrote in between (`version`),
 * else read again. The no-show sweep (server/jobs/noshow.ts) and administrators' lifts
 * (server/admin/lift-suspension.ts) are the writers; both are rare per person, so conflicts are rare and
 * a few rounds always suffice.
 */
import { duplicateKeyIndex, type Db, type Patch } from './db';
import type { PersonDoc } from './documents/person';

const ROUNDS = 8;

type PersonFields = Omit<PersonDoc, '_id' | 'version' | 'updatedAt'>;

/**
 * What a change writes: plain values (which also make the document when there is none) and the fields
 * to remove from an existing one.
 */
export interface PersonChange {
  set: Partial<PersonFields>;
  remove?: readonly (keyof PersonFields)[];
}

/**
 * Applies `change` to the person's current document (undefined when there is none): it answers the
 * fields to write, or undefined for "nothing to do".
 */
export async function updatePerson(
  db: Db,
  personKey: string,
  now: number,
  change: (current: PersonDoc | undefined) => PersonChange | undefined,
): Promise<void> {
  const _ = db.command;
  for (let round = 0; round < ROUNDS; round += 1) {
    const current = await db.persons.get(personKey);
    const wanted = change(current);
    if (wanted === undefined) return;
    const version = current?.version ?? 0;
    const written = { ...wanted.set, version: version + 1, updatedAt: now };
    if (!current) {
      const doc = { noShows: [], ...written, _id: personKey };
      try {
        await db.persons.insert(doc);
        return;
      } catch (err) {
        if (duplicateKeyIndex(err) === undefined) throw err;
        continue; // created meanwhile: read it and apply the change to it
      }
    }
    const patch: Patch<PersonDoc> = { ...written };
    for (const field of wanted.remove ?? []) patch[field] = _.remove();
    const updated = await db.persons.update(
      { _id: personKey, version: current.version === undefined ? _.exists(false) : version },
      patch,
    );
    if (updated === 1) return;
  }
  throw new Error('person document kept changing');
}
