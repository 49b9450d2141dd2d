/**
 * The wire contract of the `admin` cloud function: roles and the hall API's keys (issue 13). Same envelope
 * as `booking` (`ApiResult`).
 *
 * Who may do what (checked on the server on every call; without the right, the answer is exactly that of
 * an unknown action, `REQUEST.UNKNOWN_ACTION`):
 * - `bootstrap` only when the call carries no user OPENID (the cloud console's test call,
 *   `invokecloudfunction`, `npm run -s admin -- bootstrap <openid>` against the local cloud);
 * - a `city_admin` grants and revokes every role and manages every office's keys;
 * - an `office_admin` grants and revokes `staff` of their own office, and manages their office's keys;
 * - every grant, revocation, key creation and key revocation is audited (who, when, what).
 */
import type { RoleGrant, StaffRole } from './staff';

/** What a key may do: read the day's rows, move the queue, book and cancel (R12 channels). */
export type ApiScope = 'read' | 'queue' | 'book';

/** An API key as listed: never its secret (stored hashed, shown once at creation). */
export interface ApiKeyInfo {
  keyId: string;
  name: string;
  /** The one office the key works for. */
  officeId: string;
  scopes: ApiScope[];
  /** R12: recorded on the bookings the key makes, e.g. `xmjj-web` (厦门交警网), `ixiamen`. */
  channel: string;
  /** Requests a minute before `API.RATE_LIMITED`; the settings' default when the key has none. */
  ratePerMinute?: number;
  createdAt: number;
  createdBy: string;
  /** Present once revoked: the key is refused from then on. */
  revokedAt?: number;
  revokedBy?: string;
}

export interface RoleRequest {
  openid: string;
  role: StaffRole;
  /** Required for `staff` and `office_admin`, refused for `city_admin`. */
  officeId?: string;
}

export interface AdminApi {
  /** Grants `city_admin` to `openid`; only without a user OPENID. Idempotent (a repeat answers the grant). */
  bootstrap: { req: { openid: string }; res: RoleGrant };
  /** Idempotent: granting a role the account holds answers the existing grant. */
  grantRole: { req: RoleRequest; res: RoleGrant };
  /** Idempotent: `revoked: false` when the account did not hold the role. */
  revokeRole: { req: RoleRequest; res: { revoked: boolean } };
  /** The roles the caller may manage (all for a `city_admin`, their office's for an `office_admin`). */
  listRoles: { req: { officeId?: string }; res: { roles: RoleGrant[] } };
  /** A new key; the secret is in this answer only (it is stored hashed). */
  createApiKey: {
    req: {
      officeId: string;
      scopes: ApiScope[];
      channel: string;
      name: string;
      ratePerMinute?: number;
    };
    res: { keyId: string; secret: string; key: ApiKeyInfo };
  };
  revokeApiKey: { req: { keyId: string }; res: ApiKeyInfo };
  listApiKeys: { req: { officeId?: string }; res: { keys: ApiKeyInfo[] } };
}

export type AdminAction = keyof AdminApi;
export type AdminRequest<A extends AdminAction> = AdminApi[A]['req'];
export type AdminResponse<A extends AdminAction> = AdminApi[A]['res'];
/** What a caller sends as `callFunction({ name: 'admin', data })`. */
export type AdminCall<A extends AdminAction> = { action: A } & AdminRequest<A>;
