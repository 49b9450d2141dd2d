/**
 * `stats` (issue 14): the rows of a range of days for the city, an office or a service, as
 * server/domain/stats.ts counts them — from the stored counts of ended days and a recount of the others
 * (server/store/stats.ts). Any administrator; an `office_admin` only their offices (the unknown-action
 * answer otherwise, like every admin action).
 */
import type { AdminApi, StatsQuery } from '../../typings/admin';
import { addDays } from '../domain/china-time';
import { statsRows } from '../domain/stats';
import { AppError } from '../shared/errors';
import { administered, unknownAction } from '../staff/access';
import { getCatalogue } from '../store/catalogue';
import type { ServiceDoc } from '../store/documents/config';
import { loadStatsDays } from '../store/stats';
import type { AdminContext } from './audit';

/** The longest range one request counts: a year, a leap one included. */
export const MAX_STATS_DAYS = 366;

/**
 * The services a query covers, after its range and the caller's right are checked, and every service of
 * the catalogue (which roll-ups cover the query: server/store/stats.ts).
 */
export async function servicesOf(
  ctx: AdminContext,
  q: StatsQuery,
): Promise<{ services: ServiceDoc[]; catalogue: ServiceDoc[] }> {
  const offices = administered(ctx.access);
  if (offices !== 'all' && offices.size === 0) throw unknownAction();
  if (q.to < q.from) throw new AppError('ADMIN.STATS_RANGE', 'to');
  if (q.to >= addDays(q.from, MAX_STATS_DAYS))
    throw new AppError('ADMIN.STATS_RANGE_TOO_LONG', 'to');
  const mine = (officeId: string) => offices === 'all' || offices.has(officeId);
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  if (q.officeId !== undefined) {
    if (!mine(q.officeId)) throw unknownAction();
    if (!catalogue.offices.some((o) => o._id === q.officeId))
      throw new AppError('ADMIN.OFFICE_NOT_FOUND', 'officeId');
  }
  // Deactivated services too: their past days are history like any other.
  let services = catalogue.allServices.filter((s) => mine(s.officeId));
  if (q.officeId !== undefined) services = services.filter((s) => s.officeId === q.officeId);
  if (q.serviceId !== undefined) {
    const service = catalogue.allServices.find((s) => s._id === q.serviceId);
    if (service && !mine(service.officeId)) throw unknownAction();
    services = services.filter((s) => s._id === q.serviceId);
    if (services.length === 0) throw new AppError('ADMIN.SERVICE_NOT_FOUND', 'serviceId');
  }
  return { services, catalogue: catalogue.allServices };
}

export async function stats(ctx: AdminContext, q: StatsQuery): Promise<AdminApi['stats']['res']> {
  const { services, catalogue } = await servicesOf(ctx, q);
  const days = await loadStatsDays(ctx.db, services, catalogue, q.from, q.to, ctx.now);
  return statsRows(q.by, days);
}
