/**
 * Calls the real `staff` and `admin` functions on the local cloud as a given account (or, for `admin`,
 * without one: the console's call), typed by their contracts; a second office for the other-office cases.
 */
import type { ApiResult } from '../../../typings/api';
import type { AdminAction, AdminApi } from '../../../typings/admin';
import type { StaffAction, StaffApi } from '../../../typings/staff';
import type { LocalCloud, SdkRunner } from '../../../local-cloud/client';
import { invoke } from './booking';

type Cloud = Pick<LocalCloud, 'url'>;

export function staff<A extends StaffAction>(
  cloud: Cloud,
  openid: string,
  action: A,
  req: StaffApi[A]['req'],
): Promise<ApiResult<StaffApi[A]['res']>> {
  return invoke(cloud, 'staff', { action, ...req }, openid);
}

export async function staffOk<A extends StaffAction>(
  cloud: Cloud,
  openid: string,
  action: A,
  req: StaffApi[A]['req'],
): Promise<StaffApi[A]['res']> {
  const res = await staff(cloud, openid, action, req);
  if (!res.ok) throw new Error(`staff.${action} refused: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/** `openid` undefined: a call without a user OPENID (the console's test call, invokecloudfunction). */
export function admin<A extends AdminAction>(
  cloud: Cloud,
  openid: string | undefined,
  action: A,
  req: AdminApi[A]['req'],
): Promise<ApiResult<AdminApi[A]['res']>> {
  return invoke(cloud, 'admin', { action, ...req }, openid);
}

export async function adminOk<A extends AdminAction>(
  cloud: Cloud,
  openid: string | undefined,
  action: A,
  req: AdminApi[A]['req'],
): Promise<AdminApi[A]['res']> {
  const res = await admin(cloud, openid, action, req);
  if (!res.ok) throw new Error(`admin.${action} refused: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/**
 * The first `city_admin`, made as in production (docs/security.md, "The first administrator"): `bootstrap`
 * without a user OPENID (the console's test call) answers a one-time code, which `openid` enters in the
 * mini program (`staff.acceptInvitation`).
 */
export async function bootstrapCityAdmin(cloud: Cloud, openid: string): Promise<void> {
  const { code } = await adminOk(cloud, undefined, 'bootstrap', {});
  await staffOk(cloud, openid, 'acceptInvitation', { code });
}

export const OTHER_OFFICE = 'huli';
export const OTHER_SERVICE = 'huli-violation';

/**
 * A service `id` like the seeded one (`siming-violation`) but for `overrides`, written raw as an
 * administrator's change lands: the document, then `configVersion` raised.
 */
export async function copySeededService(
  db: SdkRunner,
  id: string,
  overrides: Record<string, unknown>,
): Promise<void> {
  await db.run(
    async (c, a) => {
      const d = c.database();
      const seeded = (await d.collection('services').doc('siming-violation').get()) as {
        data: Record<string, unknown>;
      };
      // No rest destructuring: the function's source runs as it is in the SDK child.
      const service = Object.assign({}, seeded.data);
      delete service._id;
      await d
        .collection('services')
        .doc(a.id)
        .set({ data: Object.assign(service, a.overrides) });
      await d
        .collection('settings')
        .doc('global')
        .update({ data: { configVersion: d.command.inc(1) } });
    },
    { id, overrides },
  );
}

/** A second office with a service like the seeded one (prefix B), configuration version raised. */
export async function addOtherOffice(db: SdkRunner): Promise<void> {
  await db.run(async (c, office) => {
    await c
      .database()
      .collection('offices')
      .doc(office)
      .set({
        data: {
          name: '湖里交警大队',
          address: '湖里区',
          latitude: 24.5,
          longitude: 118.1,
          order: 2,
        },
      });
  }, OTHER_OFFICE);
  await copySeededService(db, OTHER_SERVICE, { officeId: OTHER_OFFICE, prefix: 'B', order: 2 });
}
