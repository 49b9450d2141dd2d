/**
 * The one place that talks to the cloud database. wx-server-sdk's own typings mix callback and promise
 * overloads and type documents as `any`; here every collection of server/database/schema.json gets a
 * typed accessor (`db.bookings.get(id)` answers a `BookingDoc`, `db.bookings.insert(doc)` takes one), so
 * no caller writes a collection name or vouches for a document's type. Reads, inserts with a fixed `_id`
 * and conditional updates are retried on the platform's transient failures; every request is counted
 * (the functions log the count, `npm run bench:booking` reads it).
 */
import type { Database } from '../shared/cloud';
import type { CollectionName, Collections } from './collections';
import { UNIQUE_INDEXES, type UniqueIndex } from './indexes';

type SdkCommand = Database['command'];
/** A query expression built with `db.command` (`_.in(…)`, `_.or([…])`, `_.gte(…).and(…)`). */
export type Expression = ReturnType<SdkCommand['or']>;

declare const updateBrand: unique symbol;
/**
 * An update expression (`_.inc(1)`, `_.set(…)`, `_.remove()`). The SDK types these as an empty class,
 * which any value matches; branded here so a patch's plain values are still checked against the document.
 */
export interface UpdateExpression {
  readonly [updateBrand]: true;
}

/** `db.command` with its update operators typed as update expressions. */
export interface Command extends Omit<
  SdkCommand,
  'set' | 'remove' | 'inc' | 'mul' | 'min' | 'max' | 'push' | 'pull'
> {
  set(value: unknown): UpdateExpression;
  remove(): UpdateExpression;
  inc(value: number): UpdateExpression;
  mul(value: number): UpdateExpression;
  min(value: number): UpdateExpression;
  max(value: number): UpdateExpression;
  push(...values: unknown[]): UpdateExpression;
  pull(value: unknown): UpdateExpression;
}

/** Fields holding an object (not an array), which a condition or a patch may reach into by `a.b` paths. */
type ObjectFields<D> = {
  [K in keyof D & string]-?: NonNullable<D[K]> extends readonly unknown[]
    ? never
    : NonNullable<D[K]> extends object
      ? K
      : never;
}[keyof D & string];
/** A path into an object field (`reminder.state`); what follows the dot is not checked. */
export type Path<D> = `${ObjectFields<D>}.${string}`;

declare const dynamicBrand: unique symbol;
/** A condition or patch whose paths are computed at run time; see `dynamic`. */
export interface Dynamic {
  readonly [dynamicBrand]: true;
}

/**
 * A condition or patch whose paths are computed at run time (a delivery queue's `${field}.claim`), which
 * the types cannot check against the document: only where a path cannot be written literally.
 */
export function dynamic(fields: Readonly<Record<string, unknown>>): Dynamic {
  // Type-only: the object is sent as it is.
  return fields as unknown as Dynamic;
}

/** A condition on documents of type D: its own fields (values or query expressions) and paths. */
export type Filter<D> = { [K in keyof D]?: D[K] | Expression } & { [P in Path<D>]?: unknown };
export type Where<D> = Filter<D> | Expression | Dynamic;
/** The fields an update writes: its own fields (values or update expressions) and paths; never `_id`. */
export type Patch<D> = { [K in Exclude<keyof D, '_id'>]?: D[K] | UpdateExpression } & {
  [P in Path<D>]?: unknown;
};

export interface FindOptions<D> {
  orderBy?: [field: (keyof D & string) | Path<D>, order: 'asc' | 'desc'];
  /** The most documents wanted; reads past the platform's 1,000 a request are paged. */
  limit?: number;
}

const PAGE = 1000;

/** The most documents one aggregation answers (with a `limit` stage; 20 without one). */
export const AGGREGATE_MAX = 10_000;

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
 * The index a duplicate-key failure names, or undefined when `err` is not one. The platform reports
 * DATABASE_DUPLICATE_WRITE with MongoDB's E11000 text, which names the index (`_id_` for the primary
 * key); a name the schema does not declare unique answers `unknown`.
 */
