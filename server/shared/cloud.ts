/**
 * wx-server-sdk, initialised for the function's own environment. Its database is typed for our
 * collections by server/store/db.ts.
 */
import cloud from 'wx-server-sdk';

export type Database = ReturnType<typeof cloud.database>;

let database: Database | undefined;

export function initCloud(): void {
  // The typings declare DYNAMIC_CURRENT_ENV as a symbol while init() wants a string; the SDK accepts it.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  database = undefined;
}

/**
 * The instance's database handle, made on first use and kept while the instance is warm, as WeChat's
 * examples keep `const db = cloud.database()` beside `cloud.init`: `cloud.database()` builds a new
 * class and a new client each time it is called, which every invocation paid for (issue 16). The
 * handle holds no per-invocation state; what an invocation sent is counted by store/db.ts's `Db`.
 */
export function instanceDatabase(): Database {
  database ??= cloud.database();
  return database;
}

export { cloud };

/**
 * `cloud.deleteFile` (at most 50 ids a call), per file `status` 0 when deleted, -503003 when there was no
 * such file. The typings allow `void` for the callback style, which is never used here.
 */
export async function deleteFiles(
  fileList: string[],
): Promise<{ fileID: string; status: number }[]> {
  const answer = await cloud.deleteFile({ fileList });
  if (!answer) throw new Error('deleteFile answered nothing');
  return answer.fileList;
}
