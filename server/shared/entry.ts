/**
 * The common frame of the action functions (`staff`, `admin`; `booking` has its own, older copy): the
 * event checked as an object with a known `action`, the platform's `userInfo` dropped, the request
 * validated by the action's schema, the handler run, and every outcome logged (never the data, R14) and
 * answered as `{ ok, data } | { ok: false, error }`.
 */
import type { ApiResult } from '../../typings/api';
import type * as z from 'zod/mini';
import { firstIssuePath } from '../booking/input';
import type { Db } from '../store/db';
import { AppError, apiError } from './errors';
import { logFailure, logRequest } from './log';

export type Parsed = { action: string; body: Record<string, unknown> };

/** The action and the rest of the event, or the coded answer for a malformed event or unknown action. */
export function parseEvent(
  event: unknown,
  isAction: (a: unknown) => boolean,
): Parsed | { error: ApiResult<never> } {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return { error: { ok: false, error: apiError('REQUEST.INVALID') } };
  // `userInfo` is what the platform adds to every event from the mini program; not part of the request.
  const { action, userInfo: _platform, ...body } = event as Record<string, unknown>;
  if (!isAction(action) || typeof action !== 'string')
    return { error: { ok: false, error: apiError('REQUEST.UNKNOWN_ACTION', 'action') } };
  return { action, body };
}

/** Validates `body` with `schema`, runs `handler`, and answers and logs whatever happens. */
export async function answer<T>(
  action: string,
  started: number,
  db: Db,
  run: () => Promise<T>,
): Promise<ApiResult<T>> {
  const count = () => ({ db: db.requests, cache: db.cacheRequests });
  try {
    const data = await run();
    logRequest(action, started, 'ok', count());
    return { ok: true, data };
  } catch (err) {
    if (err instanceof AppError) {
      logRequest(action, started, err.code, count());
      return { ok: false, error: err.toApiError() };
    }
    logFailure(action, started, err, count());
    return { ok: false, error: apiError('INTERNAL') };
  }
}

/** The request as its schema parses it, or REQUEST.INVALID naming the wrong field. */
export function validated<S extends z.ZodMiniType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('REQUEST.INVALID', firstIssuePath(parsed.error));
  return parsed.data;
}