export function duplicateKeyIndex(err: unknown): UniqueIndex | 'unknown' | undefined {
  const text = errorText(err);
  if (!/E11000|DUPLICATE_WRITE/i.test(text)) return undefined;
  const name = /index:\s*([A-Za-z0-9_.$-]+)/.exec(text)?.[1];
  if (name === '_id_' || name === '_id') return '_id';
  return UNIQUE_INDEXES.find((i) => i === name) ?? 'unknown';
}

export function isTransactionConflict(err: unknown): boolean {
  return /TRANSACTION_CONFLICT|WriteConflict|transaction.*conflict/i.test(errorText(err));
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

/**
 * Thrown inside a transaction, or by its attempt, that finds changed what its caller read outside it and
 * decided on (a guard's version moved between the two reads, a document read as missing created meanwhile):
 * `retryConflicts` runs the attempt again, as after a conflict.
 */
export class ReadAgain extends Error {
  constructor(what: string) {
    super(`${what} changed since it was read: read again`);
    this.name = 'ReadAgain';
  }
}

/** How many times `retryConflicts` runs its attempt before the conflict is answered. */
export const CONFLICT_TRIES = 6;

/**
 * Runs `attempt` — the reads that decide what to write, then ONE transaction — again while it fails with
 * a transaction conflict. Neither the platform nor wx-server-sdk 4.0.2 tries again a transaction that
 * lost one (another transaction wrote the same document first, or holds it): the caller does, from its
 * reads, so the loser of two identical requests takes the path a second call made after the winner would
 * (already done: that answer, no second write or audit entry). So too when the transaction throws
 * `ReadAgain`. The pause, short, growing and jittered, lets the winner commit first. After `tries` runs
 * the conflict is thrown.
 */
export async function retryConflicts<T>(
  attempt: () => Promise<T>,
  tries: number = CONFLICT_TRIES,
): Promise<T> {
  for (let run = 1; ; run += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (run >= tries || !(isTransactionConflict(err) || err instanceof ReadAgain)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** run * (0.5 + Math.random())));
    }
  }
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

type Doc = { _id: string };

/** The SDK's aggregation pipeline (`collection.aggregate()`), as far as we use it. */
export interface RawAggregate {
  match(query: object): RawAggregate;
  project(fields: object): RawAggregate;
  group(spec: object): RawAggregate;
  sort(spec: object): RawAggregate;
  lookup(spec: { from: string; pipeline: object[]; as: string; let?: object }): RawAggregate;
  limit(n: number): RawAggregate;
  /** A sub-pipeline's stages, for a `lookup`. */
  done(): object[];
  end(): Promise<unknown>;
}

/** `db.command.aggregate`, as far as we use it: `$.pipeline()` starts a `lookup`'s sub-pipeline. */
export interface RawAggregateCommand {
  pipeline(): RawAggregate;
}

/** One collection, typed by its documents. Get one from a `Db` (`db.bookings`), never build one. */
export class Collection<D extends Doc> {
  constructor(
    private readonly db: Db,
    readonly name: CollectionName,
  ) {}

  private get raw() {
    return this.db.raw.collection(this.name);
  }

  /** The document with this `_id`, or undefined. */
  async get(id: string): Promise<D | undefined> {
    // A where() on _id answers an empty list for a missing document instead of throwing like doc().get().
    const res = (await this.db.send(() => this.raw.where({ _id: id }).limit(1).get())) as {
      data: D[];
    };
    return res.data[0];
  }

  /** The matching documents; with `fields`, only those (and `_id`) come back, typed so. */
  find(where: Where<D>, options?: FindOptions<D>): Promise<D[]>;
  find<const F extends keyof D & string>(
    where: Where<D>,
    options: FindOptions<D> & { fields: readonly F[] },
  ): Promise<Pick<D, F | '_id'>[]>;
  async find(
    where: Where<D>,
    options: FindOptions<D> & { fields?: readonly string[] } = {},
  ): Promise<Partial<D>[]> {
    const wanted = options.limit ?? PAGE;
    const out: Partial<D>[] = [];
    while (out.length < wanted) {
      let query = this.raw.where(where);
      if (options.orderBy) query = query.orderBy(options.orderBy[0], options.orderBy[1]);
      if (options.fields) {
        query = query.field(Object.fromEntries(options.fields.map((f) => [f, true])));
      }
      const size = Math.min(PAGE, wanted - out.length);
      const page = query.skip(out.length).limit(size);
      const res = (await this.db.send(() => page.get())) as { data: Partial<D>[] };
      out.push(...res.data);
      if (res.data.length < size) break;
    }
    return out;
  }

