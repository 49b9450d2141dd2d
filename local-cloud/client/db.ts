/**
 * The database read and changed raw, through the real `wx-server-sdk` (an `SdkRunner`), whatever the
 * functions' own data layer says: to set a scene or check what a function left behind.
 */
import type { SdkRunner } from './sdk';

/** Every document of `collection` matching `where` (raw, up to 1,000). */
export async function docs<T = Record<string, unknown>>(
  db: SdkRunner,
  collection: string,
  where: Record<string, unknown> = {},
): Promise<T[]> {
  return db.run(
    async (c, a) => {
      const res = (await c
        .database()
        .collection(a.collection)
        .where(a.where)
        .limit(1000)
        .get()) as {
        data: unknown[];
      };
      return res.data;
    },
    { collection, where },
  ) as Promise<T[]>;
}

/** Removes every document of each collection named. */
export async function removeAll(db: SdkRunner, collections: string[]): Promise<void> {
  await db.run(async (c, names) => {
    const d = c.database();
    const _ = d.command;
    for (const name of names)
      await d
        .collection(name)
        .where({ _id: _.exists(true) })
        .remove();
  }, collections);
}

/**
 * Updates one document, raw. Each field given is replaced whole (an object value is not merged into the
 * stored one, as a plain update would do); dotted paths reach inside.
 */
export async function patch(
  db: SdkRunner,
  collection: string,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  await db.run(
    async (c, a) => {
      const d = c.database();
      const replaced: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(a.data)) {
        replaced[key] = typeof value === 'object' && value !== null ? d.command.set(value) : value;
      }
      await d.collection(a.collection).doc(a.id).update({ data: replaced });
    },
    { collection, id, data },
  );
}
