/**
 * Subscribe-message data from our values and a template's configuration (settings.templates): which key
 * carries which value is configuration, and every value is cut to its key type's documented limit
 * ("订阅消息参数值内容限制说明": a `thing` is at most 20 characters, a `character_string` 32 printable ASCII
 * characters…) before sending, so a long office name or materials list never makes WeChat refuse the
 * whole message (47003). Pure: no I/O.
 */
import type { TemplateConfig } from '../store/documents/config';

/** A key's type is its name without the trailing number: `thing3` → `thing`. */
export function keyType(key: string): string | undefined {
  return /^([a-z_]+?)\d+$/.exec(key)?.[1];
}

/** Most characters (code points: a 汉字 is one) a value of each length-limited type may have. */
const MAX_CHARS: Partial<Record<string, number>> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  phone_number: 17,
  car_number: 8,
  phrase: 5,
  enum: 20,
};

/** The most characters a value for `key` may have; undefined for types limited by format only. */
export function maxChars(key: string): number | undefined {
  const type = keyType(key);
  if (type === 'name') return undefined; // depends on the script; see fitValue
  return type === undefined ? undefined : MAX_CHARS[type];
}

function cut(value: string, max: number, ellipsis: boolean): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return ellipsis ? `${chars.slice(0, max - 1).join('')}…` : chars.slice(0, max).join('');
}

/**
 * `value` made acceptable for `key` where cutting can do it: text types are cut (with an ellipsis when
 * that keeps them readable), a `character_string` keeps printable ASCII only. Formats (time, date,
 * amount…) are the caller's job; a value still wrong is refused by WeChat with 47003.
 */
export function fitValue(key: string, value: string): string {
  const type = keyType(key);
  const text = value.trim();
  switch (type) {
    case 'thing':
    case 'enum':
      return cut(text, MAX_CHARS[type] ?? 20, true);
    case 'character_string':
      return cut(text.replace(/[^\x20-\x7e]/g, '').trim(), 32, false);
    case 'name':
      return cut(text, /\p{Script=Han}/u.test(text) ? 10 : 20, false);
    case undefined:
      return text;
    default: {
      const max = MAX_CHARS[type];
      return max === undefined ? text : cut(text, max, false);
    }
  }
}

export type TemplateData = Record<string, { value: string }>;

/**
 * The `data` of a message: each configured field's value under its template key, fitted. A configured
 * field we have no value for is left out (WeChat then names the empty key: a configuration error to fix).
 */
export function templateData(
  fields: TemplateConfig['fields'],
  values: Readonly<Partial<Record<string, string>>>,
): TemplateData {
  const data: TemplateData = {};
  for (const [field, key] of Object.entries(fields)) {
    const value = values[field];
    if (key !== undefined && value !== undefined) data[key] = { value: fitValue(key, value) };
  }
  return data;
}

/** `2026-12-02` → `2026年12月2日`: the form WeChat documents for `time` and `date` values. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

/**
 * R7: what to bring, in as few characters as `max` allows: the whole list when it fits
 * (`请携带身份证、驾驶证、行驶证`), otherwise its first items and the count (`请携带身份证、驾驶证等6项材料`).
 */
export function materialsHint(names: readonly string[], max = 20): string {
  if (names.length === 0) return '请按办理须知携带材料';
  const full = `请携带${names.join('、')}`;
  if (Array.from(full).length <= max) return full;
  for (let k = names.length - 1; k >= 1; k -= 1) {
    const text = `请携带${names.slice(0, k).join('、')}等${names.length}项材料`;
    if (Array.from(text).length <= max) return text;
  }
  return `请携带${names.length}项材料`;
}
