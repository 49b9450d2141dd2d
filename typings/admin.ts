/**
 * The wire contract of the `admin` cloud function: roles and the hall API's keys (issue 13). Same envelope
 * as `booking` (`ApiResult`).
 *
 * Who may do what (checked on the server on every call; without the right, the answer is exactly that of
 * an unknown action, `REQUEST.UNKNOWN_ACTION`):
 * - `bootstrap` only when the call carries no user OPENID (the cloud console's test call,
 *   `invokecloudfunction`, `npm run -s admin -- bootstrap` against the local cloud) and nobody holds
 *   `city_admin`: it answers a `city_admin` invitation code, entered by the first administrator;
 * - a `city_admin` grants and revokes every role and manages every office's keys;
 * - an `office_admin` grants and revokes `staff` of their own office, and manages their office's keys;
 * - every grant, revocation, key creation and key revocation is audited (who, when, what);
 * - issue 14: the holiday calendar, offices, services, categories and settings; every change validated as
 *   a whole with coded field errors, audited with the document before and after, `configVersion` raised.
 */
import type { DateString, Material, ViolationCategory } from './api';
import type { RoleGrant, StaffRole } from './staff';

/**
 * Where a year's holiday arrangement comes from (R2): `official` the State Council's as published in the
 * `chinese-days` package the functions are built with, `entered` an administrator's (it replaces the
 * package's for that year), `none` neither — the plain weekday rule applies, never a guess.
 */
export type CalendarSource = 'official' | 'entered' | 'none';

/** One day of an arrangement: a holiday (放假) or a make-up working day on a weekend (调休上班). */
export interface CalendarEntry {
  date: DateString;
  /** The festival, e.g. `春节`; 1–20 characters. */
  name: string;
}

export interface CalendarYear {
  year: number;
  source: CalendarSource;
  holidays: CalendarEntry[];
  workdays: CalendarEntry[];
  /** Present for `entered`: when and by whom. */
  updatedAt?: number;
  updatedBy?: string;
}

/**
 * Today's alarm of invitation codes guessed city-wide: the China day's codes looked up in vain reached
 * the alarm (50) and the audit said so (`inviteGuessing`, docs/security.md).
 */
export interface InviteGuessing {
  /** The China day. */
  date: DateString;
  /** Codes matching no invitation that day so far. */
  failed: number;
  /** The alarm: that many in a day. */
  threshold: number;
  /** When the count reached the alarm (epoch ms). */
  at: number;
}

/**
 * The admin home's one answer: the calendar warning (R2) — which years the horizon needs and nobody
 * entered — and, for a city administrator, today's invitation-guessing alarm.
 */
export interface CalendarStatus {
  /** Shown from 1 November when next year is `none`, and whenever the horizon reaches a `none` year. */
  warning: boolean;
  missingYears: number[];
  /** This year and the next, with their sources. */
  years: { year: number; source: CalendarSource }[];
  /** The subscribe-message template of the daily notice ('' when not configured: ask nothing). */
  noticeTemplate: string;
  /** `city_admin` only (the alarm is the city's): present while today's (China day) alarm exists. */
  inviteGuessing?: InviteGuessing;
}

/** An office as administrators edit it (R1). */
export interface OfficeConfig {
  /** A slug, `[a-z0-9-]`, 2–40 characters (e.g. `huli`); chosen when the office is created. */
  id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  order: number;
}

/** One period of a service's day and the numbers it holds (R4: 09:00–10:00 holds A001–A010). */
export interface PeriodConfig {
  /** 1–8 lowercase letters or digits, unique in the service (`am1`). */
  id: string;
  /** `HH:mm` China time. */
  start: string;
  end: string;
  /** Inclusive, 1–999, not overlapping another period's. */
  from: number;
  to: number;
}

/** The window's queue of a service (R9). */
export interface QueueConfig {
  /** Calls before `miss` is allowed (1–10). */
  callCountMax: number;
  /** Check-in opens this many minutes before the period (0–240). */
  checkInMinutesBefore: number;
  /** Whether a missed citizen may be requeued before the period ends. */
  requeue: boolean;
}

/** A service's whole configuration as administrators edit it (R1, R2, R4, R8, R9). */
export interface ServiceConfig {
  /** A slug like an office's; chosen when the service is created. */
  id: string;
  officeId: string;
  name: string;
  /** The numbers' prefix (R4, R12): 1–2 capital letters, unique in the office. */
  prefix: string;
  /** Shown before booking; at most 500 characters. */
  notice: string;
  order: number;
  /** False: hidden from citizens (no new bookings), its bookings untouched. */
  active: boolean;
  categories: ViolationCategory[];
  periods: PeriodConfig[];
  /** 0 = Sunday … 6 = Saturday (R2). */
  openWeekdays: number[];
  /** R2: days ahead that can be booked, 1–60. */
  horizonDays: number;
  /** R2: `HH:mm` at which a new day opens. */
  releaseTime: string;
  /** R8: cancelling closes this many minutes before the period (0–1440). */
  cancelCutoffMinutes: number;
  queue: QueueConfig;
}

