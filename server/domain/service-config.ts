/**
 * R1/R2/R4/R7/R8/R9: offices, services, categories and the city's settings as administrators edit them,
 * each validated as a whole. Pure: the admin pages run the same checks as the server, and every problem
 * carries the field it is about and a code with its Chinese message (server/shared/errors.ts).
 */
import type {
  CategoryConfig,
  GlobalSettings,
  OfficeConfig,
  ServiceConfig,
} from '../../typings/admin';
import type { ErrorCode } from '../../typings/errors';
import { clockMinutes, isClock } from './china-time';

export interface ConfigIssue {
  code: ErrorCode;
  field: string;
}

export const ID_RE = /^[a-z0-9][a-z0-9-]{1,39}$/;
const PREFIX_RE = /^[A-Z]{1,2}$/;
const PERIOD_ID_RE = /^[a-z0-9]{1,8}$/;
/** R4: numbers are three digits. */
export const NUMBER_MIN = 1;
export const NUMBER_MAX = 999;
export const MAX_HORIZON_DAYS = 60;
export const MAX_PERIODS = 24;
export const MAX_NOTICE = 500;
const CATEGORY_IDS = ['surveillance', 'commercial', 'impounded'];

function chars(text: string): number {
  return Array.from(text.trim()).length;
}

function nameOk(text: string, max = 20): boolean {
  return chars(text) >= 1 && chars(text) <= max && !/\p{Cc}/u.test(text);
}

function intIn(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

export function checkOffice(office: OfficeConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!ID_RE.test(office.id)) issues.push({ code: 'ADMIN.ID_INVALID', field: 'office.id' });
  if (!nameOk(office.name)) issues.push({ code: 'ADMIN.NAME_INVALID', field: 'office.name' });
  if (!nameOk(office.address, 100))
    issues.push({ code: 'ADMIN.TEXT_TOO_LONG', field: 'office.address' });
  // Mainland China's extent, roughly: a point outside it is a typing mistake (swapped coordinates).
  if (!(office.latitude >= 3 && office.latitude <= 54))
    issues.push({ code: 'ADMIN.COORDINATES_INVALID', field: 'office.latitude' });
  if (!(office.longitude >= 73 && office.longitude <= 136))
    issues.push({ code: 'ADMIN.COORDINATES_INVALID', field: 'office.longitude' });
  if (!intIn(office.order, 0, 9999))
    issues.push({ code: 'ADMIN.NUMBER_OUT_OF_RANGE', field: 'office.order' });
  return issues;
}

/**
 * A service as a whole. `siblings` are the other services of the same office (for the prefix, R4/R12:
 * a number's label must say which service it is).
 */
export function checkService(
  service: ServiceConfig,
  siblings: readonly Pick<ServiceConfig, 'id' | 'prefix'>[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (code: ErrorCode, field: string): void => {
    issues.push({ code, field: `service.${field}` });
  };
  if (!ID_RE.test(service.id)) add('ADMIN.ID_INVALID', 'id');
  if (!nameOk(service.name)) add('ADMIN.NAME_INVALID', 'name');
  if (!PREFIX_RE.test(service.prefix)) add('ADMIN.PREFIX_INVALID', 'prefix');
  else if (siblings.some((s) => s.id !== service.id && s.prefix === service.prefix))
    add('ADMIN.PREFIX_TAKEN', 'prefix');
  if (chars(service.notice) > MAX_NOTICE) add('ADMIN.TEXT_TOO_LONG', 'notice');
  if (!intIn(service.order, 0, 9999)) add('ADMIN.NUMBER_OUT_OF_RANGE', 'order');
  if (
    service.categories.length === 0 ||
    new Set(service.categories).size !== service.categories.length ||
    service.categories.some((c) => !CATEGORY_IDS.includes(c))
  )
    add('ADMIN.CATEGORIES_INVALID', 'categories');
  issues.push(...checkPeriods(service.periods));
  if (
    service.openWeekdays.length === 0 ||
    new Set(service.openWeekdays).size !== service.openWeekdays.length ||
    service.openWeekdays.some((d) => !intIn(d, 0, 6))
  )
    add('ADMIN.WEEKDAYS_INVALID', 'openWeekdays');
  if (!intIn(service.horizonDays, 1, MAX_HORIZON_DAYS))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'horizonDays');
  if (!isClock(service.releaseTime)) add('ADMIN.TIME_INVALID', 'releaseTime');
  if (!intIn(service.cancelCutoffMinutes, 0, 1440))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'cancelCutoffMinutes');
  if (!intIn(service.queue.callCountMax, 1, 10))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'queue.callCountMax');
  if (!intIn(service.queue.checkInMinutesBefore, 0, 240))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'queue.checkInMinutesBefore');
  return issues;
}

/**
 * R4: the periods of a day — ids unique, times `HH:mm` with the end after the start and no two periods
 * overlapping in time, number ranges inside 001–999 and not overlapping (a number belongs to one period).
 */
