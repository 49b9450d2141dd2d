/**
 * Step 1 of 3: day and period (R2, R4, R11), before anything is typed, so that a full horizon is known
 * first. The horizon as the server answers it, closed and full days shown with the reason but not
 * selectable, today never offered, the numbers left per period under the day chosen (so that at the
 * largest font the periods are where the finger is). Tapping a period goes on to the person. Also the
 * second half of a reschedule (R8), when opened with `reschedule=<bookingId>`; and where a "numbers are
 * free again" notice lands, with the freed day open (`date=`).
 */
import type { ApiError, Booking, DayAvailability } from '../../../typings/api';
import { chinaDate } from '../../../server/domain/china-time';
import { callApi, errorMessage, isRetryable, loadFailed } from '../../services/api';
import { findService, loadCatalogue, subscribeTemplates } from '../../services/catalogue';
import {
  backOr,
  navigateTo,
  reLaunch,
  requestSubscribe,
  scrollToSelector,
} from '../../services/platform';
import { session } from '../../services/session';
import { closedLabel, dayLabel, periodLabel, relativeDay } from '../../utils/format';
import { codeMessage } from '../../utils/messages';

interface PeriodView {
  id: string;
  start: string;
  end: string;
  label: string;
  remaining: number;
  full: boolean;
}

interface DayView {
  date: string;
  label: string;
  relative: string;
  selectable: boolean;
  status: string;
  periods: PeriodView[];
}

type NotifyState = '' | 'asking' | 'waiting' | 'refused' | 'failed';

/**
 * A refused reschedule (R8): '' none; `other` another day or period may do (a full day, the cool-down of
 * a day the person left, a number the account just released, R17); `stuck` no choice here changes the
 * answer (the limits of the account or the person, a suspension, the cutoff, the booking changed).
 */
type Refused = '' | 'other' | 'stuck';

/** Refusals that no other day or period answers differently (R8, R10, R15, R17). */
const NO_OTHER_CHOICE: ReadonlySet<string> = new Set([
  'BOOKING.CANCEL_LIMIT',
  'BOOKING.PERSON_CANCEL_LIMIT',
  'BLACKLIST.SUSPENDED',
  'BLACKLIST.ACCOUNT_SUSPENDED',
  'BOOKING.CUTOFF_PASSED',
  'BOOKING.NOT_ACTIVE',
  'BOOKING.NOT_FOUND',
]);
/** Refusals saying the booking is no longer what this page showed: not "unchanged". */
const CHANGED: ReadonlySet<string> = new Set(['BOOKING.NOT_ACTIVE', 'BOOKING.NOT_FOUND']);

interface SlotData {
  loading: boolean;
  error: string;
  retryable: boolean;
  rescheduling: boolean;
  originalText: string;
  days: DayView[];
  selectedDate: string;
  selectedPeriodId: string;
  /** R11: every open day of the horizon is full. */
  soldOut: boolean;
  /** R2/R11: when new numbers come, `每天 0:00 放出新一天的号` (finding 9). */
  releaseText: string;
  /** Bumped after 有号提醒我 so the registration shows (and can be withdrawn) at once. */
  waitingReload: number;
  /** The service whose 有号提醒我 registration is shown. */
  waitingServiceId: string;
  /** No open day at all (a long holiday). */
  noOpenDay: boolean;
  /** R11: offered when the catalogue names the "numbers opened" template. */
  notifyEnabled: boolean;
  notifyState: NotifyState;
  notifyMessage: string;
  /** R5: the account already holds its limit of active bookings; nothing can be chosen. */
  limitText: string;
  dialogShow: boolean;
  dialogMessage: string;
  submitting: boolean;
  submitError: string;
  /** A refused reschedule and the way on from it (`Refused`). */
  refused: Refused;
  /** `原预约 A005 · 12月3日 周四 09:00-10:00 不变，仍然有效。` when the refusal changed nothing. */
  keptText: string;
  refusedHint: string;
}

interface SlotCustom {
  serviceId: string;
  rescheduleId: string;
  original: Booking | undefined;
  loaded: boolean;
  busy: boolean;
  load(): Promise<void>;
  onRetry(): void;
  onNotify(): void;
  joinWaitlist(): Promise<void>;
  onMine(): void;
  onDayTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { date: string }>): void;
  onPeriodTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  choose(date: string, period: PeriodView | undefined): void;
  onDialogCancel(): void;
  onDialogConfirm(): void;
  reschedule(): Promise<void>;
  refuse(error: ApiError): void;
  onBackToOriginal(): void;
}

function dayView(day: DayAvailability, now: number): DayView {
  const periods = day.periods.map((p) => ({
    id: p.id,
    start: p.start,
    end: p.end,
    label: periodLabel(p.start, p.end),
    remaining: p.remaining,
    full: p.remaining <= 0,
  }));
  let status: string;
  if (!day.open) status = closedLabel(day.closedReason);
  else if (day.remaining <= 0) status = '已约满';
  else status = `余 ${day.remaining} 个`;
  return {
    date: day.date,
    label: dayLabel(day.date),
    relative: relativeDay(day.date, now),
    selectable: day.open && day.remaining > 0,
    status,
    periods,
  };
}

