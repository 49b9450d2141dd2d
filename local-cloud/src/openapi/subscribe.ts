/**
 * `subscribeMessage.send` as WeChat answers it, with an outbox instead of a phone. A one-time consent
 * (what `wx.requestSubscribeMessage` grants when the user taps 允许) allows exactly one message of that
 * template to that user; templates and their keys come from `local-cloud/templates.json`.
 *
 * Error codes and messages follow the documentation of subscribeMessage.send (developers.weixin.qq.com,
 * "errcode 的合法值"): 40003 bad touser, 40037 bad template id, 43101 no consent, 47003 bad data (with
 * the key named in errmsg, e.g. `argument invalid! data.thing1.value is empty`).
 *
 * With a data directory the consents and the outbox are one JSON file, rewritten whole on each change
 * before the change is acknowledged: to a temporary file beside it, fsynced, renamed over the old one,
 * the directory fsynced. A `kill -9` at any moment leaves the old file or the new one, never a cut one;
 * a temporary file it left behind is removed on the next start
 * (test/local-cloud/runtime-openapi-crash.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';

/** Value types of template keys; a key's type is its name without the trailing number (`thing3`). */
export const VALUE_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
  'enum',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface Template {
  id: string;
  title: string;
  /** key → label, e.g. `{ "thing3": "办理地点" }` */
  keys: Record<string, string>;
}

export interface OutboxMessage {
  msgid: string;
  touser: string;
  templateId: string;
  page?: string;
  miniprogramState: string;
  lang: string;
  data: Record<string, { value: string }>;
  /** Emulated time of sending (epoch ms). */
  sentAt: number;
  /** The cloud function that sent it. */
  function: string;
}

export interface SubscriptionCount {
  openid: string;
  templateId: string;
  remaining: number;
}

export interface WxAnswer {
  errcode: number;
  errmsg: string;
  msgid?: string;
}

export class TemplateConfigError extends Error {}

export function keyType(key: string): ValueType | undefined {
  const match = /^([a-z_]+?)(\d+)$/.exec(key);
  const type = match?.[1];
  return VALUE_TYPES.find((t) => t === type);
}

export function loadTemplates(file: string): Template[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TemplateConfigError(`cannot read templates from ${file}: ${(err as Error).message}`);
  }
  const list = (parsed as { templates?: unknown }).templates;
  if (!Array.isArray(list)) throw new TemplateConfigError(`${file}: "templates" must be an array`);
  return list.map((raw: unknown, i) => {
    const t = raw as Partial<Template>;
    if (typeof t.id !== 'string' || t.id === '' || typeof t.keys !== 'object') {
      throw new TemplateConfigError(`${file}: templates[${i}] needs a string "id" and "keys"`);
    }
    for (const key of Object.keys(t.keys)) {
      if (!keyType(key)) {
        throw new TemplateConfigError(
          `${file}: template ${t.id} key "${key}" is not <type><number> with a known type (${VALUE_TYPES.join(', ')})`,
        );
      }
    }
    return { id: t.id, title: typeof t.title === 'string' ? t.title : '', keys: t.keys };
  });
}

