/**
 * The `admin` function's actions (typings/admin.ts): roles and the hall API's keys. Every change is ONE
 * transaction that writes the change and its audit entry together (who, when, what), so neither exists
 * without the other; a repeated grant or revocation changes nothing and writes no second entry — also
 * when the two arrive at the same instant: the transaction that loses the conflict is tried again
 * (`retryConflicts`) and takes the repeated call's path.
 *
 * Who may: a `city_admin` everything; an `office_admin` the `staff` role and the keys of their own
 * offices; anyone else gets the unknown-action answer (server/staff/access.ts).
 */
import type { AdminApi, AdminRequest, ApiKeyInfo } from '../../typings/admin';
import type { RoleGrant, StaffRole } from '../../typings/staff';
import { getCatalogue } from '../store/catalogue';
import { retryConflicts } from '../store/db';
import { roleId, type ApiKeyDoc, type RoleDoc } from '../store/documents/hall';
import { AppError } from '../shared/errors';
import { keySecret, newKeyId, sha256Hex } from '../hall/signature';
import { administered, isCityAdmin, unknownAction, type Access } from '../staff/access';
import { auditDoc, type AdminContext } from './audit';
import { cityAdminGuard, guardCityAdmins, readCityAdmins } from './city-admins';

export type { AdminContext } from './audit';

/** The `by` of a change made without a user OPENID (the console's test call, invokecloudfunction). */
export const CONSOLE = 'console';

function toGrant(doc: RoleDoc): RoleGrant {
  const grant: RoleGrant = {
    openid: doc.openid,
    role: doc.role,
    grantedAt: doc.grantedAt,
    grantedBy: doc.grantedBy,
  };
  if (doc.officeId !== undefined) grant.officeId = doc.officeId;
  return grant;
}

/** Whether the caller administers `officeId` (a `city_admin` every office). */
function administers(access: Access, officeId: string): boolean {
  const offices = administered(access);
  return offices === 'all' || offices.has(officeId);
}

/** Throws the unknown-action answer unless the caller may grant or revoke `role` at `officeId`. */
export function mayManage(access: Access, role: StaffRole, officeId: string | undefined): void {
  if (isCityAdmin(access)) return;
  if (role === 'staff' && officeId !== undefined && administers(access, officeId)) return;
  throw unknownAction();
}

/** The role's office: required for `staff` and `office_admin`, refused for `city_admin`; existing. */
export async function checkRole(ctx: AdminContext, role: StaffRole, officeId: string | undefined) {
  if ((role === 'city_admin') !== (officeId === undefined))
    throw new AppError('ADMIN.OFFICE_REQUIRED', 'officeId');
  if (officeId !== undefined) {
    const catalogue = await getCatalogue(ctx.db, ctx.now);
    if (!catalogue.offices.some((o) => o._id === officeId))
      throw new AppError('ADMIN.OFFICE_NOT_FOUND', 'officeId');
  }
}

async function grant(ctx: AdminContext, req: AdminRequest<'grantRole'>): Promise<RoleGrant> {
  const id = roleId(req.openid, req.role, req.officeId);
  const doc: RoleDoc = {
    _id: id,
    openid: req.openid,
    role: req.role,
    ...(req.officeId === undefined ? {} : { officeId: req.officeId }),
    grantedAt: ctx.now,
    grantedBy: ctx.access.openid,
  };
  // Idempotent: the grant that exists answers, and nothing is written or audited again. (Read outside
  // the transaction: inside one, the platform fails a read of a missing document and aborts.)
  // A twin request still committing makes this insert conflict: tried again, it reads the twin's grant.
  return retryConflicts(async () => {
    const existing = await ctx.db.roles.get(id);
    if (existing) return toGrant(existing);
    const city = req.role === 'city_admin';
    if (city) await cityAdminGuard(ctx.db);
    try {
      await ctx.db.transaction(async (tx) => {
        // Who holds city_admin changes: under its guard (server/admin/city-admins.ts).
        if (city) await guardCityAdmins(tx);
        await tx.roles.insert(doc);
        await tx.audit.insert(auditDoc(ctx, 'grantRole', { ...req }));
      });
    } catch (err) {
      // A twin request granted it a moment ago: its grant (and its audit entry) stand.
      const now = await ctx.db.roles.get(id);
      if (now) return toGrant(now);
      throw err;
    }
    return toGrant(doc);
  });
}

export async function grantRole(
  ctx: AdminContext,
  req: AdminRequest<'grantRole'>,
): Promise<AdminApi['grantRole']['res']> {
  mayManage(ctx.access, req.role, req.officeId);
  await checkRole(ctx, req.role, req.officeId);
  return grant(ctx, req);
}

