/**
 * For the database conformance tests: the promise-only slice of wx-server-sdk's database API they use,
 * typed (the SDK's own typings mix callback overloads and `any`), and a small local-cloud variant serving
 * only the database with a schema of the test's choosing (the CLI always reads
 * server/database/schema.json).
 *
 * Functions given to `SdkRunner.run` travel as source text into the SDK child, so they may use these
 * types (erased) but nothing else from this module.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../../local-cloud/client';
import { Clock } from '../../../local-cloud/src/clock';
import { openDatabase, type LocalDatabase } from '../../../local-cloud/src/db';
import type { DatabaseSchema } from '../../../local-cloud/src/db/types';

/* Types of the SDK's database as a function sees it. */

export type Data = Record<string, unknown>;

export interface Command {
  eq(v: unknown): CommandChain;
  neq(v: unknown): CommandChain;
  gt(v: unknown): CommandChain;
  gte(v: unknown): CommandChain;
  lt(v: unknown): CommandChain;
  lte(v: unknown): CommandChain;
  in(v: unknown[]): CommandChain;
  nin(v: unknown[]): CommandChain;
  /** Top-level logic: the result is a where() condition itself. */
  and(...conditions: unknown[]): Data;
  or(...conditions: unknown[]): Data;
  exists(v: boolean): unknown;
  size(v: number): unknown;
  all(v: unknown[]): unknown;
  elemMatch(v: unknown): unknown;
  /** A where() condition of its own (`{ $jsonSchema }`). */
  jsonSchema(v: unknown): Data;
  not(v: unknown): unknown;
  set(v: unknown): unknown;
  remove(): unknown;
  inc(v: number): unknown;
  mul(v: number): unknown;
  min(v: unknown): unknown;
  max(v: unknown): unknown;
  rename(v: string): unknown;
  push(v: unknown): unknown;
  pop(): unknown;
  shift(): unknown;
  unshift(v: unknown): unknown;
  pull(v: unknown): unknown;
  pullAll(v: unknown[]): unknown;
  addToSet(v: unknown): unknown;
  /** The aggregation operators the tests use. */
  aggregate: Record<
    'sum' | 'push' | 'week' | 'indexOfCP' | 'substr' | 'substrBytes',
    (v: unknown) => unknown
  >;
}

/** A query command, which chains with others on the same field. */
export interface CommandChain {
  and(v: unknown): CommandChain;
  or(v: unknown): CommandChain;
}

export interface GetResult {
  data: Data[];
  errMsg: string;
}

export interface Query {
  where(condition: Data): Query;
  orderBy(field: string, order: 'asc' | 'desc'): Query;
  skip(n: number): Query;
  limit(n: number): Query;
  field(projection: Data): Query;
  get(): Promise<GetResult>;
  count(): Promise<{ total: number; errMsg: string }>;
  update(options: { data: Data; multi?: boolean }): Promise<{ stats: { updated: number } }>;
  remove(options?: { multi?: boolean }): Promise<{ stats: { removed: number } }>;
}

export interface DocRef {
  get(): Promise<{ data: Data | null; errMsg: string }>;
  field(projection: Data): DocRef;
  set(options: {
    data: Data;
  }): Promise<{ _id: unknown; stats: { updated: number; created: number } }>;
  update(options: { data: Data }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Aggregate {
  match(v: Data): Aggregate;
  group(v: Data): Aggregate;
  sort(v: Data): Aggregate;
  project(v: Data): Aggregate;
  limit(n: number): Aggregate;
  skip(n: number): Aggregate;
  lookup(v: Data): Aggregate;
  unwind(v: unknown): Aggregate;
  count(field: string): Aggregate;
  end(): Promise<{ list: Data[]; errMsg: string }>;
}

export interface Collection extends Query {
  doc(id: string | number): DocRef;
  add(options: {
    data: Data | Data[];
  }): Promise<{ _id?: string | number; _ids?: (string | number)[] }>;
  aggregate(): Aggregate;
}

export interface Transaction {
  collection(name: string): Collection;
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}

export interface Db {
  command: Command;
  serverDate(options?: { offset: number }): unknown;
  RegExp(options: { regexp: string; options?: string }): unknown;
  collection(name: string): Collection;
  createCollection(name: string): Promise<unknown>;
  runTransaction<T>(fn: (t: Transaction) => Promise<T>, times?: number): Promise<T>;
  startTransaction(): Promise<Transaction>;
}

/** What a rejected SDK call carried, as the runner hands it back. */
export interface SdkFailure {
  errCode?: number | string;
  errMsg?: string;
  code?: string;
  message: string;
}

/** Resolves to the rejection of `promise` (and fails the test if it resolved). */
export async function failure(promise: Promise<unknown>): Promise<SdkFailure> {
  try {
    await promise;
  } catch (err) {
    const e = err as SdkFailure;
    return { errCode: e.errCode, errMsg: e.errMsg, code: e.code, message: e.message };
  }
  throw new Error('expected the call to fail, it succeeded');
}

/* A database-only local cloud with a schema of the test's choosing. */

export interface DbOnlyCloud extends Pick<LocalCloud, 'url' | 'env'> {
  db: LocalDatabase;
  clock: Clock;
  stop(): Promise<void>;
}

export async function startDatabaseOnly(
  schema: DatabaseSchema,
  dir?: string,
): Promise<DbOnlyCloud> {
  const clock = new Clock();
  const db = await openDatabase({ clock, schema, ...(dir === undefined ? {} : { dir }) });
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      void db.handle(body, `db-only-${++counter}`).then((answer) => {
        const text = JSON.stringify(answer);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    clock,
    env: {
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
      TENCENTCLOUD: 'true',
      TENCENTCLOUD_SECRETID: 'local-cloud',
      TENCENTCLOUD_SECRETKEY: 'local-cloud',
      TCB_ENV: 'local',
      SCF_NAMESPACE: 'local',
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}