function initialData(): SlotData {
  return {
    loading: true,
    error: '',
    retryable: true,
    rescheduling: false,
    originalText: '',
    days: [],
    selectedDate: '',
    selectedPeriodId: '',
    soldOut: false,
    noOpenDay: false,
    notifyEnabled: false,
    releaseText: '',
    waitingReload: 0,
    waitingServiceId: '',
    notifyState: '',
    notifyMessage: '',
    limitText: '',
    dialogShow: false,
    dialogMessage: '',
    submitting: false,
    submitError: '',
    refused: '',
    keptText: '',
    refusedHint: '',
  };
}

/** `每天 0:00 放出新一天的号，请明天 0:00 以后再来看看` from the service's release time (R2). */
function releaseText(releaseTime: string | undefined): string {
  if (!releaseTime) return '每天都会放出新一天的号，请明天再来看看。';
  const at = releaseTime.replace(/^0(\d)/, '$1');
  return `每天 ${at} 放出新一天的号，请明天 ${at} 以后再来看看。`;
}

Page<SlotData, SlotCustom>({
  serviceId: '',
  rescheduleId: '',
  original: undefined,
  loaded: false,
  busy: false,
  data: initialData(),

  onLoad(query) {
    const s = session();
    this.serviceId = query.serviceId ?? s.serviceId ?? '';
    this.rescheduleId = query.reschedule ?? '';
    this.busy = false;
    // The day to open: a notice's freed day, or the one chosen before (back from the person).
    const date = query.date ?? (this.rescheduleId ? undefined : s.slot?.date);
    this.setData({
      rescheduling: this.rescheduleId !== '',
      selectedDate: date ?? '',
      selectedPeriodId: this.rescheduleId ? '' : (s.slot?.periodId ?? ''),
    });
    void this.load();
  },

  onShow() {
    // Back from a later step after a period filled up: show what is left now.
    if (this.loaded) void this.load();
  },

  async load() {
    this.setData({ loading: !this.loaded, error: '' });
    if (this.rescheduleId && !this.original) {
      const res = await callApi('detail', { bookingId: this.rescheduleId });
      if (!res.ok) {
        this.setData(loadFailed(res.error));
        return;
      }
      this.original = res.data;
      this.serviceId = res.data.serviceId;
      this.setData({
        originalText: `${res.data.number} · ${dayLabel(res.data.date)} ${periodLabel(res.data.period.start, res.data.period.end)}`,
      });
    }
    // The catalogue (usually already loaded) names the R11 template; the standing tells the account
    // limit (R5) now rather than after the form. A move keeps the count, so it is not asked then.
    const [res, catalogue, standing] = await Promise.all([
      callApi('availability', { serviceId: this.serviceId }),
      loadCatalogue(),
      this.rescheduleId ? Promise.resolve(undefined) : callApi('standing', {}),
    ]);
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    const first = !this.loaded;
    this.loaded = true;
    session().serviceId = this.serviceId;
    const now = Date.now();
    // R2: today is never offered, whatever the answer holds.
    const today = chinaDate(now);
    const days = res.data.days.filter((d) => d.date > today).map((d) => dayView(d, now));
    const open = res.data.days.filter((d) => d.date > today && d.open);
    const keep = days.find((d) => d.date === this.data.selectedDate && d.selectable);
    const period = keep?.periods.find((p) => p.id === this.data.selectedPeriodId && !p.full);
    this.setData({
      loading: false,
      days,
      selectedDate: keep ? keep.date : '',
      selectedPeriodId: period ? period.id : '',
      soldOut: open.length > 0 && open.every((d) => d.remaining <= 0),
      noOpenDay: open.length === 0,
      waitingServiceId: this.serviceId,
      notifyEnabled: catalogue.ok && subscribeTemplates().slotsReleased !== '',
      releaseText: releaseText(
        catalogue.ok ? findService(catalogue.data, this.serviceId)?.service.releaseTime : undefined,
      ),
      limitText:
        standing?.ok && standing.data.activeCount >= standing.data.activeLimit
          ? `本微信号已有 ${standing.data.activeCount} 个有效预约（最多 ${standing.data.activeLimit} 个）。请先办理或取消已有预约，再来预约。`
          : '',
    });
    // Opened on a day (a notice, or back from the person): its periods into view at once.
    if (first && keep) scrollToSelector(`#day-${keep.date}`);
  },

  onRetry() {
    void this.load();
  },

  /**
   * R11 有号提醒我: the one-time consent for the "numbers opened" message is asked synchronously inside
   * the tap (WeChat refuses it after an `await`); with it, the account joins the service's waiting list.
   */
  onNotify() {
    const templateId = subscribeTemplates().slotsReleased;
    if (!templateId || this.data.notifyState === 'asking') return;
    this.setData({ notifyState: 'asking', notifyMessage: '' });
    requestSubscribe(templateId, (accepted) => {
      if (!accepted) {
        this.setData({
          notifyState: 'refused',
          notifyMessage: '没有允许通知，有号时无法提醒您。可以再点一次并选择“允许”。',
        });
        return;
      }
      void this.joinWaitlist();
    });
  },

  async joinWaitlist() {
    const res = await callApi('notify', { serviceId: this.serviceId });
    if (res.ok) {
      this.setData({
        notifyState: 'waiting',
        notifyMessage: '已登记。一有可约的号就会通知您一次，先到先得，请尽快预约。',
        waitingReload: this.data.waitingReload + 1,
      });
    } else {
      this.setData({ notifyState: 'failed', notifyMessage: errorMessage(res.error) });
    }
  },

  onMine() {
    navigateTo('/pages/mine/index');
  },

  onDayTap(event) {
    const day = this.data.days.find((d) => d.date === event.currentTarget.dataset.date);
    if (!day?.selectable || this.data.limitText) return;
    if (day.periods.length === 0) {
      this.choose(day.date, undefined);
      return;
    }
    const closing = this.data.selectedDate === day.date;
    this.setData({
      selectedDate: closing ? '' : day.date,
      selectedPeriodId: '',
      submitError: '',
      refused: '',
    });
    // The periods open under the day; the day goes to the top so they are in view at any text size.
    if (!closing) scrollToSelector(`#day-${day.date}`);
  },

  onPeriodTap(event) {
    const day = this.data.days.find((d) => d.date === this.data.selectedDate);
    const period = day?.periods.find((p) => p.id === event.currentTarget.dataset.id);
    if (!day || !period || period.full) return;
    this.setData({ selectedPeriodId: period.id, submitError: '', refused: '' });
    this.choose(day.date, period);
  },

  /** The choice made: on to the person, or (rescheduling) the confirmation. */
  choose(date, period) {
    const choice = `${dayLabel(date)}${period ? ` ${period.label}` : ''}`;
    if (this.data.rescheduling) {
      this.setData({
        dialogShow: true,
        dialogMessage: `改到 ${choice}？\n原来的预约号 ${this.original?.number ?? ''} 会同时取消。`,
      });
      return;
    }
    session().slot = period
      ? { date, periodId: period.id, start: period.start, end: period.end }
      : { date };
    navigateTo(`/pages/person-form/index?serviceId=${encodeURIComponent(this.serviceId)}`);
  },

  onDialogCancel() {
    this.setData({ dialogShow: false, selectedPeriodId: '' });
  },

  onDialogConfirm() {
    this.setData({ dialogShow: false });
    if (this.busy) return;
    this.busy = true;
    this.setData({ submitting: true, submitError: '', refused: '' });
    void this.reschedule();
  },

  async reschedule() {
    const periodId = this.data.selectedPeriodId;
    const res = await callApi('reschedule', {
      bookingId: this.rescheduleId,
      date: this.data.selectedDate,
      ...(periodId ? { periodId } : {}),
    });
    this.busy = false;
    this.setData({ submitting: false });
    if (res.ok) {
      session().lastBooking = res.data;
      // A fresh start on the moved booking: going back must not land on the old one's pages.
      reLaunch(
        `/pages/booking-detail/index?id=${encodeURIComponent(res.data.id)}&fresh=rescheduled`,
      );
      return;
    }
    this.refuse(res.error);
    if (res.error.code === 'QUOTA.PERIOD_FULL' || res.error.code === 'QUOTA.SOLD_OUT') {
      await this.load();
      this.setData({ submitError: codeMessage(res.error.code) });
    }
  },

  /**
   * R8: a refused reschedule is not a dead end. It says why, that the booking stands (when the answer
   * says so: a refusal changes nothing; a lost answer or a changed booking does not say), and the way
   * on: another day or period where one may do, and always back to the booking.
   */
  refuse(error) {
    const retryable = isRetryable(error);
    const o = this.original;
    const kept =
      !retryable && !CHANGED.has(error.code) && o
        ? `原预约 ${o.number} · ${dayLabel(o.date)} ${periodLabel(o.period.start, o.period.end)} 不变，仍然有效。`
        : '';
    let hint: string;
    if (retryable) hint = '改约没有完成或结果未知：可以再选一次，或返回原预约查看。';
    else if (CHANGED.has(error.code)) hint = '原预约已有变化，请返回查看。';
    else if (NO_OTHER_CHOICE.has(error.code)) hint = '';
    else hint = '可以改选其他日期或时段，或返回原预约。';
    this.setData({
      submitError: errorMessage(error),
      selectedPeriodId: '',
      refused: NO_OTHER_CHOICE.has(error.code) ? 'stuck' : 'other',
      keptText: kept,
      refusedHint: hint,
    });
    scrollToSelector('.refused');
  },

  onBackToOriginal() {
    // Opened from the booking's page: back to it (it shows the booking as it is now); opened
    // directly, the booking's page in place of this one.
    backOr(`/pages/booking-detail/index?id=${encodeURIComponent(this.rescheduleId)}`);
  },
});
