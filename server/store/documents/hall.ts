/**
 * The hall's collections (issue 13): `roles`, `audit`, `apiKeys`, `nonces`; docs/data-model.md explains
 * each.
 */
import type { ApiScope } from '../../../typings/admin';
import type { StaffRole } from '../../../typings/staff';

/** `roles`: one document per account, role and office; `_id` is derived from the three (one grant each). */
export interface RoleDoc {
  _id: string;
  openid: string;
  role: StaffRole;
  /** Absent for `city_admin`. */
  officeId?: string;
  grantedAt: number;
  /** The granting OPENID, or `console` for a bootstrap without one. */
  grantedBy: string;
}

export function roleId(openid: string, role: StaffRole, officeId: string | undefined): string {
  return `${openid}|${role}|${officeId ?? '*'}`;
}

/**
 * `roleGuards`: one per role whose holders a rule is about — `city_admin` (`_id`): at least one always
 * remains, and the first comes by bootstrap only. Every transaction that gives or takes that role raises
 * `version`, so two of them at the same instant write this one document and the platform's transaction
 * conflict lets only one commit; one that decided on the holders it read outside checks first that
 * `version` has not moved since (server/admin/city-admins.ts, docs/security.md).
 */
export interface RoleGuardDoc {
  _id: 'city_admin';
  version: number;
}

/** Every action an audit entry can record (`listAudit` filters by one). */
export const AUDIT_ACTIONS = [
  'grantRole',
  'revokeRole',
  'bootstrap',
  'createApiKey',
  'revokeApiKey',
  'setCalendarYear',
  'subscribeNotice',
  'saveOffice',
  'saveService',
  'deactivateService',
  'saveCategory',
  'saveSettings',
  'closeDay',
  'liftSuspension',
  'exportStats',
  'createInvitation',
  'revokeInvitation',
  'acceptInvitation',
  'inviteGuessing',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `audit`: who did what to roles, keys and configuration, and when; never changed or removed. */
export interface AuditDoc {
  _id: string;
  at: number;
  by: string;
  action: AuditAction;
  /** What was granted, revoked, created: the role (openid, role, officeId) or the key (id, office, scopes). */
  target: Record<string, unknown>;
  /** For a configuration change: the document (or its relevant part) before and after. */
  before?: unknown;
  after?: unknown;
}

/** `apiKeys`: the hall API's keys. The secret is derived, never stored; only its SHA-256 is. */
export interface ApiKeyDoc {
  _id: string;
  name: string;
  officeId: string;
  scopes: ApiScope[];
  channel: string;
  ratePerMinute?: number;
  secretHash: string;
  createdAt: number;
  createdBy: string;
  revokedAt?: number;
  revokedBy?: string;
}

/**
 * `nonces`: one per signed request, `_id` `<keyId>|<nonce>`: a second request with the same nonce is a
 * replay (the insert fails on `_id`). Kept until `expiresAt`, past which the timestamp check refuses
 * the request anyway; the same documents count the key's requests of the last minute (rate limit).
 */
export interface NonceDoc {
  _id: string;
  keyId: string;
  at: number;
  expiresAt: number;
}
