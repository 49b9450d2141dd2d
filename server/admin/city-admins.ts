/**
 * The two rules about who holds `city_admin` (docs/security.md, "The first administrator"), kept under
 * concurrency: at least one always remains (`revokeRole` refuses the last), and a bootstrap's code grants
 * only the first (`acceptInvitation` refuses it once anyone holds the role).
 *
 * Both are decided on the holders read outside a transaction (a query cannot run inside one), and two
 * revocations, or two bootstrap codes, at the same instant would each decide on the same holders and both
 * pass. So the holders have a guard (`roleGuards` `city_admin`): every transaction that gives or takes
 * the role raises its `version`. Two at once write that one document; the platform commits one and fails
 * the other with a conflict (snapshot isolation: a write to a document another transaction holds, or
 * changed after this one's snapshot), which `retryConflicts` runs again from its reads. A transaction
 * that decided on the holders first checks that the version it read before them is the one in its
 * snapshot (else `ReadAgain`): nobody gave or took the role between its reads and its commit.
 */
import { duplicateKeyIndex, ReadAgain, type Db, type Tx } from '../store/db';
import type { RoleGuardDoc } from '../store/documents/hall';

const GUARD: RoleGuardDoc['_id'] = 'city_admin';

/** Who holds `city_admin`, as read after the guard's `version`. */
export interface CityAdmins {
  version: number;
  openids: string[];
}

/**
 * The guard's version, creating the guard at its first use (a twin creating it meanwhile is fine: it is
 * the same document). Never removed afterwards, so a transaction can read it.
 */
export async function cityAdminGuard(db: Db): Promise<number> {
  const stored = await db.roleGuards.get(GUARD);
  if (stored) return stored.version;
  try {
    await db.roleGuards.insert({ _id: GUARD, version: 0 });
    return 0;
  } catch (err) {
    if (duplicateKeyIndex(err) !== '_id') throw err;
    const twin = await db.roleGuards.get(GUARD);
    if (!twin) throw err;
    return twin.version;
  }
}

/** The guard's version, then the holders: in this order, so the holders are at least that version's. */
export async function readCityAdmins(db: Db): Promise<CityAdmins> {
  const version = await cityAdminGuard(db);
  const roles = await db.roles.find({ role: 'city_admin' }, { fields: ['openid'] });
  return { version, openids: roles.map((r) => r.openid) };
}

/**
 * In the transaction that gives or takes `city_admin`: raises the guard's version, so another such
 * transaction at the same instant conflicts with this one. With `decidedOn` (the holders the caller read
 * and decided on), first checks that nobody gave or took the role since: else `ReadAgain`. The guard must
 * exist (`cityAdminGuard` or `readCityAdmins` before the transaction).
 */
export async function guardCityAdmins(tx: Tx, decidedOn?: CityAdmins): Promise<void> {
  const guard = await tx.roleGuards.get(GUARD);
  if (decidedOn !== undefined && guard.version !== decidedOn.version)
    throw new ReadAgain('who holds city_admin');
  await tx.roleGuards.update(GUARD, { version: guard.version + 1 });
}
