/**
 * The local cloud's control endpoints, which the real platform does not have: the emulated clock, the
 * subscribe-message outbox and consents, request statistics.
 */
import type { OutboxMessage, SubscriptionCount } from '../src/openapi/subscribe';
import type { ClockAnswer, ClockSetAnswer, Stats } from '../src/server';
import { getJson, postJson } from './http';
import type { LocalCloud } from './start';

type Cloud = Pick<LocalCloud, 'url'>;

/**
 * Pins the emulated time (it keeps running from there) and waits for the timer triggers that became due
 * (each fired once, for its latest occurrence in the jump). `fireTriggers: false` drops them instead,
 * to set a scene without side effects.
 */
export function setClock(
  cloud: Cloud,
  now: number,
  options: { fireTriggers?: boolean } = {},
): Promise<ClockSetAnswer> {
  return postJson<ClockSetAnswer>(cloud, '/clock', { now, ...options });
}

export async function getClock(cloud: Cloud): Promise<number> {
  return (await getJson<ClockAnswer>(cloud, '/clock')).now;
}

export async function outbox(cloud: Cloud): Promise<OutboxMessage[]> {
  return (await getJson<{ messages: OutboxMessage[] }>(cloud, '/outbox')).messages;
}

export async function clearOutbox(cloud: Cloud): Promise<void> {
  const res = await fetch(`${cloud.url}/outbox`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`DELETE /outbox → ${res.status}`);
}

/** One accepted one-time consent, as `wx.requestSubscribeMessage` grants it; answers the consents left. */
export async function subscribe(cloud: Cloud, openid: string, templateId: string): Promise<number> {
  const answer = await postJson<SubscriptionCount>(cloud, '/subscriptions', { openid, templateId });
  return answer.remaining;
}

export async function subscriptions(cloud: Cloud): Promise<SubscriptionCount[]> {
  return (await getJson<{ subscriptions: SubscriptionCount[] }>(cloud, '/subscriptions'))
    .subscriptions;
}

export function stats(cloud: Cloud): Promise<Stats> {
  return getJson<Stats>(cloud, '/stats');
}

/** China wall-clock time as epoch ms, whatever the test's TZ: `chinaTime('2026-12-01T17:59:00')`. */
export function chinaTime(isoLocal: string): number {
  return Date.parse(`${isoLocal}+08:00`);
}

/**
 * Issue 15, the real-name checks (src/openapi/realname.ts): what WeChat knows of `openid` — its WeChat
 * Pay real name, and whose face is at its camera.
 */
export async function registerRealName(
  cloud: Cloud,
  openid: string,
  person: { name: string; idNumber: string },
): Promise<void> {
  await postJson(cloud, '/realname/identities', { openid, ...person });
}

/** WeChat's 实名信息校验 consent page tapped 同意 by `openid`: the `code` it returns in `extraData`. */
export async function realNameCode(cloud: Cloud, openid: string): Promise<string> {
  return (await postJson<{ code: string }>(cloud, '/realname/authorize', { openid })).code;
}

/** `wx.requestFacialVerify({ verifyId })` run on `openid`'s phone: answers the `verify_ret` it left. */
export async function faceCheck(cloud: Cloud, openid: string, verifyId: string): Promise<number> {
  return (await postJson<{ verifyRet: number }>(cloud, '/realname/face', { openid, verifyId }))
    .verifyRet;
}
