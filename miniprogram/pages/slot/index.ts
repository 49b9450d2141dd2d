/**
 * Day and period (R2, R4, R11): the horizon as the server answers it, closed and full days shown with the
 * reason but not selectable, today never offered, the numbers left per period. Also the second half of a
 * reschedule (R8), when opened with `reschedule=<bookingId>`.
 */
import type { Booking, DayAvailability } from '../../../typings/api';
import { chinaDate } from '../../../server/domain/china-time';
import { callApi, errorMessage, loadFailed } from '../../services/api';
import { loadCatalogue, subscribeTemplates } from '../../services/catalogue';
import { navigateTo, redirectTo, requestSubscribe } from '../../services/platform';
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

function dayView(day: DayAvailability): DayView {
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
    relative: relativeDay(day.date, Date.now()),
    selectable: day.open && day.remaining > 0,
    status,
    periods,
  };
}

Page({
  serviceId: '',
  rescheduleId: '',
  loaded: false,
  busy: false,
  data: {
    loading: true,
    error: '',
    retryable: true,
    rescheduling: false,
    original: null as Booking | null,
    originalText: '',
    days: [] as DayView[],
    selectedDate: '',
    selectedPeriodId: '',
    periods: [] as PeriodView[],
    choice: '',
    /** R11: every open day of the horizon is full. */
    soldOut: false,
    /** No open day at all (a long holiday). */
    noOpenDay: false,
    /** R11: offered when the catalogue names the "numbers opened" template. */
    notifyEnabled: false,
    /** '' | 'asking' | 'waiting' | 'refused' | 'failed' */
    notifyState: '',
    notifyMessage: '',
    dialogShow: false,
    dialogMessage: '',
    submitting: false,
    submitError: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.serviceId = query.serviceId ?? session().serviceId ?? '';
    this.rescheduleId = query.reschedule ?? '';
    this.busy = false;
    this.setData({ rescheduling: this.rescheduleId !== '' });
    void this.load();
  },

  onShow() {
    // Back from the confirmation after a period filled up: show what is left now.
    if (this.loaded) void this.load();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    if (this.rescheduleId && !this.data.original) {
      const res = await callApi('detail', { bookingId: this.rescheduleId });
      if (!res.ok) {
        this.setData(loadFailed(res.error));
        return;
      }
      this.serviceId = res.data.serviceId;
      this.setData({
        original: res.data,
        originalText: `${res.data.number} · ${dayLabel(res.data.date)} ${periodLabel(res.data.period.start, res.data.period.end)}`,
      });
    }
    // The catalogue (usually already loaded by the previous pages) names the R11 template.
    const [res, catalogue] = await Promise.all([
      callApi('availability', { serviceId: this.serviceId }),
      loadCatalogue(),
    ]);
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    this.loaded = true;
    this.setData({ notifyEnabled: catalogue.ok && subscribeTemplates().slotsReleased !== '' });
    // R2: today is never offered, whatever the answer holds.
    const today = chinaDate(Date.now());
    const days = res.data.days.filter((d) => d.date > today).map(dayView);
    const open = res.data.days.filter((d) => d.date > today && d.open);
    const keep = days.find((d) => d.date === this.data.selectedDate && d.selectable);
    this.setData({
      loading: false,
      days,
      soldOut: open.length > 0 && open.every((d) => d.remaining <= 0),
      noOpenDay: open.length === 0,
    });
    if (keep) this.selectDay(keep, this.data.selectedPeriodId);
    else this.setData({ selectedDate: '', selectedPeriodId: '', periods: [], choice: '' });
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
      });
    } else {
      this.setData({ notifyState: 'failed', notifyMessage: errorMessage(res.error) });
    }
  },

  selectDay(day: DayView, periodId: string) {
    const period = day.periods.find((p) => p.id === periodId && !p.full);
    this.setData({
      selectedDate: day.date,
      periods: day.periods,
      selectedPeriodId: period ? period.id : '',
      submitError: '',
    });
    this.updateChoice();
  },

  onDayTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { date: string }>) {
    const day = this.data.days.find((d) => d.date === event.currentTarget.dataset.date);
    if (!day?.selectable) return;
    this.selectDay(day, '');
  },

  onPeriodTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    const period = this.data.periods.find((p) => p.id === event.currentTarget.dataset.id);
    if (!period || period.full) return;
    this.setData({ selectedPeriodId: period.id, submitError: '' });
    this.updateChoice();
  },

  /** The chosen day and period in words, or '' while the choice is not complete. */
  updateChoice() {
    const { selectedDate, selectedPeriodId, periods } = this.data;
    const period = periods.find((p) => p.id === selectedPeriodId);
    let choice = '';
    if (selectedDate && period) choice = `${dayLabel(selectedDate)} ${period.label}`;
    else if (selectedDate && periods.length === 0) choice = dayLabel(selectedDate);
    this.setData({ choice });
  },

  onNext() {
    const { selectedDate, selectedPeriodId, periods, choice } = this.data;
    if (!choice) return;
    const period = periods.find((p) => p.id === selectedPeriodId);
    if (this.data.rescheduling) {
      const original = this.data.original;
      this.setData({
        dialogShow: true,
        dialogMessage: `改到 ${choice}？\n原来的预约号 ${original ? original.number : ''} 会同时取消。`,
      });
      return;
    }
    session().slot = period
      ? { date: selectedDate, periodId: period.id, start: period.start, end: period.end }
      : { date: selectedDate };
    navigateTo('/pages/confirm/index');
  },

  onDialogCancel() {
    this.setData({ dialogShow: false });
  },

  onDialogConfirm() {
    this.setData({ dialogShow: false });
    void this.reschedule();
  },

  async reschedule() {
    if (this.busy) return;
    this.busy = true;
    this.setData({ submitting: true, submitError: '' });
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
      redirectTo(
        `/pages/booking-detail/index?id=${encodeURIComponent(res.data.id)}&fresh=rescheduled`,
      );
      return;
    }
    this.setData({ submitError: errorMessage(res.error) });
    if (res.error.code === 'QUOTA.PERIOD_FULL' || res.error.code === 'QUOTA.SOLD_OUT') {
      await this.load();
      this.setData({ submitError: codeMessage(res.error.code) });
    }
  },
});
