/**
 * Default configuration (R1/R2/R4/R5/R8/R10/R13) and the R7 materials per category. Everything here is
 * DATA the seed writes into the database; administrators change it there without a deploy, and the
 * functions read the database, never these constants directly.
 */
import type { CategoryInfo, ViolationCategory } from '../../typings/api';
import type { Period } from './numbers';
import type { QuietHours } from './quiet-hours';
import type { ReminderLead } from './standing';

export interface BookingRules {
  /** R2: days ahead that can be booked (on day 1, days 2–8). */
  horizonDays: number;
  /** R2: `HH:mm` China time at which the newest day opens. */
  releaseTime: string;
  /** R2: weekdays with windows open, 0 = Sunday … 6 = Saturday (make-up days and holidays override). */
  openWeekdays: readonly number[];
  /** R8: cancelling and rescheduling close this many minutes before the period starts. */
  cancelCutoffMinutes: number;
  /** R5: active bookings one WeChat account may hold. */
  accountActiveLimit: number;
  /** R10: the n-th no-show within a China calendar month suspends booking for a month. */
  noShowLimit: number;
  /** Issue 15: person-level refusals an account may draw in a China day before it is slowed. */
  personRefusalLimit: number;
  /** R17: cancels per account (and per person) within `cancelWindowHours` before booking is refused. */
  cancelLimit: number;
  cancelWindowHours: number;
  /** R17: after cancelling a service day, the person books that day again only after this. */
  rebookCooldownMinutes: number;
  /** R17: a number an account released is not bookable by that account for this long. */
  releaseHoldMinutes: number;
  /** R13: when the reminder goes out, by default 18:00 the day before. */
  reminder: ReminderLead;
  /** R13/R11: no subscribed message between these China times (issue 12), by default 21:00–07:30. */
  quietHours: QuietHours;
}

export const DEFAULT_RULES: Readonly<BookingRules> = Object.freeze({
  horizonDays: 7,
  releaseTime: '00:00',
  openWeekdays: [1, 2, 3, 4, 5],
  cancelCutoffMinutes: 60,
  accountActiveLimit: 3,
  noShowLimit: 3,
  personRefusalLimit: 5,
  cancelLimit: 5,
  cancelWindowHours: 24,
  rebookCooldownMinutes: 30,
  releaseHoldMinutes: 5,
  reminder: { daysBefore: 1, at: '18:00' },
  quietHours: { from: '21:00', to: '07:30' },
});

/**
 * R4: 50 numbers a day (A001–A050) in one-hour periods of 10 numbers, three in the morning and two in the
 * afternoon around the lunch break. The first period starts once the hall has opened, and the last ends
 * an hour before closing so the window can finish the cases it has called. Administrators set the hall's
 * real hours.
 */
export const DEFAULT_PERIODS: readonly Period[] = Object.freeze([
  { id: 'am1', start: '09:00', end: '10:00', from: 1, to: 10 },
  { id: 'am2', start: '10:00', end: '11:00', from: 11, to: 20 },
  { id: 'am3', start: '11:00', end: '12:00', from: 21, to: 30 },
  { id: 'pm1', start: '14:30', end: '15:30', from: 31, to: 40 },
  { id: 'pm2', start: '15:30', end: '16:30', from: 41, to: 50 },
]);

/** R7: what to bring, per violation category, in display order. */
export const DEFAULT_CATEGORIES: readonly CategoryInfo[] = Object.freeze([
  {
    id: 'surveillance',
    name: '电子监控类',
    materials: [
      { name: '身份证', note: '当事人本人居民身份证' },
      { name: '驾驶证' },
      { name: '行驶证' },
    ],
  },
  {
    id: 'commercial',
    name: '营运类',
    materials: [
      { name: '身份证', note: '当事人本人居民身份证' },
      { name: '驾驶证' },
      { name: '行驶证' },
      { name: '上岗证' },
      { name: '从业资格证' },
      { name: '单位证明' },
    ],
  },
  {
    id: 'impounded',
    name: '扣车类',
    materials: [
      { name: '身份证', note: '当事人本人居民身份证' },
      { name: '驾驶证' },
      { name: '行驶证', note: '无牌车辆提供合格证、购车发票' },
      { name: '交强险保单' },
    ],
    unplated: true,
  },
]);

/** R1: the first office. Its address and map position are entered by the seed or an administrator. */
export const DEFAULT_OFFICE: Readonly<{ id: string; name: string }> = Object.freeze({
  id: 'siming',
  name: '思明交警大队',
});

export interface DefaultService {
  id: string;
  officeId: string;
  name: string;
  /** R4/R12: the WeChat channel's number prefix. */
  prefix: string;
  /** Shown before booking (R9, R5, R10, R6 from the announcement). */
  notice: string;
  categories: readonly ViolationCategory[];
  periods: readonly Period[];
}

/** R1: 思明交警大队 → 交通违法处理, 50 numbers a day, prefix A. */
export const DEFAULT_SERVICE: Readonly<DefaultService> = Object.freeze({
  id: 'siming-violation',
  officeId: DEFAULT_OFFICE.id,
  name: '交通违法处理',
  prefix: 'A',
  notice:
    '请提前 5 分钟到达办理点，等候叫号系统呼叫后办理，过号无效。每人每天同一窗口业务只能预约一个号，' +
    '不可预约当天的号。每月爽约 3 次将暂停预约服务一个月。预约信息须为处理人本人的真实信息，否则窗口不予受理。',
  categories: DEFAULT_CATEGORIES.map((c) => c.id),
  periods: DEFAULT_PERIODS,
});
