/**
 * The production schema script's translation of server/database/schema.json into WeChat's HTTP API
 * calls: every collection created, and the unique indexes that keep bookings correct (R4, R5) sent as
 * unique, in WeChat's shape ({ name, direction: "1" }).
 */
import { readSchema, schemaCalls } from '../../scripts/db-schema';

describe('deploy:db', () => {
  const calls = schemaCalls(readSchema(), 'env-1');

  it('creates every collection of the schema before any index', () => {
    const schema = readSchema();
    const creates = calls.filter((c) => c.path === 'tcb/databasecollectionadd');
    expect(creates.map((c) => c.body.collection_name)).toEqual(
      Object.keys(schema.collections).sort(),
    );
    // The benchmark's collection is the benchmark's own (bench/local-cloud.ts creates it).
    expect(creates.map((c) => c.body.collection_name)).not.toContain('profiles');
    const firstIndex = calls.findIndex((c) => c.path === 'tcb/updateindex');
    expect(calls.slice(firstIndex).every((c) => c.path === 'tcb/updateindex')).toBe(true);
  });

  it("sends the bookings' unique keys as unique indexes in WeChat's shape", () => {
    const bookings = calls.find(
      (c) => c.path === 'tcb/updateindex' && c.body.collection_name === 'bookings',
    );
    const indexes = bookings?.body.create_indexes as {
      name: string;
      unique: boolean;
      keys: unknown;
    }[];
    expect(indexes.filter((i) => i.unique).map((i) => [i.name, i.keys])).toEqual(
      expect.arrayContaining([
        ['slot_unique', [{ name: 'slotKey', direction: '1' }]],
        ['person_day_unique', [{ name: 'activeKey', direction: '1' }]],
      ]),
    );
    expect(bookings?.body).toMatchObject({ env: 'env-1', drop_indexes: [] });
  });

  it('declares every collection server-only (R14)', () => {
    for (const c of Object.values(readSchema().collections))
      expect(c.rule).toEqual({ read: false, write: false });
  });
});
