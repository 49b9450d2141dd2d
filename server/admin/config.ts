/**
 * R1: offices, services, categories and the city's settings without a deploy (issue 14). Every change is
 * validated as a whole (server/domain/service-config.ts, the code the admin pages run too), then written
 * in ONE transaction with `configVersion` raised and its audit entry (the document before and after):
 * every function instance's catalogue picks it up at its next refresh (10 s, server/store/catalogue.ts),
 * this one at once.
 *
 * R4: a service's quota is the sum of its periods' ranges, read afresh by every booking; raising it opens
 * the new numbers as soon as the change is seen, lowering it touches no booking (a number already held
 * stays held, only new claims are limited to the new ranges).
 *
 * Who may: a `city_admin` everything; an `office_admin` their own offices (not creating one), and their
 * services; categories and settings are the city's (`city_admin`).
 */
import type {
  AdminApi,
  AdminRequest,
  CategoryConfig,
  GlobalSettings,
  OfficeConfig,
  ServiceConfig,
} from '../../typings/admin';
import { DEFAULT_RULES } from '../domain/config';
import { DEFAULT_QUEUE_SETTINGS } from '../domain/queue';
import { sameRelease, type ReleaseVersion } from '../domain/stats';
import {
  checkCategory,
  checkOffice,
  checkService,
  checkSettings,
  type ConfigIssue,
} from '../domain/service-config';
import { AppError } from '../shared/errors';
import { DEFAULT_SETTINGS, invalidateCatalogue } from '../store/catalogue';
import { duplicateKeyIndex, ReadAgain, retryConflicts, type Patch } from '../store/db';
import type { Collections } from '../store/collections';
import type { CategoryDoc, OfficeDoc, ServiceDoc, SettingsDoc } from '../store/documents/config';
import type { AuditDoc } from '../store/documents/hall';
import { administered, isCityAdmin, unknownAction } from '../staff/access';
import { auditDoc, type AdminContext } from './audit';

function firstIssue(issues: readonly ConfigIssue[]): void {
  const [issue] = issues;
  if (issue) throw new AppError(issue.code, issue.field);
}

function administers(ctx: AdminContext, officeId: string): boolean {
  const offices = administered(ctx.access);
  return offices === 'all' || offices.has(officeId);
}

function toOffice(doc: OfficeDoc): OfficeConfig {
  return {
    id: doc._id,
    name: doc.name,
    address: doc.address,
    latitude: doc.latitude,
    longitude: doc.longitude,
    order: doc.order,
  };
}

function toService(doc: ServiceDoc): ServiceConfig {
  return {
    id: doc._id,
    officeId: doc.officeId,
    name: doc.name,
    prefix: doc.prefix,
    notice: doc.notice,
    order: doc.order,
    active: doc.active,
    categories: [...doc.categories],
    periods: doc.periods.map((p) => ({ ...p })),
    openWeekdays: [...doc.openWeekdays],
    horizonDays: doc.horizonDays,
    releaseTime: doc.releaseTime,
    cancelCutoffMinutes: doc.cancelCutoffMinutes,
    queue: { ...DEFAULT_QUEUE_SETTINGS, ...doc.queue },
  };
}

function toCategory(doc: CategoryDoc): CategoryConfig {
  return {
    id: doc._id,
    name: doc.name,
    materials: doc.materials.map((m) => ({ ...m })),
    unplated: doc.unplated === true,
    order: doc.order,
  };
}

