/**
 * Granting a role without knowing an OPENID (docs/security.md, "Granting a role"): an administrator
 * creates a one-time invitation for a role and office (who may: as `grantRole`), reads its code to the
 * staff member, who enters it in the mini program (`staff` function, `acceptInvitation`); the role goes
 * to the OPENID of that call, from `cloud.getWXContext()`, never from the request.
 *
 * - The code is 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L): 31⁸ ≈ 8.5 × 10¹¹; shown once,
 *   stored as its SHA-256 (the invitation's `_id`), so reading the database reveals no working code.
 * - It works once (the use is a conditional write in the same transaction as the grant and its audit
 *   entry: two accounts entering it at once, one gets the role) and for 24 h.
 * - An account may enter 10 well-formed codes a China day (`inviteAttempts`, counted before the code is
 *   looked up, so guesses sent at once are counted too): guessing one of the few live codes is hopeless.
 *   A malformed one is refused without a write. Codes looked up in vain are also counted city-wide per
 *   China day; past `INVITE_FAILURES_ALARM` the audit says so, once, refusing nobody (docs/security.md).
 * - Creation, withdrawal and use are audited; the audit never holds a code.
 */
import { randomInt } from 'node:crypto';
import type { AdminApi, AdminRequest, InvitationInfo, InviteGuessing } from '../../typings/admin';
import type { StaffApi, StaffRole } from '../../typings/staff';
import { chinaDate } from '../domain/china-time';
import { sha256Hex } from '../hall/signature';
import { AppError } from '../shared/errors';
import { administered, loadAccess, unknownAction } from '../staff/access';
import { me } from '../staff/actions';
import { getCatalogue } from '../store/catalogue';
import { duplicateKeyIndex, ReadAgain, retryConflicts } from '../store/db';
import { roleId, type RoleDoc } from '../store/documents/hall';
import {
  inviteAttemptId,
  type InvitationDoc,
  type InviteAttemptDoc,
} from '../store/documents/invitation';
import { checkRole, CONSOLE, mayManage } from './actions';
import { auditDoc, type AdminContext } from './audit';
import { guardCityAdmins, readCityAdmins } from './city-admins';

/** How long a code works. */
export const INVITATION_TTL_MS = 24 * 60 * 60 * 1000;
/** Codes one account may enter per China day, right or wrong. */
export const INVITE_ATTEMPTS_PER_DAY = 10;
/**
 * Codes looked up in vain city-wide in a China day from which the audit warns (once that day). A staff
 * member mistyping fails a few times; 50 is five accounts spending their whole allowance on wrong codes.
 */
