/**
 * Aggregation: `collection.aggregate().match(...).group(...).end()` sends its stages as
 * `[{ stageKey: '$match', stageValue: '<EJSON>' }]`; mingo runs them. Two platform limits matter to
 * callers and are kept:
 * - without a `limit()` stage the server answers at most 20 documents (a documented surprise: "云函数端
 *   Aggregate聚合操作limit默认20条限制", developers.weixin.qq.com community article
 *   000624c67c8b48611dba2b12058c13); with one, at most 10,000;
 * - stages that write (`$out`, `$merge`) and geo stages are not available.
 * `$lookup` reads the other collection's committed documents.
 *
 * A document never holds a missing value: where an expression object names a field the input lacks
 * (`$push: { a: '$absent' }`), MongoDB leaves that field out, and an array expression's missing element
 * is null ("Project New Array Fields" in the `$project` reference). mingo keeps such keys with the value
 * `undefined`, which no answer can carry: `present` drops them, as MongoDB does.
 */
import type { Doc, Value } from './ejson';
import { isPlainObject, parseEjson } from './ejson';
import { invalidOperator, invalidParam } from './errors';
import { Aggregator, type CollectionResolver } from './operators';
import { mapMingoError, mingoOptions, toFilter } from './query';

export const AGGREGATE_DEFAULT_LIMIT = 20;
export const AGGREGATE_MAX_LIMIT = 10_000;

const REFUSED = new Set(['$out', '$merge', '$geoNear', '$collStats', '$indexStats', '$currentOp']);

export type Pipeline = Doc[];

export function toPipeline(raw: unknown, now: number): Pipeline {
  if (!Array.isArray(raw)) throw invalidParam('stages must be an array');
  return raw.map((stage: unknown) => {
    if (!isPlainObject(stage) || typeof stage.stageKey !== 'string')
      throw invalidParam('bad stage');
    const key = stage.stageKey;
    if (!key.startsWith('$')) throw invalidOperator(`unknown stage ${key}`);
    if (REFUSED.has(key)) throw invalidOperator(`stage ${key} is not supported`);
    const value: Value = parseEjson(stage.stageValue, `stage ${key}`, now);
    return { [key]: key === '$match' ? toFilter(value) : value };
  });
}

/** `value` as MongoDB answers it: object fields that are missing left out, missing array elements null. */
function present(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : present(item)));
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date || value instanceof RegExp) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = present(item);
  }
  return out;
}

export function runPipeline(
  docs: Doc[],
  pipeline: Pipeline,
  resolve: (collection: string) => Doc[],
  select?: (collection: string, filter: unknown) => Doc[],
): Doc[] {
  const limited = pipeline.some((stage) => '$limit' in stage);
  try {
    const collectionResolver: CollectionResolver = (name: string) => resolve(name);
    if (select) collectionResolver.select = select;
    const aggregator = new Aggregator(pipeline, mingoOptions({ collectionResolver }));
    const out = aggregator.run<Doc>(docs);
    return out
      .slice(0, limited ? AGGREGATE_MAX_LIMIT : AGGREGATE_DEFAULT_LIMIT)
      .map((doc) => present(doc) as Doc);
  } catch (err) {
    throw mapMingoError(err);
  }
}
