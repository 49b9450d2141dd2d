/**
 * Query translation: what @cloudbase/database sends is already MongoDB's query language (its
 * QuerySerializer flattens nested objects to dotted paths and turns `_.gt(1)` into `{ $gt: 1 }`,
 * `_.neq` into `$ne`, `_.or([...])` into `$or`, a RegExp or `db.RegExp` into a regexp value), once the
 * EJSON wrappers are decoded (`ejson.ts`). So the semantics come from mingo, MongoDB's query language in
 * memory; this file only validates the shapes, refuses server-side JavaScript, and maps mingo's errors
 * to the platform's.
 */
import type { Doc, Value } from './ejson';
import { isPlainObject, setField } from './ejson';
import { DbError, invalidOperator, invalidParam, requestFailed } from './errors';
import { jsonSchemaValidator } from './json-schema';
import { PLATFORM_OPERATORS, Query } from './operators';

/** Operators that would run request-supplied code; the platform has no such thing. */
const SCRIPT_OPERATORS = new Set(['$where', '$function', '$accumulator']);

// mingo's `Options` type sits behind a subpath export that `moduleResolution: node` cannot reach.
type Options = NonNullable<ConstructorParameters<typeof Query>[1]>;

export function mingoOptions(extra: Options = {}): Options {
  return { scriptEnabled: false, context: PLATFORM_OPERATORS, jsonSchemaValidator, ...extra };
}

function refuseScripts(value: Value): void {
  if (Array.isArray(value)) {
    for (const item of value) refuseScripts(item);
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (SCRIPT_OPERATORS.has(key)) throw invalidOperator(`unsupported operator ${key}`);
      refuseScripts(item);
    }
  }
}

/** mingo signals bad operators and arguments with plain Errors; the platform answers them as errors. */
export function mapMingoError(err: unknown): DbError {
  if (err instanceof DbError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/operator/i.test(message)) return invalidOperator(message);
  return requestFailed(message);
}

export type Filter = Doc;

export function toFilter(raw: Value | undefined): Filter {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw invalidParam('query must be an object');
  refuseScripts(raw);
  return raw;
}

export interface Matcher {
  test(doc: Doc): boolean;
}

export function compileFilter(filter: Filter): Matcher {
  try {
    const query = new Query(filter, mingoOptions());
    return {
      test(doc: Doc): boolean {
        try {
          return query.test(doc);
        } catch (err) {
          throw mapMingoError(err);
        }
      },
    };
  } catch (err) {
    throw mapMingoError(err);
  }
}

export type SortSpec = Record<string, 1 | -1>;

export function toSort(raw: Value | undefined): SortSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  let entries: [string, Value][];
  if (isPlainObject(raw)) {
    entries = Object.entries(raw);
  } else if (Array.isArray(raw)) {
    // orderBy() builds an object; a list of { field, direction } is what older clients sent.
    entries = raw.map((item) => {
      if (!isPlainObject(item) || typeof item.field !== 'string') throw invalidParam('bad order');
      return [item.field, item.direction === 'desc' ? -1 : 1];
    });
  } else {
    throw invalidParam('order must be an object');
  }
  const sort: SortSpec = {};
  for (const [field, direction] of entries) {
    if (direction !== 1 && direction !== -1) throw invalidParam(`bad sort direction for ${field}`);
    sort[field] = direction;
  }
  return Object.keys(sort).length > 0 ? sort : undefined;
}

export type Projection = Doc;

export function toProjection(raw: Value | undefined): Projection | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw invalidParam('projection must be an object');
  refuseScripts(raw);
  return Object.keys(raw).length > 0 ? raw : undefined;
}

/** MongoDB keeps a projected document's fields in stored order; mingo moves `_id` last. */
function inStoredOrder(source: Doc, projected: Doc): Doc {
  const out: Doc = {};
  const has = (o: Doc, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
  for (const key of Object.keys(source))
    if (has(projected, key)) setField(out, key, projected[key]);
  for (const key of Object.keys(projected)) if (!has(out, key)) setField(out, key, projected[key]);
  return out;
}

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Projection;
}

/** `docs` in natural order; answers the page the options select. */
export function find(docs: Doc[], filter: Filter, options: FindOptions): Doc[] {
  try {
    const query = new Query(filter, mingoOptions());
    const matched = query.find<Doc>(docs);
    if (options.sort) matched.sort(options.sort);
    if (options.skip) matched.skip(options.skip);
    if (options.limit !== undefined) matched.limit(options.limit);
    const page = matched.all();
    if (!options.projection) return page;
    const projected = new Query({}, mingoOptions()).find<Doc>(page, options.projection).all();
    return page.map((doc, i) => inStoredOrder(doc, projected[i] ?? {}));
  } catch (err) {
    throw mapMingoError(err);
  }
}

export function count(docs: Doc[], filter: Filter): number {
  const matcher = compileFilter(filter);
  let total = 0;
  for (const doc of docs) if (matcher.test(doc)) total++;
  return total;
}
