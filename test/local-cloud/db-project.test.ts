/**
 * The local cloud's `$project` of plain top-level fields (local-cloud/src/db/operators.ts) answers exactly
 * what mingo's general `$project` answered before it (issue 16: it is there for speed only): the same
 * fields, the same values, the same key order, for generated documents and projections — `_id` kept,
 * named or left out, values null, arrays, sub-documents and missing. Any other projection still goes to
 * mingo. One difference, where mingo was wrong: a field named like a property of `Object.prototype`
 * (`toString`) keeps its stored value, as MongoDB answers it; mingo answered the inherited function.
 */
import fc from 'fast-check';
import * as pipelineOps from 'mingo/operators/pipeline';
import { Context } from 'mingo';
import { Aggregator, PLATFORM_OPERATORS, plainInclusion } from '../../local-cloud/src/db/operators';

const NAMES = ['_id', 'a', 'b', 'status', 'n_1', 'c'];

/** mingo's own operators only: the reference the fast path must match. */
const MINGO_ONLY = Context.init({ pipeline: { ...pipelineOps } as never });

const value = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.record({ x: fc.integer() })), {
    maxLength: 3,
  }),
  fc.record({ x: fc.integer(), y: fc.string({ maxLength: 2 }) }, { requiredKeys: ['x'] }),
);
const doc = fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: NAMES.length });
const projection = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...NAMES.filter((n) => n !== '_id')), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.constantFrom('keep', 'named', 'left out', 'named 1', 'left out 0'),
    fc.constantFrom(true, 1),
  )
  .map(([fields, id, on]) => {
    const out: Record<string, unknown> = {};
    if (id === 'named') out._id = true;
    if (id === 'named 1') out._id = 1;
    for (const f of fields) out[f] = on;
    if (id === 'left out') out._id = false;
    if (id === 'left out 0') out._id = 0;
    return out;
  });

function run(context: Context, docs: unknown[], project: Record<string, unknown>): unknown[] {
  return new Aggregator([{ $project: project }], { context, scriptEnabled: false }).run(
    docs as object[],
  );
}

/** Values and key order alike (toEqual ignores the order). */
const shape = (docs: unknown[]): string => JSON.stringify(docs);

describe('$project of plain top-level fields (issue 16: the fast path)', () => {
  it('answers what mingo answers, key order included', () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 6 }), projection, (docs, project) => {
        expect(plainInclusion(project)).toBeDefined();
        const ours = run(PLATFORM_OPERATORS, docs, project);
        const mingo = run(MINGO_ONLY, docs, project);
        expect(ours).toEqual(mingo);
        expect(shape(ours)).toBe(shape(mingo));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the values it copies, arrays and sub-documents included', () => {
    const docs = [{ _id: 'x', a: [1, { x: 2 }], b: { x: 1, y: 'z' }, c: 3 }];
    expect(run(PLATFORM_OPERATORS, docs, { b: true, a: 1 })).toEqual([
      { b: { x: 1, y: 'z' }, a: [1, { x: 2 }], _id: 'x' },
    ]);
    expect(run(PLATFORM_OPERATORS, docs, { c: true, _id: false })).toEqual([{ c: 3 }]);
  });

  it('keeps a field named like a property of Object.prototype, as MongoDB does', () => {
    const docs: unknown[] = [{ _id: 'x', toString: 0, constructor: 'c' }, { _id: 'y' }];
    const expected: unknown[] = [{ toString: 0, constructor: 'c', _id: 'x' }, { _id: 'y' }];
    expect(run(PLATFORM_OPERATORS, docs, { toString: true, constructor: 1 })).toEqual(expected);
    // mingo's own answer, which this replaces: the inherited function.
    expect(run(MINGO_ONLY, [{ toString: 0 }], { toString: true })).toEqual([
      { toString: Object.prototype.toString },
    ]);
  });

  it('leaves every other projection to mingo', () => {
    for (const other of [
      { a: false },
      { 'a.x': true },
      { a: '$b' },
      { a: { $slice: 1 } },
      { a: 2 },
      { $a: true },
      { '0': true },
      { _id: false },
      {},
    ]) {
      expect(plainInclusion(other)).toBeUndefined();
    }
    const docs = [{ _id: 1, a: { x: 1, y: 2 }, b: 2 }];
    const project = { 'a.x': true, b: '$b' };
    expect(run(PLATFORM_OPERATORS, docs, project)).toEqual(run(MINGO_ONLY, docs, project));
  });
});
