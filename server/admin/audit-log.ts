/**
 * `listAudit`: the audit page (issue 14) — who changed what, when. Newest first, paged by `before` (the
 * `at` of the oldest entry shown). A `city_admin` reads every entry; an `office_admin` only the entries
 * about their offices: a role or API key of the office (`target.officeId`), the office itself
 * (`saveOffice`), one of its services (`saveService`, `deactivateService`, `closeDay`). City-wide entries
 * (settings, categories, the calendar, bootstrap, a suspension lifted: a person, not an office) are the
 * city's.
 */
import type { AdminApi, AdminRequest, AuditEntry } from '../../typings/admin';
import { getCatalogue } from '../store/catalogue';
import type { Expression, Where } from '../store/db';
import type { AuditAction, AuditDoc } from '../store/documents/hall';
import { administered, unknownAction } from '../staff/access';
import type { AdminContext } from './audit';

export const AUDIT_PAGE = 20;

function toEntry(doc: AuditDoc): AuditEntry {
  const entry: AuditEntry = {
    id: doc._id,
    at: doc.at,
    by: doc.by,
    action: doc.action,
    target: doc.target,
  };
  if (doc.before !== undefined) entry.before = doc.before;
  if (doc.after !== undefined) entry.after = doc.after;
  return entry;
}

/** Newest first; entries of the same millisecond by id, so pages are stable. */
function newestFirst(a: AuditDoc, b: AuditDoc): number {
  return b.at - a.at || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
}

/** The entries an `office_admin` of `offices` may read (see the header). */
async function aboutOffices(ctx: AdminContext, offices: Set<string>): Promise<Expression> {
  const _ = ctx.db.command;
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  // Every service, deactivated ones too: their history stays theirs. A service never changes office.
  const services = catalogue.allServices.filter((s) => offices.has(s.officeId)).map((s) => s._id);
  const officeIds = [...offices];
  return _.or([
    { 'target.officeId': _.in(officeIds) },
    { 'target.collection': 'offices', 'target.id': _.in(officeIds) },
    { 'target.collection': 'services', 'target.id': _.in(services) },
    { 'target.serviceId': _.in(services) },
  ]);
}

export async function listAudit(
  ctx: AdminContext,
  req: AdminRequest<'listAudit'>,
): Promise<AdminApi['listAudit']['res']> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  const _ = ctx.db.command;
  const limit = req.limit ?? AUDIT_PAGE;
  const parts: Where<AuditDoc>[] = [];
  if (offices !== 'all') parts.push(await aboutOffices(ctx, offices));
  // The schema admits only AUDIT_ACTIONS here (the wire type says string, the pages' free choice).
  if (req.auditAction !== undefined) parts.push({ action: req.auditAction as AuditAction });
  const where = (at?: Expression | number): Where<AuditDoc> => {
    const all = [...parts, ...(at === undefined ? [] : [{ at }])];
    const [only] = all;
    return all.length > 1 ? _.and(all) : (only ?? {});
  };
  const older = req.before === undefined ? undefined : _.lt(req.before);
  // One more than a page tells whether older entries exist.
  const docs = await ctx.db.audit.find(where(older), { orderBy: ['at', 'desc'], limit: limit + 1 });
  docs.sort(newestFirst);
  const last = docs[limit - 1];
  const next = docs[limit];
  if (last === undefined || next === undefined) return { entries: docs.map(toEntry) };
  if (next.at !== last.at) {
    return { entries: docs.slice(0, limit).map(toEntry), nextBefore: last.at };
  }
  // The page would end inside one millisecond's entries, and `before` cannot point between them: that
  // millisecond's entries are answered whole (a page a little over `limit`, a rare burst).
  const same = await ctx.db.audit.find(where(last.at), { limit: 1000 });
  const page = [...docs.filter((d) => d.at > last.at), ...same].sort(newestFirst);
  const more = (await ctx.db.audit.count(where(_.lt(last.at)))) > 0;
  return { entries: page.map(toEntry), ...(more ? { nextBefore: last.at } : {}) };
}