function toSettings(doc: SettingsDoc): GlobalSettings {
  return {
    notice: doc.notice ?? '',
    accountActiveLimit: doc.accountActiveLimit,
    reminder: { ...(doc.reminder ?? DEFAULT_RULES.reminder) },
    quietHours: { ...(doc.quietHours ?? DEFAULT_RULES.quietHours) },
    noShowLimit: doc.noShowLimit ?? DEFAULT_RULES.noShowLimit,
    suspensionMonths: doc.suspensionMonths ?? 1,
    identityMethod: doc.identityMethod ?? 'off',
    requireVerification: doc.requireVerification === true,
    personRefusalLimit: doc.personRefusalLimit ?? DEFAULT_RULES.personRefusalLimit,
    cancelLimit: doc.cancelLimit ?? DEFAULT_RULES.cancelLimit,
    cancelWindowHours: doc.cancelWindowHours ?? DEFAULT_RULES.cancelWindowHours,
    rebookCooldownMinutes: doc.rebookCooldownMinutes ?? DEFAULT_RULES.rebookCooldownMinutes,
    releaseHoldMinutes: doc.releaseHoldMinutes ?? DEFAULT_RULES.releaseHoldMinutes,
  };
}

type ConfigName = 'offices' | 'services' | 'categories';

/**
 * The statistics' record of a service's released numbers (server/domain/stats.ts, `releaseConfigOn`):
 * its creation on the first save, and the configuration a change of quota, weekdays or activity
 * replaces, appended to its history (R2, R4). Nothing when neither applies (an edit of the name).
 */
function releaseRecord(
  ctx: AdminContext,
  before: ServiceDoc | undefined,
  after: Pick<ServiceDoc, 'active' | 'openWeekdays' | 'periods'>,
): Pick<ServiceDoc, 'createdAt' | 'releaseHistory'> {
  if (!before) return { createdAt: ctx.now };
  if (sameRelease(before, after)) return {};
  const replaced: ReleaseVersion = {
    until: ctx.now,
    active: before.active,
    openWeekdays: [...before.openWeekdays],
    periods: before.periods.map((p) => ({ start: p.start, end: p.end, from: p.from, to: p.to })),
  };
  return { releaseHistory: [...(before.releaseHistory ?? []), replaced] };
}

/**
 * Writes the document `make` computes from the stored one (undefined: there is none) — creating it, or
 * replacing every field it has — raises `configVersion` and audits, in one transaction. An existing
 * document is read inside the transaction (which locks it) and `make` sees that read, not the caller's
 * earlier one: of two saves at once, the second computes from what the first wrote. A twin creating the
 * same `_id` meanwhile makes this one an update of the twin's document on its next try; a conflict with
 * another save is tried again (SAVE_TRIES runs in all). Answers what it wrote.
 */
async function saveConfig<C extends ConfigName>(
  ctx: AdminContext,
  name: C,
  id: string,
  make: (stored: Collections[C] | undefined) => Collections[C],
  action: AuditDoc['action'],
  before: Collections[C] | undefined,
): Promise<Collections[C]> {
  const _ = ctx.db.command;
  let exists = before !== undefined;
  // Nothing was written by a failed try: a conflict (every save raises `settings`' version, so saves at
  // once conflict there) is tried again after a growing pause (`retryConflicts`), and so is a twin's
  // creation of the same `_id`, which makes this save an update of it.
  const written = await retryConflicts(async () => {
    try {
      return await ctx.db.transaction(async (tx) => {
        const col = tx[name];
        // A missing document fails a transaction's read: it is read only when known to exist.
        const stored = exists ? await col.get(id) : undefined;
        const doc = make(stored);
        if (stored) {
          // Every field replaced whole (an object or array value is set, not merged).
          const patch = Object.fromEntries(
            Object.entries(doc)
              .filter(([k]) => k !== '_id')
              .map(([k, v]) => [k, typeof v === 'object' && v !== null ? _.set(v) : v]),
          ) as Patch<Collections[C]>;
          await col.update(id, patch);
        } else {
          await col.insert(doc);
        }
        await tx.settings.update('global', { configVersion: _.inc(1) });
        await tx.audit.insert(
          auditDoc(ctx, action, { collection: name, id }, { before: stored ?? null, after: doc }),
        );
        return doc;
      });
    } catch (err) {
      if (exists || duplicateKeyIndex(err) !== '_id') throw err;
      exists = true;
      throw new ReadAgain(`${name} ${id}`);
    }
  }, SAVE_TRIES);
  invalidateCatalogue();
  return written;
}

