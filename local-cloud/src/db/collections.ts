/**
 * The committed documents of one collection, in memory (the durable copy is in the store): id → document
 * with its natural-order sequence and its version (the commit that last wrote it), plus the unique
 * indexes over them and the equality lookups reads are planned with (planner.ts). Documents held here
 * are never mutated: a write replaces the object.
 */
import type { Doc } from './ejson';
import { indexKeys, UniqueIndex, type IndexKey, type IndexSpec } from './indexes';
import type { IdKey } from './ids';
import { candidates, EqualityIndex } from './planner';

export { type IdKey, idKeyOf } from './ids';

export interface StoredDoc {
  /** Insertion order, kept across restarts: the order of a query without orderBy. */
  seq: number;
  /** The commit that last wrote the document. */
  version: number;
  doc: Doc;
}

export interface UniqueClash {
  index: IndexSpec;
  key: IndexKey;
  /** The id key of the document already holding the key. */
  owner: IdKey;
}

export class Collection {
  readonly docs = new Map<IdKey, StoredDoc>();
  readonly unique: UniqueIndex[];
  readonly lookups: EqualityIndex[];
  private nextSeq = 1;

  constructor(
    readonly name: string,
    uniqueSpecs: IndexSpec[],
    /** The field lists looked up by equality (`equalityPrefixes` of the declared indexes). */
    lookupFields: string[][] = [],
  ) {
    this.unique = uniqueSpecs.map((spec) => new UniqueIndex(spec));
    this.lookups = lookupFields.map((fields) => new EqualityIndex(fields));
  }

  get(idKey: IdKey): StoredDoc | undefined {
    return this.docs.get(idKey);
  }

  /** The documents in natural order. */
  all(): Doc[] {
    return [...this.docs.values()].map((stored) => stored.doc);
  }

  /**
   * The documents `filter` may match, in natural order, found through the indexes (a superset: the caller
   * still tests the filter); every document when no index applies.
   */
  select(filter: unknown): Doc[] {
    const ids = candidates(filter, this);
    if (!ids) return this.all();
    const found: StoredDoc[] = [];
    for (const id of ids) {
      const stored = this.docs.get(id);
      if (stored) found.push(stored);
    }
    return found.sort((a, b) => a.seq - b.seq).map((stored) => stored.doc);
  }

  /**
   * The first unique key of `doc` already held by a committed document that is not `idKey` and not in
   * `ignoring` (documents the caller is about to replace or remove in the same commit).
   */
  clash(idKey: IdKey, doc: Doc, ignoring?: ReadonlySet<IdKey>): UniqueClash | undefined {
    for (const index of this.unique) {
      for (const key of indexKeys(index.spec, doc)) {
        const owner = index.owner(key.text);
        if (owner !== undefined && owner !== idKey && !ignoring?.has(owner)) {
          return { index: index.spec, key, owner };
        }
      }
    }
    return undefined;
  }

  /** Writes one document (or removes it, `doc` null) at `version`; answers the sequence it holds. */
  put(idKey: IdKey, doc: Doc | null, version: number, seq?: number): number {
    const previous = this.docs.get(idKey);
    if (previous) {
      for (const index of this.unique) index.remove(idKey, previous.doc);
      for (const index of this.lookups) index.remove(idKey, previous.doc);
    }
    if (doc === null) {
      this.docs.delete(idKey);
      return previous?.seq ?? 0;
    }
    const holds = seq ?? previous?.seq ?? this.nextSeq;
    this.nextSeq = Math.max(this.nextSeq, holds + 1);
    this.docs.set(idKey, { seq: holds, version, doc });
    for (const index of this.unique) index.add(idKey, doc);
    for (const index of this.lookups) index.add(idKey, doc);
    return holds;
  }

  /** Loading: documents arrive in any order; restores natural order by sequence. */
  load(entries: { idKey: IdKey; seq: number; doc: Doc }[]): void {
    entries.sort((a, b) => a.seq - b.seq);
    for (const entry of entries) {
      const clash = this.clash(entry.idKey, entry.doc);
      if (clash) {
        throw new Error(
          `collection ${this.name}: stored documents violate unique index ${clash.index.name}; ` +
            'the data directory predates the schema (remove it to start afresh)',
        );
      }
      this.put(entry.idKey, entry.doc, 0, entry.seq);
    }
  }
}
