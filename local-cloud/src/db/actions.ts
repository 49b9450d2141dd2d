/**
 * The admin endpoint's `database.*` actions: each request body as @cloudbase/database 1.4.3 (inside
 * @cloudbase/node-sdk 3.17.2, inside wx-server-sdk 4.0.2) builds it, and the response body it reads:
 *
 * | action                       | fields used                                                   | answer `data`                 |
 * | ---------------------------- | ------------------------------------------------------------- | ----------------------------- |
 * | database.getDocument         | collectionName, queryType WHERE/DOC, query, order, offset,    | { list: EJSON[], offset,      |
 * |                              | limit (WHERE: 100 by default, at most 1000), projection,      |   limit }                     |
 * |                              | transactionId                                                 |                               |
 * | database.calculateDocument   | collectionName, query                                         | { total }                     |
 * | database.insertDocument      | collectionName, data: EJSON[], transactionId                  | { insertedIds }               |
 * | database.modifyDocument      | collectionName, queryType, query, data: EJSON, multi, merge,  | { updated, upsert_id }        |
 * |                              | upsert, transactionId                                         |                               |
 * | database.removeDocument      | collectionName, queryType, query, multi, transactionId        | { deleted }                   |
 * | database.aggregateDocuments  | collectionName, stages [{ stageKey, stageValue: EJSON }]      | { list: EJSON[] }             |
 * | database.addCollection       | collectionName                                                | —                             |
 * | database.startTransaction    | —                                                             | top-level `transactionId`     |
 * | database.commitTransaction   | transactionId                                                 | —                             |
 * | database.abortTransaction    | transactionId                                                 | —                             |
 *
 * The SDK never sends a transactionId with count, aggregate, or where().update()/remove(): those run
 * outside the transaction even when called on `transaction.collection(...)` (an SDK fact, not ours).
 */
import type { Engine, ReadRequest, RequestContext, Selector } from './engine';
import type { Doc, Value } from './ejson';
import { isPlainObject, parseEjson, stringifyEjson } from './ejson';
import { DbError, invalidParam, requestFailed } from './errors';
import { toPipeline } from './aggregate';
import { toFilter, toProjection, toSort } from './query';

/** A `get()` answers 100 documents unless told otherwise, and never more than 1,000. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

type Body = Record<string, unknown>;

function collectionName(body: Body): string {
  const name = body.collectionName;
  if (typeof name !== 'string' || name.length === 0)
    throw invalidParam('collectionName is required');
  return name;
}

function transactionId(body: Body): string | undefined {
  const id = body.transactionId;
  if (id === undefined || id === null || id === '') return undefined;
  if (typeof id !== 'string') throw invalidParam('transactionId must be a string');
  return id;
}

function optionalEjson(body: Body, field: string, now: number): Value | undefined {
  const text = body[field];
  if (text === undefined || text === null || text === '') return undefined;
  return parseEjson(text, field, now);
}

function bool(body: Body, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalidParam(`${field} must be a boolean`);
  return value;
}

function nonNegativeInt(body: Body, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidParam(`${field} must be a non-negative integer`);
  }
  return value;
}

function selector(body: Body, now: number, multiByDefault: boolean): Selector {
  const query = optionalEjson(body, 'query', now);
  const queryType = body.queryType ?? 'WHERE';
  if (queryType === 'DOC') {
    if (!isPlainObject(query) || !('_id' in query)) throw invalidParam('a DOC query needs _id');
    const id = query._id;
    if (typeof id !== 'string' && typeof id !== 'number')
      throw invalidParam('_id must be a string or a number');
    return { kind: 'doc', id };
  }
  if (queryType !== 'WHERE') throw invalidParam('queryType must be WHERE or DOC');
  return { kind: 'where', filter: toFilter(query), multi: bool(body, 'multi', multiByDefault) };
}

/**
 * MongoDB (4.x, the platform's) refuses to store a field whose name begins with `$`, at any depth:
 * "The dollar ($) prefixed field '$b' in 'a.$b' is not valid for storage." (error 52). Extended JSON
 * wrappers (`$date`, `$tcb_server_date`…) are decoded before this check, so only field names remain.
 */
