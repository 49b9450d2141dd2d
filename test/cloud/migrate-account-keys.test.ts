/**
 * The migration of bookings written before `accountKey` existed (scripts/migrate-account-keys.ts, issue
 * 15 finding 3), against a local cloud started as production was before `npm run deploy:db` created
 * `account_slot_unique` (LOCALCLOUD_SCHEMA: the schema without that index).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateAccountKeys, type MigrationDb } from '../../scripts/migrate-account-keys';
import { cloud as wx } from '../../server/shared/cloud';
import { docs } from '../../local-cloud/client';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(60_000);

let dir: string;

/** The schema without `account_slot_unique`, written to a temporary file: answers its path. */
function schemaBeforeTheIndex(): string {
  const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, '../../server/database/schema.json'), 'utf8'),
  ) as { collections: { bookings: { indexes: { name: string }[] } } };
  const bookings = schema.collections.bookings;
  bookings.indexes = bookings.indexes.filter((i) => i.name !== 'account_slot_unique');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
  const file = path.join(dir, 'schema.json');
  fs.writeFileSync(file, JSON.stringify(schema));
  return file;
}

const { db } = useLocalCloud({
  seed: false,
  extraEnv: () => ({ LOCALCLOUD_SCHEMA: schemaBeforeTheIndex() }),
  inProcess: true,
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

it('keys the finished bookings released and the active ones their own, once, leaving keyed ones alone', async () => {
  const legacy = [
    { _id: 'b-active', status: 'booked' },
    { _id: 'b-checked', status: 'checked_in' },
    { _id: 'b-cancelled', status: 'cancelled' },
    { _id: 'b-served', status: 'served' },
    { _id: 'b-noshow', status: 'no_show' },
  ];
  const keyed = { _id: 'b-new', status: 'booked', accountKey: 'acct|o-x|0' };
  await db.run(
    async (c, rows) => {
      // Their other unique keys, as such bookings carried them.
      for (const row of rows)
        await c
          .database()
          .collection('bookings')
          .add({
            data: {
              ...row,
              slotKey: `released:${row._id}`,
              activeKey: `released:${row._id}`,
              passToken: `pass-${row._id}`,
            },
          });
    },
    [...legacy, keyed],
  );
  const database = wx.database() as unknown as MigrationDb;
  expect(await migrateAccountKeys(database)).toBe(5);
  const after = Object.fromEntries(
    (await docs<{ _id: string; accountKey?: string }>(db, 'bookings')).map((b) => [
      b._id,
      b.accountKey,
    ]),
  );
  expect(after).toEqual({
    'b-active': 'own:b-active',
    'b-checked': 'own:b-checked',
    'b-cancelled': 'released:b-cancelled',
    'b-served': 'released:b-served',
    'b-noshow': 'released:b-noshow',
    'b-new': 'acct|o-x|0',
  });
  // Every key distinct: the unique index can now be created.
  expect(new Set(Object.values(after)).size).toBe(6);
  expect(await migrateAccountKeys(database)).toBe(0);
});
