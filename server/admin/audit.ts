/**
 * The audit entry of an administrator's change (who, when, what, and for configuration the before and
 * after), written in the same transaction as the change so neither exists without the other.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db';
import type { AuditDoc } from '../store/documents/hall';
import type { Access } from '../staff/access';

export interface AdminContext {
  db: Db;
  now: number;
  /** The caller's roles; for `bootstrap`, an empty access of `console`. */
  access: Access;
}

export function auditDoc(
  ctx: AdminContext,
  action: AuditDoc['action'],
  target: AuditDoc['target'],
  change?: { before: unknown; after: unknown },
): AuditDoc {
  return {
    _id: `a${ctx.now.toString(36)}${randomBytes(6).toString('hex')}`,
    at: ctx.now,
    by: ctx.access.openid,
    action,
    target,
    ...(change === undefined ? {} : { before: change.before, after: change.after }),
  };
}