/** R7: a violation category's materials. */
export interface CategoryConfig {
  id: ViolationCategory;
  name: string;
  materials: Material[];
  /** The vehicle may have no plate yet (the VIN is asked instead). */
  unplated: boolean;
  order: number;
}

/** Settings of the whole city (R5, R10, R13, the global notice). */
export interface GlobalSettings {
  /** Shown to every citizen above the services; '' for none. At most 500 characters. */
  notice: string;
  /** R5: active bookings one WeChat account may hold (1–20). */
  accountActiveLimit: number;
  /** R13: the reminder's lead: `daysBefore` (0–7) at `at` (`HH:mm`). */
  reminder: { daysBefore: number; at: string };
  /** R13/R11: no subscribed message from `from` to `to` (`HH:mm`; equal: none). */
  quietHours: { from: string; to: string };
  /** R10: the n-th no-show within a China calendar month suspends (2–10). */
  noShowLimit: number;
  /** R10: how many months a suspension lasts (1–12). */
  suspensionMonths: number;
  /** Issue 15: which real-name facility WeChat granted ('off': none). */
  identityMethod: 'realname' | 'face' | 'off';
  /** Issue 15: booking needs a verified account (off by default). */
  requireVerification: boolean;
  /** Issue 15: person-level refusals an account may draw in a China day before it is slowed (1–50). */
  personRefusalLimit: number;
  /** R17: cancels an account, or a person, may make within `cancelWindowHours` and still book (1–50). */
  cancelLimit: number;
  /** R17: the rolling window of `cancelLimit`, in hours (1–720). */
  cancelWindowHours: number;
  /** R17: minutes before a person may book a service day again after cancelling it (0–1440). */
  rebookCooldownMinutes: number;
  /** R17: minutes a number an account released is not bookable by that account (0–120). */
  releaseHoldMinutes: number;
}

/** R10: a suspended person as administrators see them (R14: masked). */
export interface SuspensionInfo {
  /** Opaque: how `liftSuspension` names the person (never the ID number). */
  personRef: string;
  name: string;
  idMasked: string;
  phoneMasked: string;
  /** Epoch ms the suspension ends. */
  suspendedUntil: number;
  noShowsThisMonth: number;
  /** Lifts so far. */
  lifts: number;
}

/** What an administrator can subscribe to: the daily notice of a missing year's arrangement. */
export type NoticeTopic = 'calendar';

/** What a key may do: read the day's rows, move the queue, book and cancel (R12 channels). */
export type ApiScope = 'read' | 'queue' | 'book';

/** An API key as listed: never its secret (stored hashed, shown once at creation). */
export interface ApiKeyInfo {
  keyId: string;
  name: string;
  /** The one office the key works for. */
  officeId: string;
  scopes: ApiScope[];
  /** R12: recorded on the bookings the key makes, e.g. `xmjj-web` (厦门交警网), `ixiamen`. */
  channel: string;
  /** Requests a minute before `API.RATE_LIMITED`; the settings' default when the key has none. */
  ratePerMinute?: number;
  createdAt: number;
  createdBy: string;
  /** Present once revoked: the key is refused from then on. */
  revokedAt?: number;
  revokedBy?: string;
}

/**
 * A one-time invitation to a role (instead of typing an OPENID nobody knows): created by an administrator,
 * entered by the staff member in the mini program (`staff` function, `acceptInvitation`), which grants the
 * role to the OPENID of that call. Its code is shown once, at creation (stored hashed); it expires 24 h
 * after, and works once.
 */
export interface InvitationInfo {
  /** The invitation's id (the code's SHA-256, which does not reveal it). */
  id: string;
  role: StaffRole;
  /** Required for `staff` and `office_admin`, absent for `city_admin`. */
  officeId?: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number;
  /** Present once entered: when, and the account that now holds the role. */
  usedAt?: number;
  usedBy?: string;
  /** Present once withdrawn by an administrator. */
  revokedAt?: number;
  revokedBy?: string;
  /** `pending` until used, withdrawn or expired. */
  status: 'pending' | 'used' | 'expired' | 'revoked';
}

