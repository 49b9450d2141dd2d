/**
 * `$jsonSchema` (`_.jsonSchema(schema)` in @cloudbase/database): MongoDB's JSON Schema, draft 4 with
 * `bsonType` and without `$ref`, `$schema`, `default`, `definitions`, `format` and `id` (MongoDB refuses
 * those; so do we). mingo runs the operator only with a validator, which this is. The keywords and their
 * meaning follow MongoDB's "$jsonSchema" reference ("JSON Schema omissions", "Available keywords").
 */
import { isPlainObject } from './ejson';
import { invalidOperator } from './errors';

type Schema = Record<string, unknown>;

const UNSUPPORTED = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);
const KNOWN = new Set([
  'bsonType',
  'type',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'dependencies',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'items',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'title',
  'description',
]);

/** The BSON type names a stored value answers to (numbers: int for 32-bit integers, long, double). */
function bsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (value instanceof Date) return ['date'];
  if (value instanceof RegExp) return ['regex'];
  switch (typeof value) {
    case 'string':
      return ['string'];
    case 'boolean':
      return ['bool'];
    case 'number':
      if (Number.isInteger(value))
        return Math.abs(value) <= 2 ** 31 - 1 ? ['int', 'number'] : ['long', 'number'];
      return ['double', 'number'];
    default:
      return isPlainObject(value) ? ['object'] : [];
  }
}

/** The JSON Schema `type` names (MongoDB has no "integer"). */
function jsonTypes(value: unknown): string[] {
  const bson = bsonTypes(value);
  if (bson.includes('number')) return ['number'];
  if (bson.includes('bool')) return ['boolean'];
  return bson.filter((t) => ['null', 'array', 'object', 'string'].includes(t));
}

function names(spec: unknown): string[] {
  return (Array.isArray(spec) ? spec : [spec]).filter((x): x is string => typeof x === 'string');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function num(schema: Schema, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' ? v : undefined;
}

function check(schema: unknown, value: unknown): boolean {
  if (!isPlainObject(schema)) throw invalidOperator('$jsonSchema: a schema must be an object');
  for (const key of Object.keys(schema)) {
    if (UNSUPPORTED.has(key))
      throw invalidOperator(`$jsonSchema keyword '${key}' is not currently supported`);
    if (!KNOWN.has(key)) throw invalidOperator(`Unknown $jsonSchema keyword: ${key}`);
  }
  const s: Schema = schema;
  if (s.bsonType !== undefined && !names(s.bsonType).some((t) => bsonTypes(value).includes(t)))
    return false;
  if (s.type !== undefined && !names(s.type).some((t) => jsonTypes(value).includes(t)))
    return false;
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) return false;
  for (const sub of Array.isArray(s.allOf) ? s.allOf : []) if (!check(sub, value)) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => check(sub, value))) return false;
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => check(sub, value)).length !== 1)
    return false;
  if (s.not !== undefined && check(s.not, value)) return false;

  if (typeof value === 'number') {
    const min = num(s, 'minimum');
    const max = num(s, 'maximum');
    if (min !== undefined && (s.exclusiveMinimum === true ? value <= min : value < min))
      return false;
    if (max !== undefined && (s.exclusiveMaximum === true ? value >= max : value > max))
      return false;
    const step = num(s, 'multipleOf');
    if (step !== undefined && step > 0 && Math.abs(value / step - Math.round(value / step)) > 1e-9)
      return false;
  }
  if (typeof value === 'string') {
    const length = Array.from(value).length;
    const minLength = num(s, 'minLength');
    const maxLength = num(s, 'maxLength');
    if (minLength !== undefined && length < minLength) return false;
    if (maxLength !== undefined && length > maxLength) return false;
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) return false;
  }
  if (Array.isArray(value)) {
    const minItems = num(s, 'minItems');
    const maxItems = num(s, 'maxItems');
    if (minItems !== undefined && value.length < minItems) return false;
    if (maxItems !== undefined && value.length > maxItems) return false;
    if (
      s.uniqueItems === true &&
      value.some((x, i) => value.slice(i + 1).some((y) => deepEqual(x, y)))
    )
      return false;
    if (Array.isArray(s.items)) {
      const tuple = s.items;
      if (!tuple.every((sub, i) => i >= value.length || check(sub, value[i]))) return false;
      const rest = value.slice(tuple.length);
      if (s.additionalItems === false && rest.length > 0) return false;
      if (isPlainObject(s.additionalItems) && !rest.every((x) => check(s.additionalItems, x)))
        return false;
    } else if (s.items !== undefined && !value.every((x) => check(s.items, x))) return false;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const minProperties = num(s, 'minProperties');
    const maxProperties = num(s, 'maxProperties');
    if (minProperties !== undefined && keys.length < minProperties) return false;
    if (maxProperties !== undefined && keys.length > maxProperties) return false;
    if (Array.isArray(s.required) && !names(s.required).every((k) => keys.includes(k)))
      return false;
    const properties = isPlainObject(s.properties) ? s.properties : {};
    const patterns = isPlainObject(s.patternProperties)
      ? Object.entries(s.patternProperties).map(([p, sub]) => [new RegExp(p, 'u'), sub] as const)
      : [];
    for (const key of keys) {
      let covered = false;
      if (Object.prototype.hasOwnProperty.call(properties, key)) {
        covered = true;
        if (!check(properties[key], value[key])) return false;
      }
      for (const [re, sub] of patterns) {
        if (re.test(key)) {
          covered = true;
          if (!check(sub, value[key])) return false;
        }
      }
      if (!covered) {
        if (s.additionalProperties === false) return false;
        if (isPlainObject(s.additionalProperties) && !check(s.additionalProperties, value[key]))
          return false;
      }
    }
    if (isPlainObject(s.dependencies)) {
      for (const [key, dep] of Object.entries(s.dependencies)) {
        if (!keys.includes(key)) continue;
        if (Array.isArray(dep) ? !names(dep).every((k) => keys.includes(k)) : !check(dep, value))
          return false;
      }
    }
  }
  return true;
}

/** mingo's `jsonSchemaValidator`: a schema → a predicate on documents. */
export function jsonSchemaValidator(schema: Record<string, unknown>): (doc: unknown) => boolean {
  // Checked once up front, so that a bad schema is refused even on an empty collection.
  check(schema, undefined);
  return (doc) => check(schema, doc);
}
