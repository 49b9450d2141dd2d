/**
 * The admin home (issue 14): the calendar warning (R2) — the years the horizon needs that nobody has
 * entered, with 订阅提醒 for the daily notice — for a city administrator today's invitation-guessing
 * alarm with 查看操作记录 (issue 16: the audit page alone was easy to miss; it comes in the same
 * `calendarStatus` answer, no call more), and an entry to every admin page. Shown only to an
 * account holding `office_admin` or `city_admin` (asked with the `staff` function's `me`, as the
 * 工作人员 entry is); the server checks the role on every call anyway. Read again on each return (a year
 * saved on the calendar page takes the warning away).
 */
import type { CalendarStatus } from '../../../../typings/admin';
import { errorMessage, loadFailed } from '../../../services/api';
import {
  callAdmin,
  isAdministrator,
  isCityAdministrator,
  loadRefused,
} from '../../../services/admin';
import { goHome, navigateTo, requestSubscribe, toast } from '../../../services/platform';
import { loadStaffMe } from '../../../services/staff';
import { guessingNotice } from '../../utils/audit';
import { SOURCE_TEXT } from '../../utils/calendar';
import { entriesFor, type AdminEntry } from '../../utils/entries';

interface YearLine {
  year: number;
  text: string;
  missing: boolean;
}

interface HomeData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  /** The warning's sentence, '' when no year is missing. */
  warning: string;
  /** The first missing year, the calendar page's target from the warning. */
  missingYear: number;
  years: YearLine[];
  /** 订阅提醒 is offered (a template is configured) and not yet granted. */
  canSubscribe: boolean;
  subscribed: boolean;
  subscribeError: string;
  /** Today's invitation-guessing notice, '' when there is no alarm (or the caller is no city admin). */
  guessing: string;
  entries: AdminEntry[];
}

interface HomeCustom {
  loaded: boolean;
  noticeTemplate: string;
  start(): Promise<void>;
  loadStatus(spinner: boolean): Promise<void>;
  show(status: CalendarStatus): void;
  onRetry(): void;
  onHome(): void;
  onEntry(event: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>): void;
  onFix(): void;
  onAudit(): void;
  onSubscribe(): void;
}

Page<HomeData, HomeCustom>({
  loaded: false,
  noticeTemplate: '',
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    warning: '',
    missingYear: 0,
    years: [],
    canSubscribe: false,
    subscribed: false,
    subscribeError: '',
    guessing: '',
    entries: [],
  },

  onLoad() {
    void this.start();
  },

  onShow() {
    if (this.loaded) void this.loadStatus(false);
  },

  async start() {
    this.setData({ loading: true, error: '', denied: false });
    // Asked again: roles change, and this page must not trust a launch-old answer.
    const me = await loadStaffMe(true);
    if (!me.ok) {
      this.setData(loadFailed(me.error));
      return;
    }
    if (!isAdministrator(me.data)) {
      this.setData({ loading: false, denied: true });
      return;
    }
    this.setData({ entries: entriesFor(isCityAdministrator(me.data)) });
    await this.loadStatus(true);
  },

  async loadStatus(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const res = await callAdmin('calendarStatus', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error, spinner));
      return;
    }
    this.loaded = true;
    this.show(res.data);
  },

  show(status) {
    this.noticeTemplate = status.noticeTemplate;
    const missing = status.missingYears;
    const first = missing[0] ?? 0;
    this.setData({
      loading: false,
      error: '',
      warning:
        status.warning && missing.length > 0
          ? `${missing.map((y) => `${String(y)} 年`).join('、')}的节假日安排还没有录入。可预约的日子一到那一年，节假日会被当作工作日放号，请尽快录入。`
          : '',
      missingYear: first,
      years: status.years.map((y) => ({
        year: y.year,
        text: `${String(y.year)} 年：${SOURCE_TEXT[y.source]}`,
        missing: y.source === 'none',
      })),
      canSubscribe: status.warning && status.noticeTemplate !== '',
      guessing: status.inviteGuessing ? guessingNotice(status.inviteGuessing) : '',
    });
  },

  onRetry() {
    void this.start();
  },

  onHome() {
    goHome();
  },

  onEntry(event) {
    navigateTo(event.currentTarget.dataset.url);
  },

  onFix() {
    navigateTo(`/admin/pages/calendar/index?year=${String(this.data.missingYear)}`);
  },

  onAudit() {
    navigateTo('/admin/pages/audit/index');
  },

  /** WeChat asks for consent only inside the tap itself: the request comes first, the call after. */
  onSubscribe() {
    const template = this.noticeTemplate;
    if (!template) return;
    this.setData({ subscribeError: '' });
    requestSubscribe(template, (accepted) => {
      if (!accepted) {
        this.setData({ subscribeError: '没有订阅：需要在弹出的提示中选择“允许”' });
        return;
      }
      void callAdmin('subscribeNotice', { topic: 'calendar' }).then((res) => {
        if (res.ok) {
          this.setData({ subscribed: true });
          toast('已订阅');
        } else {
          this.setData({ subscribeError: errorMessage(res.error) });
        }
      });
    });
  },
});
