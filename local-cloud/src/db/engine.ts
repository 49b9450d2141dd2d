/**
 * The database engine: committed documents in memory (`collections.ts`), made durable by the store
 * (`store.ts`) one commit at a time, queried with mingo (`query.ts`, `update.ts`, `aggregate.ts`), unique
 * indexes enforced on every write (`indexes.ts`), and transactions (`transactions.ts`, `snapshots.ts`).
 *
 * Concurrency: every operation runs synchronously from reading the state to handing its commit to the
 * store, so operations never interleave and each document's write is atomic; writes are applied in memory
 * and persisted in the same order. Only two things wait: the store's fsync (an acknowledgement always
 * follows durability; reads also wait for the writes they could have seen) and an ordinary write to a
 * document locked by an open transaction, which waits for the lock to go and then starts over.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { runPipeline, type Pipeline } from './aggregate';
import { Collection, idKeyOf, type IdKey, type UniqueClash } from './collections';
import { setField, type Doc, type Value } from './ejson';
import { canonical, indexKeys, type IndexSpec } from './indexes';
import {
  collectionAlreadyExist,
  collectionNotExist,
  DbError,
  duplicateKey,
  duplicateKeyInTransaction,
  invalidParam,
  notAllowedInTransaction,
  requestFailed,
  transactionConflict,
} from './errors';
import {
  compileFilter,
  count as countMatching,
  find,
  type Filter,
  type Projection,
  type SortSpec,
} from './query';
import { equalityPrefixes } from './planner';
import { SnapshotHistory } from './snapshots';
import type { Store, StoreOp } from './store';
import { TransactionManager, type Transaction } from './transactions';
import type { DatabaseSchema } from './types';
import { applyUpdate, replacement, toUpdate } from './update';

/** Per request: the env named in the error texts, and the emulated time of `db.serverDate()`. */
export interface RequestContext {
  env: string;
  now: number;
}

export type DocId = string | number;

export type Selector =
  { kind: 'doc'; id: DocId } | { kind: 'where'; filter: Filter; multi: boolean };

export interface ReadRequest {
  selector: Selector;
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Projection;
}

export interface ModifyRequest {
  selector: Selector;
  /** true: `data` is an update (operators); false: `data` replaces the document (`set`). */
  merge: boolean;
  upsert: boolean;
  data: Value;
}

export interface ModifyResult {
  updated: number;
  upsertedId?: DocId;
}

function docKeyOf(collection: string, idKey: IdKey): string {
  return `${collection}\u0000${idKey}`;
}

function uniqueKeyOf(collection: string, index: string, keyText: string): string {
  return `${collection}\u0000${index}\u0000${keyText}`;
}

function newId(): string {
  return randomBytes(16).toString('hex');
}

function checkId(id: Value | undefined): DocId {
  if (
    (typeof id === 'string' && id.length > 0) ||
    (typeof id === 'number' && Number.isFinite(id))
  ) {
    return id;
  }
  throw invalidParam('_id must be a non-empty string or a number');
}

function sameDoc(a: Doc, b: Doc): boolean {
  return canonical(a) === canonical(b);
}

/** The equality conditions of a where() filter, the base of an upserted document (as MongoDB does). */
function equalityFields(filter: Filter): Doc {
  const base: Doc = {};
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.')) continue;
    if (condition instanceof Date || condition === null || typeof condition !== 'object') {
      setField(base, field, condition);
    } else if (!Array.isArray(condition) && !(condition instanceof RegExp) && '$eq' in condition) {
      setField(base, field, condition.$eq);
    }
  }
  return base;
}

/** An outcome of a write attempt: either blocked behind a transaction's lock, or done. */
type Attempt<T> =
  { blocked: true } | { blocked: false; result?: T; error?: DbError; durable: Promise<void> };

export class Engine {
  private readonly collections = new Map<string, Collection>();
  private readonly uniqueSpecs = new Map<string, IndexSpec[]>();
  /** Per collection, the fields reads are looked up by (planner.ts): from every declared index. */
  private readonly lookupFields = new Map<string, string[][]>();
  private readonly history = new SnapshotHistory();
  private readonly txns: TransactionManager;
  private commitSeq = 0;
  private lastWrite: Promise<void> = Promise.resolve();
  private storeFailure: unknown;
  private closed = false;

