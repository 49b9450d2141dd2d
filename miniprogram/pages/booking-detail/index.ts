/**
 * One booking, the page a reminder opens and the one a booking ends on. What the citizen needs at the
 * window first and compact: the number, when to arrive (R9) and the QR pass (tap to enlarge); once
 * checked in, the window's progress (签到 → 叫号 → 办理 → 办结, or 过号), refreshed by pulling down; then
 * the phone's calendar, the map, what to bring (R7); the person on demand; cancel / reschedule until the
 * cutoff (R8), each after a confirmation.
 */
import type { Booking, OfficeInfo, ServiceGuide } from '../../../typings/api';
import { chinaInstant } from '../../../server/domain/china-time';
import { callApi, errorMessage, isRetryable, loadFailed } from '../../services/api';
import {
  findService,
  loadCatalogue,
  reminderWhen,
  subscribeTemplates,
} from '../../services/catalogue';
import {
  addToPhoneCalendar,
  navigateTo,
  openLocation,
  requestSubscribe,
  scrollToTop,
  stopPullDownRefresh,
} from '../../services/platform';
import { session } from '../../services/session';
import {
  ARRIVE_EARLY_MINUTES,
  arriveBy,
  categoryLabel,
  dayLabel,
  fullDayLabel,
  momentLabel,
  periodLabel,
  reminderLabel,
  statusTag,
  windowProgress,
  type ProgressStep,
} from '../../utils/format';

interface Pair {
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
  personName: string;
  personPairs: Pair[];
  /** R7: what to bring, in one sentence (the page stays short at the largest font). */
  materialsText: string;
  passToken: string;
  reminderText: string;
  /** R13 开启提醒: refused (or failed) and the period still ahead (finding 9). */
  canRemind: boolean;
  canChange: boolean;
  deadlineText: string;
  /** At the window (issue 13): 签到 → 叫号 → 办理 → 办结, and what to do now. */
  progress: ProgressStep[];
  progressHint: string;
  called: boolean;
}

type CalendarState = '' | 'added' | 'failed';

interface DetailData {
  loading: boolean;
  error: string;
  retryable: boolean;
  banner: string;
  /** null until loaded (setData refuses undefined). */
  b: BookingView | null;
  passLarge: boolean;
  personOpen: boolean;
  calendarState: CalendarState;
  dialogShow: boolean;
  dialogMessage: string;
  cancelling: boolean;
  actionError: string;
  /** The reminder template is configured (from the catalogue): 开启提醒 can ask for it. */
  remindReady: boolean;
  reminding: boolean;
  remindNote: string;
  /** The office card and 办事指南 (finding 8), from the catalogue; null until loaded. */
  office: OfficeInfo | null;
  guide: ServiceGuide | null;
  guideOpen: boolean;
}

interface DetailCustom {
  bookingId: string;
  booking: Booking | undefined;
  busy: boolean;
  refresh(): Promise<void>;
  load(): Promise<void>;
  show(booking: Booking): void;
  onRetry(): void;
  loadOffice(): Promise<void>;
  onToggleGuide(): void;
  onRemind(): void;
  onOpenMap(): void;
  onAddCalendar(): void;
  onEnlargePass(): void;
  onShrinkPass(): void;
  onTogglePerson(): void;
  onCancelTap(): void;
  onDialogClose(): void;
  onDialogConfirm(): void;
  cancel(): Promise<void>;
  onRescheduleTap(): void;
  onMine(): void;
}

const BANNER: Partial<Record<string, string>> = {
  booked: '预约成功',
  rescheduled: '改约成功',
};

/** The phone's calendar reminds this long before the period, besides WeChat's own reminder (R13). */
const CALENDAR_ALARM_MINUTES = 60;

