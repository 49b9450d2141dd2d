/**
 * The `booking` cloud function: the citizen actions of the contract in typings/api.ts.
 * Identity comes from `cloud.getWXContext()` only, never from `event`.
 */
import type { ApiResult, BookingAction, BookingApi } from '../../../typings/api';
import { book } from '../../booking/book';
import type { Context } from '../../booking/context';
import { firstIssuePath, schemas } from '../../booking/input';
import { cancel, reschedule } from '../../booking/manage';
import { availability, catalogue, detail, mine, standing } from '../../booking/queries';
import { notify, notifyCancel } from '../../booking/waitlist';
import { cloud, initCloud } from '../../shared/cloud';
import { Db } from '../../store/db';
import { AppError, apiError } from '../../shared/errors';
import { logFailure, logRequest } from '../../shared/log';

initCloud();

type Handler<A extends BookingAction> = (
  ctx: Context,
  req: BookingApi[A]['req'],
) => Promise<BookingApi[A]['res']>;

const handlers: { [A in BookingAction]: Handler<A> } = {
  catalogue: (ctx) => catalogue(ctx),
  availability,
  book,
  cancel,
  reschedule,
  mine: (ctx) => mine(ctx),
  detail,
  standing: (ctx) => standing(ctx),
  notify,
  notifyCancel,
};

function isAction(value: unknown): value is BookingAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(handlers, value);
}

async function run<A extends BookingAction>(
  action: A,
  body: Record<string, unknown>,
  ctx: Context,
) {
  const parsed = schemas[action].safeParse(body);
  if (!parsed.success)
    return { ok: false as const, error: apiError('REQUEST.INVALID', firstIssuePath(parsed.error)) };
  const handler = handlers[action] as Handler<A>;
  return { ok: true as const, data: await handler(ctx, parsed.data) };
}

export async function main(event: unknown): Promise<ApiResult<unknown>> {
  const started = Date.now();
  const { OPENID } = cloud.getWXContext();
  if (typeof event !== 'object' || event === null)
    return { ok: false, error: apiError('REQUEST.INVALID') };
  // `userInfo` is what the platform adds to every event from the mini program; not part of the request.
  const { action, userInfo: _platform, ...rest } = event as Record<string, unknown>;
  if (!isAction(action)) return { ok: false, error: apiError('REQUEST.UNKNOWN_ACTION', 'action') };
  if (typeof OPENID !== 'string' || OPENID === '')
    return { ok: false, error: apiError('AUTH.NO_IDENTITY') };
  const db = new Db(cloud.database());
  const ctx: Context = {
    openid: OPENID,
    db,
    now: Date.now(),
    channel: 'wechat',
    accountLimited: true,
  };
  try {
    const result = await run(action, rest, ctx);
    logRequest(action, started, result.ok ? 'ok' : result.error.code, {
      db: db.requests,
      cache: db.cacheRequests,
    });
    return result;
  } catch (err) {
    if (err instanceof AppError) {
      logRequest(action, started, err.code, { db: db.requests, cache: db.cacheRequests });
      return { ok: false, error: err.toApiError() };
    }
    logFailure(action, started, err, { db: db.requests, cache: db.cacheRequests });
    return { ok: false, error: apiError('INTERNAL') };
  }
}
