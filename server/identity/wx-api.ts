/**
 * WeChat's server API (api.weixin.qq.com) for the two real-name facilities, which are NOT callable by
 * 云调用 (their documentation says "本接口不支持云调用"): a plain HTTPS call with an access token. The
 * token comes from `cgi-bin/stable_token` with the mini program's app id and secret (the function's
 * `WX_APPID` — the platform's `APPID` — and `WX_APP_SECRET`, set in the cloud console), and is kept per
 * warm instance until a few minutes before it expires. `WX_API_BASE` points the same code at the local
 * cloud's emulation (local-cloud/README.md, "Real-name checks").
 */

const DEFAULT_BASE = 'https://api.weixin.qq.com';
/** Renewed this long before WeChat says it expires. */
const MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 5_000;

/** A failure to reach WeChat or an errcode it answered: the caller says VERIFY.FAILED, never the detail. */
export class WxApiError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

function base(): string {
  return (process.env.WX_API_BASE ?? DEFAULT_BASE).replace(/\/$/, '');
}

let token: { value: string; until: number; base: string } | undefined;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new WxApiError(-1, `HTTP ${res.status}`);
  const answer: unknown = await res.json();
  if (typeof answer !== 'object' || answer === null) throw new WxApiError(-1, 'not an object');
  return answer as Record<string, unknown>;
}

async function accessToken(now: number, refresh: boolean): Promise<string> {
  if (!refresh && token && token.base === base() && now < token.until) return token.value;
  const appid = process.env.WX_APPID;
  const secret = process.env.WX_APP_SECRET;
  if (!appid || !secret) throw new WxApiError(-1, 'WX_APPID / WX_APP_SECRET not configured');
  const answer = await post('/cgi-bin/stable_token', {
    grant_type: 'client_credential',
    appid,
    secret,
    ...(refresh ? { force_refresh: true } : {}),
  });
  const value = answer.access_token;
  const expires = answer.expires_in;
  if (typeof value !== 'string' || typeof expires !== 'number') {
    throw new WxApiError(Number(answer.errcode ?? -1), 'no access token');
  }
  token = { value, until: now + expires * 1000 - MARGIN_MS, base: base() };
  return value;
}

/** errcodes meaning the token is no longer valid (40001 invalid, 42001 expired, 40014 not a token). */
const STALE_TOKEN = new Set([40001, 40014, 42001]);

/** POSTs `body` to `path` with the access token; answers WeChat's JSON when `errcode` is 0. */
export async function wxApi(
  path: string,
  body: unknown,
  now: number,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt += 1) {
    const value = await accessToken(now, attempt > 0);
    const answer = await post(`${path}?access_token=${encodeURIComponent(value)}`, body);
    const errcode = Number(answer.errcode ?? 0);
    if (errcode === 0) return answer;
    if (STALE_TOKEN.has(errcode) && attempt === 0) continue;
    throw new WxApiError(errcode, typeof answer.errmsg === 'string' ? answer.errmsg : '');
  }
}
