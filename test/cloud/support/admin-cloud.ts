/**
 * The setup the administrators' suites share, over `useLocalCloud` (./local-cloud.ts): a seeded local
 * cloud started before the file's tests and stopped after them, its clock pinned (no timer fired by the
 * jump), what the file needs in the database before anyone is granted (`prepare`: the second office, an
 * emptied collection), the first `city_admin` bootstrapped as in production (the console's call, with no
 * user OPENID, answers a code that account enters), and the `office_admin`s that city admin grants.
 *
 * `useAdminCloud` registers the hooks and answers `{ cloud, db }` at once, so a file destructures them at
 * the top as it used to declare them; they reach the instances started in `beforeAll` (before it, any use
 * throws). Hooks run in the order registered: the file's own `beforeAll` comes after these.
 */
import type { LocalCloud, SdkRunner } from '../../../local-cloud/client';
import { adminOk, bootstrapCityAdmin } from './hall';
import { useLocalCloud, type LocalCloudOptions } from './local-cloud';

export interface AdminCloudOptions {
  /** The emulated clock's start (epoch ms, e.g. `chinaTime('2026-06-22T10:00:00')`). */
  now: number;
  /** The first `city_admin`'s OPENID. */
  city: string;
  /** `office_admin`s granted by `city`, in this order: OPENID → office id. */
  officeAdmins?: Record<string, string>;
  /** Runs after the clock is set and before the bootstrap (e.g. `addOtherOffice`). */
  prepare?: (db: SdkRunner) => Promise<void>;
  /** Extra environment for the local cloud, as `useLocalCloud`'s (e.g. `LOCALCLOUD_LATENCY_MS`). */
  extraEnv?: LocalCloudOptions['extraEnv'];
}

export interface AdminCloud {
  cloud: LocalCloud;
  db: SdkRunner;
}

export function useAdminCloud(options: AdminCloudOptions): AdminCloud {
  const { cloud, db } = useLocalCloud({
    now: options.now,
    ...(options.extraEnv === undefined ? {} : { extraEnv: options.extraEnv }),
  });

  beforeAll(async () => {
    await options.prepare?.(db);
    await bootstrapCityAdmin(cloud, options.city);
    for (const [openid, officeId] of Object.entries(options.officeAdmins ?? {}))
      await adminOk(cloud, options.city, 'grantRole', { openid, role: 'office_admin', officeId });
  });

  return { cloud, db };
}