/**
 * How many times a save runs before a conflict is answered: every save conflicts with every other at
 * once on `settings`, so a burst of them queues (test/cloud/admin-config.test.ts races eight). The same
 * for every change raising `configVersion`: `saveSettings`, `setCalendarYear`, `closeDay`.
 */
export const SAVE_TRIES = 8;

export async function listOffices(ctx: AdminContext): Promise<AdminApi['listOffices']['res']> {
  const [offices, services, categories, settings] = await Promise.all([
    ctx.db.offices.find({}),
    ctx.db.services.find({}),
    ctx.db.categories.find({}),
    ctx.db.settings.get('global'),
  ]);
  const byOrder = <T extends { order: number; _id: string }>(a: T, b: T): number =>
    a.order - b.order || a._id.localeCompare(b._id);
  return {
    offices: offices
      .filter((o) => administers(ctx, o._id))
      .sort(byOrder)
      .map((o) => ({
        ...toOffice(o),
        services: services
          .filter((s) => s.officeId === o._id)
          .sort(byOrder)
          .map(toService),
      })),
    categories: categories.sort(byOrder).map(toCategory),
    settings: toSettings({ ...DEFAULT_SETTINGS, ...settings }),
  };
}

export async function saveOffice(
  ctx: AdminContext,
  req: AdminRequest<'saveOffice'>,
): Promise<AdminApi['saveOffice']['res']> {
  const before = await ctx.db.offices.get(req.office.id);
  // Creating an office is the city's; an office's own administrator may edit it.
  if (before ? !administers(ctx, before._id) : !isCityAdmin(ctx.access)) throw unknownAction();
  firstIssue(checkOffice(req.office));
  const o = req.office;
  const doc: OfficeDoc = {
    _id: o.id,
    name: o.name.trim(),
    address: o.address.trim(),
    latitude: o.latitude,
    longitude: o.longitude,
    order: o.order,
  };
  await saveConfig(ctx, 'offices', doc._id, () => doc, 'saveOffice', before);
  return toOffice(doc);
}

export async function saveService(
  ctx: AdminContext,
  req: AdminRequest<'saveService'>,
): Promise<AdminApi['saveService']['res']> {
  const s = req.service;
  const before = await ctx.db.services.get(s.id);
  if (!administers(ctx, s.officeId) || (before && !administers(ctx, before.officeId)))
    throw unknownAction();
  if (before && before.officeId !== s.officeId)
    throw new AppError('ADMIN.SERVICE_OFFICE_FIXED', 'service.officeId');
  if (!(await ctx.db.offices.get(s.officeId)))
    throw new AppError('ADMIN.OFFICE_NOT_FOUND', 'service.officeId');
  const siblings = await ctx.db.services.find({ officeId: s.officeId }, { fields: ['prefix'] });
  firstIssue(
    checkService(
      s,
      siblings.map((x) => ({ id: x._id, prefix: x.prefix })),
    ),
  );
  const doc: ServiceDoc = {
    _id: s.id,
    officeId: s.officeId,
    name: s.name.trim(),
    prefix: s.prefix,
    notice: s.notice.trim(),
    order: s.order,
    active: s.active,
    categories: [...s.categories],
    periods: s.periods.map((p) => ({
      id: p.id,
      start: p.start,
      end: p.end,
      from: p.from,
      to: p.to,
    })),
    openWeekdays: [...s.openWeekdays].sort((a, b) => a - b),
    horizonDays: s.horizonDays,
    releaseTime: s.releaseTime,
    cancelCutoffMinutes: s.cancelCutoffMinutes,
    queue: { ...s.queue },
  };
  // Computed from the stored document as the transaction reads it: of two saves of a new service at
  // once, the second is an update that keeps the first's `createdAt` and records the configuration it
  // replaces (R2, R4: the statistics' released numbers, `releaseConfigOn`).
  const written = await saveConfig(
    ctx,
    'services',
    doc._id,
    (stored) => {
      if (stored && stored.officeId !== s.officeId)
        throw new AppError('ADMIN.SERVICE_OFFICE_FIXED', 'service.officeId');
      return { ...doc, ...releaseRecord(ctx, stored, doc) };
    },
    'saveService',
    before,
  );
  return toService(written);
}

