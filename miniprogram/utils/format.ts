/** How dates, times and states read in Chinese on the pages. Pure; all times are China time (R3). */
import type {
  BookingStatus,
  ClosedReason,
  ReminderState,
  ViolationCategory,
} from '../../typings/api';
import {
  addDays,
  chinaClock,
  chinaDate,
  chinaMoment,
  clockMinutes,
  weekday,
} from '../../server/domain/china-time';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** R9: arrive this many minutes before the period starts. */
export const ARRIVE_EARLY_MINUTES = 5;

/** `2026-12-02` → `12月2日 周三`. */
export function dayLabel(date: string): string {
  const [, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${m}月${d}日 ${WEEKDAYS[weekday(date)] ?? ''}`;
}

/** `2026-12-02` → `2026年12月2日 周三`. */
export function fullDayLabel(date: string): string {
  return `${date.slice(0, 4)}年${dayLabel(date)}`;
}

/** 明天 / 后天 for the next two days, otherwise nothing. */
export function relativeDay(date: string, now: number): string {
  const today = chinaDate(now);
  if (date === addDays(today, 1)) return '明天';
  if (date === addDays(today, 2)) return '后天';
  return '';
}

/** `09:00`, `10:00` → `09:00-10:00`. */
export function periodLabel(start: string, end: string): string {
  return `${start}-${end}`;
}

/** R9: `09:00` → `08:55`. */
export function arriveBy(start: string): string {
  const minutes = Math.max(0, clockMinutes(start) - ARRIVE_EARLY_MINUTES);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** An instant as `12月1日 17:00`, China time. */
export function momentLabel(ms: number): string {
  return chinaMoment(ms, ms);
}

const CLOSED: Record<ClosedReason, string> = {
  weekend: '周末休息',
  holiday: '节假日休息',
  not_released: '还没放号',
  closed: '当天不办公',
};

export function closedLabel(reason: ClosedReason | undefined): string {
  return reason ? CLOSED[reason] : '不可预约';
}

const STATUS: Record<
  BookingStatus,
  { text: string; type: 'primary' | 'success' | 'warning' | 'danger' | 'default' }
> = {
  booked: { text: '已预约', type: 'primary' },
  checked_in: { text: '已签到', type: 'success' },
  called: { text: '叫号中', type: 'warning' },
  serving: { text: '办理中', type: 'success' },
  served: { text: '已办结', type: 'success' },
  missed: { text: '已过号', type: 'warning' },
  cancelled: { text: '已取消', type: 'default' },
  cancelled_by_office: { text: '办理点停办，已取消', type: 'danger' },
  no_show: { text: '未到场', type: 'danger' },
};

export function statusTag(status: BookingStatus): { text: string; type: string } {
  return STATUS[status];
}

/** The contract's three categories (R7); the catalogue may rename them, bookings carry only the id. */
const CATEGORY: Record<ViolationCategory, string> = {
  surveillance: '电子监控类',
  commercial: '营运类',
  impounded: '扣车类',
};

export function categoryLabel(category: ViolationCategory): string {
  return CATEGORY[category];
}

const REMINDER: Record<ReminderState, string> = {
  pending: '已订阅提醒，{when} 会通过微信提醒您',
  sent: '提醒已发送',
  not_subscribed: '没有订阅提醒，请自己记好时间',
  failed: '提醒没有发送成功，请自己记好时间',
};

/** What the booking's reminder is; `when` says at what time it comes (`办理前一天 18:00`, R13). */
export function reminderLabel(state: ReminderState, when = '办理前一天'): string {
  return REMINDER[state].replace('{when}', when);
}

export interface ProgressStep {
  text: string;
  state: 'done' | 'current' | 'todo';
}

/** The window's steps as the citizen follows them (issue 13): 签到 → 叫号 → 办理 → 办结. */
const WINDOW_STEPS = ['签到', '叫号', '办理', '办结'];
const STEP_OF: Partial<Record<BookingStatus, number>> = {
  checked_in: 0,
  called: 1,
  serving: 2,
  served: 3,
};

/**
 * Where the booking is at the window, once checked in: each step done, current or still to come, and
 * what the citizen should do now. Empty before check-in and for a booking that never reached the window.
 */
export function windowProgress(
  status: BookingStatus,
  times: { checkedInAt?: number; servedAt?: number },
): { steps: ProgressStep[]; hint: string } {
  if (status === 'missed') {
    return {
      steps: [],
      hint: '叫号时您不在窗口，已过号，本次预约作废。如预约时段还没结束，请到窗口找工作人员。',
    };
  }
  const at = STEP_OF[status];
  if (at === undefined) return { steps: [], hint: '' };
  const steps = WINDOW_STEPS.map((text, i): ProgressStep => {
    let label = text;
    if (i === 0 && times.checkedInAt !== undefined) label = `签到 ${chinaClock(times.checkedInAt)}`;
    if (i === 3 && times.servedAt !== undefined) label = `办结 ${chinaClock(times.servedAt)}`;
    return {
      text: label,
      state: i < at || status === 'served' ? 'done' : i === at ? 'current' : 'todo',
    };
  });
  const HINTS: Partial<Record<BookingStatus, string>> = {
    checked_in: '已签到，请在大厅等候叫号，叫号时不在即过号',
    called: '正在叫您的号，请马上到窗口办理',
    serving: '正在窗口办理',
    served: '业务已办结，谢谢',
  };
  return { steps, hint: HINTS[status] ?? '' };
}
