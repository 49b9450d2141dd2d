/**
 * Aggregation: `collection.aggregate().match(...).group(...).end()` sends its stages as
 * `[{ stageKey: '$match', stageValue: '<EJSON>' }]`; mingo runs them. Two platform limits matter to
 * callers and are kept:
 * - without a `limit()` stage the server answers at most 20 documents (a documented surprise: "云函数端
 *   Aggregate聚合操作limit默认20条限制", developers.weixin.qq.com community article
 *   000624c67c8b48611dba2b12058c13); with one, at most 10,000;
 * - stages that write (`$out`, `$merge`) and geo stages are not available.
 * `$lookup` reads the other collection's committed documents.
 */
import type { Doc, Value } from './ejson';
import { isPlainObject, parseEjson } from './ejson';
import { invalidOperator, invalidParam } from './errors';
import { Aggregator } from './operators';
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

export function runPipeline(
  docs: Doc[],
  pipeline: Pipeline,
  resolve: (collection: string) => Doc[],
): Doc[] {
  const limited = pipeline.some((stage) => '$limit' in stage);
  try {
    const aggregator = new Aggregator(
      pipeline,
      mingoOptions({ collectionResolver: (name: string) => resolve(name) }),
    );
    const out = aggregator.run<Doc>(docs);
    return out.slice(0, limited ? AGGREGATE_MAX_LIMIT : AGGREGATE_DEFAULT_LIMIT);
  } catch (err) {
    throw mapMingoError(err);
  }
}
