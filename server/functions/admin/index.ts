/**
 * The `admin` cloud function: roles and the hall API's keys (typings/admin.ts, issue 13); the holiday
 * calendar and its notice, configuration, closures, the blacklist, the audit list (issue 14).
 *
 * `bootstrap` is the way in without a hard-coded id: it answers only a call that carries no user OPENID —
 * the cloud console's test call, the `invokecloudfunction` HTTP API (both need the developer's
 * credentials), or the local cloud's `POST /callFunction` without `openid` — and only while nobody holds
 * `city_admin`: a one-time `city_admin` invitation code, which the first administrator enters in the mini
 * program (server/admin/invitations.ts). From the mini program (with an OPENID) it is an unknown action. Every other action needs an admin role,
 * checked on every call; without it the answer is exactly that of an unknown action.
 */
import type { ApiResult } from '../../../typings/api';
import type { AdminAction, AdminApi } from '../../../typings/admin';
import {
  CONSOLE,
  createApiKey,
  grantRole,
  listApiKeys,
  listRoles,
  revokeApiKey,
  revokeRole,
  type AdminContext,
} from '../../admin/actions';
import {
  calendarStatus,
  getCalendarYear,
  setCalendarYear,
  subscribeNotice,
} from '../../admin/calendar';
import {
  deactivateService,
  listOffices,
  saveCategory,
  saveOffice,
  saveService,
  saveSettings,
} from '../../admin/config';
import { listAudit } from '../../admin/audit-log';
import {
  bootstrap,
  createInvitation,
  listInvitations,
  revokeInvitation,
} from '../../admin/invitations';
import { closeDay } from '../../admin/close-day';
import { exportStats } from '../../admin/export';
import { stats } from '../../admin/stats';
import { liftSuspension, listSuspensions } from '../../admin/suspensions';
import { cloud, initCloud, instanceDatabase } from '../../shared/cloud';
import { Db } from '../../store/db';
import { answer, parseEvent, validated } from '../../shared/entry';
import { apiError } from '../../shared/errors';
import { administered, loadAccess, unknownAction } from '../../staff/access';
import { adminSchemas } from '../../staff/input';

initCloud();

type Handler<A extends AdminAction> = (
  ctx: AdminContext,
  req: AdminApi[A]['req'],
) => Promise<AdminApi[A]['res']>;

const handlers: { [A in AdminAction]: Handler<A> } = {
  bootstrap,
  grantRole,
  revokeRole,
  listRoles,
  createInvitation,
  listInvitations,
  revokeInvitation,
  createApiKey,
  revokeApiKey,
  listApiKeys,
  getCalendarYear,
  setCalendarYear,
  calendarStatus,
  subscribeNotice,
  listOffices,
  saveOffice,
  saveService,
  deactivateService,
  saveCategory,
  saveSettings,
  closeDay,
  listSuspensions,
  liftSuspension,
  stats,
  exportStats,
  listAudit,
};

function isAction(value: unknown): value is AdminAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(handlers, value);
}

async function run<A extends AdminAction>(
  action: A,
  body: Record<string, unknown>,
  ctx: AdminContext,
): Promise<AdminApi[A]['res']> {
  const req = validated(adminSchemas[action], body) as AdminApi[A]['req'];
  return (handlers[action] as Handler<A>)(ctx, req);
}

export async function main(event: unknown): Promise<ApiResult<unknown>> {
  const started = Date.now();
  const { OPENID } = cloud.getWXContext();
  const parsed = parseEvent(event, isAction);
  if ('error' in parsed) return parsed.error;
  const action = parsed.action as AdminAction;
  const signedIn = typeof OPENID === 'string' && OPENID !== '';
  const db = new Db(instanceDatabase());
  const now = Date.now();
  if (action === 'bootstrap') {
    if (signedIn) return { ok: false, error: unknownAction().toApiError() };
    return answer(action, started, db, () =>
      run(action, parsed.body, { db, now, access: { openid: CONSOLE, roles: [] } }),
    );
  }
  if (!signedIn) return { ok: false, error: apiError('AUTH.NO_IDENTITY') };
  return answer(action, started, db, async () => {
    const access = await loadAccess(db, OPENID);
    // Before the request is validated: without an admin role nothing about the actions is revealed.
    const offices = administered(access);
    if (offices !== 'all' && offices.size === 0) throw unknownAction();
    return run(action, parsed.body, { db, now, access });
  });
}
