/**
 * The common frame of the action functions (`booking`, `staff`, `admin`): the
 * event checked as an object with a known `action`, the platform's `userInfo` dropped, the request
 * validated by the action's schema, the handler run, and every outcome logged (never the data, R14) and
 * answered as `{ ok, data } | { ok: false, error }`.
 */
import type { ApiResult } from '../../typings/api';
import type * as z from 'zod/mini';
import { AppError, apiError, isFieldName } from './errors';
import { logFailure, logRequest } from './log';

/** What the log counts of a request: the database's requests and the cache's refreshes (store/db.ts). */
export interface Counted {
  readonly requests: number;
  readonly cacheRequests: number;
}

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
  db: Counted,
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

/** The request's field that is wrong, for the message under that field (`person.phone`). */
export function firstIssuePath(error: z.core.$ZodError): string | undefined {
  const issue = error.issues.at(0);
  if (!issue) return undefined;
  const path = issue.path.map(String).join('.');
  // Unknown keys are reported on the object; name the key itself when it reads as a field name, else
  // the object: a key is the caller's text (100 KB, markup), never sent back as it came.
  const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (key !== undefined && isFieldName(key)) return path ? `${path}.${key}` : key;
  return path || undefined;
}
