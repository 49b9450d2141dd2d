/**
 * The configuration's instance cache (server/store/catalogue.ts) run in this process against the local
 * cloud's database: what it reads when it is stale. Past its CACHE_MS one read of the settings' version
 * decides, also across a China midnight (the release instant of R2, when every warm instance's cache
 * dates from the day before), as long as the calendar years it holds are the ones the horizon reaches;
 * a changed version, or a horizon reaching a new year, reads everything again.
 */
import { cloud as wx } from '../../server/shared/cloud';
import {
  getCatalogue,
  invalidateCatalogue,
  provisionalCatalogue,
} from '../../server/store/catalogue';
import { Db } from '../../server/store/db';
import { chinaTime, docs, patch } from '../../local-cloud/client';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(60_000);

const { db: raw } = useLocalCloud({ inProcess: true });

beforeEach(() => {
  invalidateCatalogue();
});

/** The catalogue at `now`, with the requests it took. */
async function catalogueAt(now: number) {
  const db = new Db(wx.database());
  const catalogue = await getCatalogue(db, now);
  return { catalogue, requests: db.requests, cacheRequests: db.cacheRequests };
}

async function version(): Promise<number> {
  const [settings] = await docs<{ configVersion?: number }>(raw, 'settings');
  return settings?.configVersion ?? 0;
}

describe('the catalogue cache', () => {
  it('reads everything when empty, then only the version after a China midnight within the same calendar years (R2)', async () => {
    const before = await catalogueAt(chinaTime('2026-12-01T23:59:50'));
    // Settings, offices, services, categories and the calendar years, at once.
    expect(before.requests).toBe(5);
    const after = await catalogueAt(chinaTime('2026-12-02T00:00:01'));
    expect([after.requests, after.cacheRequests]).toEqual([1, 1]);
    expect(after.catalogue).toEqual({
      ...before.catalogue,
      loadedAt: chinaTime('2026-12-02T00:00:01'),
    });
  });

  it('reads everything again after midnight when the version changed', async () => {
    await catalogueAt(chinaTime('2026-12-01T23:59:50'));
    const raised = (await version()) + 1;
    await patch(raw, 'settings', 'global', { configVersion: raised });
    const after = await catalogueAt(chinaTime('2026-12-02T00:00:01'));
    // The version, then everything.
    expect(after.requests).toBe(6);
    expect(after.catalogue.settings.configVersion).toBe(raised);
  });

  it('answers a stale catalogue at once while its version is checked, and tells whether it is current (issue 16)', async () => {
    const before = await catalogueAt(chinaTime('2026-12-01T23:59:50'));
    const db = new Db(wx.database());
    const same = await provisionalCatalogue(db, chinaTime('2026-12-02T00:00:01'));
    // Nothing awaited yet: the stale catalogue itself, its check in flight.
    expect(same.catalogue).toBe(before.catalogue);
    expect(await same.confirmed).toBeUndefined();
    expect([db.requests, db.cacheRequests]).toEqual([1, 1]);

    // The version raised meanwhile: the check answers the new catalogue (the version, then everything).
    const raised = (await version()) + 1;
    await patch(raw, 'settings', 'global', { configVersion: raised });
    const later = new Db(wx.database());
    const changed = await provisionalCatalogue(later, chinaTime('2026-12-02T00:00:12'));
    expect(changed.catalogue.settings.configVersion).toBe(raised - 1);
    expect((await changed.confirmed)?.settings.configVersion).toBe(raised);
    expect([later.requests, later.cacheRequests]).toEqual([6, 6]);
    // A fresh one is confirmed as it is.
    const fresh = await provisionalCatalogue(
      new Db(wx.database()),
      chinaTime('2026-12-02T00:00:13'),
    );
    expect(fresh.catalogue.settings.configVersion).toBe(raised);
    expect(await fresh.confirmed).toBeUndefined();
  });

  it('reads everything again when the horizon comes to reach a year it does not hold', async () => {
    // On 2 November the horizon's reach (from yesterday, 60 days) ends on 31 December; on the 3rd it is
    // 1 January of the next year.
    const before = await catalogueAt(chinaTime('2026-11-02T23:59:50'));
    expect([...before.catalogue.calendarSources.keys()]).toEqual([2026]);
    const after = await catalogueAt(chinaTime('2026-11-03T00:00:01'));
    expect(after.requests).toBe(5);
    expect([...after.catalogue.calendarSources.keys()]).toEqual([2026, 2027]);
  });
});
