/**
 * The whole input of every `staff` and `admin` action, validated at the edge like the booking function's
 * (server/booking/input.ts): strict objects, lengths and formats; unknown fields refused.
 */
import * as z from 'zod/mini';
import type { AdminAction } from '../../typings/admin';
import type { StaffAction } from '../../typings/staff';
import { MAX_ENTRIES } from '../domain/calendar-year';
import { MAX_PERIODS } from '../domain/service-config';
import { isDateString } from '../domain/china-time';
import { AUDIT_ACTIONS } from '../store/documents/hall';

const ID_RE = /^[A-Za-z0-9_-]+$/;
const id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(ID_RE));
const date = z.string().check(z.refine(isDateString));
/** A WeChat OPENID: 28 characters in practice; 1–64 of `[A-Za-z0-9_-]` accepted (local test ids too). */
const openid = id;
/** The window's name on the call display, e.g. `3号窗口`. */
const window = z.string().check(z.minLength(1), z.maxLength(16), z.regex(/^[^\s<>"'&]+$/u));
const label = z.string().check(z.regex(/^[A-Z]{1,2}\d{3}$/));
const passToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/));
const bookingAction = z.strictObject({ bookingId: id });

export const staffSchemas = {
  me: z.strictObject({}),
  // The code as typed (`ABCD-EFGH`, spaces, any case): its form is checked after it is counted.
  acceptInvitation: z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(20)) }),
  today: z.strictObject({ serviceId: id, date: z.optional(date) }),
  checkIn: z.union([
    z.strictObject({ passToken }),
    z.strictObject({ serviceId: id, date, number: label }),
  ]),
  call: z.strictObject({ bookingId: id, window: z.optional(window) }),
  serve: bookingAction,
  finish: bookingAction,
  miss: bookingAction,
  requeue: bookingAction,
  next: z.strictObject({ serviceId: id, window: z.optional(window) }),
} satisfies { [A in StaffAction]: z.ZodMiniType };

const role = z.enum(['staff', 'office_admin', 'city_admin']);
const roleRequest = z.strictObject({ openid, role, officeId: z.optional(id) });
const scope = z.enum(['read', 'queue', 'book']);
/** R2: a year an arrangement can be entered for. */
const year = z.number().check(z.int(), z.gte(2000), z.lte(2100));
/**
 * Loose on purpose: the dates' and names' rules (and their own codes, shown under the field) are
 * checkCalendarYear's, the same code the page runs; here only the shape and a bound on the size.
 */
const calendarEntry = z.strictObject({
  date: z.string().check(z.maxLength(10)),
  name: z.string().check(z.maxLength(40)),
});
const calendarEntries = z.array(calendarEntry).check(z.maxLength(MAX_ENTRIES));

/*
 * Configuration (issue 14): the shapes and bounds on sizes here; the values' rules (and their codes,
 * shown under each field) are server/domain/service-config.ts's, the code the admin pages run too.
 */
const text = (max: number) => z.string().check(z.maxLength(max));
const int = z.number().check(z.int());
const finite = z.number().check(z.refine(Number.isFinite));
const clock = text(5);
const categoryId = z.enum(['surveillance', 'commercial', 'impounded']);
const office = z.strictObject({
  id: text(40),
  name: text(40),
  address: text(200),
  latitude: finite,
  longitude: finite,
  order: int,
});
const period = z.strictObject({ id: text(8), start: clock, end: clock, from: int, to: int });
const service = z.strictObject({
  id: text(40),
  officeId: id,
  name: text(40),
  prefix: text(2),
  notice: text(1000),
  order: int,
  active: z.boolean(),
  categories: z.array(categoryId).check(z.maxLength(3)),
  periods: z.array(period).check(z.maxLength(MAX_PERIODS)),
  openWeekdays: z.array(int).check(z.maxLength(7)),
  horizonDays: int,
  releaseTime: clock,
  cancelCutoffMinutes: int,
  queue: z.strictObject({ callCountMax: int, checkInMinutesBefore: int, requeue: z.boolean() }),
});
const material = z.strictObject({ name: text(40), note: z.optional(text(80)) });
const category = z.strictObject({
  id: categoryId,
  name: text(40),
  materials: z.array(material).check(z.maxLength(20)),
  unplated: z.boolean(),
  order: int,
});
const settings = z.strictObject({
  notice: z.optional(text(1000)),
  accountActiveLimit: z.optional(int),
  reminder: z.optional(z.strictObject({ daysBefore: int, at: clock })),
  quietHours: z.optional(z.strictObject({ from: clock, to: clock })),
  noShowLimit: z.optional(int),
  suspensionMonths: z.optional(int),
  identityMethod: z.optional(z.enum(['realname', 'face', 'off'])),
  requireVerification: z.optional(z.boolean()),
  personRefusalLimit: z.optional(int),
  cancelLimit: z.optional(int),
  cancelWindowHours: z.optional(int),
  rebookCooldownMinutes: z.optional(int),
  releaseHoldMinutes: z.optional(int),
});

/** Statistics (issue 14): the range's rules (order, at most 366 days) are the handler's, with their codes. */
const statsQuery = {
  officeId: z.optional(id),
  serviceId: z.optional(id),
  from: date,
  to: date,
  by: z.enum(['day', 'period', 'month']),
};

export const adminSchemas = {
  bootstrap: z.strictObject({}),
  grantRole: roleRequest,
  revokeRole: roleRequest,
  listRoles: z.strictObject({ officeId: z.optional(id) }),
  createInvitation: z.strictObject({ role, officeId: z.optional(id) }),
  listInvitations: z.strictObject({ officeId: z.optional(id) }),
  revokeInvitation: z.strictObject({ id: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }),
  createApiKey: z.strictObject({
    officeId: id,
    scopes: z.array(scope).check(z.minLength(1), z.maxLength(3)),
    channel: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,31}$/)),
    name: z.string().check(z.minLength(1), z.maxLength(40)),
    ratePerMinute: z.optional(z.number().check(z.int(), z.gte(1), z.lte(6000))),
  }),
  revokeApiKey: z.strictObject({ keyId: z.string().check(z.regex(/^hk_[0-9a-f]{16}$/)) }),
  listApiKeys: z.strictObject({ officeId: z.optional(id) }),
  getCalendarYear: z.strictObject({ year }),
  setCalendarYear: z.strictObject({ year, holidays: calendarEntries, workdays: calendarEntries }),
  calendarStatus: z.strictObject({}),
  subscribeNotice: z.strictObject({ topic: z.enum(['calendar']) }),
  listOffices: z.strictObject({}),
  saveOffice: z.strictObject({ office }),
  saveService: z.strictObject({ service }),
  deactivateService: z.strictObject({ serviceId: id }),
  saveCategory: z.strictObject({ category }),
  saveSettings: z.strictObject({ settings }),
  listSuspensions: z.strictObject({}),
  liftSuspension: z.strictObject({
    personRef: z.string().check(z.regex(/^[0-9a-f]{16,64}$/)),
    reason: text(200),
  }),
  closeDay: z.strictObject({
    serviceId: id,
    date,
    reason: text(40),
    confirm: z.optional(z.boolean()),
  }),
  stats: z.strictObject(statsQuery),
  exportStats: z.strictObject({ ...statsQuery, format: z.enum(['xlsx', 'csv']) }),
  listAudit: z.strictObject({
    before: z.optional(z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER))),
    limit: z.optional(z.number().check(z.int(), z.gte(1), z.lte(50))),
    auditAction: z.optional(z.enum(AUDIT_ACTIONS)),
  }),
} satisfies { [A in AdminAction]: z.ZodMiniType };