export const INVITE_FAILURES_ALARM = 50;
/** The `openid` of the city-wide count of failed codes: no WeChat OPENID is `*`. */
const CITY_FAILURES = '*';
/** The `by` of an audit entry the functions write of themselves. */
const SYSTEM = 'system';
/** No 0/O, 1/I/L: read aloud or copied from a screen without doubt. 31 symbols. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** The code as typed (any case, spaces, dashes) → its canonical form, or undefined if it cannot be one. */
export function normalizeCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return undefined;
  return new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`).test(code) ? code : undefined;
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)] ?? '';
  return code;
}

function status(doc: InvitationDoc, now: number): InvitationInfo['status'] {
  if (doc.usedAt !== undefined) return 'used';
  if (doc.revokedAt !== undefined) return 'revoked';
  return doc.expiresAt <= now ? 'expired' : 'pending';
}

function toInfo(doc: InvitationDoc, now: number): InvitationInfo {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest, status: status(doc, now) };
}

/** The audit's mention of an invitation: a prefix of its id, enough to tell them apart, not the code. */
function auditRef(doc: InvitationDoc): Record<string, unknown> {
  return {
    invitation: doc._id.slice(0, 12),
    role: doc.role,
    ...(doc.officeId === undefined ? {} : { officeId: doc.officeId }),
  };
}

/** A new invitation and its audit entry (`action`: `createInvitation`, or `bootstrap` from the console). */
async function issue(
  ctx: AdminContext,
  role: StaffRole,
  officeId: string | undefined,
  action: 'createInvitation' | 'bootstrap',
): Promise<AdminApi['createInvitation']['res']> {
  const code = newCode();
  const doc: InvitationDoc = {
    _id: sha256Hex(code),
    role,
    ...(officeId === undefined ? {} : { officeId }),
    createdAt: ctx.now,
    createdBy: ctx.access.openid,
    expiresAt: ctx.now + INVITATION_TTL_MS,
  };
  await ctx.db.transaction(async (tx) => {
    await tx.invitations.insert(doc);
    await tx.audit.insert(auditDoc(ctx, action, { ...auditRef(doc), expiresAt: doc.expiresAt }));
  });
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, invitation: toInfo(doc, ctx.now) };
}

export async function createInvitation(
  ctx: AdminContext,
  req: AdminRequest<'createInvitation'>,
): Promise<AdminApi['createInvitation']['res']> {
  mayManage(ctx.access, req.role, req.officeId);
  await checkRole(ctx, req.role, req.officeId);
  return issue(ctx, req.role, req.officeId, 'createInvitation');
}

/** Whether any account holds `city_admin`. */
async function hasCityAdmin(ctx: AdminContext): Promise<boolean> {
  return (await ctx.db.roles.count({ role: 'city_admin' })) > 0;
}

/**
 * The first administrator (docs/security.md, "The first administrator"): only a call without a user OPENID
 * reaches it (the console's test call, `invokecloudfunction`; server/functions/admin/index.ts), and only
 * while no account holds `city_admin` — after that `ADMIN.ALREADY_BOOTSTRAPPED`, so credentials to the
 * console are no way to a role in the mini program. It answers a `city_admin` invitation like
 * `createInvitation`'s (same code, same hashing, 24 h, once), audited as `bootstrap` by `console`; the
 * first administrator enters the code on 我的 → 工作人员：凭邀请码开通. Such a code, too, works only while
 * nobody holds `city_admin` (`acceptInvitation`).
 */
export async function bootstrap(
  ctx: AdminContext,
  _req: AdminRequest<'bootstrap'>,
): Promise<AdminApi['bootstrap']['res']> {
  if (await hasCityAdmin(ctx)) throw new AppError('ADMIN.ALREADY_BOOTSTRAPPED');
  return issue(ctx, 'city_admin', undefined, 'bootstrap');
}

export async function listInvitations(
  ctx: AdminContext,
  req: AdminRequest<'listInvitations'>,
): Promise<AdminApi['listInvitations']['res']> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  if (req.officeId !== undefined && offices !== 'all' && !offices.has(req.officeId))
    throw unknownAction();
  const _ = ctx.db.command;
  const where =
    req.officeId !== undefined
      ? { officeId: req.officeId }
      : offices === 'all'
        ? {}
        : { officeId: _.in([...offices]) };
  const docs = await ctx.db.invitations.find(where, { orderBy: ['createdAt', 'desc'], limit: 50 });
  return { invitations: docs.map((d) => toInfo(d, ctx.now)) };
}

export async function revokeInvitation(
  ctx: AdminContext,
  req: AdminRequest<'revokeInvitation'>,
): Promise<AdminApi['revokeInvitation']['res']> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  // A twin request (another administrator, a double tap) whose transaction wins: this one is tried
  // again, reads the invitation withdrawn and answers it as a second call would.
  return retryConflicts(async () => {
    const doc = await ctx.db.invitations.get(req.id);
    if (!doc) throw new AppError('ADMIN.INVITATION_NOT_FOUND', 'id');
    mayManage(ctx.access, doc.role, doc.officeId);
    if (status(doc, ctx.now) !== 'pending') return toInfo(doc, ctx.now);
    const patch = { revokedAt: ctx.now, revokedBy: ctx.access.openid };
    await ctx.db.transaction(async (tx) => {
      const current = await tx.invitations.get(req.id);
      // Used or withdrawn by a twin request meanwhile: nothing to write or audit.
      if (current.usedAt !== undefined || current.revokedAt !== undefined) return;
      await tx.invitations.update(req.id, patch);
      await tx.audit.insert(auditDoc(ctx, 'revokeInvitation', auditRef(doc)));
    });
    const after = (await ctx.db.invitations.get(req.id)) ?? { ...doc, ...patch };
    return toInfo(after, ctx.now);
  });
}

/** Counts one more on `openid`'s document of today (one update; an insert the day's first time). */
async function bump(ctx: AdminContext, openid: string): Promise<InviteAttemptDoc | undefined> {
  const date = chinaDate(ctx.now);
  const id = inviteAttemptId(openid, date);
  const _ = ctx.db.command;
  const inc = () => ctx.db.inviteAttempts.update({ _id: id }, { count: _.inc(1) });
  if ((await inc()) === 0) {
    const doc: InviteAttemptDoc = { _id: id, openid, date, count: 1 };
    try {
      await ctx.db.inviteAttempts.insert(doc);
    } catch (err) {
      if (duplicateKeyIndex(err) !== '_id') throw err;
      await inc();
    }
  }
  return ctx.db.inviteAttempts.get(id);
}

/**
 * Counts one more code entered by `openid` today and answers whether it is within the day's allowance.
 * Counted first and read after: N codes sent at once raise the count by N before any is looked at, so
 * no more than the allowance are ever looked at in a day.
 */
async function countAttempt(ctx: AdminContext, openid: string): Promise<boolean> {
  return ((await bump(ctx, openid))?.count ?? 0) <= INVITE_ATTEMPTS_PER_DAY;
}

/**
 * Today's (China day) alarm of wrong codes, once `countFailure` raised it, for the admin home's notice
 * (a city administrator's: the alarm is the city's). One read of the day's city-wide count.
 */
export async function inviteGuessingToday(ctx: AdminContext): Promise<InviteGuessing | undefined> {
  const date = chinaDate(ctx.now);
  const day = await ctx.db.inviteAttempts.get(inviteAttemptId(CITY_FAILURES, date));
  if (day?.alarmedAt === undefined) return undefined;
  return { date, failed: day.count, threshold: INVITE_FAILURES_ALARM, at: day.alarmedAt };
}

/**
 * Counts a code that was looked up and matched no invitation, city-wide for the China day (`inviteAttempts`
 * `*|date`); the first time the day's count reaches `INVITE_FAILURES_ALARM`, one audit entry
 * `inviteGuessing` (by `system`) tells the city administrators someone may be guessing. Nobody is
 * refused for it: a city-wide lock would let anyone lock the staff out. One update and one read per
 * failure; the entry is claimed in a transaction, so codes failing at once write it once.
 */
async function countFailure(ctx: AdminContext): Promise<void> {
  const day = await bump(ctx, CITY_FAILURES);
  if (!day || day.count < INVITE_FAILURES_ALARM || day.alarmedAt !== undefined) return;
  try {
    await ctx.db.transaction(async (tx) => {
      const current = await tx.inviteAttempts.get(day._id);
      if (current.alarmedAt !== undefined) return;
      await tx.inviteAttempts.update(day._id, { alarmedAt: ctx.now });
      await tx.audit.insert({
        ...auditDoc(ctx, 'inviteGuessing', {
          date: day.date,
          failed: current.count,
          threshold: INVITE_FAILURES_ALARM,
        }),
        by: SYSTEM,
      });
    });
  } catch {
    // Another failure's transaction on the same document at the same moment (one of them is aborted):
    // that one writes the entry, or, if both were aborted, the next failure tries again. The caller is
    // answered its refusal either way.
  }
}

/**
 * The `staff` function's `acceptInvitation`: any signed-in account (`ctx.access.openid`, from the WeChat
 * context). Answers the account's roles after it, as `me`; entering again a code this account already
 * used answers the same (a retried call), any other used code `INVITE.USED`.
 */
export async function acceptInvitation(
  ctx: AdminContext,
  req: StaffApi['acceptInvitation']['req'],
): Promise<StaffApi['acceptInvitation']['res']> {
  const openid = ctx.access.openid;
  // A code that cannot be one is refused without a write: it could match nothing.
  const code = normalizeCode(req.code);
  if (code === undefined) throw new AppError('INVITE.INVALID', 'code');
  if (!(await countAttempt(ctx, openid))) throw new AppError('INVITE.TOO_MANY_ATTEMPTS', 'code');
  const id = sha256Hex(code);
  const doc = await ctx.db.invitations.get(id);
  if (!doc || doc.revokedAt !== undefined) {
    await countFailure(ctx);
    throw new AppError('INVITE.INVALID', 'code');
  }
  const answer = async () => {
    const access = await loadAccess(ctx.db, openid);
    return me({ access }, await getCatalogue(ctx.db, ctx.now));
  };
  if (doc.usedAt !== undefined) {
    if (doc.usedBy === openid) return answer();
    throw new AppError('INVITE.USED', 'code');
  }
  if (doc.expiresAt <= ctx.now) throw new AppError('INVITE.EXPIRED', 'code');
  if (doc.officeId !== undefined) {
    // An office removed since the invitation: nothing to grant.
    const { offices } = await getCatalogue(ctx.db, ctx.now);
    if (!offices.some((o) => o._id === doc.officeId)) throw new AppError('INVITE.INVALID', 'code');
  }
  const role: RoleDoc = {
    _id: roleId(openid, doc.role, doc.officeId),
    openid,
    role: doc.role,
    ...(doc.officeId === undefined ? {} : { officeId: doc.officeId }),
    grantedAt: ctx.now,
    // The administrator who invited: the grant is theirs.
    grantedBy: doc.createdBy,
  };
  const bootstrapCode = doc.createdBy === CONSOLE;
  // Another transaction on the same invitation that wins the race (another account entering the same
  // code at once, or this account's twin request): tried again, this one reads it used — INVITE.USED,
  // or this account's own grant.
  const outcome = await retryConflicts(
    async (): Promise<'granted' | 'mine' | 'used' | 'closed'> => {
      // Read outside: inside a transaction the platform fails a read of a missing document.
      const held = (await ctx.db.roles.get(role._id)) !== undefined;
      // Who holds city_admin, when this grant is of it (server/admin/city-admins.ts).
      const holders = doc.role === 'city_admin' ? await readCityAdmins(ctx.db) : undefined;
      try {
        return await ctx.db.transaction(async (tx) => {
          const current = await tx.invitations.get(id);
          if (current.usedAt !== undefined) return current.usedBy === openid ? 'mine' : 'used';
          // A bootstrap's code opens the first administrator's door only while it is the first: once
          // anyone holds city_admin, the console's codes grant nothing. Two entered at the same instant:
          // both decide on nobody, one commits, the other finds the guard moved and, tried again, the first.
          if (bootstrapCode && holders && holders.openids.length > 0) return 'closed';
          if (holders && !held) await guardCityAdmins(tx, bootstrapCode ? holders : undefined);
          await tx.invitations.update(id, { usedAt: ctx.now, usedBy: openid });
          if (!held) await tx.roles.insert(role);
          await tx.audit.insert(
            auditDoc(ctx, 'acceptInvitation', {
              ...auditRef(doc),
              openid,
              invitedBy: doc.createdBy,
            }),
          );
          return 'granted';
        });
      } catch (err) {
        // The same role granted to this account meanwhile (another invitation, a grantRole): read again,
        // it is held.
        if (duplicateKeyIndex(err) === '_id') throw new ReadAgain('the role');
        throw err;
      }
    },
  );
  if (outcome === 'used') throw new AppError('INVITE.USED', 'code');
  if (outcome === 'closed') throw new AppError('INVITE.BOOTSTRAP_CLOSED', 'code');
  return answer();
}
