/**
 * One booking: the number large, when to arrive (R9), where (with the map), what to bring (R7), the QR
 * pass for the window, and cancel / reschedule until the cutoff (R8), each after a confirmation. Once
 * checked in, the window's progress (签到 → 叫号 → 办理 → 办结, or 过号), refreshed by pulling down.
 */
import type { Booking, Material } from '../../../typings/api';
import { callApi, errorMessage, isRetryable, loadFailed } from '../../services/api';
import { navigateTo, openLocation, stopPullDownRefresh } from '../../services/platform';
import { session } from '../../services/session';
import {
  arriveBy,
  categoryLabel,
  fullDayLabel,
  momentLabel,
  periodLabel,
  reminderLabel,
  statusTag,
  windowProgress,
  type ProgressStep,
} from '../../utils/format';

interface Row {
  label: string;
  value: string;
}

interface BookingView {
  id: string;
  number: string;
  statusText: string;
  statusType: string;
  active: boolean;
  dayText: string;
  periodText: string;
  arriveText: string;
  serviceName: string;
  officeName: string;
  address: string;
  personRows: Row[];
  materials: Material[];
  passToken: string;
  reminderText: string;
  canChange: boolean;
  deadlineText: string;
  /** At the window (issue 13): 签到 → 叫号 → 办理 → 办结, and what to do now. */
  progress: ProgressStep[];
  progressHint: string;
  called: boolean;
}

const BANNER: Record<string, string> = {
  booked: '预约成功',
  rescheduled: '改约成功',
};

function view(b: Booking, now: number): BookingView {
  const tag = statusTag(b.status);
  const active = b.status === 'booked';
  const canChange = active && now < b.cancelDeadline;
  let deadlineText = '';
  if (active) {
    deadlineText = canChange
      ? `${momentLabel(b.cancelDeadline)} 前可以取消或改约，之后不能再取消。不来又没取消，会记一次未到场。`
      : `已过取消时间（${momentLabel(b.cancelDeadline)}），不能再取消或改约。请按时到场。`;
  }
  return {
    id: b.id,
    number: b.number,
    statusText: tag.text,
    statusType: tag.type,
    active,
    dayText: fullDayLabel(b.date),
    periodText: periodLabel(b.period.start, b.period.end),
    arriveText: `请在 ${arriveBy(b.period.start)} 前到达`,
    serviceName: b.serviceName,
    officeName: b.office.name,
    address: b.office.address,
    personRows: [
      { label: '姓名', value: b.name },
      { label: '身份证号', value: b.idMasked },
      { label: '手机号', value: b.phoneMasked },
      { label: '车牌号', value: b.plate },
      { label: '违法类别', value: categoryLabel(b.category) },
    ],
    materials: b.materials,
    passToken: b.status === 'booked' || b.status === 'checked_in' ? b.passToken : '',
    reminderText: active ? reminderLabel(b.reminder) : '',
    canChange,
    deadlineText,
    ...progressOf(b),
    called: b.status === 'called',
  };
}

function progressOf(b: Booking): { progress: ProgressStep[]; progressHint: string } {
  const { steps, hint } = windowProgress(b.status, {
    ...(b.checkedInAt !== undefined ? { checkedInAt: b.checkedInAt } : {}),
    ...(b.servedAt !== undefined ? { servedAt: b.servedAt } : {}),
  });
  return { progress: steps, progressHint: hint };
}

Page({
  bookingId: '',
  booking: null as Booking | null,
  busy: false,
  data: {
    loading: true,
    error: '',
    retryable: true,
    banner: '',
    b: null as BookingView | null,
    dialogShow: false,
    dialogMessage: '',
    cancelling: false,
    actionError: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.bookingId = query.id ?? '';
    this.busy = false;
    this.setData({ banner: BANNER[query.fresh ?? ''] ?? '' });
    const last = session().lastBooking;
    if (last && last.id === this.bookingId) this.show(last);
    else void this.load();
  },

  onShow() {
    // Back from a reschedule or another page: show the booking as it is now, without a spinner.
    if (this.booking) void this.refresh();
  },

  onPullDownRefresh() {
    // Waiting in the hall: has the window called me yet?
    void this.refresh().then(() => {
      stopPullDownRefresh();
    });
  },

  async refresh() {
    const res = await callApi('detail', { bookingId: this.bookingId });
    if (res.ok) this.show(res.data);
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await callApi('detail', { bookingId: this.bookingId });
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    this.show(res.data);
  },

  show(booking: Booking) {
    this.booking = booking;
    this.setData({ loading: false, error: '', b: view(booking, Date.now()) });
  },

  onRetry() {
    void this.load();
  },

  onOpenMap() {
    const b = this.booking;
    if (!b) return;
    openLocation({
      latitude: b.office.latitude,
      longitude: b.office.longitude,
      name: b.office.name,
      address: b.office.address,
    });
  },

  onCancelTap() {
    const b = this.booking;
    if (!b) return;
    this.setData({
      actionError: '',
      dialogShow: true,
      dialogMessage: `确定取消 ${fullDayLabel(b.date)} ${periodLabel(b.period.start, b.period.end)} 的预约 ${b.number} 吗？\n取消后这个号会让给别人。`,
    });
  },

  onDialogClose() {
    this.setData({ dialogShow: false });
  },

  onDialogConfirm() {
    this.setData({ dialogShow: false });
    void this.cancel();
  },

  async cancel() {
    if (this.busy) return;
    this.busy = true;
    this.setData({ cancelling: true, actionError: '' });
    const res = await callApi('cancel', { bookingId: this.bookingId });
    this.busy = false;
    this.setData({ cancelling: false });
    if (res.ok) {
      this.setData({ banner: '已取消预约' });
      this.show(res.data);
      return;
    }
    this.setData({ actionError: errorMessage(res.error) });
    // The booking changed meanwhile (cutoff passed, checked in): show what it is now.
    if (!isRetryable(res.error)) {
      const fresh = await callApi('detail', { bookingId: this.bookingId });
      if (fresh.ok) this.show(fresh.data);
    }
  },

  onRescheduleTap() {
    const b = this.booking;
    if (!b) return;
    navigateTo(
      `/pages/slot/index?reschedule=${encodeURIComponent(b.id)}&serviceId=${encodeURIComponent(b.serviceId)}`,
    );
  },

  onMine() {
    navigateTo('/pages/mine/index');
  },
});
