/**
 * The hall API (docs/hall-api.md): an integration request from CloudBase's HTTP access service in, an
 * integration response out. Each request is authenticated in this order — headers, key, signature,
 * timestamp, nonce, rate — then routed, its scope and office checked, and run through the same code as
 * the staff function (server/staff/queue.ts) and the mini program's `book`/`cancel`
 * (server/booking/book.ts, manage.ts). Every refusal is its own code and HTTP status.
 */
import * as z from 'zod/mini';
import type { ApiScope } from '../../typings/admin';
import type { ErrorCode } from '../../typings/api';
import type { HallBookRequest, HallDayResponse } from '../../typings/hall-api';
import { book } from '../booking/book';
import { findService, getCatalogue, type Catalogue } from '../store/catalogue';
import type { Context } from '../booking/context';
import { schemas as bookingSchemas } from '../booking/input';
import { cancel } from '../booking/manage';
import { isDateString } from '../domain/china-time';
import { duplicateKeyIndex, type Db } from '../store/db';
import type { ApiKeyDoc, NonceDoc } from '../store/documents/hall';
import { AppError } from '../shared/errors';
import { findByNumber } from '../staff/actions';
import { changedRows, dayRows, settingsOf, transition } from '../staff/queue';
import { validated } from '../shared/entry';
import { keySecret, sha256Hex, sign, signatureMatches, stringToSign } from './signature';

