/**
 * The `staff` cloud function: the window's actions of the contract in typings/staff.ts (issue 13).
 * Identity comes from `cloud.getWXContext()` only. Every action but `me` and `acceptInvitation` (the
 * OPENID of the call receives an administrator's invited role, server/admin/invitations.ts) needs a role, checked on every
 * call; without one the answer is exactly that of an unknown action, before the request is even looked
 * at, so nothing about the actions can be learnt by calling them.
 */
import type { ApiResult } from '../../../typings/api';
import type { StaffAction, StaffApi } from '../../../typings/staff';
import { acceptInvitation } from '../../admin/invitations';
import { getCatalogue } from '../../store/catalogue';
import { cloud, initCloud, instanceDatabase } from '../../shared/cloud';
import { Db } from '../../store/db';
import { answer, parseEvent, validated } from '../../shared/entry';
import { apiError } from '../../shared/errors';
import { loadAccess } from '../../staff/access';
import {
  checkIn,
  eventAction,
  me,
  next,
  requireAnyRole,
  today,
  type StaffContext,
} from '../../staff/actions';
import { staffSchemas } from '../../staff/input';

initCloud();

type Handler<A extends StaffAction> = (
  ctx: StaffContext,
  req: StaffApi[A]['req'],
) => Promise<StaffApi[A]['res']>;

const handlers: { [A in StaffAction]: Handler<A> } = {
  me: async (ctx) => me(ctx, await getCatalogue(ctx.db, ctx.now)),
  acceptInvitation,
  today,
  checkIn,
  call: eventAction('call'),
  serve: eventAction('serve'),
  finish: eventAction('finish'),
  miss: eventAction('miss'),
  requeue: eventAction('requeue'),
  next,
};

async function run<A extends StaffAction>(
  action: A,
  body: Record<string, unknown>,
  ctx: StaffContext,
): Promise<StaffApi[A]['res']> {
  // Before the request is validated: a citizen learns nothing, not even the actions' fields. `me` and
  // entering an invitation (which is how a role is received) are anyone's.
  if (action !== 'me' && action !== 'acceptInvitation') requireAnyRole(ctx.access);
  const req = validated(staffSchemas[action], body) as StaffApi[A]['req'];
  return (handlers[action] as Handler<A>)(ctx, req);
}

function isAction(value: unknown): value is StaffAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(handlers, value);
}

export async function main(event: unknown): Promise<ApiResult<unknown>> {
  const started = Date.now();
  const { OPENID } = cloud.getWXContext();
  const parsed = parseEvent(event, isAction);
  if ('error' in parsed) return parsed.error;
  const action = parsed.action as StaffAction;
  if (typeof OPENID !== 'string' || OPENID === '')
    return { ok: false, error: apiError('AUTH.NO_IDENTITY') };
  const db = new Db(instanceDatabase());
  const now = Date.now();
  return answer(action, started, db, async () =>
    run(action, parsed.body, { db, now, access: await loadAccess(db, OPENID) }),
  );
}
