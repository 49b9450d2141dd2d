/**
 * R1/R2/R4/R7/R8/R9/R10/R15–R17: the admin forms' values as typed (text, so a half-typed number stays what the
 * person typed) and the configuration they make, checked with the server's own validators
 * (server/domain/service-config.ts), each problem keyed by its field for the message under that field.
 * Pure.
 */
import type { Material, ViolationCategory } from '../../../typings/api';
import type {
  GlobalSettings,
  OfficeConfig,
  PeriodConfig,
  ServiceConfig,
} from '../../../typings/admin';
import type { ErrorCode } from '../../../typings/errors';
import type { ConfigIssue } from '../../../server/domain/service-config';
import { codeMessage } from '../../utils/messages';

/** A number field as typed: blank or not a number is NaN, which every range check refuses. */
export function numberOf(text: string): number {
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

/**
 * The first problem of each field, its coded message keyed by the field's path without the document's
 * name (`service.periods.0.from` → `periods.0.from`): what each field shows under itself.
 */
export function fieldErrors(issues: readonly ConfigIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.field.replace(/^(service|office|settings|category)\./, '');
    errors[key] ??= codeMessage(issue.code);
  }
  return errors;
}

/** A refusal the server answered, under its field (or, without one, for the whole form under `''`). */
export function serverError(code: ErrorCode, field: string | undefined): Record<string, string> {
  return fieldErrors([{ code, field: field ?? '' }]);
}

export const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export const CATEGORY_NAMES: Record<ViolationCategory, string> = {
  surveillance: '电子监控类',
  commercial: '营运车辆类',
  impounded: '扣车类',
};

export interface PeriodForm {
  id: string;
  start: string;
  end: string;
  from: string;
  to: string;
}

export interface ServiceForm {
  id: string;
  officeId: string;
  name: string;
  prefix: string;
  notice: string;
  order: string;
  active: boolean;
  categories: ViolationCategory[];
  periods: PeriodForm[];
  openWeekdays: number[];
  horizonDays: string;
  releaseTime: string;
  cancelCutoffMinutes: string;
  callCountMax: string;
  checkInMinutesBefore: string;
  requeue: boolean;
}

function periodForm(p: PeriodConfig): PeriodForm {
  return { id: p.id, start: p.start, end: p.end, from: String(p.from), to: String(p.to) };
}

export function serviceForm(s: ServiceConfig): ServiceForm {
  return {
    id: s.id,
    officeId: s.officeId,
    name: s.name,
    prefix: s.prefix,
    notice: s.notice,
    order: String(s.order),
    active: s.active,
    categories: [...s.categories],
    periods: s.periods.map(periodForm),
    openWeekdays: [...s.openWeekdays],
    horizonDays: String(s.horizonDays),
    releaseTime: s.releaseTime,
    cancelCutoffMinutes: String(s.cancelCutoffMinutes),
    callCountMax: String(s.queue.callCountMax),
    checkInMinutesBefore: String(s.queue.checkInMinutesBefore),
    requeue: s.queue.requeue,
  };
}

export function serviceFromForm(f: ServiceForm): ServiceConfig {
  return {
    id: f.id.trim(),
    officeId: f.officeId,
    name: f.name.trim(),
    prefix: f.prefix.trim().toUpperCase(),
    notice: f.notice.trim(),
    order: numberOf(f.order),
    active: f.active,
    categories: [...f.categories],
    periods: f.periods.map((p) => ({
      id: p.id.trim(),
      start: p.start.trim(),
      end: p.end.trim(),
      from: numberOf(p.from),
      to: numberOf(p.to),
    })),
    openWeekdays: [...f.openWeekdays].sort((a, b) => a - b),
    horizonDays: numberOf(f.horizonDays),
    releaseTime: f.releaseTime.trim(),
    cancelCutoffMinutes: numberOf(f.cancelCutoffMinutes),
    queue: {
      callCountMax: numberOf(f.callCountMax),
      checkInMinutesBefore: numberOf(f.checkInMinutesBefore),
      requeue: f.requeue,
    },
  };
}

/**
 * A new service of `officeId`: the first capital letter no sibling uses as its prefix, the city's usual
 * day (R2, R4: 09:00–12:00 and 14:30–16:30 in hour periods of 10 numbers), every category.
 */
export function newServiceForm(officeId: string, siblingPrefixes: readonly string[]): ServiceForm {
  const free = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((c) => !siblingPrefixes.includes(c));
  return {
    id: '',
    officeId,
    name: '',
    prefix: free ?? '',
    notice: '',
    order: String(siblingPrefixes.length + 1),
    active: true,
    categories: ['surveillance', 'commercial', 'impounded'],
    periods: [{ id: 'am1', start: '09:00', end: '10:00', from: '1', to: '10' }],
    openWeekdays: [1, 2, 3, 4, 5],
    horizonDays: '7',
    releaseTime: '00:00',
    cancelCutoffMinutes: '60',
    callCountMax: '3',
    checkInMinutesBefore: '60',
    requeue: true,
  };
}

