/**
 * Reading by index, as the platform's database does: the documents a filter can match, found through the
 * declared indexes instead of testing every document of the collection (issue 16: at the city's midnight
 * the local cloud's main thread spent most of its time in mingo testing every booking against each
 * booking's day read, a cost the platform's database does not have).
 *
 * Each declared index (`server/database/schema.json`, unique or not) gives equality lookups on its first
 * field and on its first two fields (`EqualityIndex`). `candidates` answers a SUPERSET of the documents
 * `filter` matches, or undefined when no index applies (the caller then tests every document); the caller
 * still runs the whole filter on what it answers, so an answer never depends on the plan, only its cost.
 *
 * What a plan uses, each a superset of what it stands for:
 * - `_id` equal to a string or a number (or `$in` of them): those documents;
 * - an index's fields each equal to a string, number or boolean (or `$in`/`$eq` of them): the documents
 *   holding those values, an array field by any element (MongoDB's equality on an array field);
 * - `$or`: the union of its branches' plans, when every branch has one;
 * - any other condition of the same object, or of an `$and`, only narrows: the smallest plan among them
 *   stands for all.
 */
import { type IdKey, idKeyOf } from './ids';
import { type Doc, isObjectOfAnyRealm, type Value } from './ejson';
import { canonical, pathValues } from './indexes';

/** At most this many value combinations are looked up for one index (`$in` × `$in`); more: no plan. */
const MAX_COMBINATIONS = 256;

const SEPARATOR = '\u0001';

/**
 * The key texts of every combination of one value per list (a document's values of an index's fields, or
 * the values a filter allows for them), or undefined when there are more than `max`.
 */
function combinations(lists: (Value | undefined)[][], max = Infinity): string[] | undefined {
  let keys = [''];
  for (const [i, list] of lists.entries()) {
    const parts = [...new Set(list.map((v) => canonical(v)))];
    keys = keys.flatMap((k) => parts.map((p) => (i === 0 ? p : `${k}${SEPARATOR}${p}`)));
    if (keys.length > max) return undefined;
  }
  return keys;
}

/** Equality lookups on one or two top-level fields: key text → the id keys of the documents holding it. */
export class EqualityIndex {
  private readonly holders = new Map<string, Set<IdKey>>();

  constructor(readonly fields: string[]) {}

  private keys(doc: Doc): string[] {
    return combinations(this.fields.map((field) => pathValues(doc, field))) ?? [];
  }

  add(idKey: IdKey, doc: Doc): void {
    for (const key of this.keys(doc)) {
      let set = this.holders.get(key);
      if (!set) this.holders.set(key, (set = new Set()));
      set.add(idKey);
    }
  }

  remove(idKey: IdKey, doc: Doc): void {
    for (const key of this.keys(doc)) {
      const set = this.holders.get(key);
      set?.delete(idKey);
      if (set?.size === 0) this.holders.delete(key);
    }
  }

  /** The holders of any of these value combinations (one value list per field). */
  lookup(values: Value[][]): Set<IdKey> | undefined {
    const keys = combinations(values, MAX_COMBINATIONS);
    if (!keys) return undefined;
    const out = new Set<IdKey>();
    for (const key of keys) for (const id of this.holders.get(key) ?? []) out.add(id);
    return out;
  }
}

/** The lookups a collection keeps for its declared indexes: the first field, and the first two. */
export function equalityPrefixes(indexes: { fields: string[] }[]): string[][] {
  const out = new Map<string, string[]>();
  for (const { fields } of indexes) {
    for (const length of [1, 2]) {
      const prefix = fields.slice(0, length);
      // A path (`a.b`) is left to mingo: equality through arrays of sub-documents is not this simple.
      if (prefix.length === length && prefix.every((f) => !f.includes('.') && f !== '_id'))
        out.set(prefix.join(SEPARATOR), prefix);
    }
  }
  return [...out.values()];
}

const isEqualityValue = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'boolean';

/** The values a condition on one field allows by equality, or undefined when it is not that. */
function equalValues(condition: unknown): (string | number | boolean)[] | undefined {
  if (isEqualityValue(condition)) return [condition];
  if (!isObjectOfAnyRealm(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq' && isEqualityValue(condition.$eq)) return [condition.$eq];
  if (keys[0] === '$in' && Array.isArray(condition.$in) && condition.$in.every(isEqualityValue))
    return condition.$in;
  return undefined;
}

/** Where the planner reads a collection's indexes. */
export interface Indexed {
  readonly lookups: readonly EqualityIndex[];
}

/** The id keys of a superset of the documents `filter` matches, or undefined (no index applies). */
export function candidates(filter: unknown, indexed: Indexed): Set<IdKey> | undefined {
  if (!isObjectOfAnyRealm(filter)) return undefined;
  const plans: Set<IdKey>[] = [];
  if ('_id' in filter) {
    const ids = equalValues(filter._id)?.filter((id) => typeof id !== 'boolean');
    // A boolean never equals an `_id` (strings and numbers only): no document, an empty plan.
    if (ids) plans.push(new Set(ids.map((id) => idKeyOf(id))));
  }
  if (Array.isArray(filter.$or)) {
    const union = new Set<IdKey>();
    let planned = filter.$or.length > 0;
    for (const branch of filter.$or as unknown[]) {
      const plan = candidates(branch, indexed);
      if (!plan) {
        planned = false;
        break;
      }
      for (const id of plan) union.add(id);
    }
    if (planned) plans.push(union);
  }
  if (Array.isArray(filter.$and)) {
    for (const part of filter.$and as unknown[]) {
      const plan = candidates(part, indexed);
      if (plan) plans.push(plan);
    }
  }
  for (const index of indexed.lookups) {
    const values: Value[][] = [];
    for (const field of index.fields) {
      const allowed = Object.prototype.hasOwnProperty.call(filter, field)
        ? equalValues(filter[field])
        : undefined;
      if (!allowed) break;
      values.push(allowed);
    }
    if (values.length !== index.fields.length) continue;
    const plan = index.lookup(values);
    if (plan) plans.push(plan);
  }
  if (plans.length === 0) return undefined;
  return plans.reduce((best, plan) => (plan.size < best.size ? plan : best));
}
