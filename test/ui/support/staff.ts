/** Roles for page tests, granted through the real `admin` function as an administrator would. */
import { callAs } from './cloud';

interface Answer<T = unknown> {
  ok: boolean;
  data?: T;
  error?: { code: string };
}

/** The file's first city administrator (each UI file has its own local cloud). */
const CITY_ADMIN = 'ui-city-admin';

/**
 * The file's city administrator, made on first use as in production (docs/security.md, "The first
 * administrator"): `bootstrap` without a user OPENID, like the cloud console's test call, answers a code
 * that the account enters in the mini program. Later calls find bootstrap closed, the administrator made.
 */
async function cityAdmin(): Promise<string> {
  const boot = await callAs<Answer<{ code: string }>>('admin', undefined, { action: 'bootstrap' });
  if (boot.ok) {
    const entered = await callAs<Answer>('staff', CITY_ADMIN, {
      action: 'acceptInvitation',
      code: boot.data?.code,
    });
    if (!entered.ok) throw new Error(`bootstrap's code refused: ${JSON.stringify(entered.error)}`);
  } else if (boot.error?.code !== 'ADMIN.ALREADY_BOOTSTRAPPED') {
    throw new Error(`bootstrap failed: ${JSON.stringify(boot.error)}`);
  }
  return CITY_ADMIN;
}

async function grant(openid: string, role: string, officeId?: string): Promise<void> {
  const res = await callAs<Answer>('admin', await cityAdmin(), {
    action: 'grantRole',
    openid,
    role,
    ...(officeId === undefined ? {} : { officeId }),
  });
  if (!res.ok) throw new Error(`grantRole failed: ${JSON.stringify(res.error)}`);
}

/** Makes `openid` window staff of `officeId`, granted by the file's city administrator. */
export async function grantStaff(openid: string, officeId = 'siming'): Promise<void> {
  await grant(openid, 'staff', officeId);
}

/** Takes the role back (a revocation while the desk is open). */
export async function revokeStaff(openid: string, officeId = 'siming'): Promise<void> {
  const res = await callAs<Answer>('admin', await cityAdmin(), {
    action: 'revokeRole',
    openid,
    role: 'staff',
    officeId,
  });
  if (!res.ok) throw new Error(`revokeRole failed: ${JSON.stringify(res.error)}`);
}

/**
 * Makes `openid` an administrator: `city_admin`, or `office_admin` of `officeId`, granted by the file's
 * city administrator.
 */
export async function grantAdmin(
  openid: string,
  role: 'city_admin' | 'office_admin' = 'city_admin',
  officeId = 'siming',
): Promise<void> {
  await grant(openid, role, role === 'city_admin' ? undefined : officeId);
}
