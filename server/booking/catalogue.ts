/**
 * Offices, services, categories, settings and the holiday calendar: configuration an administrator
 * changes without a deploy (R1, R2, R7). A warm function instance keeps it for a few seconds, so the
 * release-time rush does not re-read it on every call; a change reaches every instance within CACHE_MS.
 */
import type { BookingApi } from '../../typings/api';
import { addDays, chinaDate } from '../domain/china-time';
import type { Db } from '../shared/db';
import { AppError } from '../shared/errors';
import type { CalendarDoc, CategoryDoc, OfficeDoc, ServiceDoc, SettingsDoc } from './model';

const CACHE_MS = 10_000;

export const DEFAULT_SETTINGS: SettingsDoc = {
  _id: 'global',
  accountActiveLimit: 3,
  calendarYears: [],
  configVersion: 0,
};

export interface Catalogue {
  settings: SettingsDoc;
  offices: OfficeDoc[];
  services: ServiceDoc[];
  categories: CategoryDoc[];
  /** Holiday and make-up working day entries by date. */
  calendar: Map<string, CalendarDoc>;
  loadedAt: number;
}

let cached: Catalogue | undefined;
let loading: Promise<Catalogue> | undefined;

async function load(db: Db, now: number): Promise<Catalogue> {
  const from = addDays(chinaDate(now), -1);
  const [settings, offices, services, categories, calendar] = await Promise.all([
    db.getById<SettingsDoc>('settings', 'global'),
    db.find<OfficeDoc>('offices', {}),
    db.find<ServiceDoc>('services', { active: true }),
    db.find<CategoryDoc>('categories', {}),
    // Only the days a horizon can reach matter here; 60 days covers any configured horizon.
    db.find<CalendarDoc>('calendar', {
      _id: db.command.gte(from).and(db.command.lte(addDays(from, 60))),
    }),
  ]);
  const byOrder = <T extends { order: number }>(a: T, b: T): number => a.order - b.order;
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    offices: offices.sort(byOrder),
    services: services.sort(byOrder),
    categories: categories.sort(byOrder),
    calendar: new Map(calendar.map((c) => [c._id, c])),
    loadedAt: now,
  };
}

/**
 * After CACHE_MS, one read of `settings` tells whether anything changed (its `configVersion`); only then
 * is everything read again. The day the cache was loaded on matters too: the calendar slice moves.
 */
async function refresh(db: Db, now: number, old: Catalogue | undefined): Promise<Catalogue> {
  if (old && chinaDate(old.loadedAt) === chinaDate(now)) {
    const settings = await db.getById<SettingsDoc>('settings', 'global');
    if ((settings?.configVersion ?? 0) === old.settings.configVersion)
      return { ...old, loadedAt: now };
  }
  return load(db, now);
}

/** The configuration, from this instance's cache when fresh. Concurrent callers share one load. */
export async function getCatalogue(db: Db, now: number): Promise<Catalogue> {
  if (cached && now - cached.loadedAt < CACHE_MS && now >= cached.loadedAt) return cached;
  loading ??= db
    .forCache(() => refresh(db, now, cached))
    .finally(() => {
      loading = undefined;
    });
  cached = await loading;
  return cached;
}

/** Forgets the cached configuration (after an administrator's change in this instance, and in tests). */
export function invalidateCatalogue(): void {
  cached = undefined;
}

export function findService(catalogue: Catalogue, serviceId: string): ServiceDoc {
  const service = catalogue.services.find((s) => s._id === serviceId);
  if (!service) throw new AppError('CATALOGUE.SERVICE_NOT_FOUND', 'serviceId');
  return service;
}

export function officeOf(catalogue: Catalogue, service: ServiceDoc): OfficeDoc {
  const office = catalogue.offices.find((o) => o._id === service.officeId);
  // A service whose office was removed is a configuration error, not the citizen's.
  if (!office) throw new Error(`service ${service._id} names a missing office`);
  return office;
}

export function catalogueView(catalogue: Catalogue): BookingApi['catalogue']['res'] {
  const templates = catalogue.settings.templates;
  return {
    // R11/R13: the page asks consent for exactly the templates the jobs send.
    templates: {
      reminder: templates?.reminder?.id ?? '',
      slotsReleased: templates?.slotsReleased?.id ?? '',
    },
    offices: catalogue.offices
      .map((o) => ({
        id: o._id,
        name: o.name,
        address: o.address,
        latitude: o.latitude,
        longitude: o.longitude,
        services: catalogue.services
          .filter((s) => s.officeId === o._id)
          .map((s) => ({
            id: s._id,
            name: s.name,
            prefix: s.prefix,
            notice: s.notice,
            categories: s.categories.flatMap((id) => {
              const c = catalogue.categories.find((x) => x._id === id);
              return c ? [{ id: c._id, name: c.name, materials: c.materials }] : [];
            }),
          })),
      }))
      .filter((o) => o.services.length > 0),
  };
}
