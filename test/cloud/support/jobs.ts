/**
 * For the timer jobs' tests (reminders, noshow-sweep, notify): changing configuration the way an
 * administrator does (raising `configVersion`). Running a job as its timer does and reading documents raw
 * are the local cloud client's (`runJob`, `docs`, `patch`).
 */
import { patch, type SdkRunner } from '../../../local-cloud/client';

/** Changes configuration as an administrator does: the document, then `configVersion` raised. */
export async function configure(
  db: SdkRunner,
  collection: string,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  await patch(db, collection, id, data);
  await db.run(async (c) => {
    const d = c.database();
    await d
      .collection('settings')
      .doc('global')
      .update({ data: { configVersion: d.command.inc(1) } });
  });
}