  constructor(
    clock: Clock,
    schema: DatabaseSchema,
    private readonly store: Store,
  ) {
    this.txns = new TransactionManager(clock, (oldest) => this.history.prune(oldest));
    for (const [name, declared] of Object.entries(schema.collections)) {
      const specs = (declared.indexes ?? [])
        .filter((index) => index.unique === true)
        .map((index) => ({ name: index.name, fields: Object.keys(index.keys) }));
      this.uniqueSpecs.set(name, specs);
      this.lookupFields.set(
        name,
        equalityPrefixes(
          (declared.indexes ?? []).map((index) => ({ fields: Object.keys(index.keys) })),
        ),
      );
    }
  }

  /** Loads what the store holds and creates the schema's collections that are missing. */
  async open(): Promise<void> {
    const stored = this.store.load();
    for (const name of stored.collections) this.ensureCollection(name);
    const byCollection = new Map<string, { idKey: IdKey; seq: number; doc: Doc }[]>();
    for (const entry of stored.docs) {
      const list = byCollection.get(entry.collection) ?? [];
      list.push({ idKey: entry.idKey, seq: entry.seq, doc: entry.doc });
      byCollection.set(entry.collection, list);
    }
    for (const [name, entries] of byCollection) this.ensureCollection(name).load(entries);
    const created: StoreOp[] = [];
    for (const name of this.uniqueSpecs.keys()) {
      if (!stored.collections.includes(name))
        created.push({ kind: 'collection', collection: name });
      this.ensureCollection(name);
    }
    if (created.length > 0) await this.persist(created);
  }

