/**
 * The `hall-api` cloud function, reached through CloudBase's HTTP access service (docs/hall-api.md): the
 * hall's queue-calling system and other channels (R12) with signed requests. The event is the HTTP
 * access service's integration request; the answer its integration response. No OPENID: the caller is
 * the API key of each request, checked on every request (server/hall/api.ts).
 */
import { handle, json, refused, type HttpEvent, type HttpResult } from '../../hall/api';
import { initCloud, instanceDatabase } from '../../shared/cloud';
import { Db } from '../../store/db';
import { AppError, apiError } from '../../shared/errors';
import { logFailure, logRequest } from '../../shared/log';

initCloud();

function isHttpEvent(event: unknown): event is HttpEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Partial<Record<keyof HttpEvent, unknown>>;
  return (
    typeof e.path === 'string' &&
    typeof e.httpMethod === 'string' &&
    typeof e.headers === 'object' &&
    e.headers !== null
  );
}

export async function main(event: unknown): Promise<HttpResult> {
  const started = Date.now();
  if (!isHttpEvent(event)) return json(400, apiError('REQUEST.INVALID'));
  const db = new Db(instanceDatabase());
  // The log names the method only: paths carry service ids and numbers, headers the key (R14 habits).
  const name = `hall-api ${event.httpMethod.toUpperCase()}`;
  const count = () => ({ db: db.requests, cache: db.cacheRequests });
  try {
    const result = await handle({ db, now: Date.now() }, event);
    logRequest(name, started, String(result.statusCode), count());
    return result;
  } catch (err) {
    if (err instanceof AppError) {
      logRequest(name, started, err.code, count());
      return refused(err);
    }
    logFailure(name, started, err, count());
    return json(500, apiError('INTERNAL'));
  }
}
