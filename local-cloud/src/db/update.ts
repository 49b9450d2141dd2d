/**
 * Update translation. `doc.update` / `where().update` arrive as MongoDB update documents: the SDK's
 * UpdateSerializer turns plain fields into `$set` on dotted paths and `_.inc(1)` into `$inc`,
 * `_.remove()` into `$unset`, `_.push`/`_.unshift` into `$push` (with `$each`/`$position`), `_.shift`
 * and `_.pop` into `$pop`, `_.pull`/`_.pullAll`/`_.addToSet`/`_.mul`/`_.min`/`_.max`/`_.rename` into
 * their MongoDB namesakes. mingo's updater applies them; `doc.set` is a replacement, not an update.
 */
import { update as mingoUpdate } from 'mingo';
import type { Doc, Value } from './ejson';
import { clone, isPlainObject, setField } from './ejson';
import { invalidOperator, invalidParam, requestFailed } from './errors';
import { mapMingoError, mingoOptions, type Filter } from './query';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$currentDate',
]);

export type UpdateSpec = Partial<Record<string, Doc>>;

function touchesId(path: string): boolean {
  return path === '_id' || path.startsWith('_id.');
}

export function toUpdate(raw: Value): UpdateSpec {
  if (!isPlainObject(raw)) throw invalidParam('update data must be an object');
  const spec: UpdateSpec = {};
  for (const [op, fields] of Object.entries(raw)) {
    if (!op.startsWith('$')) {
      throw invalidParam(`update data mixes fields and operators (${op}); use set() to replace`);
    }
    if (!OPERATORS.has(op)) throw invalidOperator(`unknown update operator ${op}`);
    if (!isPlainObject(fields)) throw invalidParam(`${op} takes an object`);
    for (const [path, target] of Object.entries(fields)) {
      if (
        touchesId(path) ||
        (op === '$rename' && typeof target === 'string' && touchesId(target))
      ) {
        throw requestFailed(
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
    }
    spec[op] = fields;
  }
  return spec;
}

/** The value at a dotted path (array indexes allowed); undefined when absent or behind a positional. */
function valueAt(doc: Doc, path: string): Value | undefined {
  let current: Value | undefined = doc;
  for (const part of path.split('.')) {
    if (part.startsWith('$')) return undefined;
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isPlainObject(current)) current = current[part];
    else return undefined;
  }
  return current;
}

const NUMERIC = new Set(['$inc', '$mul']);
const ARRAY = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

/**
 * MongoDB refuses an arithmetic or array operator on a field of the wrong type (TypeMismatch); mingo
 * silently skips it, which would report success for a write that did nothing.
 */
function checkTypes(doc: Doc, spec: UpdateSpec): void {
  for (const [op, fields] of Object.entries(spec)) {
    if (!fields || (!NUMERIC.has(op) && !ARRAY.has(op))) continue;
    for (const [path, operand] of Object.entries(fields)) {
      const current = valueAt(doc, path);
      if (current === undefined) continue;
      if (NUMERIC.has(op)) {
        if (typeof operand !== 'number')
          throw requestFailed(`Cannot ${op} with non-numeric argument`);
        if (typeof current !== 'number') {
          throw requestFailed(
            `Cannot apply ${op} to a value of non-numeric type (field '${path}')`,
          );
        }
      } else if (!Array.isArray(current)) {
        throw requestFailed(`Cannot apply ${op} to a non-array value (field '${path}')`);
      }
    }
  }
}

/**
 * The document after the update (a new object; `doc` is untouched). `$currentDate` takes the emulated
 * time, like `db.serverDate()`. `filter` is the query that selected the document, for `$` paths.
 */
export function applyUpdate(doc: Doc, spec: UpdateSpec, now: number, filter?: Filter): Doc {
  checkTypes(doc, spec);
  const next = clone(doc);
  const { $currentDate, ...rest } = spec;
  const modifier: UpdateSpec = { ...rest };
  if ($currentDate) {
    const set: Doc = { ...(modifier.$set ?? {}) };
    for (const path of Object.keys($currentDate)) set[path] = new Date(now);
    modifier.$set = set;
  }
  try {
    mingoUpdate(next, modifier, undefined, filter, {
      cloneMode: 'deep',
      queryOptions: mingoOptions(),
    });
  } catch (err) {
    throw mapMingoError(err);
  }
  return next;
}

/** `doc(id).set(data)`: the whole document becomes `data`, keeping its `_id`. */
export function replacement(id: string | number, raw: Value): Doc {
  if (!isPlainObject(raw)) throw invalidParam('set data must be an object');
  const doc: Doc = { _id: id };
  for (const [field, value] of Object.entries(raw)) {
    if (field.startsWith('$')) throw invalidParam(`set data cannot hold the operator ${field}`);
    if (field === '_id') {
      if (value !== id) {
        throw requestFailed(
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
      continue;
    }
    setField(doc, field, value);
  }
  return doc;
}
