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
 */
import { Context } from 'mingo';
import { evalExpr } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';

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

/** mingo's operators with ours in place of its namesakes; `mingoOptions()` hands it to every run. */
export const PLATFORM_OPERATORS = Context.init({
  accumulator: { ...accumulatorOps } as never,
  expression: { ...expressionOps, $week, $indexOfCP, $substrBytes, $substr: $substrBytes },
  pipeline: { ...pipelineOps } as never,
  projection: { ...projectionOps } as never,
  query: { ...queryOps, $elemMatch },
  window: { ...windowOps } as never,
});
