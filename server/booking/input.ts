/**
 * The whole input of every action, validated at the edge (types, lengths, formats). Objects are strict:
 * an unknown field is refused, so nothing in `data` can smuggle in an account or a status. Formats that
 * belong to the rules (an ID number's check digit, a plate) are checked by the domain afterwards, with
 * their own codes; here only the shape.
 */
// zod/mini: the same validation as zod with a tree-shakable API, ~40 KB in the bundle instead of ~850 KB.
import * as z from 'zod/mini';
import type { BookingAction } from '../../typings/api';
import { isDateString } from '../domain/china-time';

const ID_RE = /^[A-Za-z0-9_-]+$/;
const id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(ID_RE));
const shortId = z.string().check(z.minLength(1), z.maxLength(32), z.regex(ID_RE));
const date = z.string().check(z.refine(isDateString));
const field = (max: number) => z.string().check(z.maxLength(max));

const category = field(32);
const vin = z.optional(field(32));

const person = z.strictObject({
  name: field(40),
  idNumber: field(32),
  phone: field(24),
  plate: field(16),
  category,
  vin,
});

const known = z.strictObject({ ref: id, plate: field(16), category, vin });
const self = z.strictObject({ phone: field(24), plate: field(16), category, vin });
const nameAndId = { name: field(40), idNumber: field(32) };

export const schemas = {
  catalogue: z.strictObject({}),
  availability: z.strictObject({ serviceId: id }),
  book: z.strictObject({
    serviceId: id,
    date,
    periodId: z.optional(shortId),
    // Exactly one of the two: checked by `book` (REQUEST.INVALID on `person`).
    person: z.optional(person),
    known: z.optional(known),
    self: z.optional(self),
    requestId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/)),
    subscribed: z.optional(z.boolean()),
    changeSubscribed: z.optional(z.boolean()),
  }),
  precheck: z.strictObject({ serviceId: id, date, idNumber: field(32) }),
  persons: z.strictObject({}),
  remind: z.strictObject({ bookingId: id }),
  cancel: z.strictObject({ bookingId: id }),
  reschedule: z.strictObject({ bookingId: id, date, periodId: z.optional(shortId) }),
  mine: z.strictObject({
    before: z.optional(z.number().check(z.int(), z.positive(), z.lte(Number.MAX_SAFE_INTEGER))),
  }),
  detail: z.strictObject({ bookingId: id }),
  standing: z.strictObject({}),
  notify: z.strictObject({ serviceId: id }),
  notifyCancel: z.strictObject({ serviceId: id }),
  notifyState: z.strictObject({ serviceId: id }),
  identity: z.strictObject({}),
  identityStart: z.strictObject(nameAndId),
  verifyIdentity: z.strictObject({
    ...nameAndId,
    // The realname code, or the face check's verify_id (≤ 256, getVerifyId) and out_seq_no (5–32).
    code: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
    verifyId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    session: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{5,32}$/))),
  }),
  forMe: z.strictObject({}),
  cancelForMe: z.strictObject({ bookingId: id }),
} satisfies { [A in BookingAction]: z.ZodMiniType };
