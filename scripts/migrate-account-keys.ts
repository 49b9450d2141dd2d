/**
 * `npm run -s migrate:account-keys` (after `eval "$(npm run -s local-cloud:env)"`, or with the
 * production environment's keys): gives every booking written before `accountKey` existed (R5's account
 * limit guarded by the unique index `account_slot_unique`, issue 15 finding 3) the key docs/data-model.md
 * says, so that `npm run deploy:db` can create the index — a unique index counts a missing field as null,
 * so two bookings without one would refuse it:
 *
 * - a finished booking (cancelled, served, no-show…): `released:<_id>`, holding nothing;
 * - an active one: `own:<_id>`, a key of its own — the day's read still counts it against the account's
 *   limit, the index does not guard it; it ends like any booking.
 *
 * Idempotent: it only touches bookings without the field, by a write conditional on it still missing, so
 * running it twice, or beside the functions writing new bookings (which carry their key), is safe.
 */
import cloud from 'wx-server-sdk';
import { ACTIVE_STATUSES } from '../server/domain/standing';

const PAGE = 100;

interface Legacy {
  _id: string;
  status: string;
}

/** The minimum of wx-server-sdk's database used here. */
export interface MigrationDb {
  command: { exists(v: boolean): unknown };
  collection(name: 'bookings'): {
    where(q: object): {
      limit(n: number): { field(f: object): { get(): Promise<{ data: unknown[] }> } };
      update(o: { data: object }): Promise<{ stats: { updated: number } }>;
    };
  };
}

/** Answers how many bookings got a key. */
export async function migrateAccountKeys(db: MigrationDb): Promise<number> {
  const missing = { accountKey: db.command.exists(false) };
  let done = 0;
  for (;;) {
    const page = (await db
      .collection('bookings')
      .where(missing)
      .limit(PAGE)
      .field({ status: true })
      .get()) as { data: Legacy[] };
    if (page.data.length === 0) return done;
    for (const b of page.data) {
      const key = (ACTIVE_STATUSES as readonly string[]).includes(b.status)
        ? `own:${b._id}`
        : `released:${b._id}`;
      const res = await db
        .collection('bookings')
        .where({ _id: b._id, ...missing })
        .update({ data: { accountKey: key } });
      done += res.stats.updated;
    }
  }
}

if (require.main === module) {
  // The typings declare DYNAMIC_CURRENT_ENV as a symbol while init() wants a string; the SDK accepts it.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  migrateAccountKeys(cloud.database() as unknown as MigrationDb).then(
    (n) => process.stdout.write(`accountKey set on ${n} bookings\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
