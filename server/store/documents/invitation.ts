/**
 * `invitations`: one-time invitations to a role (docs/security.md, "Granting a role"). `_id` is the
 * SHA-256 of the code, so the database never holds a code that works; the code is shown once.
 * `inviteAttempts`: the codes an account entered on one China day, so that guessing is bounded; and,
 * `*|date`, the codes that matched nothing that day city-wide, so that guessing is noticed.
 */
import type { DateString } from '../../../typings/api';
import type { StaffRole } from '../../../typings/staff';

export interface InvitationDoc {
  /** SHA-256 (hex) of the normalized code (`ABCDEFGH`). */
  _id: string;
  role: StaffRole;
  /** Absent for `city_admin`. */
  officeId?: string;
  createdAt: number;
  /** The inviting administrator's OPENID. */
  createdBy: string;
  expiresAt: number;
  usedAt?: number;
  /** The OPENID of the call that entered it: the account that received the role. */
  usedBy?: string;
  revokedAt?: number;
  revokedBy?: string;
}

export interface InviteAttemptDoc {
  /** `openid|date`. */
  _id: string;
  /** The account; `*` for the city-wide count of codes looked up in vain that day. */
  openid: string;
  date: DateString;
  /** Codes entered that day, right or wrong (for `*`: codes matching no invitation). */
  count: number;
  /** For `*`: when the day's failures reached the alarm and the audit said so. */
  alarmedAt?: number;
}

export function inviteAttemptId(openid: string, date: DateString): string {
  return `${openid}|${date}`;
}
