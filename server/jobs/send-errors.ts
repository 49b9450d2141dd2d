/**
 * What a failed `subscribeMessage.send` means for the delivery (R13, R11). Codes from the
 * subscribeMessage.send documentation ("errcode 的合法值") and wx-server-sdk 4.0.2's own table
 * (node_modules/wx-server-sdk/index.js: -604xxx openapi, -501xxx platform). Pure.
 *
 * - `no_consent` (43101): the user has no unused one-time consent for the template. Final.
 * - `rejected`: the message itself is wrong (bad openid, template, data, page). Final: sending it again
 *   would be refused again.
 * - `transient`: the platform, a quota or our configuration failed; retried later with backoff.
 *   `maybeDelivered` when no answer came back (a timeout, a broken connection): the platform may have
 *   delivered it.
 */
export type SendFailure =
  | { kind: 'no_consent'; code: string }
  | { kind: 'rejected'; code: string }
  | { kind: 'transient'; code: string; maybeDelivered: boolean };

/** WeChat's answers that refuse the message itself; sending it again cannot succeed. */
const REJECTED: Readonly<Partial<Record<number, string>>> = {
  40003: 'invalid openid',
  40037: 'invalid template id',
  41030: 'invalid page',
  47001: 'data format error',
  47003: 'argument invalid (data)',
};

/** Answers that come back before anything reached WeChat, or WeChat saying it did not deliver. */
const NOT_DELIVERED: ReadonlySet<number> = new Set([
  // WeChat: daily or per-minute quota reached, access token trouble (the platform renews it).
  45009, 45011, 40001, 42001, 40014,
  // wx-server-sdk: API not found, function lacks the openapi permission, call not from a function.
  -604100, -604101, -604104,
  // the platform's request limits
  -501003, -501004,
]);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null
    ? (err as Record<string, unknown>)[name]
    : undefined;
}

/** The error's numeric code: `errCode`, or the number in `errMsg` (`…:fail 43101 user refuse…`). */
export function sendErrorCode(err: unknown): number | undefined {
  const raw = field(err, 'errCode');
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return Number(raw);
  const msg = field(err, 'errMsg');
  const m = typeof msg === 'string' ? /:fail\s+(-?\d+)/.exec(msg) : null;
  return m ? Number(m[1]) : undefined;
}

export function classifySendError(err: unknown): SendFailure {
  const code = sendErrorCode(err);
  // No platform answer at all (a thrown network error): it may have arrived.
  if (code === undefined) return { kind: 'transient', code: 'NO_ANSWER', maybeDelivered: true };
  const name = String(code);
  if (code === 43101) return { kind: 'no_consent', code: name };
  if (REJECTED[code] !== undefined) return { kind: 'rejected', code: name };
  // Everything else is retried a bounded number of times. Unless the answer says nothing went out,
  // assume it may have: -604102 (open API timeout), -604103 and -1 (system errors, WeChat's or the
  // SDK's own failure to get an answer), -501001/-501002, and codes we do not know.
  return { kind: 'transient', code: name, maybeDelivered: !NOT_DELIVERED.has(code) };
}