  async count(where: Where<D>): Promise<number> {
    const res = (await this.db.send(() => this.raw.where(where).count())) as { total: number };
    return res.total;
  }

  /** Inserts a document with its own `_id`; a taken `_id` or unique key throws the duplicate-key error. */
  async insert(doc: D): Promise<void> {
    await this.db.send(() => this.raw.add({ data: doc }));
  }

  /** Updates every matching document atomically (each on its own); answers how many changed. */
  async update(where: Where<D>, patch: Patch<D> | Dynamic): Promise<number> {
    const res = (await this.db.send(() => this.raw.where(where).update({ data: patch }))) as {
      stats: { updated: number };
    };
    return res.stats.updated;
  }

  /** Removes every matching document (each on its own); answers how many were removed. */
  async remove(where: Where<D>): Promise<number> {
    const res = (await this.db.send(() => this.raw.where(where).remove())) as {
      stats: { removed: number };
    };
    return res.stats.removed;
  }
}

/** The SDK's transaction object, as far as we use it. */
interface RawTx {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: unknown }>;
      update(options: { data: object }): Promise<unknown>;
      remove(): Promise<unknown>;
    };
    add(options: { data: object }): Promise<unknown>;
  };
}

/** One collection inside a transaction: only single-document operations, like the platform allows. */
export class TxCollection<D extends Doc> {
  constructor(
    private readonly tx: RawTx,
    private readonly name: CollectionName,
    private readonly sent: () => void,
  ) {}

  /**
   * Reads (and so locks) the document. A missing one fails the whole transaction: wx-server-sdk's
   * `doc().get()` rejects with "document.get:fail document with _id … does not exist" (its default
   * `throwOnNotFound`, which `cloud.database()` keeps), on the platform and the local cloud alike
   * (test/cloud/store-db.test.ts). Read outside the transaction first where it may be missing.
   */
  async get(id: string): Promise<D> {
    this.sent();
    const res = await this.tx.collection(this.name).doc(id).get();
    return res.data as D;
  }

  async update(id: string, patch: Patch<D>): Promise<void> {
    this.sent();
    await this.tx.collection(this.name).doc(id).update({ data: patch });
  }

  async insert(doc: D): Promise<void> {
    this.sent();
    await this.tx.collection(this.name).add({ data: doc });
  }

  async remove(id: string): Promise<void> {
    this.sent();
    await this.tx.collection(this.name).doc(id).remove();
  }
}

export type Tx = { readonly [C in CollectionName]: TxCollection<Collections[C]> };

type Handles = { readonly [C in CollectionName]: Collection<Collections[C]> };

/**
 * One per invocation: besides typing, it counts the database requests the invocation made, which the
 * function logs with each request (an operational figure, and what `npm run bench:booking` reads).
 */
export class Db implements Handles {
  /** Database requests sent so far, retries and transaction steps included. */
  requests = 0;
  /** Of which refreshing an instance cache (the configuration), shared by later invocations. */
  cacheRequests = 0;

