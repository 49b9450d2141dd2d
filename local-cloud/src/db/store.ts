/**
 * Where committed documents live between runs. The engine keeps every document in memory (queries run on
 * that copy) and hands each commit to the store as one batch of puts and removes:
 * - `LmdbStore` (`dir` set) makes commits durable by GROUP COMMIT: a commit handed over while the disk is
 *   idle is written at once, in one LMDB transaction, and fsynced; the commits handed over while that
 *   fsync runs wait, and are then written together in ONE transaction with ONE fsync — and so on. Each
 *   `write` resolves only after the fsync of the transaction holding it, so an acknowledged write survives
 *   `kill -9`; a transaction is all-or-nothing (LMDB's copy-on-write B-tree never exposes half of one after
 *   a crash), so each commit, being inside one, is too. Groups are written one after the other in the
 *   order the commits were handed over, so a later durable commit implies every earlier one is durable.
 *   Under 400 concurrent writes this is a handful of fsyncs instead of 400 queued ones (`npm run
 *   bench:local-cloud`, "burst"); `diskCommits` counts them (`GET /stats`).
 * - `MemoryStore` (`--memory`) keeps nothing.
 *
 * lmdb-js (v3) would batch asynchronous writes of one event turn by itself, but `flushed` then follows
 * whatever batch is pending when it is asked, so under a steady stream each write also waited for the
 * next batch; the grouping is explicit here instead, and only this class writes to the environment.
 * `overlappingSync` is off, so a transaction's promise resolves after its fsync; `flushed` is awaited as
 * well (it is then that same transaction). `noSync` stays false.
 */
import fs from 'node:fs';
import path from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { Doc } from './ejson';
import { decode, stringifyEjson } from './ejson';

export interface StoredEntry {
  collection: string;
  idKey: string;
  seq: number;
  doc: Doc;
}

export type StoreOp =
  | { kind: 'put'; collection: string; idKey: string; seq: number; doc: Doc }
  | { kind: 'remove'; collection: string; idKey: string }
  | { kind: 'collection'; collection: string };

export interface Store {
  /** Everything stored: the collections created and their documents. */
  load(): { collections: string[]; docs: StoredEntry[] };
  /** Writes one commit atomically; resolves when it is durable. Call order is commit order. */
  write(ops: StoreOp[]): Promise<void>;
  /** How many disk transactions (each with its fsync) have been written: fewer than commits under load. */
  readonly diskCommits: number;
  close(): Promise<void>;
}

export class MemoryStore implements Store {
  readonly diskCommits = 0;

  load(): { collections: string[]; docs: StoredEntry[] } {
    return { collections: [], docs: [] };
  }

  write(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

// Keys: one namespace per kind, the collection name, then the id key (which carries the id's type).
const SEP = '\u0000';
const DOC = 'd';
const COLLECTION = 'c';

function docKey(collection: string, idKey: string): string {
  return `${DOC}${SEP}${collection}${SEP}${idKey}`;
}

interface StoredValue {
  s: number;
  d: unknown;
}

const OWNER_FILE = 'database.pid';

/**
 * Whether process `pid` still runs. `kill(pid, 0)` also answers for a zombie — a process killed with
 * SIGKILL whose parent has not reaped it yet — which holds no files and writes nothing; on Linux its
 * state in /proc/<pid>/stat (the field after the parenthesised name) is 'Z' (or 'X', dead).
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    // No /proc (macOS): kill(pid, 0) is all there is. Gone between the two looks: not alive.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync('/proc/self/stat');
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Claims `dir` for this process. The documents are served from memory, so a second process on the same
 * directory would answer from a stale copy and overwrite the first's writes; it is refused instead. A
 * claim left by a killed process is taken over.
 */
function claim(dir: string): string {
  const file = path.join(dir, OWNER_FILE);
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(fs.readFileSync(file, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new Error(`the database in ${dir} is in use by process ${owner}`);
    }
    fs.rmSync(file, { force: true });
  }
}

/** A commit waiting for the group it will be written in. */
interface Waiting {
  ops: StoreOp[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class LmdbStore implements Store {
  private readonly db: RootDatabase<string, string>;
  private readonly ownerFile: string;
  /** Commits handed over while a group is being written: the next group. */
  private waiting: Waiting[] = [];
  /** The group being written (and fsynced), if any. */
  private writing: Promise<void> | undefined;
  private groups = 0;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.ownerFile = claim(dir);
    this.db = open<string, string>({
      path: dir,
      // Always a directory holding data.mdb: lmdb-js would otherwise take a name with a dot ("data.v2")
      // for a file name and open it as one.
      noSubdir: false,
      encoding: 'string',
      overlappingSync: false,
      noSync: false,
      commitDelay: 0,
    });
  }

  load(): { collections: string[]; docs: StoredEntry[] } {
    const collections: string[] = [];
    for (const { key } of this.db.getRange({
      start: `${COLLECTION}${SEP}`,
      end: `${COLLECTION}\u0001`,
    })) {
      collections.push(key.slice(2));
    }
    const docs: StoredEntry[] = [];
    for (const { key, value } of this.db.getRange({ start: `${DOC}${SEP}`, end: `${DOC}\u0001` })) {
      const rest = key.slice(2);
      const cut = rest.indexOf(SEP);
      const stored = JSON.parse(value) as StoredValue;
      docs.push({
        collection: rest.slice(0, cut),
        idKey: rest.slice(cut + 1),
        seq: stored.s,
        doc: decode(stored.d, 0) as Doc,
      });
    }
    return { collections, docs };
  }

  get diskCommits(): number {
    return this.groups;
  }

  write(ops: StoreOp[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ ops, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Writes groups until nothing waits: each group is what arrived while the previous one was written. */
  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          await this.writeGroup(group.map((w) => w.ops));
        } catch (err) {
          // Nothing of the group is durable (the transaction aborted whole): none is acknowledged.
          for (const w of group) w.reject(err);
          continue;
        }
        for (const w of group) w.resolve();
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** ONE LMDB transaction holding every commit of the group, in order; resolves after its fsync. */
  private async writeGroup(commits: StoreOp[][]): Promise<void> {
    await this.db.transaction(() => {
      for (const ops of commits) {
        for (const op of ops) {
          if (op.kind === 'collection') {
            void this.db.put(`${COLLECTION}${SEP}${op.collection}`, '{}');
          } else if (op.kind === 'put') {
            const value = `{"s":${op.seq},"d":${stringifyEjson(op.doc)}}`;
            void this.db.put(docKey(op.collection, op.idKey), value);
          } else {
            void this.db.remove(docKey(op.collection, op.idKey));
          }
        }
      }
    });
    await this.db.flushed;
    this.groups += 1;
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    await this.db.flushed;
    await this.db.close();
    fs.rmSync(this.ownerFile, { force: true });
  }
}
