import type { Clock } from '../clock';

/** What a collection is declared with: `server/database/schema.json`. */
export interface CollectionSchema {
  /** The security rule applied in production; the local cloud only checks that it is server-only. */
  rule: Record<string, unknown>;
  indexes?: { name: string; keys: Record<string, 1 | -1>; unique?: boolean }[];
}

export interface DatabaseSchema {
  collections: Record<string, CollectionSchema>;
}

export interface DatabaseOptions {
  /** Directory of the durable store; absent means in memory (`--memory`). */
  dir?: string;
  clock: Clock;
  schema: DatabaseSchema;
}

/**
 * The local cloud database. `handle` takes one `database.*` request body exactly as wx-server-sdk sends
 * it to the admin endpoint and returns the JSON body to answer with (always HTTP 200): success
 * `{ data, requestId }` or the platform's error `{ code, message, requestId }`.
 */
export interface LocalDatabase {
  handle(body: Record<string, unknown>, requestId: string): Promise<Record<string, unknown>>;
  /** Inserts or replaces documents directly (demo data, fixtures); answers how many were written. */
  importDocuments(collection: string, docs: Record<string, unknown>[]): Promise<number>;
  /** Counts database requests handled, for benchmarks (`GET /stats`). */
  readonly requestCount: number;
  /** Disk transactions (each with its fsync) the store has written; 0 in memory. */
  readonly diskCommits: number;
  close(): Promise<void>;
}
