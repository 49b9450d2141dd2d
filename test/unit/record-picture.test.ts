/**
 * The instance's picture of flagged records (server/store/record-picture.ts), behind R10's suspended
 * persons and R15/R16's gated accounts on the sold-out snapshot's path: what it plans to read, what it
 * learns from what was read, and whom it sends to the database. The reads themselves go through the local
 * cloud in test/cloud/claim.test.ts; here the bookkeeping alone, with a part size of 3.
 */
import { RecordPicture, type PicturePlan } from '../../server/store/record-picture';

interface Rec {
  _id: string;
  until?: number;
}

const OVERLAP = 30_000;

function picture(): RecordPicture<Rec, number, number | undefined> {
  return new RecordPicture<Rec, number, number | undefined>({
    from: 'persons',
    projection: { _id: true, until: true },
    readMax: 3,
    overlapMs: OVERLAP,
    as: { part: 'part', changed: 'changed' },
    flagged: () => ({}),
    entryOf: (doc, now) => (doc.until !== undefined && doc.until > now ? doc.until : undefined),
    expired: (until, now) => until <= now,
  });
}

const T = 1_000_000;
const rec = (id: string, until?: number): Rec => ({ _id: id, ...(until ? { until } : {}) });

function check(
  p: RecordPicture<Rec, number, number | undefined>,
  now: number,
  row: { part?: Rec[]; changed?: Rec[] },
  basis?: number,
): PicturePlan {
  const plan = p.plan(now, basis);
  p.note(plan, row, now, basis);
  return plan;
}

describe('the picture of flagged records (R10, R15, R16)', () => {
  it('knows nothing before its first check: nobody is sent to the database', () => {
    const p = picture();
    expect(p.plan(T, undefined)).toEqual({ after: '' });
    expect(p.flaggedLately('a', T)).toBe(false);
  });

  it('reads in parts, sending those above the last part read to the database until a part comes back short', () => {
    const p = picture();
    check(p, T, { part: [rec('a', T + 9), rec('c', T + 9), rec('e', T + 9)] });
    expect(p.flaggedLately('c', T + 1)).toBe(true);
    // Not flagged, below the part read: known not flagged.
    expect(p.flaggedLately('b', T + 1)).toBe(false);
    // Above it: not read yet, so the database decides.
    expect(p.flaggedLately('f', T + 1)).toBe(true);
    expect(check(p, T + 2, { part: [rec('g', T + 9)], changed: [] })).toEqual({
      after: 'e',
      since: T - OVERLAP,
    });
    expect(p.flaggedLately('f', T + 3)).toBe(false);
    expect(p.flaggedLately('g', T + 3)).toBe(true);
    // The full read is done: only changes from now on.
    expect(p.plan(T + 4, undefined)).toEqual({ since: T + 2 - OVERLAP });
  });

  it('learns flags set and lifted from the changes, and drops entries past their date', () => {
    const p = picture();
    check(p, T, { part: [rec('a', T + 100)] });
    check(p, T + 10, { changed: [rec('b', T + 50), rec('a')] });
    expect([p.flaggedLately('a', T + 11), p.flaggedLately('b', T + 11)]).toEqual([false, true]);
    expect(p.flaggedLately('b', T + 50)).toBe(false);
  });

  it('starts over when the changes fill a read: some were left out', () => {
    const p = picture();
    check(p, T, { part: [rec('a', T + 100)] });
    check(p, T + 10, { changed: [rec('x', T + 99), rec('y', T + 99), rec('z', T + 99)] });
    // Everyone is unknown again: the database decides until the full read reaches them.
    expect(p.flaggedLately('b', T + 11)).toBe(true);
    expect(p.plan(T + 20, undefined)).toEqual({ after: '', since: T + 10 - OVERLAP });
  });

  it('starts over when the setting it was read with changes (R16: the refusal limit)', () => {
    const p = picture();
    check(p, T, { part: [rec('a', T + 100)] }, 5);
    expect(p.plan(T + 10, 5)).toEqual({ since: T - OVERLAP });
    expect(p.plan(T + 10, 3)).toEqual({ after: '' });
    expect(p.flaggedLately('a', T + 10)).toBe(false);
  });

  it('starts over when the clock is set back before its last check (changes since then would be skipped)', () => {
    const p = picture();
    check(p, T, { part: [rec('a', T + 100)] });
    expect(p.plan(T - 60_000, undefined)).toEqual({ after: '' });
  });
});
