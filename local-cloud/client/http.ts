/** The local cloud's HTTP face as a client sees it: JSON requests and the mini program's `callFunction`. */
import type { InvokeOutcome } from '../src/runtime/types';
import type { LocalCloud } from './start';

export async function postJson<T>(
  cloud: Pick<LocalCloud, 'url'>,
  route: string,
  body: unknown,
): Promise<T> {
  const res = await fetch(`${cloud.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function getJson<T>(cloud: Pick<LocalCloud, 'url'>, route: string): Promise<T> {
  const res = await fetch(`${cloud.url}${route}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * What `wx.cloud.callFunction({ name, data })` does from the mini program of the user `openid`: answers
 * `{ result }` or the platform's `{ errCode, errMsg }`.
 */
export function callFunction(
  cloud: Pick<LocalCloud, 'url'>,
  name: string,
  data: unknown,
  openid?: string,
): Promise<InvokeOutcome> {
  return postJson<InvokeOutcome>(cloud, '/callFunction', { name, data, openid });
}
