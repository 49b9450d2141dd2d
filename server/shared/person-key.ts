/**
 * R14: an ID number is stored only as a keyed hash (for the one-per-person and blacklist checks) plus a
 * masked form. The key is the function's `ID_HASH_SECRET` environment variable, set in the cloud
 * console for production and by the local cloud for development; without it the function refuses to
 * work rather than store weak hashes.
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** The key made from the secret last read: made once, not on every hash (issue 16: a sold-out refusal's CPU). */
let key: { secret: string; object: KeyObject } | undefined;

function secret(): KeyObject {
  const value = process.env.ID_HASH_SECRET;
  if (!value || value.length < 16) {
    throw new Error('ID_HASH_SECRET is not configured (at least 16 characters)');
  }
  if (key?.secret !== value) key = { secret: value, object: createSecretKey(value, 'utf8') };
  return key.object;
}

/** The person's key: HMAC-SHA256 of the normalised ID number, hex, 32 characters. */
export function personKey(idNumber: string): string {
  return createHmac('sha256', secret()).update(`id:${idNumber}`).digest('hex').slice(0, 32);
}

/** A stable booking id for one account's request, so a repeated request finds its booking (`_id`). */
export function requestBookingId(openid: string, requestId: string): string {
  return `b${createHmac('sha256', secret()).update(`req:${openid}:${requestId}`).digest('hex').slice(0, 31)}`;
}

/** An unguessable token for the window's QR pass; carries nothing personal. */
export function newPassToken(): string {
  return randomBytes(16).toString('base64url');
}