/** The next period after the last: an hour later, the next ten numbers, an id not taken. */
export function nextPeriod(periods: readonly PeriodForm[]): PeriodForm {
  const last = periods[periods.length - 1];
  const used = new Set(periods.map((p) => p.id));
  let n = periods.length + 1;
  while (used.has(`p${String(n)}`)) n += 1;
  const to = last ? numberOf(last.to) : 0;
  const from = Number.isInteger(to) ? to + 1 : 1;
  const start = last?.end ?? '09:00';
  const [h = '09', m = '00'] = start.split(':');
  const end = `${String(Math.min(Number(h) + 1, 23)).padStart(2, '0')}:${m}`;
  return { id: `p${String(n)}`, start, end, from: String(from), to: String(from + 9) };
}

/** R4: the day's numbers, `共 50 个号（A001–A050）`, or '' while a range is not a number. */
export function quotaText(prefix: string, periods: readonly PeriodForm[]): string {
  const ranges = periods.map((p) => [numberOf(p.from), numberOf(p.to)] as const);
  if (
    ranges.length === 0 ||
    ranges.some(([a, b]) => !Number.isInteger(a) || !Number.isInteger(b) || b < a)
  )
    return '';
  const total = ranges.reduce((n, [a, b]) => n + (b - a + 1), 0);
  const low = Math.min(...ranges.map(([a]) => a));
  const high = Math.max(...ranges.map(([, b]) => b));
  const label = (n: number): string => `${prefix}${String(n).padStart(3, '0')}`;
  return `每天共 ${String(total)} 个号（${label(low)}–${label(high)}）`;
}

export interface OfficeForm {
  id: string;
  name: string;
  address: string;
  latitude: string;
  longitude: string;
  order: string;
}

export function officeForm(o: OfficeConfig): OfficeForm {
  return {
    id: o.id,
    name: o.name,
    address: o.address,
    latitude: String(o.latitude),
    longitude: String(o.longitude),
    order: String(o.order),
  };
}

export function officeFromForm(f: OfficeForm): OfficeConfig {
  return {
    id: f.id.trim(),
    name: f.name.trim(),
    address: f.address.trim(),
    latitude: numberOf(f.latitude),
    longitude: numberOf(f.longitude),
    order: numberOf(f.order),
  };
}

export interface SettingsForm {
  notice: string;
  accountActiveLimit: string;
  reminderDaysBefore: string;
  reminderAt: string;
  quietFrom: string;
  quietTo: string;
  noShowLimit: string;
  suspensionMonths: string;
  identityMethod: GlobalSettings['identityMethod'];
  requireVerification: boolean;
  personRefusalLimit: string;
  cancelLimit: string;
  cancelWindowHours: string;
  rebookCooldownMinutes: string;
  releaseHoldMinutes: string;
}

export function settingsForm(s: GlobalSettings): SettingsForm {
  return {
    notice: s.notice,
    accountActiveLimit: String(s.accountActiveLimit),
    reminderDaysBefore: String(s.reminder.daysBefore),
    reminderAt: s.reminder.at,
    quietFrom: s.quietHours.from,
    quietTo: s.quietHours.to,
    noShowLimit: String(s.noShowLimit),
    suspensionMonths: String(s.suspensionMonths),
    identityMethod: s.identityMethod,
    requireVerification: s.requireVerification,
    personRefusalLimit: String(s.personRefusalLimit),
    cancelLimit: String(s.cancelLimit),
    cancelWindowHours: String(s.cancelWindowHours),
    rebookCooldownMinutes: String(s.rebookCooldownMinutes),
    releaseHoldMinutes: String(s.releaseHoldMinutes),
  };
}

/** Every setting the form edits: the whole of `GlobalSettings`. */
export function settingsFromForm(f: SettingsForm): GlobalSettings {
  return {
    notice: f.notice.trim(),
    accountActiveLimit: numberOf(f.accountActiveLimit),
    reminder: { daysBefore: numberOf(f.reminderDaysBefore), at: f.reminderAt.trim() },
    quietHours: { from: f.quietFrom.trim(), to: f.quietTo.trim() },
    noShowLimit: numberOf(f.noShowLimit),
    suspensionMonths: numberOf(f.suspensionMonths),
    identityMethod: f.identityMethod,
    requireVerification: f.requireVerification,
    personRefusalLimit: numberOf(f.personRefusalLimit),
    cancelLimit: numberOf(f.cancelLimit),
    cancelWindowHours: numberOf(f.cancelWindowHours),
    rebookCooldownMinutes: numberOf(f.rebookCooldownMinutes),
    releaseHoldMinutes: numberOf(f.releaseHoldMinutes),
  };
}

/** R7: a category's materials as lines, `名称` or `名称｜说明`. */
export function materialsText(materials: readonly Material[]): string {
  return materials.map((m) => (m.note ? `${m.name}｜${m.note}` : m.name)).join('\n');
}

/** The lines back into materials (blank lines skipped; `|` or `｜` before the note). */
export function parseMaterials(text: string): Material[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.search(/[|｜]/);
      if (at < 0) return { name: line };
      const name = line.slice(0, at).trim();
      const note = line.slice(at + 1).trim();
      return note === '' ? { name } : { name, note };
    });
}
