/**
 * Writes of `accounts` documents (issue 15): read, compute, write only if nobody wrote in between
 * (`version`), else read again — the same discipline as `persons` (server/store/persons.ts). Writers: the
 * no-show sweep (an account's no-shows for persons it does not hold), `verifyIdentity`, and the count of
 * person-level refusals; each is rare per account, so a few rounds always suffice.
 */
import { duplicateKeyIndex, type Db, type Patch } from './db';
import type { AccountDoc } from './documents/account';

const ROUNDS = 8;

type AccountFields = Omit<AccountDoc, '_id' | 'version' | 'updatedAt'>;

/**
 * What a change writes: plain values (which also make the document when there is none) and the fields
 * to remove from an existing one.
 */
export interface AccountChange {
  set: Partial<AccountFields>;
  remove?: readonly (keyof AccountFields)[];
}

/** Applies `change` to the account's current document (undefined when there is none). */
export async function updateAccount(
  db: Db,
  openid: string,
  now: number,
  change: (current: AccountDoc | undefined) => AccountChange | undefined,
): Promise<AccountDoc | undefined> {
  const _ = db.command;
  for (let round = 0; round < ROUNDS; round += 1) {
    const current = await db.accounts.get(openid);
    const wanted = change(current);
    if (wanted === undefined) return current;
    const version = current?.version ?? 0;
    const written = { ...wanted.set, version: version + 1, updatedAt: now };
    if (!current) {
      const doc: AccountDoc = { noShows: [], ...written, _id: openid };
      try {
        await db.accounts.insert(doc);
        return doc;
      } catch (err) {
        if (duplicateKeyIndex(err) === undefined) throw err;
        continue; // created meanwhile: read it and apply the change to it
      }
    }
    const patch: Patch<AccountDoc> = { ...written };
    for (const field of wanted.remove ?? []) patch[field] = _.remove();
    const updated = await db.accounts.update(
      { _id: openid, version: current.version === undefined ? _.exists(false) : version },
      patch,
    );
    if (updated === 1) {
      const removed = new Set<string>(wanted.remove ?? []);
      const kept = Object.entries(current).filter(([field]) => !removed.has(field));
      const next = {
        ...Object.fromEntries(kept),
        ...wanted.set,
        version: version + 1,
        updatedAt: now,
      };
      return next as AccountDoc; // the fields of `current` less the removed ones: still an AccountDoc
    }
  }
  throw new Error('account document kept changing');
}
