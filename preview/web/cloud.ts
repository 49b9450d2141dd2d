/**
 * The local cloud, through the preview server's `/cloud/*` proxy (one origin for the page). Endpoints
 * are described in local-cloud/README.md.
 */
import type { Consent, OutboxMessage, PreviewConfig, Template } from './protocol';

export class CloudError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new CloudError(`${path} → ${res.status}: ${text.slice(0, 200)}`, res.status);
  }
  if (!res.ok) {
    const reason = (body as { error?: string }).error ?? text.slice(0, 200);
    throw new CloudError(`${path} → ${res.status}: ${reason}`, res.status);
  }
  return body as T;
}

function post<T>(path: string, body: unknown): Promise<T> {
  return json<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** What the platform answers `wx.cloud.callFunction`: a result, or an error code and message. */
export interface CallAnswer {
  result?: unknown;
  errCode?: number;
  errMsg?: string;
}

export function callFunction(name: string, data: unknown, openid: string): Promise<CallAnswer> {
  return post<CallAnswer>('/cloud/callFunction', { name, data, openid });
}

export interface Clock {
  now: number;
  iso: string;
  shifted: boolean;
}

export interface FiredTrigger {
  function: string;
  trigger: string;
  scheduledAt: number;
  ok: boolean;
  error?: string;
}

export function getClock(): Promise<Clock> {
  return json<Clock>('/cloud/clock');
}

export function setClock(now: number): Promise<Clock & { fired: FiredTrigger[] }> {
  return post('/cloud/clock', { now });
}

export async function outbox(): Promise<OutboxMessage[]> {
  return (await json<{ messages: OutboxMessage[] }>('/cloud/outbox')).messages;
}

export async function clearOutbox(): Promise<void> {
  await json('/cloud/outbox', { method: 'DELETE' });
}

export async function consents(): Promise<Consent[]> {
  return (await json<{ subscriptions: Consent[] }>('/cloud/subscriptions')).subscriptions;
}

export async function subscribe(openid: string, templateId: string): Promise<void> {
  await post('/cloud/subscriptions', { openid, templateId });
}

/**
 * 人脸核身 2.0 run on `openid`'s phone: the local cloud's emulation checks the face at its camera against
 * the person of `verifyId` (local-cloud/README.md, Real-name checks).
 */
export async function faceCheck(openid: string, verifyId: string): Promise<number> {
  return (await post<{ verifyRet: number }>('/cloud/realname/face', { openid, verifyId }))
    .verifyRet;
}

/** 实名信息校验's consent page agreed to by `openid`: the `code` WeChat returns in `extraData`. */
export async function realNameCode(openid: string): Promise<string> {
  return (await post<{ code: string }>('/cloud/realname/authorize', { openid })).code;
}

export function previewConfig(): Promise<PreviewConfig> {
  return json<PreviewConfig>('/preview/config');
}

/** An outbox message with its template's title and key names, for people to read. */
export interface OutboxMessageView extends OutboxMessage {
  templateTitle: string;
  keyNames: Record<string, string>;
}

let templates: Promise<Template[]> | undefined;

export async function outboxView(): Promise<OutboxMessageView[]> {
  templates ??= previewConfig().then((c) => c.templates);
  const [messages, known] = await Promise.all([outbox(), templates]);
  return messages.map((m) => {
    const t = known.find((k) => k.id === m.templateId);
    return { ...m, templateTitle: t?.title ?? m.templateId, keyNames: t?.keys ?? {} };
  });
}
