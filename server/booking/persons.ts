/**
 * 常用办理人 (issue 12 finding 3): the people this account booked for before, offered on the form so a
 * second booking needs no retyping. The server keeps no full ID or phone (R14), and needs none: booking
 * "the same person as booking X" copies X's person key and masked values. Only the account's own
 * bookings are read, so the list and the refs teach an account nothing it did not type itself
 * (issue 15: a stranger's ID in someone's hands stays as useless as before).
 */
import type { BookingApi, KnownPerson } from '../../typings/api';
import { maskName } from '../domain/identity';
import { AppError } from '../shared/errors';
import type { BookingDoc } from '../store/documents/booking';
import type { Context } from './context';

/** The account's latest bookings looked at, and the people listed at most. */
const LOOK_BACK = 50;
const MAX_PERSONS = 5;

export async function persons(ctx: Context): Promise<BookingApi['persons']['res']> {
  const docs = await ctx.db.bookings.find(
    { openid: ctx.openid },
    {
      orderBy: ['createdAt', 'desc'],
      limit: LOOK_BACK,
      fields: [
        'personKey',
        'name',
        'idMasked',
        'phoneMasked',
        'plate',
        'vinMasked',
        'category',
        'date',
      ],
    },
  );
  const seen = new Set<string>();
  const list: KnownPerson[] = [];
  for (const d of docs) {
    if (seen.has(d.personKey) || list.length >= MAX_PERSONS) continue;
    seen.add(d.personKey);
    const known: KnownPerson = {
      ref: d._id,
      nameMasked: maskName(d.name),
      idMasked: d.idMasked,
      phoneMasked: d.phoneMasked,
      plate: d.plate,
      category: d.category,
      lastDate: d.date,
    };
    if (d.vinMasked !== undefined) known.vinMasked = d.vinMasked;
    list.push(known);
  }
  return { persons: list };
}

/**
 * The booking a `known.ref` names, when it is this account's; another account's ref answers exactly like
 * a missing one (PERSON.NOT_FOUND), so refs cannot be probed.
 */
export async function knownPerson(ctx: Context, ref: string): Promise<BookingDoc> {
  const doc = await ctx.db.bookings.get(ref);
  if (!doc || doc.openid !== ctx.openid) throw new AppError('PERSON.NOT_FOUND', 'known.ref');
  return doc;
}
