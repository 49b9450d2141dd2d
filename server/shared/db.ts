/**
 * Typed access to the cloud database for the functions. wx-server-sdk's own typings mix callback and
 * promise overloads and type documents as `any`; this module is where the untyped results are given
 * their document types (the collections' shapes are in docs/data-model.md).
 */
import type { Database } from './cloud';

/** Mongo-style condition objects, possibly holding `db.command` expressions. */
export type Where = object;

export interface FindOptions {
  orderBy?: [field: string, order: 'asc' | 'desc'];
  /** Fields to return (`_id` always comes back). */
  fields?: readonly string[];
  /** The most documents wanted; reads past the platform's 1,000 a request are paged. */
  limit?: number;
}

const PAGE = 1000;

interface SdkError {
  errCode?: number;
  errMsg?: string;
  message?: string;
  code?: string;
}

function errorText(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as SdkError;
  return `${e.code ?? ''} ${e.errMsg ?? ''} ${e.message ?? ''}`;
}

/**
 * The index a duplicate-key failure names (`_id` for the primary key), or undefined when `err` is not
 * one. The platform reports DATABASE_DUPLICATE_WRITE with MongoDB's E11000 text, which names the index.
 */
export function duplicateKeyIndex(err: unknown): string | undefined {
  const text = errorText(err);
  if (!/E11000|DUPLICATE_WRITE/i.test(text)) return undefined;
  const m = /index:\s*([A-Za-z0-9_.$-]+)/.exec(text);
  return m?.[1] ?? 'unknown';
}

/**
 * Failures worth one more try: the platform's -5010xx family (resource system error, server timeout,
 * request-rate and concurrency limits). They may come after the write was applied (a lost
 * acknowledgement), so only idempotent operations are retried: reads, inserts with a fixed `_id`
 * and conditional updates, whose repetition changes nothing.
 */
export function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  // The platform reports a duplicate key as -501001 too ("resource system error … E11000"): final.
  if (duplicateKeyIndex(err) !== undefined || isTransactionConflict(err)) return false;
  const code = Number((err as SdkError).errCode);
  return code <= -501000 && code > -502000;
}

const RETRIES = 3;

/**
 * `op` returns one of the SDK's promises (typed loosely by the SDK); the caller types the result.
 * `count` is told of every request sent, retries included.
 */
async function retrying(op: () => unknown, count: () => void): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      count();
      return await op();
    } catch (err) {
      if (attempt >= RETRIES || !isTransient(err)) throw err;
      // Short, jittered backoff: the rush is the moment when many callers retry together.
      await new Promise((resolve) =>
        setTimeout(resolve, 20 * 2 ** attempt * (0.5 + Math.random())),
      );
    }
  }
}

export function isTransactionConflict(err: unknown): boolean {
  return /TRANSACTION_CONFLICT|WriteConflict|transaction.*conflict/i.test(errorText(err));
}

/** The operations allowed inside a transaction, typed. */
export interface Tx {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: unknown }>;
      update(options: { data: object }): Promise<unknown>;
      set(options: { data: object }): Promise<unknown>;
      remove(): Promise<unknown>;
    };
    add(options: { data: object }): Promise<unknown>;
  };
}

function countingTx(tx: Tx, sent: () => void): Tx {
  const counted =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      sent();
      return f(...args);
    };
  return {
    collection(name) {
      const c = tx.collection(name);
      return {
        doc(id) {
          const d = c.doc(id);
          return {
            get: counted(() => d.get()),
            update: counted((o: { data: object }) => d.update(o)),
            set: counted((o: { data: object }) => d.set(o)),
            remove: counted(() => d.remove()),
          };
        },
        add: counted((o: { data: object }) => c.add(o)),
      };
    },
  };
}

/**
 * One per invocation: besides typing, it counts the database requests the invocation made, which the
 * function logs with each request (an operational figure, and what `npm run bench:booking` reads).
 */
export class Db {
  /** Database requests sent so far, retries and transaction steps included. */
  requests = 0;
  /** Of which refreshing an instance cache (configuration, suspensions), shared by later invocations. */
  cacheRequests = 0;
  private readonly sent = (): void => {
    this.requests += 1;
  };

  constructor(readonly raw: Database) {}

  /** Runs `load` (a refresh of an instance-wide cache) and counts its requests as cache requests. */
  async forCache<T>(load: () => Promise<T>): Promise<T> {
    const before = this.requests;
    try {
      return await load();
    } finally {
      this.cacheRequests += this.requests - before;
    }
  }

  get command(): Database['command'] {
    return this.raw.command;
  }

  async getById<T>(collection: string, id: string): Promise<T | undefined> {
    // A where() on _id answers an empty list for a missing document instead of throwing like doc().get().
    const res = (await retrying(
      () => this.raw.collection(collection).where({ _id: id }).limit(1).get(),
      this.sent,
    )) as { data: T[] };
    return res.data[0];
  }

  async find<T>(collection: string, where: Where, options: FindOptions = {}): Promise<T[]> {
    const wanted = options.limit ?? PAGE;
    const out: T[] = [];
    while (out.length < wanted) {
      let query = this.raw.collection(collection).where(where);
      if (options.orderBy) query = query.orderBy(options.orderBy[0], options.orderBy[1]);
      if (options.fields) {
        query = query.field(Object.fromEntries(options.fields.map((f) => [f, true])));
      }
      const size = Math.min(PAGE, wanted - out.length);
      const page = query.skip(out.length).limit(size);
      const res = (await retrying(() => page.get(), this.sent)) as { data: T[] };
      out.push(...res.data);
      if (res.data.length < size) break;
    }
    return out;
  }

  async count(collection: string, where: Where): Promise<number> {
    const res = (await retrying(
      () => this.raw.collection(collection).where(where).count(),
      this.sent,
    )) as {
      total: number;
    };
    return res.total;
  }

  /** Inserts a document with its own `_id`; a taken `_id` or unique key throws the duplicate-key error. */
  async insert(collection: string, doc: { _id: string }): Promise<void> {
    await retrying(() => this.raw.collection(collection).add({ data: doc }), this.sent);
  }

  /** Updates every matching document atomically (each on its own); answers how many changed. */
  async updateWhere(
    collection: string,
    where: Where,
    patch: Record<string, unknown>,
  ): Promise<number> {
    const res = (await retrying(
      () => this.raw.collection(collection).where(where).update({ data: patch }),
      this.sent,
    )) as {
      stats: { updated: number };
    };
    return res.stats.updated;
  }

  /**
   * Runs `fn` in a database transaction (only `doc(id)` operations and `add` are allowed inside, like the
   * platform). wx-server-sdk 4.0.2 does NOT retry a conflict or a failure of an operation inside it, and
   * any failed statement aborts the whole transaction: the caller retries with a new one.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return (await this.raw.runTransaction(async (raw: Tx) => {
      // Start and commit (or abort) are a request each; every operation inside is one more.
      this.requests += 2;
      return fn(countingTx(raw, this.sent));
    })) as T;
  }

  async upsert(collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    await retrying(() => this.raw.collection(collection).doc(id).set({ data: doc }), this.sent);
  }
}
