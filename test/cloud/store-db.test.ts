/**
 * The data layer's transaction reads (server/store/db.ts, `TxCollection.get`) through the real
 * `wx-server-sdk` against the local cloud, as the platform behaves: inside a transaction `doc().get()`
 * answers the document, and a missing one rejects with "document.get:fail document with _id … does not
 * exist" (the SDK's default `throwOnNotFound`), failing the whole transaction — which is why callers read
 * a document that may be missing outside first (server/admin/invitations.ts, stats-backfill.ts), and
 * why a twin revocation's transaction fails (server/admin/actions.ts, `revokeRole`).
 * https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/document/Document.get.html
 */
import { cloud as wx } from '../../server/shared/cloud';
import { Db } from '../../server/store/db';
import type { RoleDoc } from '../../server/store/documents/hall';
import { docs } from '../../local-cloud/client';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(30_000);

const { db: raw } = useLocalCloud({ inProcess: true, empty: ['roles', 'audit'] });

const ROLE: RoleDoc = {
  _id: 'role-store-db',
  openid: 'o-store-db',
  role: 'city_admin',
  grantedAt: 1,
  grantedBy: 'o-root',
};

describe('TxCollection.get (a transaction read)', () => {
  it('answers the stored document, which the same transaction then updates', async () => {
    const db = new Db(wx.database());
    await db.roles.insert(ROLE);
    const read = await db.transaction(async (tx) => {
      const role = await tx.roles.get(ROLE._id);
      await tx.roles.update(ROLE._id, { grantedAt: 2 });
      return role;
    });
    expect({ read, stored: await docs(raw, 'roles') }).toEqual({
      read: ROLE,
      stored: [{ ...ROLE, grantedAt: 2 }],
    });
  });

  it('fails the whole transaction on a missing document, with the platform\'s "does not exist", writing nothing', async () => {
    const db = new Db(wx.database());
    const failed = db.transaction(async (tx) => {
      await tx.roles.insert(ROLE);
      await tx.roles.get('role-missing');
    });
    await expect(failed).rejects.toMatchObject({
      errMsg: 'document.get:fail document with _id role-missing does not exist',
    });
    expect(await docs(raw, 'roles')).toEqual([]);
  });
});
