/**
 * The wire format. @cloudbase/database sends queries, documents and updates as canonical Extended JSON
 * strings (`EJSON.stringify(x, { relaxed: false })`, bson 4.x) and parses the documents it gets back with
 * `EJSON.parse` (relaxed). Inside the database a value is plain JavaScript: numbers (BSON int, long and
 * double all become `number`, as the SDK hands them to functions), strings, booleans, null, `Date`,
 * `RegExp`, arrays and plain objects.
 *
 * `db.serverDate({ offset })` arrives as `{ $tcb_server_date: { offset } }` anywhere in a document, an
 * update or a query, and is resolved here against the emulated clock, once per request, as the server
 * does.
 */
import { invalidParam } from './errors';

export type Value = null | boolean | number | string | Date | RegExp | Value[] | Doc;
export interface Doc {
  [field: string]: Value;
}

/**
 * Sets a field, "__proto__" included: MongoDB allows that name, while a plain assignment would change
 * the object's prototype instead.
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

export function isPlainObject(value: unknown): value is Doc {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A plain object of any realm: the engine's documents come from Node's realm, a test's from its own
 * (whose `Object.prototype` is another object), so the prototype is checked by shape, not identity.
 */
export function isObjectOfAnyRealm(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Parses one EJSON text from a request field. */
export function parseEjson(text: unknown, what: string, now: number): Value {
  if (typeof text !== 'string') throw invalidParam(`${what} must be an EJSON string`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalidParam(`${what} is not valid JSON`);
  }
  return decode(raw, now);
}

const REGEX_FLAGS = new Set(['i', 'm', 's', 'u']);

function toNumber(text: unknown, type: string): number {
  if (typeof text !== 'string' && typeof text !== 'number') throw invalidParam(`bad ${type}`);
  const n = Number(text);
  if (Number.isNaN(n) && text !== 'NaN') throw invalidParam(`bad ${type} ${String(text)}`);
  return n;
}

function decodeDate(inner: unknown, now: number): Date {
  if (typeof inner === 'string') {
    const ms = Date.parse(inner);
    if (Number.isNaN(ms)) throw invalidParam('bad $date');
    return new Date(ms);
  }
  if (typeof inner === 'number') return new Date(inner);
  const n = decode(inner, now);
  if (typeof n !== 'number') throw invalidParam('bad $date');
  return new Date(n);
}

/** The one-key wrappers of Extended JSON; a document whose single key is one of these is a value. */
function decodeWrapper(key: string, inner: unknown, now: number): Value | undefined {
  switch (key) {
    case '$numberInt':
    case '$numberLong':
    case '$numberDouble':
    case '$numberDecimal':
      // Decimal128 has no JavaScript type; the SDK parses it to a number too (relaxed).
      return toNumber(inner, key);
    case '$date':
      return decodeDate(inner, now);
    case '$regularExpression': {
      if (!isPlainObject(inner) || typeof inner.pattern !== 'string')
        throw invalidParam('bad regexp');
      const options = typeof inner.options === 'string' ? inner.options : '';
      for (const flag of options) {
        if (!REGEX_FLAGS.has(flag)) throw invalidParam(`unsupported regexp option ${flag}`);
      }
      try {
        return new RegExp(inner.pattern, options);
      } catch {
        throw invalidParam('bad regexp pattern');
      }
    }
    case '$oid':
      // Documents made through the SDK have string ids; an ObjectId is kept as its hex string.
      if (typeof inner !== 'string') throw invalidParam('bad $oid');
      return inner;
    case '$undefined':
      return null;
    case '$tcb_server_date': {
      const spec = decode(inner, now);
      const offset = isPlainObject(spec) && typeof spec.offset === 'number' ? spec.offset : 0;
      return new Date(now + offset);
    }
    case '$binary':
    case '$timestamp':
    case '$minKey':
    case '$maxKey':
    case '$symbol':
    case '$code':
    case '$dbPointer':
    case '$uuid':
      throw invalidParam(`the local cloud does not support the BSON type ${key}`);
    default:
      return undefined;
  }
}

export function decode(raw: unknown, now: number): Value {
  if (raw === null || typeof raw === 'boolean' || typeof raw === 'string') return raw;
  if (typeof raw === 'number') return raw;
  // Imported fixtures may hold real Dates and RegExps rather than their EJSON wrappers.
  if (raw instanceof Date) return new Date(raw.getTime());
  if (raw instanceof RegExp) return new RegExp(raw.source, raw.flags);
  if (Array.isArray(raw)) return raw.map((item) => decode(item, now));
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    if (keys.length === 1 && keys[0]?.startsWith('$')) {
      const wrapped = decodeWrapper(keys[0], raw[keys[0]], now);
      if (wrapped !== undefined) return wrapped;
    }
    const out: Doc = {};
    for (const key of keys) setField(out, key, decode(raw[key], now));
    return out;
  }
  throw invalidParam('unexpected value in request');
}

/**
 * To the JSON the SDK's relaxed `EJSON.parse` turns back into the same JavaScript values (dates and
 * non-finite numbers need wrappers; plain numbers stay plain). Also the storage format.
 */
export function toEjson(value: Value): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $numberDouble: Object.is(value, -0) ? '-0.0' : String(value) };
  }
  if (value instanceof Date) return { $date: { $numberLong: String(value.getTime()) } };
  if (value instanceof RegExp) {
    return { $regularExpression: { pattern: value.source, options: value.flags } };
  }
  if (Array.isArray(value)) return value.map(toEjson);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setField(out, key, toEjson(item));
  return out;
}

export function stringifyEjson(value: Value): string {
  return JSON.stringify(toEjson(value));
}

/** Deep copy of a value (documents in the state are never mutated in place). */
export function clone<T extends Value>(value: T): T {
  return structuredClone(value);
}