function refuseDollarFields(value: Value, at: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => refuseDollarFields(item, at === '' ? String(i) : `${at}.${i}`));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const path = at === '' ? key : `${at}.${key}`;
    if (key.startsWith('$')) {
      throw requestFailed(
        // Bounded: a request's field name is not echoed back at any length.
        `The dollar ($) prefixed field '${key.slice(0, 64)}' in '${path.slice(0, 200)}' is not valid for storage.`,
      );
    }
    refuseDollarFields(item, path);
  }
}

function documents(body: Body, now: number): Doc[] {
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0)
    throw invalidParam('data must be a non-empty array');
  return data.map((text: unknown, i) => {
    const doc = parseEjson(text, `data[${i}]`, now);
    if (!isPlainObject(doc)) throw invalidParam('a document must be an object');
    refuseDollarFields(doc, '');
    return doc;
  });
}

export async function handleAction(
  engine: Engine,
  body: Body,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const action = body.action;
  switch (action) {
    case 'database.getDocument': {
      const limit = nonNegativeInt(body, 'limit');
      const request: ReadRequest = {
        selector: selector(body, ctx.now, true),
        sort: toSort(optionalEjson(body, 'order', ctx.now)),
        skip: nonNegativeInt(body, 'offset'),
        limit: Math.min(limit === undefined || limit === 0 ? DEFAULT_LIMIT : limit, MAX_LIMIT),
        projection: toProjection(optionalEjson(body, 'projection', ctx.now)),
      };
      const docs = await engine.read(collectionName(body), request, transactionId(body));
      const list = docs.map(stringifyEjson);
      return request.selector.kind === 'doc'
        ? { data: { list } }
        : { data: { list, offset: request.skip ?? 0, limit: request.limit } };
    }
    case 'database.calculateDocument': {
      const filter = toFilter(optionalEjson(body, 'query', ctx.now));
      return { data: { total: await engine.count(collectionName(body), filter) } };
    }
    case 'database.insertDocument': {
      const ids = await engine.insert(
        ctx,
        collectionName(body),
        documents(body, ctx.now),
        transactionId(body),
      );
      return { data: { insertedIds: ids } };
    }
    case 'database.modifyDocument': {
      const data = optionalEjson(body, 'data', ctx.now);
      if (data === undefined) throw invalidParam('data is required');
      const result = await engine.modify(
        ctx,
        collectionName(body),
        {
          selector: selector(body, ctx.now, true),
          merge: bool(body, 'merge', true),
          upsert: bool(body, 'upsert', false),
          data,
        },
        transactionId(body),
      );
      return {
        data:
          result.upsertedId === undefined
            ? { updated: result.updated }
            : { updated: result.updated, upsert_id: result.upsertedId },
      };
    }
    case 'database.removeDocument': {
      const deleted = await engine.remove(
        ctx,
        collectionName(body),
        selector(body, ctx.now, true),
        transactionId(body),
      );
      return { data: { deleted } };
    }
    case 'database.aggregateDocuments': {
      const docs = await engine.aggregate(collectionName(body), toPipeline(body.stages, ctx.now));
      return { data: { list: docs.map(stringifyEjson) } };
    }
    case 'database.addCollection':
      await engine.addCollection(collectionName(body));
      return {};
    case 'database.startTransaction':
      return { transactionId: engine.startTransaction() };
    case 'database.commitTransaction': {
      const id = transactionId(body);
      if (id === undefined) throw invalidParam('transactionId is required');
      await engine.commit(ctx, id);
      return {};
    }
    case 'database.abortTransaction': {
      const id = transactionId(body);
      if (id === undefined) throw invalidParam('transactionId is required');
      engine.abort(id);
      await engine.durable();
      return {};
    }
    default:
      throw new DbError(
        'INVALID_PARAM',
        `[InvalidParameter.Action] the local cloud does not implement ${String(action)}. ` +
          'Please check your request, but if the problem persists, contact us.',
      );
  }
}