export async function deactivateService(
  ctx: AdminContext,
  req: AdminRequest<'deactivateService'>,
): Promise<AdminApi['deactivateService']['res']> {
  const before = await ctx.db.services.get(req.serviceId);
  if (!before) {
    // Not revealing to another office's administrator whether it exists.
    if (!isCityAdmin(ctx.access)) throw unknownAction();
    throw new AppError('ADMIN.SERVICE_NOT_FOUND', 'serviceId');
  }
  if (!administers(ctx, before.officeId)) throw unknownAction();
  if (!before.active) return toService(before);
  const written = await saveConfig(
    ctx,
    'services',
    before._id,
    (stored = before) => {
      const doc: ServiceDoc = { ...stored, active: false };
      return { ...doc, ...releaseRecord(ctx, stored, doc) };
    },
    'deactivateService',
    before,
  );
  return toService(written);
}

export async function saveCategory(
  ctx: AdminContext,
  req: AdminRequest<'saveCategory'>,
): Promise<AdminApi['saveCategory']['res']> {
  if (!isCityAdmin(ctx.access)) throw unknownAction();
  firstIssue(checkCategory(req.category));
  const c = req.category;
  const before = await ctx.db.categories.get(c.id);
  const doc: CategoryDoc = {
    _id: c.id,
    name: c.name.trim(),
    materials: c.materials.map((m) =>
      m.note === undefined || m.note.trim() === ''
        ? { name: m.name.trim() }
        : { name: m.name.trim(), note: m.note.trim() },
    ),
    unplated: c.unplated,
    order: c.order,
  };
  await saveConfig(ctx, 'categories', doc._id, () => doc, 'saveCategory', before);
  return toCategory(doc);
}

export async function saveSettings(
  ctx: AdminContext,
  req: AdminRequest<'saveSettings'>,
): Promise<AdminApi['saveSettings']['res']> {
  if (!isCityAdmin(ctx.access)) throw unknownAction();
  firstIssue(checkSettings(req.settings));
  const _ = ctx.db.command;
  // Another save, or any configuration change raising configVersion, at the same instant conflicts:
  // tried again. The settings are those the transaction reads, so a save committed meanwhile by another
  // administrator is kept, not overwritten with what was read before it.
  const after = await retryConflicts(
    () =>
      ctx.db.transaction(async (tx) => {
        const stored = await tx.settings.get('global');
        const before = toSettings({ ...DEFAULT_SETTINGS, ...stored });
        const changed: GlobalSettings = { ...before, ...req.settings };
        // A change of one setting may clash with another already stored (R15: verification without a
        // method).
        firstIssue(checkSettings(changed));
        const patch: Patch<SettingsDoc> = {
          notice: changed.notice.trim(),
          accountActiveLimit: changed.accountActiveLimit,
          reminder: _.set(changed.reminder),
          quietHours: _.set(changed.quietHours),
          noShowLimit: changed.noShowLimit,
          suspensionMonths: changed.suspensionMonths,
          identityMethod: changed.identityMethod,
          requireVerification: changed.requireVerification,
          personRefusalLimit: changed.personRefusalLimit,
          cancelLimit: changed.cancelLimit,
          cancelWindowHours: changed.cancelWindowHours,
          rebookCooldownMinutes: changed.rebookCooldownMinutes,
          releaseHoldMinutes: changed.releaseHoldMinutes,
          configVersion: _.inc(1),
        };
        await tx.settings.update('global', patch);
        await tx.audit.insert(
          auditDoc(
            ctx,
            'saveSettings',
            { collection: 'settings', id: 'global' },
            { before, after: changed },
          ),
        );
        return changed;
      }),
    SAVE_TRIES,
  );
  invalidateCatalogue();
  return after;
}