export interface RoleRequest {
  openid: string;
  role: StaffRole;
  /** Required for `staff` and `office_admin`, refused for `city_admin`. */
  officeId?: string;
}

/** How statistics rows are grouped: per China day, per period of the day (over the range), per month. */
export type StatsBy = 'day' | 'period' | 'month';

/** Which bookings statistics count (an `office_admin` only their office's). */
export interface StatsQuery {
  officeId?: string;
  serviceId?: string;
  /** Inclusive China dates, `to` not before `from`, at most 366 days. */
  from: DateString;
  to: DateString;
  by: StatsBy;
}

/** One row of statistics (issue 14); every count is of bookings of the row's days (R4, R8, R9, R10). */
export interface StatsRow {
  /** `2027-01-04` (day), `2027-01` (month) or `09:00-10:00` (period: that period over the whole range). */
  key: string;
  /** Numbers offered: the periods' sizes on the days the service was open (R2, R4). */
  released: number;
  /** Bookings made (whatever became of them). */
  booked: number;
  cancelledByCitizen: number;
  cancelledByOffice: number;
  checkedIn: number;
  served: number;
  /** Called `callCountMax` times without answering (R9). */
  missed: number;
  /** Never checked in (R10). */
  noShow: number;
  /** Bookings not cancelled ÷ released, in %, one decimal; null when nothing was released. */
  usedPercent: number | null;
  /** Bookings made per channel (R12): `miniprogram`, an API key's channel… */
  byChannel: Record<string, number>;
  /**
   * The median wait from check-in to the first call, in seconds, counted in whole minutes (a multiple of
   * 60; the lower median of an even count); null when nobody was called.
   */
  medianWaitSeconds: number | null;
}

/** One audit entry as administrators read it (who is an OPENID, `console` or `api:<keyId>`). */
export interface AuditEntry {
  id: string;
  at: number;
  by: string;
  action: string;
  target: Record<string, unknown>;
  before?: unknown;
  after?: unknown;
}