function view(b: Booking, now: number): BookingView {
  const tag = statusTag(b.status);
  const active = b.status === 'booked';
  const canChange = active && now < b.cancelDeadline;
  let deadlineText = '';
  if (active) {
    deadlineText = canChange
      ? `${momentLabel(b.cancelDeadline)} 前可以取消或改约。不来又不取消，记一次未到场。`
      : `已过取消时间（${momentLabel(b.cancelDeadline)}），不能再取消或改约。请按时到场。`;
  }
  return {
    id: b.id,
    number: b.number,
    statusText: tag.text,
    statusType: tag.type,
    active,
    dayText: dayLabel(b.date),
    periodText: periodLabel(b.period.start, b.period.end),
    arriveText: `请在 ${arriveBy(b.period.start)} 前到达`,
    serviceName: b.serviceName,
    officeName: b.office.name,
    address: b.office.address,
    personName: b.name,
    personPairs: [
      { label: '姓名', value: b.name },
      { label: '身份证号', value: b.idMasked },
      { label: '手机号', value: b.phoneMasked },
      { label: '违法类别', value: categoryLabel(b.category) },
      { label: '车牌号', value: b.plate },
    ],
    materialsText: b.materials.map((m) => (m.note ? `${m.name}（${m.note}）` : m.name)).join('、'),
    passToken: b.status === 'booked' || b.status === 'checked_in' ? b.passToken : '',
    reminderText: active ? reminderLabel(b.reminder, reminderWhen()) : '',
    canRemind:
      active && (b.reminder === 'not_subscribed' || b.reminder === 'failed') && now < b.startsAt,
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

function initialData(): DetailData {
  return {
    loading: true,
    error: '',
    retryable: true,
    banner: '',
    b: null,
    passLarge: false,
    personOpen: false,
    calendarState: '',
    dialogShow: false,
    dialogMessage: '',
    cancelling: false,
    actionError: '',
    remindReady: false,
    reminding: false,
    remindNote: '',
    office: null,
    guide: null,
    guideOpen: false,
  };
}

Page<DetailData, DetailCustom>({
  bookingId: '',
  booking: undefined,
  busy: false,
  data: initialData(),

  onLoad(query) {
    this.bookingId = query.id ?? '';
    this.busy = false;
    this.setData({ banner: BANNER[query.fresh ?? ''] ?? '' });
    const last = session().lastBooking;
    if (last && last.id === this.bookingId) this.show(last);
    else void this.load();
    void this.loadOffice();
  },

  /** The catalogue (usually loaded): the reminder template, the office card and the guide. */
  async loadOffice() {
    const res = await loadCatalogue();
    if (!res.ok) return;
    const serviceId = this.booking?.serviceId ?? session().lastBooking?.serviceId;
    const entry = serviceId ? findService(res.data, serviceId) : undefined;
    this.setData({
      remindReady: subscribeTemplates().reminder !== '',
      ...(entry ? { office: entry.office, guide: entry.service.guide } : {}),
    });
    // The reminder's time is the catalogue's: say it once known.
    if (this.booking) this.show(this.booking);
  },

  onToggleGuide() {
    this.setData({ guideOpen: !this.data.guideOpen });
  },

  /**
   * R13 开启提醒 (finding 9): the consent asked again inside the tap (WeChat refuses it after an
   * `await`); with it, the booking's reminder is pending again.
   */
  onRemind() {
    const templateId = subscribeTemplates().reminder;
    if (!templateId || this.data.reminding) return;
    this.setData({ reminding: true, remindNote: '' });
    requestSubscribe(templateId, (accepted) => {
      if (!accepted) {
        this.setData({
          reminding: false,
          remindNote: '没有允许，提醒未开启。可以再点一次并选择“允许”。',
        });
        return;
      }
      void callApi('remind', { bookingId: this.bookingId }).then((res) => {
        if (res.ok) {
          this.show(res.data);
          this.setData({ reminding: false });
        } else {
          this.setData({ reminding: false, remindNote: errorMessage(res.error) });
        }
      });
    });
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
    if (!this.data.office) void this.loadOffice();
  },

  show(booking) {
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

  /** wx.addPhoneCalendar is allowed only inside a tap: called before anything is awaited. */
  onAddCalendar() {
    const b = this.booking;
    if (!b) return;
    const start = b.startsAt - ARRIVE_EARLY_MINUTES * 60_000;
    const added = addToPhoneCalendar({
      title: `交警窗口预约 ${b.number}`,
      start,
      end: chinaInstant(b.date, b.period.end),
      location: `${b.office.name} ${b.office.address}`,
      description: `${b.serviceName}，预约号 ${b.number}。请在 ${arriveBy(b.period.start)} 前到达，带齐材料：${b.materials.map((m) => m.name).join('、')}。`,
      alarmMinutes: CALENDAR_ALARM_MINUTES,
    });
    void added.then((ok) => {
      this.setData({ calendarState: ok ? 'added' : 'failed' });
    });
  },

  onEnlargePass() {
    this.setData({ passLarge: true });
  },

  onShrinkPass() {
    this.setData({ passLarge: false });
  },

  onTogglePerson() {
    this.setData({ personOpen: !this.data.personOpen });
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
      // The banner is at the top; the tap was at the bottom.
      scrollToTop();
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
