/**
 * Transactions as the platform documents them ("事务", https://developers.weixin.qq.com/miniprogram/dev/
 * wxcloud/guide/database/transaction.html — snapshot isolation):
 * 1. reads inside a transaction see a snapshot (fixed when the transaction first touches the database),
 *    plus the transaction's own writes;
 * 2. a write changes the snapshot and puts a transaction lock on the document;
 * 3. if a document carries another transaction's lock, a transaction writing it fails at once
 *    (DATABASE_TRANSACTION_CONFLICT) while an ordinary write waits until the lock is released (commit,
 *    abort, or the transaction's 30 s limit);
 * 4. commit writes the snapshot's changes atomically.
 * As in MongoDB (which backs the service), writing a document that someone else changed after the
 * snapshot also conflicts, and a transaction whose statement failed is aborted: later calls, commit
 * included, find no transaction (DATABASE_TRANSACTION_FAIL, "TransactionNotExist").
 *
 * Besides documents, the unique keys a transaction's writes will hold are reserved, so that two
 * transactions (or a transaction and an ordinary write) cannot both take the same key before either
 * commits. This module keeps the bookkeeping (open transactions, locks, reservations, expiry, waiters);
 * the engine decides what conflicts.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { IdKey } from './collections';
import type { Doc } from './ejson';
import { transactionNotExist } from './errors';

/** "transaction must be commit or abort in 30 seconds" */
export const TRANSACTION_LIMIT_MS = 30_000;
/** How often abandoned transactions are looked for, in real time (the emulated clock may jump). */
const SWEEP_INTERVAL_MS = 250;

export interface StagedWrite {
  collection: string;
  idKey: IdKey;
  /** The document as the transaction leaves it; null: removed. */
  doc: Doc | null;
}

export class Transaction {
  /** Document key → the transaction's version of it, in write order. */
  readonly writes = new Map<string, StagedWrite>();
  /** Unique key → the document key that holds it in this transaction's view. */
  readonly heldKeys = new Map<string, string>();
  /** The document keys it has locked and the unique keys it has reserved. */
  readonly locked = new Set<string>();
  readonly reserved = new Set<string>();
  /** The commit number its reads see; null until its first operation. */
  snapshot: number | null = null;

  constructor(
    readonly id: string,
    readonly startedAt: number,
  ) {}
}

export class TransactionManager {
  private readonly open = new Map<string, Transaction>();
  private readonly locks = new Map<string, Transaction>();
  private readonly reservations = new Map<string, Transaction>();
  private waiters: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly clock: Clock,
    /** Called after a transaction ends, with the oldest snapshot still open (for pruning). */
    private readonly onEnd: (oldestSnapshot: number | undefined) => void,
  ) {
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  start(): Transaction {
    this.sweep();
    const txn = new Transaction(randomBytes(16).toString('hex'), this.clock.now());
    this.open.set(txn.id, txn);
    return txn;
  }

  /** The open transaction `id`; throws the platform's "does not exist" once it ended or expired. */
  get(id: string): Transaction {
    this.sweep();
    const txn = this.open.get(id);
    if (!txn) throw transactionNotExist();
    return txn;
  }

  lockedBy(docKey: string): Transaction | undefined {
    return this.locks.get(docKey);
  }

  reservedBy(uniqueKey: string): Transaction | undefined {
    return this.reservations.get(uniqueKey);
  }

  lock(txn: Transaction, docKey: string): void {
    this.locks.set(docKey, txn);
    txn.locked.add(docKey);
  }

  reserve(txn: Transaction, uniqueKey: string): void {
    this.reservations.set(uniqueKey, txn);
    txn.reserved.add(uniqueKey);
  }

  /** True while some open transaction has a snapshot that past versions must be kept for. */
  anySnapshot(): boolean {
    for (const txn of this.open.values()) if (txn.snapshot !== null) return true;
    return false;
  }

  private oldestSnapshot(): number | undefined {
    let oldest: number | undefined;
    for (const txn of this.open.values()) {
      if (txn.snapshot !== null && (oldest === undefined || txn.snapshot < oldest)) {
        oldest = txn.snapshot;
      }
    }
    return oldest;
  }

  /** Ends `txn` (committed or not): releases its locks and reservations and wakes waiting writers. */
  end(txn: Transaction): void {
    if (!this.open.delete(txn.id)) return;
    for (const key of txn.locked) this.locks.delete(key);
    for (const key of txn.reserved) this.reservations.delete(key);
    this.onEnd(this.oldestSnapshot());
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when some transaction ends (the caller then looks again at what blocked it). */
  waitForRelease(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Aborts the transactions past the 30 s limit of the emulated clock. */
  sweep(): void {
    const now = this.clock.now();
    for (const txn of [...this.open.values()]) {
      if (now - txn.startedAt > TRANSACTION_LIMIT_MS) this.end(txn);
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const txn of [...this.open.values()]) this.end(txn);
  }
}
