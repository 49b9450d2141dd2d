// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient declarations, no module to import
/// <reference path="./mingo-internals.d.ts" />
/**
 * Where mingo 7.2.7 differs from MongoDB (the platform's database), our operators replace or add its own;
 * `mingoOptions()` hands them to every query and pipeline. Each names the MongoDB behaviour it follows
 * (found by running Tencent's node-sdk database suite against the local cloud, issue 16):
 * - `$elemMatch` with a sub-document filter (`{ x: 1 }`, `{ $or: … }`) matches documents in the array
 *   only; mingo read a field path on a plain value as the value, so `[1, 2]` matched `{ x: { $gt: 0 } }`.
 * - `$week`: weeks begin on Sunday; days before the year's first Sunday are week 0 (strftime's `%U`);
 *   mingo computed it from the ISO week.
 * - `$indexOfCP`: the code-point index of a substring, or -1 (missing from mingo).
 * - `$substr`/`$substrBytes`: a negative length means the rest of the string; mingo refused it.
 * - `$project` of a field named like a property of `Object.prototype` (`toString`) answers the stored
 *   value; mingo answered the inherited function.
 *
 * `$project` and `$lookup` are replaced for speed too (see each): `$project` of plain top-level fields
 * (`{ a: true, b: 1 }`, with `_id` kept or left out), the shape of every projection the functions send,
 * copies those fields directly; mingo resolved each field of each document through its general path machinery, which made
 * a booking's one-request read of its day about 2 ms of the local cloud's main thread (issue 16). The
 * answer is the same object mingo builds, field order included (test/local-cloud/db-project.test.ts
 * compares them); any other projection is mingo's.
 */
import { Context } from 'mingo';
import { evalExpr } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Lazy } from 'mingo/lazy';
import { isObjectOfAnyRealm } from './ejson';

// The classes without mingo's main-entry wrapper: that one merges its own operators OVER a given context.
export { Aggregator } from 'mingo/aggregator';
export { Query } from 'mingo/query';

type ExpressionOperator = (obj: unknown, expr: unknown, options: unknown) => unknown;
type QueryOperator = (
  selector: string,
  value: unknown,
  options: unknown,
) => (o: unknown) => boolean;
const mingoElemMatch = queryOps.$elemMatch as unknown as QueryOperator;
const mingoSubstrBytes = expressionOps.$substrBytes as unknown as ExpressionOperator;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * MongoDB reads `$elemMatch`'s argument as a filter on each element's fields when it names a field or
 * uses a top-level logical operator; otherwise (`{ $gt: 1 }`) as conditions on the element itself.
 */
function isDocumentFilter(criteria: Record<string, unknown>): boolean {
  return Object.keys(criteria).some(
    (key) => !key.startsWith('$') || key === '$and' || key === '$or' || key === '$nor',
  );
}

const $elemMatch = (
  selector: string,
  value: unknown,
  options: unknown,
): ((o: unknown) => boolean) => {
  if (!isPlainObject(value) || !isDocumentFilter(value)) {
    return mingoElemMatch(selector, value, options);
  }
  // A document filter matches documents only: a number, a string or an array element never does.
  const documentsOnly = {
    $and: [value, { $expr: { $eq: [{ $type: '$$ROOT' }, 'object'] } }],
  };
  return mingoElemMatch(selector, documentsOnly, options);
};

function expectArray(op: string, expr: unknown, min: number, max: number): unknown[] {
  if (!Array.isArray(expr) || expr.length < min || expr.length > max) {
    throw new Error(
      `${op} expects an array of ${min === max ? min : `${min} to ${max}`} operators`,
    );
  }
  return expr;
}

/** MongoDB's `$week`: `floor((dayOfYear + 7 - dayOfWeek) / 7)` with both 1-based (Sunday = 1). */
const $week: ExpressionOperator = (obj, expr, options) => {
  // A null or missing date is null (MongoDB), not an error.
  const arg = evalExpr(obj, expr, options);
  if (arg === null || arg === undefined) return null;
  if (isPlainObject(arg) && (arg.date === null || arg.date === undefined)) return null;
  const dayOfYear = evalExpr(obj, { $dayOfYear: expr }, options);
  const dayOfWeek = evalExpr(obj, { $dayOfWeek: expr }, options);
  if (typeof dayOfYear !== 'number' || typeof dayOfWeek !== 'number') return null;
  return Math.floor((dayOfYear + 7 - dayOfWeek) / 7);
};

