/**
 * The local cloud's database: what wx-server-sdk reaches through the admin endpoint's `database.*`
 * actions. Files, by concern:
 * - `actions.ts`   the request bodies and answers, action by action
 * - `ejson.ts`     the wire format (Extended JSON) and `db.serverDate()`
 * - `query.ts`, `update.ts`, `aggregate.ts`   translation to mingo (MongoDB semantics)
 * - `engine.ts`    operations, atomicity, ordinary writes waiting on transaction locks
 * - `transactions.ts`, `snapshots.ts`   transactions: locks, expiry, snapshot reads
 * - `indexes.ts`, `collections.ts`      unique index enforcement, the committed documents
 * - `store.ts`     durability (LMDB) or none (memory)
 * - `errors.ts`    the platform's error codes and messages
 */
import { handleAction } from './actions';
import { decode, isPlainObject } from './ejson';
import { Engine } from './engine';
import { DbError } from './errors';
import { LmdbStore, MemoryStore } from './store';
import type { DatabaseOptions, LocalDatabase } from './types';

export type { DatabaseOptions, DatabaseSchema, LocalDatabase } from './types';

const DEFAULT_ENV = 'local';

export async function openDatabase(options: DatabaseOptions): Promise<LocalDatabase> {
  const store = options.dir === undefined ? new MemoryStore() : new LmdbStore(options.dir);
  const engine = new Engine(options.clock, options.schema, store);
  await engine.open();
  let requests = 0;

  return {
    async handle(
      body: Record<string, unknown>,
      requestId: string,
    ): Promise<Record<string, unknown>> {
      requests++;
      try {
        const env =
          typeof body.envName === 'string' && body.envName !== '' ? body.envName : DEFAULT_ENV;
        const answer = await handleAction(engine, body, { env, now: options.clock.now() });
        return { ...answer, requestId };
      } catch (err) {
        if (err instanceof DbError) return { code: err.code, message: err.message, requestId };
        // A bug of ours, not a platform answer: logged (no request contents) and answered generically.
        console.error(
          `[local-cloud] database ${String(body.action)} failed:`,
          err instanceof Error ? (err.stack ?? err.message) : String(err),
        );
        return {
          code: 'DATABASE_REQUEST_FAILED',
          message: `[InternalError] the local database failed (${requestId}), see its log.`,
          requestId,
        };
      }
    },

    async importDocuments(collection: string, docs: Record<string, unknown>[]): Promise<number> {
      const decoded = docs.map((raw) => {
        const doc = decode(raw, options.clock.now());
        if (!isPlainObject(doc)) throw new Error('import: a document must be an object');
        return doc;
      });
      return engine.importDocuments(collection, decoded);
    },

    get requestCount(): number {
      return requests;
    },

    get diskCommits(): number {
      return store.diskCommits;
    },

    close(): Promise<void> {
      return engine.close();
    },
  };
}
