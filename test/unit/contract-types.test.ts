/**
 * The edge against the wire contract, at the type level: for every action, what its `zod/mini` schema
 * (server/booking/input.ts) lets through is exactly the request type of typings/api.ts — no field more or
 * less, none optional on one side only, none of another kind. A schema that drifts from its request type
 * does not compile (`tsc -p .` in npm run check, and the test below, which compiles this file).
 *
 * One deliberate difference: a string the rules narrow (a violation category id, R7) is a plain string at
 * the edge, which checks shapes only; the domain checks the value afterwards with its own error code
 * (IDENTITY.CATEGORY_INVALID), so `Shape` compares strings as strings.
 */
import path from 'node:path';
import ts from 'typescript';
import * as z from 'zod/mini';
import { schemas } from '../../server/booking/input';
import type { BookingAction, BookingApi } from '../../typings/api';

/** True only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> =
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the exact-equality idiom: it compares two generic signatures
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when T is `true`. */
type Expect<T extends true> = T;

/** What the edge can know of a request: its shape, with string unions as strings. */
type Shape<T> = T extends string
  ? string
  : T extends number | boolean | undefined | null
    ? T
    : T extends readonly (infer E)[]
      ? Shape<E>[]
      : { [K in keyof T]: Shape<T[K]> };

type Edge<A extends BookingAction> = z.output<(typeof schemas)[A]>;
type Wire<A extends BookingAction> = Shape<BookingApi[A]['req']>;

/** Per action: does its schema give exactly its request type? */
type Matches = { [A in BookingAction]: Equal<Edge<A>, Wire<A>> };

export type Contract = [
  // Every action at once, so a new action is covered the moment it enters the contract…
  Expect<Equal<Matches, { [A in BookingAction]: true }>>,
  // …and each by name, so a failure says which one.
  Expect<Matches['catalogue']>,
  Expect<Matches['availability']>,
  Expect<Matches['book']>,
  Expect<Matches['cancel']>,
  Expect<Matches['reschedule']>,
  Expect<Matches['mine']>,
  Expect<Matches['detail']>,
  Expect<Matches['standing']>,
  Expect<Matches['notify']>,
  Expect<Matches['notifyCancel']>,
];

// The check fails on drift: each schema below is deliberately wrong against the contract.
const _numberId = z.strictObject({ bookingId: z.number() });
const _requiredPeriod = z.strictObject({
  bookingId: z.string(),
  date: z.string(),
  periodId: z.string(),
});
const _missingDate = z.strictObject({ bookingId: z.string(), periodId: z.optional(z.string()) });
const _extraField = z.strictObject({ serviceId: z.string(), openid: z.string() });

export type Drift = [
  // @ts-expect-error a field of another kind (a number where the contract has a string)
  Expect<Equal<z.output<typeof _numberId>, Wire<'cancel'>>>,
  // @ts-expect-error a field required at the edge that the contract has optional
  Expect<Equal<z.output<typeof _requiredPeriod>, Wire<'reschedule'>>>,
  // @ts-expect-error a field the contract has and the edge lost
  Expect<Equal<z.output<typeof _missingDate>, Wire<'reschedule'>>>,
  // @ts-expect-error a field the edge accepts and the contract does not have
  Expect<Equal<z.output<typeof _extraField>, Wire<'notify'>>>,
];

describe('the input schemas against typings/api.ts', () => {
  it('compile: every schema gives its request type, and each deliberate drift above is caught', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.resolve(__dirname, '../../tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    );
    if (!config) throw new Error('tsconfig.json not readable');
    const program = ts.createProgram([__filename], config.options);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(__filename))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    // An unused @ts-expect-error (a drift no longer caught) is an error too.
    expect(errors).toEqual([]);
  });
});
