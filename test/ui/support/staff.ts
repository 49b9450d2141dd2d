/** Roles for page tests, granted through the real `admin` function as an administrator would. */
import { callAs } from './cloud';

interface Answer {
  ok: boolean;
  error?: { code: string };
}

let admins = 0;

/**
 * Makes `openid` window staff of `officeId`: a city administrator is bootstrapped the only way there is
 * (a call without a user OPENID, like the cloud console's), who then grants the role.
 */
export async function grantStaff(openid: string, officeId = 'siming'): Promise<void> {
  admins += 1;
  const admin = `ui-city-admin-${admins}`;
  const boot = await callAs<Answer>('admin', undefined, { action: 'bootstrap', openid: admin });
  if (!boot.ok) throw new Error(`bootstrap failed: ${JSON.stringify(boot.error)}`);
  const grant = await callAs<Answer>('admin', admin, {
    action: 'grantRole',
    openid,
    role: 'staff',
    officeId,
  });
  if (!grant.ok) throw new Error(`grantRole failed: ${JSON.stringify(grant.error)}`);
}

/** Takes the role back (a revocation while the desk is open). */
export async function revokeStaff(openid: string, officeId = 'siming'): Promise<void> {
  admins += 1;
  const admin = `ui-city-admin-${admins}`;
  await callAs<Answer>('admin', undefined, { action: 'bootstrap', openid: admin });
  const res = await callAs<Answer>('admin', admin, {
    action: 'revokeRole',
    openid,
    role: 'staff',
    officeId,
  });
  if (!res.ok) throw new Error(`revokeRole failed: ${JSON.stringify(res.error)}`);
}

/**
 * Makes `openid` an administrator: `city_admin` (bootstrapped, as the console does for the first one) or
 * `office_admin` of `officeId` (granted by a bootstrapped city administrator).
 */
export async function grantAdmin(
  openid: string,
  role: 'city_admin' | 'office_admin' = 'city_admin',
  officeId = 'siming',
): Promise<void> {
  if (role === 'city_admin') {
    const boot = await callAs<Answer>('admin', undefined, { action: 'bootstrap', openid });
    if (!boot.ok) throw new Error(`bootstrap failed: ${JSON.stringify(boot.error)}`);
    return;
  }
  admins += 1;
  const admin = `ui-city-admin-${admins}`;
  await callAs<Answer>('admin', undefined, { action: 'bootstrap', openid: admin });
  const grant = await callAs<Answer>('admin', admin, {
    action: 'grantRole',
    openid,
    role,
    officeId,
  });
  if (!grant.ok) throw new Error(`grantRole failed: ${JSON.stringify(grant.error)}`);
}
