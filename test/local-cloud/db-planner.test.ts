/**
 * Reads planned through the declared indexes (local-cloud/src/db/planner.ts, issue 16) answer exactly what
 * testing every document answered — the same documents in the same (natural) order — for generated
 * collections (array fields, numbers against strings, missing fields, replaced and removed documents)
 * and generated filters (equality, `$in`, `$eq`, `$or`, `$and`, ranges and other conditions beside them),
 * in a query and in a `$lookup`'s sub-pipeline; and they do go through the index: a pinned `_id`, a
 * booking's day read and an `$or` of indexed branches look at a handful of documents, not all.
 */
import fc from 'fast-check';
import { runPipeline, toPipeline } from '../../local-cloud/src/db/aggregate';
import { Collection, idKeyOf } from '../../local-cloud/src/db/collections';
import type { Doc } from '../../local-cloud/src/db/ejson';
import { candidates, equalityPrefixes } from '../../local-cloud/src/db/planner';
import { find } from '../../local-cloud/src/db/query';

/** The shape of the bookings' declared indexes (server/database/schema.json). */
const INDEXES = [
  { fields: ['serviceId', 'date', 'status'] },
  { fields: ['openid', 'status'] },
  { fields: ['personKey', 'status'] },
  { fields: ['accountKey'] },
  { fields: ['slot.number'] },
];

const IDS: (string | number)[] = ['a', 'b', 'c', '1', 1, 2, 3];
const SERVICES = ['s1', 's2'];
const DATES = ['d1', 'd2'];
const STATUSES = ['booked', 'cancelled', 'served'];
const OPENIDS = ['o1', 'o2', 'o3'];
const NUMBERS = [1, 2, '1'];

const field = <T>(values: T[]): fc.Arbitrary<T | T[] | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...values) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...values), { maxLength: 2 }) },
  );

const docArb = fc
  .record({
    serviceId: field(SERVICES),
    date: field(DATES),
    status: field(STATUSES),
    openid: field(OPENIDS),
    personKey: field(OPENIDS),
    accountKey: field(NUMBERS),
    n: fc.integer({ min: 0, max: 3 }),
  })
  .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as Doc);

/** Writes in order (an id written again replaces its document, `null` removes it), as a collection sees them. */
const writesArb = fc.array(
  fc.tuple(fc.constantFrom(...IDS), fc.option(docArb, { nil: null, freq: 5 })),
  { maxLength: 14 },
);

function collectionOf(writes: [string | number, Doc | null][]): Collection {
  const c = new Collection('bookings', [], equalityPrefixes(INDEXES));
  for (const [id, doc] of writes) c.put(idKeyOf(id), doc && { ...doc, _id: id }, 1);
  return c;
}

const equality = (values: unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...values),
    fc.constantFrom(...values).map(($eq) => ({ $eq })),
    fc.uniqueArray(fc.constantFrom(...values), { maxLength: 3 }).map(($in) => ({ $in })),
  );

/** Present in a filter with this probability in 1/8 (an `_id` rarely: it would plan every other case). */
const some = (arb: fc.Arbitrary<unknown>, eighths: number): fc.Arbitrary<unknown> =>
  fc.option(arb, { nil: undefined, freq: Math.round(eighths / (8 - eighths)) || 1 });