export interface AdminApi {
  /**
   * The first administrator's one-time `city_admin` invitation (as `createInvitation`'s answer, by
   * `console`): only without a user OPENID, and only while nobody holds `city_admin`
   * (`ADMIN.ALREADY_BOOTSTRAPPED`). Each call a new code. Audited as `bootstrap` (without the code).
   */
  bootstrap: { req: Record<string, never>; res: { code: string; invitation: InvitationInfo } };
  /** Idempotent: granting a role the account holds answers the existing grant. */
  grantRole: { req: RoleRequest; res: RoleGrant };
  /** Idempotent: `revoked: false` when the account did not hold the role. */
  revokeRole: { req: RoleRequest; res: { revoked: boolean } };
  /** The roles the caller may manage (all for a `city_admin`, their office's for an `office_admin`). */
  listRoles: { req: { officeId?: string }; res: { roles: RoleGrant[] } };
  /**
   * Who may grant the role (as `grantRole`): a new invitation, its code (`ABCD-EFGH`) in this answer only,
   * valid 24 h and once. Audited (without the code).
   */
  createInvitation: {
    req: { role: StaffRole; officeId?: string };
    res: { code: string; invitation: InvitationInfo };
  };
  /** The invitations the caller may manage (as `listRoles`), newest first, the last 50. */
  listInvitations: { req: { officeId?: string }; res: { invitations: InvitationInfo[] } };
  /** Withdraws a pending invitation; idempotent (a used or expired one is answered as it is). */
  revokeInvitation: { req: { id: string }; res: InvitationInfo };
  /** A new key; the secret is in this answer only (it is stored hashed). */
  createApiKey: {
    req: {
      officeId: string;
      scopes: ApiScope[];
      channel: string;
      name: string;
      ratePerMinute?: number;
    };
    res: { keyId: string; secret: string; key: ApiKeyInfo };
  };
  revokeApiKey: { req: { keyId: string }; res: ApiKeyInfo };
  listApiKeys: { req: { officeId?: string }; res: { keys: ApiKeyInfo[] } };
  /** Any administrator: one year's arrangement and where it comes from (R2). */
  getCalendarYear: { req: { year: number }; res: CalendarYear };
  /**
   * `city_admin`: replaces one year's arrangement at once (validated as a whole: dates in that year, no
   * day twice, no holiday also a workday, make-up days on weekends, at least one holiday). Reaches every
   * function instance within its configuration refresh (10 s). Audited with the year before and after.
   */
  setCalendarYear: {
    req: { year: number; holidays: CalendarEntry[]; workdays: CalendarEntry[] };
    res: CalendarYear;
  };
  /** Any administrator: the admin home's calendar warning; a `city_admin`'s, today's guessing alarm. */
  calendarStatus: { req: Record<string, never>; res: CalendarStatus };
  /**
   * Any administrator, after `wx.requestSubscribeMessage` granted the topic's template: one notice is
   * owed (a one-time consent allows one message), sent by the daily `calendar-watch` timer while a year
   * is missing. Repeating it while one is owed changes nothing.
   */
  subscribeNotice: { req: { topic: NoticeTopic }; res: { topic: NoticeTopic; pending: boolean } };
  /**
   * Any administrator: the offices they administer (every office for a `city_admin`), each with its
   * services' whole configuration, inactive ones included; the categories and the city's settings.
   */
  listOffices: {
    req: Record<string, never>;
    res: {
      offices: (OfficeConfig & { services: ServiceConfig[] })[];
      categories: CategoryConfig[];
      settings: GlobalSettings;
    };
  };
  /**
   * Creates (a `city_admin`) or updates (an administrator of that office) an office. Every configuration
   * change raises `configVersion` and reaches every function instance within its refresh (10 s), and is
   * audited with the document before and after.
   */
  saveOffice: { req: { office: OfficeConfig }; res: OfficeConfig };
  /**
   * Creates or updates a service of an office the caller administers, validated as a whole (ranges in
   * 001–999 not overlapping, prefix unique in the office, times well-formed…) with coded field errors.
   * Raising a quota opens its numbers at once; lowering it cancels nothing (R4). A service never moves
   * to another office.
   */
  saveService: { req: { service: ServiceConfig }; res: ServiceConfig };
  /** Hides a service from citizens (no new bookings); its bookings stay as they are. Idempotent. */
  deactivateService: { req: { serviceId: string }; res: ServiceConfig };
  /** `city_admin`: a category's name and materials (R7). */
  saveCategory: { req: { category: CategoryConfig }; res: CategoryConfig };
  /**
   * An unplanned closure of one service's day, by an administrator of its office. When bookings exist
   * and `confirm` is not true, nothing changes: `needsConfirmation` and their `numbers`. Otherwise the
   * day is closed to booking and each `booked` booking becomes `cancelled_by_office` (its citizen told
   * where they granted the "booking changed" template); `numbers` are those cancelled. Idempotent.
   */
  closeDay: {
    req: { serviceId: string; date: DateString; reason: string; confirm?: boolean };
    res: { closed: boolean; needsConfirmation: boolean; numbers: string[] };
  };
  /** Any administrator: the persons suspended now (R10), masked (R14), newest suspension first. */
  listSuspensions: { req: Record<string, never>; res: { suspensions: SuspensionInfo[] } };
  /**
   * Any administrator: lifts a person's suspension with a reason (2–200 characters); every no-show up to
   * now is forgiven. `lifted: false` when the person is not suspended. Audited.
   */
  liftSuspension: {
    req: { personRef: string; reason: string };
    res: { lifted: boolean; until?: number };
  };
  /** `city_admin`: the city's settings; the fields given replace theirs, the others stay. */
  saveSettings: { req: { settings: Partial<GlobalSettings> }; res: GlobalSettings };
  /**
   * Any administrator (an `office_admin` their office only): rows in key order and their total; equal to
   * a full recount of the bookings (docs/data-model.md says how they are kept).
   */
  stats: { req: StatsQuery; res: { rows: StatsRow[]; total: StatsRow } };
  /**
   * The same rows as a file uploaded to cloud storage (`cloud.uploadFile`) with a temporary URL
   * (`getTempFileURL`): `xlsx` (opened by `wx.openDocument`) or `csv`. No full ID number or phone in it.
   */
  exportStats: {
    req: StatsQuery & { format: 'xlsx' | 'csv' };
    res: { fileID: string; tempFileURL: string; rows: number };
  };
  /**
   * Any administrator (an `office_admin` sees entries about their office): newest first, `limit` 1–50
   * (20 by default); `nextBefore` pages on while older entries exist (a page may run a little over `limit`
   * rather than cut one millisecond's entries). `auditAction` keeps one action's entries (`closeDay`…); it
   * cannot be called `action`, the field that names the function's action.
   */
  listAudit: {
    req: { before?: number; limit?: number; auditAction?: string };
    res: { entries: AuditEntry[]; nextBefore?: number };
  };
}

export type AdminAction = keyof AdminApi;
export type AdminRequest<A extends AdminAction> = AdminApi[A]['req'];
export type AdminResponse<A extends AdminAction> = AdminApi[A]['res'];
/** What a caller sends as `callFunction({ name: 'admin', data })`. */
export type AdminCall<A extends AdminAction> = { action: A } & AdminRequest<A>;
