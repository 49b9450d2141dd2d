/**
 * The store's names against server/database/schema.json, both ways: every collection of the schema has a
 * typed accessor and no accessor names a collection the schema lacks; every index the code names exists
 * with the keys and uniqueness the guarantees rest on (R4 slot, R5 person's day), and every unique index
 * of the schema is one the duplicate-key classification knows. A renamed index or collection fails here.
 */
import { readSchema } from '../../scripts/db-schema';
import { COLLECTION_NAMES } from '../../server/store/collections';
import { duplicateKeyIndex } from '../../server/store/db';
import { INDEX, UNIQUE_INDEXES } from '../../server/store/indexes';

const schema = readSchema();

function indexesOf(name: string) {
  const collection = Object.entries(schema.collections).find(([n]) => n === name)?.[1];
  return collection?.indexes ?? [];
}

describe('store ↔ schema.json', () => {
  it('has a typed collection for every collection of the schema, and no other', () => {
    expect(Object.keys(COLLECTION_NAMES).sort()).toEqual(Object.keys(schema.collections).sort());
  });

  it('names every index of the schema, and only those', () => {
    const named = Object.fromEntries(
      Object.entries(INDEX).map(([c, names]) => [c, Object.values(names).sort()]),
    );
    const declared = Object.fromEntries(
      Object.keys(schema.collections)
        .filter((c) => indexesOf(c).length > 0)
        .map((c) => [
          c,
          indexesOf(c)
            .map((i) => i.name)
            .sort(),
        ]),
    );
    expect(named).toEqual(declared);
  });

  it('knows the unique indexes the guarantees rest on, with their keys (R4, R5)', () => {
    const unique = Object.keys(schema.collections).flatMap((c) =>
      indexesOf(c).filter((i) => i.unique === true),
    );
    expect(unique.map((i) => i.name).sort()).toEqual([...UNIQUE_INDEXES].sort());
    const spec = (name: string) => indexesOf('bookings').find((i) => i.name === name);
    expect(spec(INDEX.bookings.slot)).toEqual({
      name: INDEX.bookings.slot,
      keys: { slotKey: 1 },
      unique: true,
    });
    expect(spec(INDEX.bookings.personDay)).toEqual({
      name: INDEX.bookings.personDay,
      keys: { activeKey: 1 },
      unique: true,
    });
  });

  it('classifies a duplicate-key failure by the index it names', () => {
    const dup = (index: string) => ({
      errCode: -501001,
      errMsg: `[DATABASE_DUPLICATE_WRITE] E11000 duplicate key error collection: env.bookings index: ${index} dup key: { x: 1 }`,
    });
    expect(duplicateKeyIndex(dup('slot_unique'))).toBe(INDEX.bookings.slot);
    expect(duplicateKeyIndex(dup('person_day_unique'))).toBe(INDEX.bookings.personDay);
    expect(duplicateKeyIndex(dup('_id_'))).toBe('_id');
    expect(duplicateKeyIndex(dup('renamed_unique'))).toBe('unknown');
    expect(
      duplicateKeyIndex({ errCode: -501001, errMsg: 'resource system error' }),
    ).toBeUndefined();
  });
});