  readonly settings = new Collection<Collections['settings']>(this, 'settings');
  readonly offices = new Collection<Collections['offices']>(this, 'offices');
  readonly services = new Collection<Collections['services']>(this, 'services');
  readonly categories = new Collection<Collections['categories']>(this, 'categories');
  readonly calendar = new Collection<Collections['calendar']>(this, 'calendar');
  readonly bookings = new Collection<Collections['bookings']>(this, 'bookings');
  readonly persons = new Collection<Collections['persons']>(this, 'persons');
  readonly accounts = new Collection<Collections['accounts']>(this, 'accounts');
  readonly waitlist = new Collection<Collections['waitlist']>(this, 'waitlist');
  readonly notifier = new Collection<Collections['notifier']>(this, 'notifier');
  readonly roles = new Collection<Collections['roles']>(this, 'roles');
  readonly audit = new Collection<Collections['audit']>(this, 'audit');
  readonly apiKeys = new Collection<Collections['apiKeys']>(this, 'apiKeys');
  readonly nonces = new Collection<Collections['nonces']>(this, 'nonces');
  readonly adminNotices = new Collection<Collections['adminNotices']>(this, 'adminNotices');
  readonly statsDays = new Collection<Collections['statsDays']>(this, 'statsDays');
  readonly statsRollups = new Collection<Collections['statsRollups']>(this, 'statsRollups');
  readonly statsExports = new Collection<Collections['statsExports']>(this, 'statsExports');
  readonly statsBackfill = new Collection<Collections['statsBackfill']>(this, 'statsBackfill');
  readonly invitations = new Collection<Collections['invitations']>(this, 'invitations');
  readonly inviteAttempts = new Collection<Collections['inviteAttempts']>(this, 'inviteAttempts');
  readonly roleGuards = new Collection<Collections['roleGuards']>(this, 'roleGuards');

  constructor(readonly raw: Database) {}

  /** Sends one request (retried when transient), counted. For the collections above only. */
  send(op: () => unknown): Promise<unknown> {
    return retrying(op, () => {
      this.requests += 1;
    });
  }

  /**
   * ONE aggregation request on `collection` (counted, retried when transient like a read): `build` adds
   * the stages to the SDK's pipeline, with `$` the aggregation command (`$.pipeline()` for a `lookup`'s
   * sub-pipeline). Answers the documents it produced.
   */
  async aggregate<T>(
    collection: CollectionName,
    build: (pipeline: RawAggregate, $: RawAggregateCommand) => RawAggregate,
  ): Promise<T[]> {
    const raw = this.raw as unknown as {
      collection(name: string): { aggregate(): RawAggregate };
      command: { aggregate: RawAggregateCommand };
    };
    const res = (await this.send(() =>
      build(raw.collection(collection).aggregate(), raw.command.aggregate).end(),
    )) as { data?: T[]; list?: T[] };
    return res.data ?? res.list ?? [];
  }

  /**
   * Runs `load` (a refresh of an instance-wide cache) on a handle of its own and counts its requests here
   * as cache requests — only its own, even while this invocation sends others at the same time.
   */
  async forCache<T>(load: (db: Db) => Promise<T>): Promise<T> {
    const own = new Db(this.raw);
    try {
      return await load(own);
    } finally {
      this.requests += own.requests;
      this.cacheRequests += own.requests;
    }
  }

  get command(): Command {
    // The SDK's own object; only its update operators' return type is narrowed (see UpdateExpression).
    return this.raw.command as unknown as Command;
  }

  /**
   * Runs `fn` in a database transaction (only single-document operations and inserts are allowed inside,
   * like the platform). wx-server-sdk 4.0.2 does NOT retry a conflict or a failure of an operation inside
   * it, and any failed statement aborts the whole transaction: the caller retries with a new one
   * (`retryConflicts`, for a conflict).
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return (await this.raw.runTransaction(async (raw: RawTx) => {
      // Start and commit (or abort) are a request each; every operation inside is one more.
      this.requests += 2;
      const sent = (): void => {
        this.requests += 1;
      };
      const of = <C extends CollectionName>(name: C) =>
        new TxCollection<Collections[C]>(raw, name, sent);
      const tx: Tx = {
        settings: of('settings'),
        offices: of('offices'),
        services: of('services'),
        categories: of('categories'),
        calendar: of('calendar'),
        bookings: of('bookings'),
        persons: of('persons'),
        accounts: of('accounts'),
        waitlist: of('waitlist'),
        notifier: of('notifier'),
        roles: of('roles'),
        audit: of('audit'),
        apiKeys: of('apiKeys'),
        nonces: of('nonces'),
        adminNotices: of('adminNotices'),
        statsDays: of('statsDays'),
        statsRollups: of('statsRollups'),
        statsExports: of('statsExports'),
        statsBackfill: of('statsBackfill'),
        invitations: of('invitations'),
        inviteAttempts: of('inviteAttempts'),
        roleGuards: of('roleGuards'),
      };
      return fn(tx);
    })) as T;
  }
}