const HAN = /^\p{Script=Han}+$/u;
const DATE_PART = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})`;
const TIME_PART = String.raw`([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?`;
const TIME_RE = new RegExp(`^(${DATE_PART}\\s*)?${TIME_PART}$`);
const DATE_RE = new RegExp(`^${DATE_PART}(\\s*${TIME_PART})?$`);

/** Either one value or a period "a~b", as WeChat allows for time and date. */
function oneOrRange(value: string, re: RegExp): boolean {
  const parts = value.split('~').map((p) => p.trim());
  return parts.length <= 2 && parts.every((p) => re.test(p));
}

/** The documented limits per value type ("订阅消息参数值内容限制说明"); lengths count characters. */
export function validValue(type: ValueType, value: string): boolean {
  // WeChat's limits count characters (a 汉字 is one), i.e. code points, not UTF-16 units.
  let length = 0;
  for (const _ of value) length++;
  switch (type) {
    case 'thing':
      return length <= 20;
    case 'number':
      return length <= 32 && /^-?\d+(\.\d+)?$/.test(value);
    case 'letter':
      return length <= 32 && /^[A-Za-z]+$/.test(value);
    case 'symbol':
      return length <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value);
    case 'character_string':
      return length <= 32 && /^[\x20-\x7e]+$/.test(value);
    case 'time':
      return oneOrRange(value, TIME_RE);
    case 'date':
      return oneOrRange(value, DATE_RE);
    case 'amount':
      return /^[^\d\s.]?\d{1,10}(\.\d+)?元?$/.test(value);
    case 'phone_number':
      return length <= 17 && /^[\d+\-() ]+$/.test(value);
    case 'car_number':
      return (
        length <= 8 &&
        /^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*[\p{Script=Han}A-Za-z0-9]?$/u.test(value)
      );
    case 'name':
      return /\p{Script=Han}/u.test(value) ? length <= 10 : length <= 20;
    case 'phrase':
      return length <= 5 && HAN.test(value);
    case 'enum':
      return length <= 20;
  }
}

interface Persisted {
  consents: SubscriptionCount[];
  outbox: OutboxMessage[];
}

function rid(): string {
  return randomUUID().slice(0, 8);
}

/** `<file>.<random>.tmp`: a rewrite under way, or one a kill cut short. */
function isTemporaryOf(file: string, name: string): boolean {
  const base = path.basename(file);
  return name.startsWith(`${base}.`) && name.endsWith('.tmp');
}

/**
 * Replaces `file` with `text` whole or not at all, durably: a temporary file in the same directory,
 * fsynced, renamed over `file` (atomic on POSIX), then the directory fsynced so the rename survives too.
 */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

/** Temporary files a kill left: never acknowledged (the rename comes before the answer), so dropped. */
function removeLeftovers(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (isTemporaryOf(file, name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

export class SubscribeMessages {
  private readonly templates: Map<string, Template>;
  private readonly consents = new Map<string, SubscriptionCount>();
  private messages: OutboxMessage[] = [];

  /** `file`: where consents and the outbox survive restarts; absent in memory mode. */
  constructor(
    templates: Template[],
    private readonly file?: string,
  ) {
    this.templates = new Map(templates.map((t) => [t.id, t]));
    if (file) removeLeftovers(file);
    if (file && fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Persisted;
      for (const c of saved.consents) this.consents.set(this.key(c.openid, c.templateId), c);
      this.messages = saved.outbox;
    }
  }

  private key(openid: string, templateId: string): string {
    return `${openid}\u0000${templateId}`;
  }

  private save(): void {
    if (!this.file) return;
    const state: Persisted = { consents: [...this.consents.values()], outbox: this.messages };
    writeWhole(this.file, JSON.stringify(state));
  }

  hasTemplate(id: string): boolean {
    return this.templates.has(id);
  }

  /** Records one accepted one-time consent; answers how many are now unused. */
  consent(openid: string, templateId: string): SubscriptionCount {
    const k = this.key(openid, templateId);
    const entry = this.consents.get(k) ?? { openid, templateId, remaining: 0 };
    entry.remaining += 1;
    this.consents.set(k, entry);
    this.save();
    return { ...entry };
  }

  subscriptions(): SubscriptionCount[] {
    return [...this.consents.values()].filter((c) => c.remaining > 0).map((c) => ({ ...c }));
  }

  outbox(): OutboxMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  clearOutbox(): number {
    const n = this.messages.length;
    this.messages = [];
    this.save();
    return n;
  }

  /**
   * `params` are the API's parameters as the SDK sent them (snake_case). Checks run in this order: touser,
   * template, data, consent; a consent is used up only by a message actually sent.
   */
  send(params: Record<string, unknown>, caller: string, now: number): WxAnswer {
    const touser = params.touser;
    if (typeof touser !== 'string' || touser.trim() === '') {
      return { errcode: 40003, errmsg: `invalid openid rid: ${rid()}` };
    }
    const templateId = params.template_id;
    const template = typeof templateId === 'string' ? this.templates.get(templateId) : undefined;
    if (!template || typeof templateId !== 'string') {
      return { errcode: 40037, errmsg: `invalid template id rid: ${rid()}` };
    }
    const data = params.data;
    const given =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const clean: Record<string, { value: string }> = {};
    for (const key of Object.keys(template.keys)) {
      const entry = given[key];
      const raw =
        typeof entry === 'object' && entry !== null
          ? (entry as { value?: unknown }).value
          : undefined;
      const value = typeof raw === 'number' ? String(raw) : raw;
      if (typeof value !== 'string' || value === '') {
        return {
          errcode: 47003,
          errmsg: `argument invalid! data.${key}.value is empty rid: ${rid()}`,
        };
      }
      const type = keyType(key) as ValueType;
      if (!validValue(type, value)) {
        return {
          errcode: 47003,
          errmsg: `argument invalid! data.${key}.value invalid rid: ${rid()}`,
        };
      }
      clean[key] = { value };
    }
    const state = params.miniprogram_state ?? 'formal';
    if (state !== 'developer' && state !== 'trial' && state !== 'formal') {
      return {
        errcode: 47003,
        errmsg: `argument invalid! miniprogram_state invalid rid: ${rid()}`,
      };
    }
    const consent = this.consents.get(this.key(touser, templateId));
    if (!consent || consent.remaining < 1) {
      return { errcode: 43101, errmsg: `user refuse to accept the msg rid: ${rid()}` };
    }
    consent.remaining -= 1;
    const msgid = String(now * 1000 + Math.floor(Math.random() * 1000));
    this.messages.push({
      msgid,
      touser,
      templateId,
      ...(typeof params.page === 'string' ? { page: params.page } : {}),
      miniprogramState: state,
      lang: typeof params.lang === 'string' ? params.lang : 'zh_CN',
      data: clean,
      sentAt: now,
      function: caller,
    });
    this.save();
    return { errcode: 0, errmsg: 'ok', msgid };
  }
}