/** One conjunction: some of the indexed fields by equality, and conditions an index cannot use. */
const conjunction = fc
  .record({
    _id: fc.oneof(
      { weight: 7, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: equality(IDS) },
    ),
    serviceId: some(equality(SERVICES), 6),
    date: some(equality(DATES), 5),
    status: some(equality(STATUSES), 4),
    openid: some(equality(OPENIDS), 3),
    personKey: some(equality(OPENIDS), 3),
    accountKey: some(equality(NUMBERS), 3),
    n: some(fc.constantFrom({ $gt: 1 }, { $ne: 2 }, 3), 2),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Doc);

const filterArb: fc.Arbitrary<Doc> = fc.oneof(
  conjunction,
  fc.array(conjunction, { minLength: 1, maxLength: 3 }).map(($or) => ({ $or })),
  fc
    .tuple(conjunction, fc.array(conjunction, { minLength: 1, maxLength: 3 }))
    .map(([c, $or]) => ({ ...c, $or })),
  fc.array(conjunction, { minLength: 1, maxLength: 2 }).map(($and) => ({ $and })),
);

describe('reads planned through the indexes (issue 16)', () => {
  it('find answers what testing every document answers, in the same order', () => {
    fc.assert(
      fc.property(writesArb, filterArb, (writes, filter) => {
        const c = collectionOf(writes);
        expect(find(c.select(filter), filter, {})).toEqual(find(c.all(), filter, {}));
      }),
      { numRuns: 1500 },
    );
  });

  it("a $lookup's sub-pipeline answers what the scan answers", () => {
    fc.assert(
      fc.property(writesArb, filterArb, fc.boolean(), (writes, filter, project) => {
        const c = collectionOf(writes);
        const stages = toPipeline(
          [
            {
              stageKey: '$lookup',
              stageValue: JSON.stringify({
                from: 'bookings',
                pipeline: [{ $match: filter }, ...(project ? [{ $project: { n: true } }] : [])],
                as: 'found',
              }),
            },
          ],
          0,
        );
        const all = (name: string): Doc[] => (name === 'bookings' ? c.all() : []);
        const scanned = runPipeline([{ _id: 'root' }], stages, all);
        const planned = runPipeline([{ _id: 'root' }], stages, all, (name, f) =>
          name === 'bookings' ? c.select(f) : [],
        );
        expect(planned).toEqual(scanned);
      }),
      { numRuns: 500 },
    );
  });

  it("looks at a handful of documents for a booking's day read, not the collection", () => {
    const c = new Collection('bookings', [], equalityPrefixes(INDEXES));
    for (let i = 0; i < 1000; i++) {
      c.put(
        idKeyOf(`b${i}`),
        {
          _id: `b${i}`,
          serviceId: `s${i % 20}`,
          date: `d${i % 7}`,
          status: STATUSES[i % 3] ?? 'booked',
          openid: `o${i}`,
          personKey: `p${i}`,
          accountKey: `a${i}`,
        },
        1,
      );
    }
    const day: Doc = {
      $or: [
        { serviceId: 's3', date: 'd3', status: { $in: ['booked', 'served'] } },
        { openid: 'o7', status: { $in: ['booked'] } },
        { _id: 'b9' },
        { accountKey: { $in: ['a1', 'a2'] } },
        { personKey: 'p5', status: 'cancelled', cancelledAt: { $gt: 0 } },
      ],
    };
    const planned = candidates(day, c);
    expect(planned?.size).toBeLessThan(20);
    expect(find(c.select(day), day, {})).toEqual(find(c.all(), day, {}));
    expect(candidates({ _id: 'b1', n: 3 }, c)).toEqual(new Set([idKeyOf('b1')]));
    // Nothing an index can use: every document is tested.
    expect(candidates({ date: 'd1' }, c)).toBeUndefined();
    expect(candidates({ $or: [{ serviceId: 's1' }, { date: 'd1' }] }, c)).toBeUndefined();
    expect(c.select({ date: { $gt: 'd0' } })).toHaveLength(1000);
  });

  it('hands a $lookup only what the index found', () => {
    const c = collectionOf([
      ['a', { openid: 'o1' }],
      [1, { openid: 'o2' }],
      ['1', { openid: 'o3' }],
    ]);
    const listed: string[] = [];
    const selected: unknown[] = [];
    const out = runPipeline(
      [{ _id: 'root' }],
      toPipeline(
        [
          {
            stageKey: '$lookup',
            stageValue: JSON.stringify({
              from: 'bookings',
              pipeline: [{ $match: { _id: 1 } }],
              as: 'one',
            }),
          },
        ],
        0,
      ),
      (name) => {
        listed.push(name);
        return c.all();
      },
      (_name, filter) => {
        selected.push(filter);
        return c.select(filter);
      },
    );
    expect(out).toEqual([{ _id: 'root', one: [{ _id: 1, openid: 'o2' }] }]);
    expect(selected).toEqual([{ _id: 1 }]);
    expect(listed).toEqual([]);
  });
});