function codePointBound(op: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${op} requires a non-negative integer ${what}`);
  }
  return value;
}

/** MongoDB's `$indexOfCP`: `[string, substring, start?, end?]`, counting code points; null string → null. */
const $indexOfCP: ExpressionOperator = (obj, expr, options) => {
  const args = evalExpr(obj, expectArray('$indexOfCP', expr, 2, 4), options) as unknown[];
  const [text, search] = args;
  if (text === null || text === undefined) return null;
  if (typeof text !== 'string')
    throw new Error('$indexOfCP requires a string as the first argument');
  if (typeof search !== 'string')
    throw new Error('$indexOfCP requires a string as the second argument');
  const points = Array.from(text);
  const wanted = Array.from(search);
  const start = args.length > 2 ? codePointBound('$indexOfCP', args[2], 'starting index') : 0;
  const end =
    args.length > 3 ? codePointBound('$indexOfCP', args[3], 'ending index') : points.length;
  const last = Math.min(end, points.length) - wanted.length;
  for (let i = start; i <= last; i++) {
    let k = 0;
    while (k < wanted.length && points[i + k] === wanted[k]) k++;
    if (k === wanted.length) return i;
  }
  return -1;
};

/** `$substrBytes` (and `$substr`, its older name): a negative length takes the rest of the string. */
const $substrBytes: ExpressionOperator = (obj, expr, options) => {
  const [text, index, length] = evalExpr(
    obj,
    expectArray('$substrBytes', expr, 3, 3),
    options,
  ) as unknown[];
  let count = length;
  if (typeof length === 'number' && length < 0 && typeof text === 'string') {
    count = Math.max(0, Buffer.byteLength(text, 'utf8') - (typeof index === 'number' ? index : 0));
  }
  return mingoSubstrBytes(
    obj,
    [{ $literal: text }, { $literal: index }, { $literal: count }],
    options,
  );
};

/** A pipeline's documents as mingo's stages pass them along (`Lazy`): only `map` is used here. */
interface Documents {
  map(fn: (doc: unknown) => unknown): Documents;
}
type PipelineOperator = (coll: Documents, expr: unknown, options: unknown) => Documents;
const mingoProject = pipelineOps.$project as unknown as PipelineOperator;

/** A top-level field name mingo and MongoDB read the same way: no path, no operator, no array index. */
const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The fields a projection includes, when it is only top-level inclusions (`true` or `1`), `_id: false`
 * or `0` allowed; undefined for any other projection (exclusions, paths, expressions, operators).
 */
export function plainInclusion(expr: unknown): { fields: string[]; keepId: boolean } | undefined {
  if (!isPlainObject(expr)) return undefined;
  const fields: string[] = [];
  let keepId = true;
  for (const [key, value] of Object.entries(expr)) {
    if (!PLAIN_FIELD.test(key)) return undefined;
    if (value === true || value === 1) fields.push(key);
    else if (key === '_id' && (value === false || value === 0)) keepId = false;
    else return undefined;
  }
  // mingo's order: the field names sorted (then `_id`, when it is not one of them).
  return fields.length === 0 ? undefined : { fields: fields.sort(), keepId };
}

const hasOwn = (doc: Record<string, unknown>, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(doc, key);

/** `$project` with the plain-inclusion case done directly (see the header); else mingo's. */
const $project: PipelineOperator = (coll, expr, options) => {
  const plain = plainInclusion(expr);
  if (!plain) return mingoProject(coll, expr, options);
  const { fields, keepId } = plain;
  return coll.map((doc) => {
    if (!isObjectOfAnyRealm(doc)) {
      // Not a document (no stage of ours makes one): mingo's answer for it.
      const [only] = (
        mingoProject(Lazy([doc]) as never, expr, options) as unknown as { collect(): unknown[] }
      ).collect();
      return only;
    }
    // As mingo builds it: the fields in name order, a missing one left out, then `_id`.
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (hasOwn(doc, field) && doc[field] !== undefined) out[field] = doc[field];
    }
    if (keepId && !hasOwn(out, '_id') && hasOwn(doc, '_id')) out._id = doc._id;
    return out;
  });
};

/**
 * What the engine hands mingo to resolve a `$lookup`'s `from` (aggregate.ts): the collection's documents,
 * and, with `select`, those a filter may match, found through the collection's indexes (planner.ts).
 */
export interface CollectionResolver {
  (name: string): Record<string, unknown>[];
  select?: (name: string, filter: unknown) => Record<string, unknown>[];
}

const mingoLookup = pipelineOps.$lookup as unknown as PipelineOperator;

/**
 * The filter a `$lookup`'s sub-pipeline begins with (`pipeline: [{ $match: … }, …]`), when the lookup is
 * uncorrelated (no `let`, no `localField`/`foreignField`: the same for every input document) and names
 * its collection; undefined otherwise.
 */
function firstMatch(expr: unknown): unknown {
  if (!isPlainObject(expr) || typeof expr.from !== 'string') return undefined;
  if (expr.let !== undefined || expr.localField !== undefined || expr.foreignField !== undefined)
    return undefined;
  const [first] = Array.isArray(expr.pipeline) ? (expr.pipeline as unknown[]) : [];
  return isPlainObject(first) && isPlainObject(first.$match) ? first.$match : undefined;
}

/**
 * `$lookup` whose sub-pipeline begins with a `$match`: only the documents the collection's indexes say that
 * filter may match are handed to mingo (planner.ts), as the platform's database reads by index — the
 * account, the person and the request's own booking by `_id`, the day's bookings by service and day, by
 * account and by person (issue 16: at the city's midnight the whole-collection scans were most of the
 * local cloud's main thread). The sub-pipeline still runs whole on them, so the answer is the one the
 * scan gave (test/local-cloud/db-planner.test.ts). Any other lookup is mingo's.
 */
const $lookup: PipelineOperator = (coll, expr, options) => {
  const match = firstMatch(expr);
  const resolver = (options as { collectionResolver?: CollectionResolver }).collectionResolver;
  if (match === undefined || !resolver?.select) return mingoLookup(coll, expr, options);
  const from = resolver.select((expr as { from: string }).from, match);
  return mingoLookup(coll, { ...(expr as object), from }, options);
};

/** mingo's operators with ours in place of its namesakes; `mingoOptions()` hands it to every run. */
export const PLATFORM_OPERATORS = Context.init({
  accumulator: { ...accumulatorOps } as never,
  expression: { ...expressionOps, $week, $indexOfCP, $substrBytes, $substr: $substrBytes },
  pipeline: { ...pipelineOps, $project, $lookup } as never,
  projection: { ...projectionOps } as never,
  query: { ...queryOps, $elemMatch },
  window: { ...windowOps } as never,
});
