/**
 * Who may act at which office (issue 13). Read from `roles` on every call, never cached: a revocation
 * takes effect on the next call. A caller without the right gets exactly the answer of an unknown action
 * (`REQUEST.UNKNOWN_ACTION` on `action`), so the actions cannot be discovered by trying them.
 */
import type { StaffRole } from '../../typings/staff';
import type { Db } from '../store/db';
import type { RoleDoc } from '../store/documents/hall';
import { AppError } from '../shared/errors';

export interface Access {
  openid: string;
  roles: RoleDoc[];
}

export async function loadAccess(db: Db, openid: string): Promise<Access> {
  const roles = await db.roles.find({ openid });
  return { openid, roles };
}

/** The answer to an action the caller may not take: the same as an action that does not exist. */
export function unknownAction(): AppError {
  return new AppError('REQUEST.UNKNOWN_ACTION', 'action');
}

export function isCityAdmin(access: Access): boolean {
  return access.roles.some((r) => r.role === 'city_admin');
}

/** Whether the account holds one of `roles` for `officeId` (a `city_admin` holds every office). */
export function holds(
  access: Access,
  officeId: string,
  roles: readonly StaffRole[] = ['staff', 'office_admin'],
): boolean {
  return (
    isCityAdmin(access) ||
    access.roles.some((r) => roles.includes(r.role) && r.officeId === officeId)
  );
}

/** Whether the account has any role at all (a window staff member of some office, or an admin). */
export function hasAnyRole(access: Access): boolean {
  return access.roles.length > 0;
}

/** Throws the unknown-action answer unless the account works at `officeId`. */
export function requireOffice(access: Access, officeId: string): void {
  if (!holds(access, officeId)) throw unknownAction();
}

/** The offices an `office_admin` administers (every office for a `city_admin`: `'all'`). */
export function administered(access: Access): Set<string> | 'all' {
  if (isCityAdmin(access)) return 'all';
  return new Set(
    access.roles.flatMap((r) => (r.role === 'office_admin' && r.officeId ? [r.officeId] : [])),
  );
}
