/**
 * Snapshot reads for transactions (multi-version concurrency, only as much as open transactions need).
 *
 * Every commit has a number (its version). A transaction's snapshot is the last commit number when it
 * first touched the database; its reads return each document as it was at that number. The live
 * collections hold only the newest versions, so while a snapshotted transaction is open the engine hands
 * every overwritten or removed document to `record` before replacing it; `readAt` walks back to the
 * version a snapshot sees. Removals leave a tombstone carrying their version, so that a transaction
 * writing a document removed after its snapshot is told it conflicts. Once no open transaction can see a
 * version any more it is dropped (`prune`).
 */
import type { StoredDoc } from './collections';
import type { Doc } from './ejson';

interface PastVersion {
  /** The commit that wrote this version (0: the document did not exist). */
  from: number;
  /** The commit that replaced it. */
  until: number;
  doc: Doc | null;
}

export class SnapshotHistory {
  private readonly past = new Map<string, PastVersion[]>();
  private readonly tombstones = new Map<string, number>();

  /** The commit that last wrote `key`, removals included (0 when never written since start). */
  versionOf(key: string, live: StoredDoc | undefined): number {
    return live?.version ?? this.tombstones.get(key) ?? 0;
  }

  /** Called before commit `version` replaces `live` (absent: the document did not exist). */
  record(key: string, live: StoredDoc | undefined, version: number, removing: boolean): void {
    const versions = this.past.get(key) ?? [];
    versions.push({ from: this.versionOf(key, live), until: version, doc: live?.doc ?? null });
    this.past.set(key, versions);
    if (removing) this.tombstones.set(key, version);
    else this.tombstones.delete(key);
  }

  /** The document as commit `snapshot` left it. */
  readAt(key: string, snapshot: number, live: StoredDoc | undefined): Doc | null {
    if (this.versionOf(key, live) <= snapshot) return live?.doc ?? null;
    for (const version of this.past.get(key) ?? []) {
      if (version.from <= snapshot && snapshot < version.until) return version.doc;
    }
    // Unreachable while `record` is called for every commit made during an open snapshot.
    return null;
  }

  /** Forgets what no snapshot at or after `oldest` can see; everything when none is open. */
  prune(oldest: number | undefined): void {
    if (oldest === undefined) {
      this.past.clear();
      this.tombstones.clear();
      return;
    }
    for (const [key, versions] of this.past) {
      const kept = versions.filter((version) => version.until > oldest);
      if (kept.length === 0) this.past.delete(key);
      else this.past.set(key, kept);
    }
    for (const [key, version] of this.tombstones)
      if (version <= oldest) this.tombstones.delete(key);
  }
}