/** What the HTTP access service passes (its integration request). */
export interface HttpEvent {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** What the function answers (its integration response). */
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

/** A timestamp further than this from the function's clock is refused. */
export const SKEW_S = 300;
/** Requests a key may make in 60 s when neither it nor the settings say otherwise. */
export const DEFAULT_RATE_PER_MINUTE = 120;
const RATE_WINDOW_MS = 60_000;
/** A nonce is remembered while a timestamp could still be accepted, with a margin. */
const NONCE_TTL_MS = 2 * SKEW_S * 1000 + 60_000;
/** Changes a poll with `since` looks back over, for writes that landed after an earlier read. */
export const SINCE_OVERLAP_MS = 5_000;

const STATUS: Partial<Record<ErrorCode, number>> = {
  'REQUEST.INVALID': 400,
  'CALENDAR.DATE_INVALID': 400,
  'API.AUTH_MISSING': 401,
  'API.KEY_UNKNOWN': 401,
  'API.KEY_REVOKED': 401,
  'API.SIGNATURE_INVALID': 401,
  'API.TIMESTAMP_SKEW': 401,
  'API.SCOPE_MISSING': 403,
  'API.OFFICE_FORBIDDEN': 403,
  'API.ROUTE_NOT_FOUND': 404,
  'CATALOGUE.SERVICE_NOT_FOUND': 404,
  'CHECKIN.NOT_FOUND': 404,
  'QUEUE.NOT_FOUND': 404,
  'BOOKING.NOT_FOUND': 404,
  'QUOTA.PERIOD_NOT_FOUND': 404,
  'API.METHOD_NOT_ALLOWED': 405,
  'API.NONCE_REPLAYED': 409,
  'API.RATE_LIMITED': 429,
  INTERNAL: 500,
  'SYSTEM.BUSY': 503,
};

/** The HTTP status of a coded refusal: the table, 400 for a bad person, 409 for the rules' refusals. */
export function httpStatus(code: ErrorCode): number {
  return STATUS[code] ?? (code.startsWith('IDENTITY.') ? 400 : 409);
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

export function refused(err: AppError): HttpResult {
  const headers: Record<string, string> =
    err instanceof RateLimited ? { 'retry-after': String(err.retryAfter) } : {};
  return json(httpStatus(err.code), err.toApiError(), headers);
}

/** `API.RATE_LIMITED`, with the seconds a client should wait (`Retry-After`): the rate's spacing. */
export class RateLimited extends AppError {
  constructor(readonly retryAfter: number) {
    super('API.RATE_LIMITED');
  }
}

export interface HallContext {
  db: Db;
  now: number;
}

interface Authorised {
  key: ApiKeyDoc;
  body: Buffer;
}

const HEADER = {
  keyId: /^hk_[0-9a-f]{16}$/,
  timestamp: /^\d{1,12}$/,
  nonce: /^[A-Za-z0-9_-]{16,64}$/,
  signature: /^[0-9a-f]{64}$/,
};

/** The function's base path on the platform (`HALL_API_BASE_PATH`), stripped before routing and signing. */
export function routePath(path: string): string {
  const base = (process.env.HALL_API_BASE_PATH ?? '').replace(/\/+$/, '');
  if (base && (path === base || path.startsWith(`${base}/`))) return path.slice(base.length) || '/';
  return path;
}

/** Headers, key, signature, timestamp, nonce and rate, in that order; the first failure answers. */
export async function authenticate(
  ctx: HallContext,
  event: HttpEvent,
  path: string,
): Promise<Authorised> {
  const h: Partial<Record<string, string>> = event.headers;
  const keyId = h['x-key-id'] ?? '';
  const timestamp = h['x-timestamp'] ?? '';
  const nonce = h['x-nonce'] ?? '';
  const signature = h['x-signature'] ?? '';
  if (
    !HEADER.keyId.test(keyId) ||
    !HEADER.timestamp.test(timestamp) ||
    !HEADER.nonce.test(nonce) ||
    !HEADER.signature.test(signature)
  )
    throw new AppError('API.AUTH_MISSING');
  const key = await ctx.db.apiKeys.get(keyId);
  if (!key) throw new AppError('API.KEY_UNKNOWN');
  const secret = keySecret(keyId);
  // A key made under another API_KEY_SECRET (rotated) can no longer be checked: as good as revoked.
  if (key.revokedAt !== undefined || sha256Hex(secret) !== key.secretHash)
    throw new AppError('API.KEY_REVOKED');
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded === true ? 'base64' : 'utf8');
  const text = stringToSign({
    method: event.httpMethod,
    path,
    query: event.queryStringParameters ?? {},
    timestamp,
    nonce,
    body,
  });
  if (!signatureMatches(sign(secret, text), signature)) throw new AppError('API.SIGNATURE_INVALID');
  if (Math.abs(Number(timestamp) - Math.floor(ctx.now / 1000)) > SKEW_S)
    throw new AppError('API.TIMESTAMP_SKEW');
  const doc: NonceDoc = {
    _id: `${keyId}|${nonce}`,
    keyId,
    at: ctx.now,
    expiresAt: ctx.now + NONCE_TTL_MS,
  };
  try {
    await ctx.db.nonces.insert(doc);
  } catch (err) {
    if (duplicateKeyIndex(err) !== undefined) throw new AppError('API.NONCE_REPLAYED');
    throw err;
  }
  // The nonces of the last minute are the key's requests: counted after our own is in, so requests
  // racing each other can only over-count (refuse early), never let more through than the rate.
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const rate =
    key.ratePerMinute ?? catalogue.settings.hallApi?.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE;
  const recent = await ctx.db.nonces.count({
    keyId,
    at: ctx.db.command.gt(ctx.now - RATE_WINDOW_MS),
  });
  if (recent > rate) throw new RateLimited(Math.max(1, Math.ceil(60 / rate)));
  return { key, body };
}

/** Removes expired nonces now and then (one request in 20), so the collection stays small. */
export async function sweepNonces(ctx: HallContext): Promise<void> {
  if (Math.random() >= 0.05) return;
  await ctx.db.nonces.remove({ expiresAt: ctx.db.command.lt(ctx.now) });
}

function requireScope(key: ApiKeyDoc, scope: ApiScope): void {
  if (!key.scopes.includes(scope)) throw new AppError('API.SCOPE_MISSING');
}

/** A service of the key's office (R1: one office per key). */
function serviceOfKey(catalogue: Catalogue, key: ApiKeyDoc, serviceId: string) {
  const service = findService(catalogue, serviceId);
  if (service.officeId !== key.officeId) throw new AppError('API.OFFICE_FORBIDDEN');
  return service;
}

function checkDate(date: string): void {
  if (!isDateString(date)) throw new AppError('CALENDAR.DATE_INVALID', 'date');
}

/** The cursor: the instant of the read, base 36. */
function cursorOf(ms: number): string {
  return ms.toString(36);
}

function sinceOf(cursor: string): number {
  const ms = /^[0-9a-z]{1,16}$/.test(cursor) ? parseInt(cursor, 36) : NaN;
  if (!Number.isSafeInteger(ms)) throw new AppError('REQUEST.INVALID', 'since');
  return ms;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new AppError('REQUEST.INVALID', 'body');
  }
}

