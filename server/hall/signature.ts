/**
 * The hall API's request signature and its keys' secrets (docs/hall-api.md).
 *
 * A request is signed with HMAC-SHA256 under the key's secret over
 * `METHOD \n path-with-query \n timestamp \n nonce \n sha256-hex(body)`, where the path is the one the
 * function routes (`/v1/services/…`) and the query is in canonical form: its pairs sorted by key, each
 * part percent-encoded as `encodeURIComponent` does, joined by `&` (the HTTP access service hands the
 * function the query as a map, so its original order and encoding are gone).
 *
 * Secrets are never stored. A key's secret is derived from the functions' `API_KEY_SECRET` (set in the
 * cloud console, like `ID_HASH_SECRET`) and the key's id, so the `admin` function can show it once and
 * the `hall-api` function can recompute it to check a signature; the `apiKeys` collection holds only its
 * SHA-256, which tells a secret derived under another `API_KEY_SECRET` (rotated) from the right one. A
 * read of the database therefore yields no usable secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The query in canonical form (see above); `''` for none. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k] ?? '')}`)
    .join('&');
}

export function stringToSign(parts: {
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  timestamp: string;
  nonce: string;
  body: Buffer;
}): string {
  const query = canonicalQuery(parts.query);
  return [
    parts.method.toUpperCase(),
    query ? `${parts.path}?${query}` : parts.path,
    parts.timestamp,
    parts.nonce,
    sha256Hex(parts.body),
  ].join('\n');
}

/** Lowercase hex HMAC-SHA256 of `text` under `secret`. */
export function sign(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** Compares in constant time; a malformed signature is simply wrong. */
export function signatureMatches(expected: string, given: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

function masterSecret(): string {
  const value = process.env.API_KEY_SECRET;
  if (!value || value.length < 16) {
    throw new Error('API_KEY_SECRET is not configured (at least 16 characters)');
  }
  return value;
}

/** A new key id: `hk_` and 16 hex digits. */
export function newKeyId(): string {
  return `hk_${randomBytes(8).toString('hex')}`;
}

/** The secret of key `keyId`: `hs_` and 43 base64url characters, derived, never stored. */
export function keySecret(keyId: string): string {
  return `hs_${createHmac('sha256', masterSecret()).update(`hall-api-key:${keyId}`).digest('base64url')}`;
}
