/**
 * The one place that adapts wx-server-sdk's typings (which mix callback and promise overloads) to the
 * promise-only shapes our handlers use.
 */
import cloud from 'wx-server-sdk';

export type Database = ReturnType<typeof cloud.database>;

export function initCloud(): void {
  // The typings declare DYNAMIC_CURRENT_ENV as a symbol while init() wants a string; the SDK accepts it.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
}

interface Gettable {
  get(): unknown;
}

/** Runs a query's `get()` and returns its documents typed as `T` (the caller vouches for the shape). */
export async function getDocs<T>(query: Gettable): Promise<T[]> {
  const res = (await query.get()) as { data: T[] };
  return res.data;
}

export { cloud };