export function checkPeriods(periods: ServiceConfig['periods']): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (periods.length === 0) return [{ code: 'ADMIN.PERIODS_EMPTY', field: 'service.periods' }];
  const ids = new Set<string>();
  periods.forEach((p, i) => {
    const at = (f: string): string => `service.periods.${String(i)}.${f}`;
    if (!PERIOD_ID_RE.test(p.id) || ids.has(p.id))
      issues.push({ code: 'ADMIN.PERIOD_ID_INVALID', field: at('id') });
    ids.add(p.id);
    if (!isClock(p.start)) issues.push({ code: 'ADMIN.TIME_INVALID', field: at('start') });
    else if (!isClock(p.end)) issues.push({ code: 'ADMIN.TIME_INVALID', field: at('end') });
    else if (clockMinutes(p.end) <= clockMinutes(p.start))
      issues.push({ code: 'ADMIN.PERIOD_TIMES', field: at('end') });
    else if (
      periods.some(
        (q, j) =>
          j < i &&
          isClock(q.start) &&
          isClock(q.end) &&
          clockMinutes(q.start) < clockMinutes(p.end) &&
          clockMinutes(p.start) < clockMinutes(q.end),
      )
    )
      issues.push({ code: 'ADMIN.PERIOD_TIMES', field: at('start') });
    if (
      !intIn(p.from, NUMBER_MIN, NUMBER_MAX) ||
      !intIn(p.to, NUMBER_MIN, NUMBER_MAX) ||
      p.to < p.from
    )
      issues.push({ code: 'ADMIN.RANGE_INVALID', field: at('from') });
    else if (periods.some((q, j) => j < i && q.from <= p.to && p.from <= q.to))
      issues.push({ code: 'ADMIN.RANGE_OVERLAP', field: at('from') });
  });
  return issues;
}

/** R4: the day's quota, the sum of the periods' ranges. */
export function quota(periods: ServiceConfig['periods']): number {
  return periods.reduce((n, p) => n + (p.to - p.from + 1), 0);
}

export function checkCategory(category: CategoryConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!nameOk(category.name)) issues.push({ code: 'ADMIN.NAME_INVALID', field: 'category.name' });
  if (
    category.materials.length === 0 ||
    category.materials.length > 20 ||
    category.materials.some((m) => !nameOk(m.name) || (m.note !== undefined && chars(m.note) > 40))
  )
    issues.push({ code: 'ADMIN.MATERIALS_INVALID', field: 'category.materials' });
  if (!intIn(category.order, 0, 9999))
    issues.push({ code: 'ADMIN.NUMBER_OUT_OF_RANGE', field: 'category.order' });
  return issues;
}

/**
 * The fields given of the city's settings; `requireVerification` against `identityMethod` only when both
 * are given (the server checks the settings as they will be stored).
 */
export function checkSettings(settings: Partial<GlobalSettings>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (code: ErrorCode, field: string): void => {
    issues.push({ code, field: `settings.${field}` });
  };
  const s = settings;
  if (s.notice !== undefined && chars(s.notice) > MAX_NOTICE) add('ADMIN.TEXT_TOO_LONG', 'notice');
  if (s.accountActiveLimit !== undefined && !intIn(s.accountActiveLimit, 1, 20))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'accountActiveLimit');
  if (s.reminder !== undefined) {
    if (!intIn(s.reminder.daysBefore, 0, 7))
      add('ADMIN.NUMBER_OUT_OF_RANGE', 'reminder.daysBefore');
    if (!isClock(s.reminder.at)) add('ADMIN.TIME_INVALID', 'reminder.at');
  }
  if (s.quietHours !== undefined) {
    if (!isClock(s.quietHours.from)) add('ADMIN.TIME_INVALID', 'quietHours.from');
    if (!isClock(s.quietHours.to)) add('ADMIN.TIME_INVALID', 'quietHours.to');
  }
  if (s.noShowLimit !== undefined && !intIn(s.noShowLimit, 2, 10))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'noShowLimit');
  if (s.suspensionMonths !== undefined && !intIn(s.suspensionMonths, 1, 12))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'suspensionMonths');
  if (s.personRefusalLimit !== undefined && !intIn(s.personRefusalLimit, 1, 50))
    add('ADMIN.NUMBER_OUT_OF_RANGE', 'personRefusalLimit');
  const ranges = [
    ['cancelLimit', 1, 50],
    ['cancelWindowHours', 1, 720],
    ['rebookCooldownMinutes', 0, 1440],
    ['releaseHoldMinutes', 0, 120],
  ] as const;
  for (const [field, min, max] of ranges) {
    const value = s[field];
    if (value !== undefined && !intIn(value, min, max)) add('ADMIN.NUMBER_OUT_OF_RANGE', field);
  }
  // R15: requiring verification with no facility to verify through would refuse every new citizen.
  if (s.requireVerification === true && s.identityMethod === 'off')
    add('ADMIN.VERIFICATION_UNAVAILABLE', 'requireVerification');
  return issues;
}
