/**
 * What a warm instance knows of the records of one collection that are flagged now — the persons
 * suspended (R10, day-state.ts) and the WeChat accounts suspended or slowed (R15, R16, account-gates.ts).
 * Such a picture only chooses the sold-out snapshot's path (a flagged caller is sent to the database,
 * whose one read tells it exactly); it never refuses anyone and never lets anyone book, so an entry gone
 * stale costs one read, never a wrong answer.
 *
 * It costs no request of its own: its two reads are `lookup`s of the request the configuration's refresh
 * makes anyway, at most every CACHE_MS (`readSettingsAndFreed` in catalogue.ts), each bounded to
 * `readMax` rows, so a city's thousands of flagged records are not sent to every instance every 10 s:
 * - the full read, at an instance's first check: the records flagged now, in `_id` order, one part per
 *   check until a part comes back short. Until then a record whose `_id` is above the last one read is
 *   not known either way, and `flaggedLately` answers true for it (the database path decides);
 * - from then on, at every check, only the records changed since the previous check (`updatedAt`, with
 *   `overlapMs` of overlap for writes that land late) and flagged now — or, where a flag can be lifted
 *   before its date (a person's suspension, R10), lifted since. When that answer is full, what it left
 *   out is unknown: the picture starts over with the full read, every record being sent to the database
 *   until its part is read again.
 * A flag that depends on a setting (`basis`: R16's refusal limit) is read for the setting in use; a
 * changed setting, or a clock set back (the local cloud's can be), starts the picture over. Entries leave
 * by their own dates. Before an instance's first check nothing is known and a flagged caller is told
 * SOLD_OUT there (up to CACHE_MS after a cold start, the documented trade-off: it is true, only R16's
 * order is lost).
 */
import type { CollectionName } from './collections';
import type { Db, RawAggregate, RawAggregateCommand } from './db';

/** What one check reads: the full read's next part, and the changes since the last check. */
export interface PicturePlan {
  /** The full read's next part: `_id`s above this one. */
  after?: string;
  /** The records changed since this instant. */
  since?: number;
}

export interface PictureSpec<D extends { _id: string }, E, B> {
  from: CollectionName;
  /** Only what tells whether a record is flagged. */
  projection: Record<string, true>;
  /** Rows per read. */
  readMax: number;
  /** How far back each read of changes looks before the previous check. */
  overlapMs: number;
  /** Where the two reads land in the request's row: the part, and the changes. */
  as: { part: string; changed: string };
  /** The filter of the records flagged at `now`. */
  flagged(db: Db, now: number, basis: B): object;
  /** The filter of the records whose flag may have been lifted since `since`, where one can be. */
  lifted?(db: Db, since: number): object;
  /** The entry a record read at `now` gives, or undefined when it is not flagged. */
  entryOf(doc: D, now: number, basis: B): E | undefined;
  /** Whether an entry no longer flags its record at `now`. */
  expired(entry: E, now: number): boolean;
}

export class RecordPicture<D extends { _id: string }, E, B = undefined> {
  private readonly known = new Map<string, E>();
  /** The full read's progress: `_id`s above this one are not read yet ('' none yet, undefined all). */
  private after: string | undefined = '';
  /** When the last check ran (undefined: never, in this instance). */
  private checkedAt: number | undefined;
  /** The setting the picture was read with. */
  private basis: { value: B } | undefined;

  constructor(readonly spec: PictureSpec<D, E, B>) {}

  /** Forgets everything (tests start each case from the database alone). */
  forget(): void {
    this.known.clear();
    this.after = '';
    this.checkedAt = undefined;
    this.basis = undefined;
  }

  /** What the next check at `now` reads, for the setting `basis`. */
  plan(now: number, basis: B): PicturePlan {
    const back = this.checkedAt !== undefined && now < this.checkedAt;
    if (back || (this.basis !== undefined && this.basis.value !== basis)) this.forget();
    const { after, checkedAt } = this;
    return {
      ...(after === undefined ? {} : { after }),
      ...(checkedAt === undefined ? {} : { since: checkedAt - this.spec.overlapMs }),
    };
  }

  /** The plan's reads as `lookup`s of `read` (named `spec.as`), in the same request. */
  lookups(
    db: Db,
    read: RawAggregate,
    $: RawAggregateCommand,
    plan: PicturePlan,
    now: number,
    basis: B,
  ): RawAggregate {
    const _ = db.command;
    const { spec } = this;
    const flagged = spec.flagged(db, now, basis);
    let out = read;
    if (plan.after !== undefined)
      out = out.lookup({
        from: spec.from,
        pipeline: $.pipeline()
          .match(_.and([{ _id: _.gt(plan.after) }, flagged]))
          .sort({ _id: 1 })
          .limit(spec.readMax)
          .project(spec.projection)
          .done(),
        as: spec.as.part,
      });
    if (plan.since !== undefined) {
      const since = plan.since;
      const matters = spec.lifted ? _.or([flagged, spec.lifted(db, since)]) : flagged;
      out = out.lookup({
        from: spec.from,
        pipeline: $.pipeline()
          .match(_.and([{ updatedAt: _.gt(since) }, matters]))
          .limit(spec.readMax)
          .project(spec.projection)
          .done(),
        as: spec.as.changed,
      });
    }
    return out;
  }

  /** The check planned as `plan` ran at `now` and brought `row` (its `spec.as` fields). */
  note(plan: PicturePlan, row: Record<string, unknown>, now: number, basis: B): void {
    const { spec, known } = this;
    const part = row[spec.as.part] as readonly D[] | undefined;
    const changed = row[spec.as.changed] as readonly D[] | undefined;
    const learn = (docs: readonly D[]): void => {
      for (const doc of docs) {
        const entry = spec.entryOf(doc, now, basis);
        if (entry === undefined) known.delete(doc._id);
        else known.set(doc._id, entry);
      }
    };
    if (plan.after !== undefined) {
      const docs = part ?? [];
      learn(docs);
      const last = docs.at(-1);
      this.after = docs.length < spec.readMax || !last ? undefined : last._id;
    }
    if (plan.since !== undefined) {
      const docs = changed ?? [];
      if (docs.length >= spec.readMax) {
        // Some changes were left out: nobody's flag is known until the full read has reached them.
        known.clear();
        this.after = '';
      } else learn(docs);
    }
    for (const [id, entry] of known) if (spec.expired(entry, now)) known.delete(id);
    this.checkedAt = now;
    this.basis = { value: basis };
  }

  /**
   * Whether the record `id` may be flagged at `now` as far as this instance knows: seen so, or not read
   * yet by a full read that has not finished (the database path then decides). `_id`s here are ASCII
   * (hex person keys, OPENIDs), so string order is the database's `_id` order.
   */
  flaggedLately(id: string, now: number): boolean {
    const entry = this.known.get(id);
    if (entry !== undefined && !this.spec.expired(entry, now)) return true;
    return this.checkedAt !== undefined && this.after !== undefined && id > this.after;
  }
}