export async function revokeRole(
  ctx: AdminContext,
  req: AdminRequest<'revokeRole'>,
): Promise<AdminApi['revokeRole']['res']> {
  mayManage(ctx.access, req.role, req.officeId);
  if ((req.role === 'city_admin') !== (req.officeId === undefined))
    throw new AppError('ADMIN.OFFICE_REQUIRED', 'officeId');
  const id = roleId(req.openid, req.role, req.officeId);
  // A twin revocation still committing makes this one conflict: tried again, it reads the role gone.
  return retryConflicts(async () => {
    if (!(await ctx.db.roles.get(id))) return { revoked: false };
    // Someone must remain who can grant roles: decided on the holders read here, and the guard's version
    // checked in the transaction — two city_admins revoking each other at once, one is refused.
    const holders = req.role === 'city_admin' ? await readCityAdmins(ctx.db) : undefined;
    if (holders && !holders.openids.includes(req.openid)) return { revoked: false };
    if (holders?.openids.every((o) => o === req.openid))
      throw new AppError('ADMIN.LAST_CITY_ADMIN', 'openid');
    try {
      await ctx.db.transaction(async (tx) => {
        if (holders) await guardCityAdmins(tx, holders);
        // Removed by a twin before this transaction's snapshot, the read fails it (no second audit
        // entry); removed after, this removal conflicts.
        await tx.roles.get(id);
        await tx.roles.remove(id);
        await tx.audit.insert(auditDoc(ctx, 'revokeRole', { ...req }));
      });
    } catch (err) {
      if (!(await ctx.db.roles.get(id))) return { revoked: false };
      throw err;
    }
    return { revoked: true };
  });
}

export async function listRoles(
  ctx: AdminContext,
  req: AdminRequest<'listRoles'>,
): Promise<AdminApi['listRoles']['res']> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  if (req.officeId !== undefined && !administers(ctx.access, req.officeId)) throw unknownAction();
  const _ = ctx.db.command;
  const where =
    req.officeId !== undefined
      ? { officeId: req.officeId }
      : offices === 'all'
        ? {}
        : { officeId: _.in([...offices]) };
  const docs = await ctx.db.roles.find(where);
  return { roles: docs.sort((a, b) => a._id.localeCompare(b._id)).map(toGrant) };
}

function toKeyInfo(doc: ApiKeyDoc): ApiKeyInfo {
  const { _id, secretHash: _hash, ...rest } = doc;
  return { keyId: _id, ...rest };
}

export async function createApiKey(
  ctx: AdminContext,
  req: AdminRequest<'createApiKey'>,
): Promise<AdminApi['createApiKey']['res']> {
  if (!administers(ctx.access, req.officeId)) throw unknownAction();
  // R12: `wechat` is the mini program's own channel; a key's bookings must be told apart from it.
  if (req.channel === 'wechat') throw new AppError('ADMIN.CHANNEL_RESERVED', 'channel');
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  if (!catalogue.offices.some((o) => o._id === req.officeId))
    throw new AppError('ADMIN.OFFICE_NOT_FOUND', 'officeId');
  const keyId = newKeyId();
  const secret = keySecret(keyId);
  const doc: ApiKeyDoc = {
    _id: keyId,
    name: req.name,
    officeId: req.officeId,
    scopes: [...new Set(req.scopes)].sort(),
    channel: req.channel,
    ...(req.ratePerMinute === undefined ? {} : { ratePerMinute: req.ratePerMinute }),
    secretHash: sha256Hex(secret),
    createdAt: ctx.now,
    createdBy: ctx.access.openid,
  };
  await ctx.db.transaction(async (tx) => {
    await tx.apiKeys.insert(doc);
    await tx.audit.insert(
      auditDoc(ctx, 'createApiKey', {
        keyId,
        officeId: doc.officeId,
        scopes: doc.scopes,
        channel: doc.channel,
        name: doc.name,
      }),
    );
  });
  return { keyId, secret, key: toKeyInfo(doc) };
}

export async function revokeApiKey(
  ctx: AdminContext,
  req: AdminRequest<'revokeApiKey'>,
): Promise<AdminApi['revokeApiKey']['res']> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  // A twin request whose transaction wins: this one is tried again and answers the key as revoked.
  return retryConflicts(async () => {
    const doc = await ctx.db.apiKeys.get(req.keyId);
    if (!doc) throw new AppError('ADMIN.KEY_NOT_FOUND', 'keyId');
    if (!administers(ctx.access, doc.officeId)) throw unknownAction();
    if (doc.revokedAt !== undefined) return toKeyInfo(doc);
    const patch = { revokedAt: ctx.now, revokedBy: ctx.access.openid };
    await ctx.db.transaction(async (tx) => {
      const current = await tx.apiKeys.get(req.keyId);
      // Revoked by a twin request meanwhile: nothing more to write or audit.
      if (current.revokedAt !== undefined) return;
      await tx.apiKeys.update(req.keyId, patch);
      await tx.audit.insert(
        auditDoc(ctx, 'revokeApiKey', { keyId: doc._id, officeId: doc.officeId }),
      );
    });
    return toKeyInfo((await ctx.db.apiKeys.get(req.keyId)) ?? { ...doc, ...patch });
  });
}

export async function listApiKeys(
  ctx: AdminContext,
  req: AdminRequest<'listApiKeys'>,
): Promise<AdminApi['listApiKeys']['res']> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  if (req.officeId !== undefined && !administers(ctx.access, req.officeId)) throw unknownAction();
  const _ = ctx.db.command;
  const where =
    req.officeId !== undefined
      ? { officeId: req.officeId }
      : offices === 'all'
        ? {}
        : { officeId: _.in([...offices]) };
  const docs = await ctx.db.apiKeys.find(where);
  return { keys: docs.sort((a, b) => a.createdAt - b.createdAt).map(toKeyInfo) };
}
