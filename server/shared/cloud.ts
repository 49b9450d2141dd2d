/**
 * wx-server-sdk, initialised for the function's own environment. Its database is typed for our
 * collections by server/store/db.ts.
 */
import cloud from 'wx-server-sdk';

export type Database = ReturnType<typeof cloud.database>;

export function initCloud(): void {
  // The typings declare DYNAMIC_CURRENT_ENV as a symbol while init() wants a string; the SDK accepts it.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
}

export { cloud };
