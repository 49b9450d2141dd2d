/**
 * The `booking` cloud function: the citizen actions of the contract in typings/api.ts.
 * Identity comes from `cloud.getWXContext()` only, never from `event`.
 */
import type { ApiResult, BookingAction, BookingApi } from '../../../typings/api';
import { book } from '../../booking/book';
import type { Context } from '../../booking/context';
import { schemas } from '../../booking/input';
import {
  cancelForMe,
  forMe,
  identity,
  identityStart,
  verifyIdentity,
} from '../../booking/identity';
import { cancel, remind, reschedule } from '../../booking/manage';
import { persons } from '../../booking/persons';
import { precheck } from '../../booking/precheck';
import { availability, catalogue, detail, mine, standing } from '../../booking/queries';
import { notify, notifyCancel, notifyState } from '../../booking/waitlist';
import { cloud, initCloud, instanceDatabase } from '../../shared/cloud';
import { Db } from '../../store/db';
import { answer, parseEvent, validated } from '../../shared/entry';
import { apiError } from '../../shared/errors';

initCloud();

type Handler<A extends BookingAction> = (
  ctx: Context,
  req: BookingApi[A]['req'],
) => Promise<BookingApi[A]['res']>;

const handlers: { [A in BookingAction]: Handler<A> } = {
  catalogue: (ctx) => catalogue(ctx),
  availability,
  book,
  precheck,
  persons: (ctx) => persons(ctx),
  remind,
  cancel,
  reschedule,
  mine,
  detail,
  standing: (ctx) => standing(ctx),
  notify,
  notifyCancel,
  notifyState,
  identity: (ctx) => identity(ctx),
  identityStart,
  verifyIdentity,
  forMe: (ctx) => forMe(ctx),
  cancelForMe,
};

function isAction(value: unknown): value is BookingAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(handlers, value);
}

async function run<A extends BookingAction>(
  action: A,
  body: Record<string, unknown>,
  ctx: Context,
): Promise<BookingApi[A]['res']> {
  const req = validated(schemas[action], body) as BookingApi[A]['req'];
  return (handlers[action] as Handler<A>)(ctx, req);
}

export async function main(event: unknown): Promise<ApiResult<unknown>> {
  const started = Date.now();
  const { OPENID } = cloud.getWXContext();
  const parsed = parseEvent(event, isAction);
  if ('error' in parsed) return parsed.error;
  const action = parsed.action as BookingAction;
  if (typeof OPENID !== 'string' || OPENID === '')
    return { ok: false, error: apiError('AUTH.NO_IDENTITY') };
  const db = new Db(instanceDatabase());
  const ctx: Context = {
    openid: OPENID,
    db,
    now: Date.now(),
    channel: 'wechat',
    accountLimited: true,
  };
  return answer(action, started, db, () => run(action, parsed.body, ctx));
}