  private ensureCollection(name: string): Collection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection(
        name,
        this.uniqueSpecs.get(name) ?? [],
        this.lookupFields.get(name) ?? [],
      );
      this.collections.set(name, collection);
    }
    return collection;
  }

  private collection(name: string): Collection {
    const collection = this.collections.get(name);
    if (!collection) throw collectionNotExist();
    return collection;
  }

  // ---------------------------------------------------------------------------------------------
  // Durability

  private persist(ops: StoreOp[]): Promise<void> {
    if (this.storeFailure !== undefined) return Promise.reject(this.storeFailedError());
    const written = this.store.write(ops);
    this.lastWrite = written.catch((err: unknown) => {
      // The memory state is now ahead of the disk: refuse everything rather than answer from it.
      this.storeFailure = err;
      console.error(
        '[local-cloud] database store write failed:',
        err instanceof Error ? err.message : err,
      );
    });
    return written.catch(() => {
      throw this.storeFailedError();
    });
  }

  private storeFailedError(): DbError {
    return requestFailed('the local database could not write to its data directory');
  }

  /** Resolves when every write applied so far is durable (reads answer nothing less). */
  async durable(): Promise<void> {
    await this.lastWrite;
    if (this.storeFailure !== undefined) throw this.storeFailedError();
  }

  /**
   * One commit: `put` applies a document (or its removal) to memory at once and records it for the
   * store; `finish` hands everything to the store in one atomic batch.
   */
  private batch(): {
    put: (collection: Collection, idKey: IdKey, doc: Doc | null) => void;
    finish: () => Promise<void>;
  } {
    const version = ++this.commitSeq;
    const keepPast = this.txns.anySnapshot();
    const ops: StoreOp[] = [];
    return {
      put: (collection, idKey, doc) => {
        if (keepPast) {
          this.history.record(
            docKeyOf(collection.name, idKey),
            collection.get(idKey),
            version,
            !doc,
          );
        }
        const seq = collection.put(idKey, doc, version);
        ops.push(
          doc
            ? { kind: 'put', collection: collection.name, idKey, seq, doc }
            : { kind: 'remove', collection: collection.name, idKey },
        );
      },
      finish: () => (ops.length > 0 ? this.persist(ops) : this.durable()),
    };
  }

  /** Runs `attempt` until no transaction lock blocks it, then waits for its commit to be durable. */
  private async write<T>(attempt: () => Attempt<T>): Promise<T> {
    for (;;) {
      // Also checked after each wait: the database may have closed or failed meanwhile.
      if (this.closed) throw requestFailed('the local database is shutting down');
      if (this.storeFailure !== undefined) throw this.storeFailedError();
      this.txns.sweep();
      const outcome = attempt();
      if (outcome.blocked) {
        await this.txns.waitForRelease();
        continue;
      }
      await outcome.durable;
      if (outcome.error) throw outcome.error;
      return outcome.result as T;
    }
  }

  private duplicate(ctx: RequestContext, collection: Collection, clash: UniqueClash): DbError {
    return duplicateKey({
      env: ctx.env,
      collection: collection.name,
      index: clash.index.name,
      key: clash.key.shown,
    });
  }

  private duplicateId(
    ctx: RequestContext,
    collection: Collection,
    id: DocId,
    inTxn: boolean,
  ): DbError {
    const dup = {
      env: ctx.env,
      collection: collection.name,
      index: '_id_',
      key: [['_id', JSON.stringify(id)]] as [string, string][],
    };
    return inTxn ? duplicateKeyInTransaction(dup) : duplicateKey(dup);
  }

  /**
   * True when an open transaction holds the document, or one of the unique keys `doc` would take, or the
   * document currently holding such a key (the transaction may be about to free it): an ordinary write
   * then waits, as on the platform, rather than fail on a state the transaction is changing.
   */
  private lockedByTransaction(collection: Collection, idKey: IdKey, doc: Doc | null): boolean {
    if (this.txns.lockedBy(docKeyOf(collection.name, idKey))) return true;
    if (!doc) return false;
    for (const index of collection.unique) {
      for (const key of indexKeys(index.spec, doc)) {
        if (this.txns.reservedBy(uniqueKeyOf(collection.name, index.spec.name, key.text))) {
          return true;
        }
        const owner = index.owner(key.text);
        if (owner !== undefined && owner !== idKey) {
          if (this.txns.lockedBy(docKeyOf(collection.name, owner))) return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  private targets(collection: Collection, selector: Selector): { idKey: IdKey; doc: Doc }[] {
    if (selector.kind === 'doc') {
      const idKey = idKeyOf(selector.id);
      const stored = collection.get(idKey);
      return stored ? [{ idKey, doc: stored.doc }] : [];
    }
    const matcher = compileFilter(selector.filter);
    const out: { idKey: IdKey; doc: Doc }[] = [];
    for (const [idKey, stored] of collection.docs) {
      if (matcher.test(stored.doc)) {
        out.push({ idKey, doc: stored.doc });
        if (!selector.multi) break;
      }
    }
    return out;
  }

  async read(collectionName: string, request: ReadRequest, txnId?: string): Promise<Doc[]> {
    const collection = this.collection(collectionName);
    const { selector, projection } = request;
    let docs: Doc[];
    if (txnId !== undefined) {
      docs = await this.inTransaction(txnId, (txn) => {
        if (selector.kind !== 'doc') throw notAllowedInTransaction('a where() query');
        const doc = this.view(txn, collection, idKeyOf(selector.id));
        return find(doc ? [doc] : [], {}, { projection });
      });
    } else if (selector.kind === 'doc') {
      const stored = collection.get(idKeyOf(selector.id));
      docs = find(stored ? [stored.doc] : [], {}, { projection });
    } else {
      docs = find(collection.select(selector.filter), selector.filter, {
        sort: request.sort,
        skip: request.skip,
        limit: request.limit,
        projection,
      });
    }
    await this.durable();
    return docs;
  }

  async count(collectionName: string, filter: Filter): Promise<number> {
    const total = countMatching(this.collection(collectionName).select(filter), filter);
    await this.durable();
    return total;
  }

  async aggregate(collectionName: string, pipeline: Pipeline): Promise<Doc[]> {
    const collection = this.collection(collectionName);
    // A first `$match` is read through the indexes (planner.ts), as are the lookups' (operators.ts).
    const first = pipeline[0]?.$match;
    const docs = runPipeline(
      first === undefined ? collection.all() : collection.select(first),
      pipeline,
      (name) => this.collections.get(name)?.all() ?? [],
      (name, filter) => this.collections.get(name)?.select(filter) ?? [],
    );
    await this.durable();
    return docs;
  }

  // ---------------------------------------------------------------------------------------------
  // Writes outside transactions

  async insert(
    ctx: RequestContext,
    collectionName: string,
    docs: Doc[],
    txnId?: string,
  ): Promise<DocId[]> {
    const collection = this.collection(collectionName);
    const prepared = docs.map((doc) => {
      const id = '_id' in doc ? checkId(doc._id) : newId();
      return { id, idKey: idKeyOf(id), doc: { ...doc, _id: id } };
    });
    if (txnId !== undefined)
      return this.inTransaction(txnId, (txn) => this.txnInsert(ctx, txn, collection, prepared));
    return this.write<DocId[]>(() => {
      for (const item of prepared) {
        if (this.lockedByTransaction(collection, item.idKey, item.doc)) return { blocked: true };
      }
      // Ordered, like MongoDB's insertMany: the documents before a duplicate stay inserted.
      const batch = this.batch();
      const ids: DocId[] = [];
      let error: DbError | undefined;
      for (const item of prepared) {
        if (collection.get(item.idKey)) {
          error = this.duplicateId(ctx, collection, item.id, false);
          break;
        }
        const clash = collection.clash(item.idKey, item.doc);
        if (clash) {
          error = this.duplicate(ctx, collection, clash);
          break;
        }
        batch.put(collection, item.idKey, item.doc);
        ids.push(item.id);
      }
      return { blocked: false, result: ids, error, durable: batch.finish() };
    });
  }

  async modify(
    ctx: RequestContext,
    collectionName: string,
    request: ModifyRequest,
    txnId?: string,
  ): Promise<ModifyResult> {
    const collection = this.collection(collectionName);
    const spec = request.merge ? toUpdate(request.data) : undefined;
    const rewrite = (doc: Doc): Doc =>
      spec
        ? applyUpdate(
            doc,
            spec,
            ctx.now,
            request.selector.kind === 'where' ? request.selector.filter : undefined,
          )
        : replacement(checkId(doc._id), request.data);
    const upserted = (): { id: DocId; doc: Doc } => {
      const selector = request.selector;
      const id = selector.kind === 'doc' ? selector.id : newId();
      const base: Doc = selector.kind === 'where' ? equalityFields(selector.filter) : {};
      base._id = id;
      return { id, doc: spec ? applyUpdate(base, spec, ctx.now) : replacement(id, request.data) };
    };
    if (txnId !== undefined) {
      const selector = request.selector;
      return this.inTransaction(txnId, (txn) => {
        if (selector.kind !== 'doc') throw notAllowedInTransaction('a where() update');
        return this.txnModify(
          ctx,
          txn,
          collection,
          selector.id,
          rewrite,
          request.upsert ? upserted : undefined,
        );
      });
    }
    return this.write<ModifyResult>(() => {
      const changes = this.targets(collection, request.selector).map((target) => ({
        idKey: target.idKey,
        before: target.doc,
        after: rewrite(target.doc),
      }));
      let insert: { id: DocId; idKey: IdKey; doc: Doc } | undefined;
      if (changes.length === 0 && request.upsert) {
        const made = upserted();
        insert = { ...made, idKey: idKeyOf(made.id) };
      }
      for (const change of changes) {
        if (this.lockedByTransaction(collection, change.idKey, change.after))
          return { blocked: true };
      }
      if (insert && this.lockedByTransaction(collection, insert.idKey, insert.doc))
        return { blocked: true };

      const batch = this.batch();
      let updated = 0;
      let error: DbError | undefined;
      for (const change of changes) {
        if (sameDoc(change.before, change.after)) continue;
        const clash = collection.clash(change.idKey, change.after);
        if (clash) {
          error = this.duplicate(ctx, collection, clash);
          break;
        }
        batch.put(collection, change.idKey, change.after);
        updated++;
      }
      let upsertedId: DocId | undefined;
      if (insert) {
        const clash = collection.clash(insert.idKey, insert.doc);
        if (clash) error = this.duplicate(ctx, collection, clash);
        else {
          batch.put(collection, insert.idKey, insert.doc);
          upsertedId = insert.id;
        }
      }
      return { blocked: false, result: { updated, upsertedId }, error, durable: batch.finish() };
    });
  }

  async remove(
    ctx: RequestContext,
    collectionName: string,
    selector: Selector,
    txnId?: string,
  ): Promise<number> {
    const collection = this.collection(collectionName);
    if (txnId !== undefined) {
      return this.inTransaction(txnId, (txn) => {
        if (selector.kind !== 'doc') throw notAllowedInTransaction('a where() remove');
        return this.txnRemove(ctx, txn, collection, selector.id);
      });
    }
    return this.write<number>(() => {
      const targets = this.targets(collection, selector);
      for (const target of targets) {
        if (this.lockedByTransaction(collection, target.idKey, null)) return { blocked: true };
      }
      const batch = this.batch();
      for (const target of targets) batch.put(collection, target.idKey, null);
      return { blocked: false, result: targets.length, durable: batch.finish() };
    });
  }

  async addCollection(name: string): Promise<void> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) throw invalidParam('bad collection name');
    if (this.collections.has(name)) throw collectionAlreadyExist();
    this.ensureCollection(name);
    await this.persist([{ kind: 'collection', collection: name }]);
  }

  /** Demo data and fixtures: inserts or replaces, unique indexes enforced, locks ignored. */
  async importDocuments(collectionName: string, docs: Doc[]): Promise<number> {
    const collection = this.ensureCollection(collectionName);
    const prepared = docs.map((raw) => {
      const id = '_id' in raw ? checkId(raw._id) : newId();
      return { idKey: idKeyOf(id), doc: { ...raw, _id: id } };
    });
    // Checked on a scratch copy first, so that a refused import leaves nothing behind.
    const scratch = new Collection(collection.name, this.uniqueSpecs.get(collection.name) ?? []);
    for (const [idKey, stored] of collection.docs) scratch.put(idKey, stored.doc, 0);
    for (const item of prepared) {
      const clash = scratch.clash(item.idKey, item.doc);
      if (clash) {
        throw new Error(
          `import into ${collectionName} collides on unique index ${clash.index.name}`,
        );
      }
      scratch.put(item.idKey, item.doc, 0);
    }
    const batch = this.batch();
    for (const item of prepared) batch.put(collection, item.idKey, item.doc);
    await Promise.all([
      this.persist([{ kind: 'collection', collection: collectionName }]),
      batch.finish(),
    ]);
    return new Set(prepared.map((item) => item.idKey)).size;
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions

  startTransaction(): string {
    return this.txns.start().id;
  }

  /** Runs one statement of transaction `txnId`; a failed statement aborts the transaction. */
  private inTransaction<T>(txnId: string, statement: (txn: Transaction) => T): Promise<T> {
    const txn = this.txns.get(txnId);
    txn.snapshot ??= this.commitSeq;
    try {
      return Promise.resolve(statement(txn));
    } catch (err) {
      this.txns.end(txn);
      throw err;
    }
  }

  /** The document as transaction `txn` sees it: its own write, else its snapshot. */
  private view(txn: Transaction, collection: Collection, idKey: IdKey): Doc | null {
    txn.snapshot ??= this.commitSeq;
    const key = docKeyOf(collection.name, idKey);
    const own = txn.writes.get(key);
    if (own) return own.doc;
    return this.history.readAt(key, txn.snapshot, collection.get(idKey));
  }

  /**
   * Stages a write of `txn`: refuses (and so aborts) when another transaction holds the document or a
   * unique key it needs, when someone committed the document after the snapshot, or when the unique
   * keys collide with what the transaction sees.
   */
  private stage(
    ctx: RequestContext,
    txn: Transaction,
    collection: Collection,
    idKey: IdKey,
    doc: Doc | null,
  ): void {
    const key = docKeyOf(collection.name, idKey);
    const holder = this.txns.lockedBy(key);
    if (holder && holder !== txn) throw transactionConflict();
    const snapshot = txn.snapshot ?? this.commitSeq;
    if (!txn.writes.has(key) && this.history.versionOf(key, collection.get(idKey)) > snapshot) {
      throw transactionConflict();
    }
    const taken: string[] = [];
    if (doc) {
      for (const index of collection.unique) {
        for (const indexKey of indexKeys(index.spec, doc)) {
          const unique = uniqueKeyOf(collection.name, index.spec.name, indexKey.text);
          const dup = (): DbError =>
            duplicateKeyInTransaction({
              env: ctx.env,
              collection: collection.name,
              index: index.spec.name,
              key: indexKey.shown,
            });
          const mine = txn.heldKeys.get(unique);
          if (mine !== undefined && mine !== key) throw dup();
          const other = this.txns.reservedBy(unique);
          if (other && other !== txn) throw transactionConflict();
          const owner = index.owner(indexKey.text);
          if (owner !== undefined && owner !== idKey) {
            const ownerKey = docKeyOf(collection.name, owner);
            // A document the transaction rewrote holds only the keys it left in `heldKeys`; one that
            // another transaction is rewriting, or that changed after the snapshot, is a conflict.
            if (!txn.writes.has(ownerKey)) {
              const version = collection.get(owner)?.version ?? 0;
              const ownerHolder = this.txns.lockedBy(ownerKey);
              if (version > snapshot || (ownerHolder && ownerHolder !== txn)) {
                throw transactionConflict();
              }
              throw dup();
            }
          }
          taken.push(unique);
        }
      }
    }
    const previous = txn.writes.get(key);
    if (previous?.doc) {
      for (const [unique, holderKey] of txn.heldKeys) {
        if (holderKey === key) txn.heldKeys.delete(unique);
      }
    }
    txn.writes.set(key, { collection: collection.name, idKey, doc });
    this.txns.lock(txn, key);
    for (const unique of taken) {
      txn.heldKeys.set(unique, key);
      this.txns.reserve(txn, unique);
    }
  }

  private txnInsert(
    ctx: RequestContext,
    txn: Transaction,
    collection: Collection,
    prepared: { id: DocId; idKey: IdKey; doc: Doc }[],
  ): DocId[] {
    for (const item of prepared) {
      const key = docKeyOf(collection.name, item.idKey);
      const holder = this.txns.lockedBy(key);
      if (holder && holder !== txn) throw transactionConflict();
      if (this.view(txn, collection, item.idKey))
        throw this.duplicateId(ctx, collection, item.id, true);
      this.stage(ctx, txn, collection, item.idKey, item.doc);
    }
    return prepared.map((item) => item.id);
  }

  private txnModify(
    ctx: RequestContext,
    txn: Transaction,
    collection: Collection,
    id: DocId,
    rewrite: (doc: Doc) => Doc,
    upserted: (() => { id: DocId; doc: Doc }) | undefined,
  ): ModifyResult {
    const idKey = idKeyOf(id);
    const current = this.view(txn, collection, idKey);
    if (!current) {
      if (!upserted) return { updated: 0 };
      const made = upserted();
      this.stage(ctx, txn, collection, idKey, made.doc);
      return { updated: 0, upsertedId: made.id };
    }
    const next = rewrite(current);
    if (sameDoc(current, next)) return { updated: 0 };
    this.stage(ctx, txn, collection, idKey, next);
    return { updated: 1 };
  }

  private txnRemove(
    ctx: RequestContext,
    txn: Transaction,
    collection: Collection,
    id: DocId,
  ): number {
    const idKey = idKeyOf(id);
    if (!this.view(txn, collection, idKey)) return 0;
    this.stage(ctx, txn, collection, idKey, null);
    return 1;
  }

  async commit(ctx: RequestContext, txnId: string): Promise<void> {
    const txn = this.txns.get(txnId);
    // Locks and reservations kept others off these documents and keys; checked again all the same,
    // before anything is applied, so that a commit is all or nothing.
    const rewritten = new Map<string, Set<IdKey>>();
    for (const write of txn.writes.values()) {
      const ids = rewritten.get(write.collection) ?? new Set<IdKey>();
      ids.add(write.idKey);
      rewritten.set(write.collection, ids);
    }
    for (const write of txn.writes.values()) {
      if (!write.doc) continue;
      const collection = this.collection(write.collection);
      const clash = collection.clash(write.idKey, write.doc, rewritten.get(write.collection));
      if (clash) {
        this.txns.end(txn);
        throw duplicateKeyInTransaction({
          env: ctx.env,
          collection: collection.name,
          index: clash.index.name,
          key: clash.key.shown,
        });
      }
    }
    const batch = this.batch();
    for (const write of txn.writes.values()) {
      batch.put(this.collection(write.collection), write.idKey, write.doc);
    }
    this.txns.end(txn);
    await batch.finish();
  }

  abort(txnId: string): void {
    this.txns.end(this.txns.get(txnId));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.txns.close();
    await this.lastWrite;
    await this.store.close();
  }
}
