/**
 * The `booking` cloud function: citizen actions of the contract in typings/api.ts.
 * Identity comes from `cloud.getWXContext()` only, never from `event`.
 */
import type { ApiResult, BookingAction, BookingApi } from '../../../typings/api';
import { cloud, getDocs, initCloud, type Database } from '../../shared/cloud';
import { AppError, apiError } from '../../shared/errors';

initCloud();

interface Context {
  openid: string;
  db: Database;
}

interface OfficeDoc {
  _id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
}

interface ServiceDoc {
  _id: string;
  officeId: string;
  name: string;
  prefix: string;
  notice?: string;
}

type Handler<A extends BookingAction> = (
  req: BookingApi[A]['req'],
  ctx: Context,
) => Promise<BookingApi[A]['res']>;

type HandlerTable = { [A in BookingAction]: Handler<A> };

// The booking-core issue fills in the remaining actions; until then they answer UNKNOWN_ACTION.
const handlers: Partial<HandlerTable> = {
  async catalogue(_req, ctx) {
    const [offices, services] = await Promise.all([
      getDocs<OfficeDoc>(ctx.db.collection('offices')),
      getDocs<ServiceDoc>(ctx.db.collection('services')),
    ]);
    return {
      offices: offices.map((o) => ({
        id: o._id,
        name: o.name,
        address: o.address,
        latitude: o.latitude,
        longitude: o.longitude,
        services: services
          .filter((s) => s.officeId === o._id)
          .map((s) => ({
            id: s._id,
            name: s.name,
            prefix: s.prefix,
            notice: s.notice ?? '',
            categories: [],
          })),
      })),
    };
  },
};

function isAction(value: unknown): value is BookingAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(handlers, value);
}

export async function main(event: unknown): Promise<ApiResult<unknown>> {
  const { OPENID } = cloud.getWXContext();
  if (!OPENID) return { ok: false, error: apiError('AUTH.NO_IDENTITY') };
  if (typeof event !== 'object' || event === null)
    return { ok: false, error: apiError('REQUEST.INVALID') };
  const { action, ...req } = event as { action?: unknown };
  if (!isAction(action)) return { ok: false, error: apiError('REQUEST.UNKNOWN_ACTION') };
  try {
    const handler = handlers[action] as Handler<BookingAction>;
    const data = await handler(req, { openid: OPENID, db: cloud.database() });
    return { ok: true, data };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toApiError() };
    console.error('booking: unexpected failure', {
      action,
      error: err instanceof Error ? err.message : 'unknown',
    });
    return { ok: false, error: apiError('INTERNAL') };
  }
}