const eventBody = z.strictObject({
  event: z.enum(['check_in', 'call', 'serve', 'finish', 'miss', 'requeue']),
  window: z.optional(z.string().check(z.minLength(1), z.maxLength(16), z.regex(/^[^\s<>"'&]+$/u))),
});

const bookBody = z.strictObject({
  serviceId: bookingSchemas.book.shape.serviceId,
  date: bookingSchemas.book.shape.date,
  periodId: bookingSchemas.book.shape.periodId,
  person: bookingSchemas.book.shape.person,
  requestId: bookingSchemas.book.shape.requestId,
});

interface Route {
  method: string;
  pattern: RegExp;
  run(
    ctx: HallContext,
    auth: Authorised,
    m: string[],
    query: Partial<Record<string, string>>,
  ): Promise<unknown>;
}

/** R12: the booking function's context for a key: its own "account" and its channel, no account limit. */
function channelContext(ctx: HallContext, key: ApiKeyDoc): Context {
  return {
    openid: `api:${key._id}`,
    db: ctx.db,
    now: ctx.now,
    channel: key.channel,
    accountLimited: false,
  };
}

const SEG = '([A-Za-z0-9_-]{1,64})';

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/services/${SEG}/days/([0-9-]{10})/bookings$`),
    async run(ctx, { key }, [serviceId = '', date = ''], query): Promise<HallDayResponse> {
      requireScope(key, 'read');
      checkDate(date);
      const since = query.since;
      const unknown = Object.keys(query).filter((k) => k !== 'since');
      if (unknown.length > 0) throw new AppError('REQUEST.INVALID', unknown[0]);
      const catalogue = await getCatalogue(ctx.db, ctx.now);
      const service = serviceOfKey(catalogue, key, serviceId);
      const bookings =
        since === undefined
          ? await dayRows(ctx.db, service._id, date)
          : await changedRows(ctx.db, service._id, date, sinceOf(since) - SINCE_OVERLAP_MS);
      return { serviceId: service._id, date, bookings, cursor: cursorOf(ctx.now) };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(
      `^/v1/services/${SEG}/days/([0-9-]{10})/numbers/([A-Z]{1,2}[0-9]{3})/events$`,
    ),
    async run(ctx, { key, body }, [serviceId = '', date = '', number = '']) {
      requireScope(key, 'queue');
      checkDate(date);
      const req = validated(eventBody, parseJson(body));
      const catalogue = await getCatalogue(ctx.db, ctx.now);
      const service = serviceOfKey(catalogue, key, serviceId);
      const doc = await findByNumber(ctx.db, service, date, number);
      if (!doc)
        throw new AppError(
          req.event === 'check_in' ? 'CHECKIN.NOT_FOUND' : 'QUEUE.NOT_FOUND',
          'number',
        );
      return transition(
        { db: ctx.db, by: `api:${key._id}`, now: ctx.now },
        doc,
        req.event,
        settingsOf(catalogue, service._id),
        req.window,
      );
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/bookings$/,
    async run(ctx, { key, body }) {
      requireScope(key, 'book');
      // The person's formats (ID check digit, category…) are the domain's to check, as for `book`.
      const req = validated(bookBody, parseJson(body)) as HallBookRequest;
      serviceOfKey(await getCatalogue(ctx.db, ctx.now), key, req.serviceId);
      const { periodId, ...rest } = req;
      return book(channelContext(ctx, key), periodId === undefined ? rest : { ...rest, periodId });
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1/bookings/${SEG}$`),
    async run(ctx, { key }, [bookingId = '']) {
      requireScope(key, 'book');
      // Only a booking this key made: anyone else's answers as one that does not exist (R8).
      return cancel(channelContext(ctx, key), { bookingId });
    },
  },
];

/** The route for a method and path, or the refusal: no such path (404), or not with this method (405). */
function match(method: string, path: string): { route: Route; m: string[] } {
  let pathKnown = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (route.method === method) return { route, m: m.slice(1) };
  }
  throw new AppError(pathKnown ? 'API.METHOD_NOT_ALLOWED' : 'API.ROUTE_NOT_FOUND');
}

/** Handles one request; throws AppError for every refusal (the function entry turns it into a response). */
export async function handle(ctx: HallContext, event: HttpEvent): Promise<HttpResult> {
  const path = routePath(event.path);
  const method = event.httpMethod.toUpperCase();
  if (path === '/v1/clock' && method === 'GET')
    return json(200, { now: Math.floor(ctx.now / 1000) });
  const auth = await authenticate(ctx, event, path);
  await sweepNonces(ctx);
  const { route, m } = match(method, path);
  return json(200, await route.run(ctx, auth, m, event.queryStringParameters ?? {}));
}
