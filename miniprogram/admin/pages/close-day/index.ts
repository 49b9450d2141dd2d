/**
 * An unplanned closure of one service's day (issue 14): the service, the day (WeChat's date picker, from
 * today in China on: a past day cannot be closed, `ADMIN.CLOSE_PAST`), the reason. When bookings
 * exist the server changes nothing and answers their numbers; the page asks (停办后这些预约将被取消并通知
 * 市民) and sends again with `confirm`. The cancelled numbers are then listed. Refusals (a past day, a
 * reason too short) are shown under their fields.
 */
import { addDays, chinaDate, isDateString } from '../../../../server/domain/china-time';
import { callAdmin, loadRefused, saveRefused } from '../../../services/admin';

interface ServiceChip {
  id: string;
  label: string;
  active: boolean;
}

interface CloseDayData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  services: ServiceChip[];
  /** The first day the picker offers: today, China time. */
  today: string;
  date: string;
  reason: string;
  errors: Record<string, string>;
  busy: boolean;
  dialogShow: boolean;
  dialogMessage: string;
  done: string;
}

interface CloseDayCustom {
  serviceId: string;
  load(): Promise<void>;
  onService(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onDate(event: { detail: { value?: unknown } }): void;
  onReason(event: { detail: unknown }): void;
  onSubmit(): void;
  send(confirm: boolean): Promise<void>;
  onConfirm(): void;
  onCancel(): void;
  onRetry(): void;
}

Page<CloseDayData, CloseDayCustom>({
  serviceId: '',
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    services: [],
    today: '',
    date: '',
    reason: '',
    errors: {},
    busy: false,
    dialogShow: false,
    dialogMessage: '',
    done: '',
  },

  onLoad() {
    const today = chinaDate(Date.now());
    this.setData({ today, date: addDays(today, 1) });
    void this.load();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await callAdmin('listOffices', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    const all = res.data.offices.flatMap((o) =>
      o.services.map((s) => ({
        id: s.id,
        label: res.data.offices.length > 1 ? `${o.name} · ${s.name}` : s.name,
      })),
    );
    this.serviceId = all[0]?.id ?? '';
    this.setData({
      loading: false,
      services: all.map((s) => ({ ...s, active: s.id === this.serviceId })),
    });
  },

  onService(event) {
    this.serviceId = event.currentTarget.dataset.id;
    this.setData({
      services: this.data.services.map((s) => ({ ...s, active: s.id === this.serviceId })),
      done: '',
    });
  },

  /** The picker's `YYYY-MM-DD`; anything before its `start` (today) is not taken. */
  onDate(event) {
    const date = event.detail.value;
    if (typeof date !== 'string' || !isDateString(date) || date < this.data.today) return;
    this.setData({ date, done: '', errors: {} });
  },

  onReason(event) {
    this.setData({ reason: typeof event.detail === 'string' ? event.detail : '', done: '' });
  },

  onSubmit() {
    void this.send(false);
  },

  async send(confirm) {
    if (!this.serviceId || this.data.busy) return;
    this.setData({ busy: true, errors: {}, done: '' });
    const res = await callAdmin('closeDay', {
      serviceId: this.serviceId,
      date: this.data.date,
      reason: this.data.reason.trim(),
      ...(confirm ? { confirm: true } : {}),
    });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({
        errors: saveRefused(res.error),
      });
      return;
    }
    if (res.data.needsConfirmation) {
      this.setData({
        dialogShow: true,
        dialogMessage: `${this.data.date} 已有 ${String(res.data.numbers.length)} 个预约（${res.data.numbers.join('、')}）。停办后这些预约将被取消，并通知已订阅的市民。确定停办吗？`,
      });
      return;
    }
    this.setData({
      done:
        res.data.numbers.length > 0
          ? `已停办 ${this.data.date}，取消了 ${String(res.data.numbers.length)} 个预约：${res.data.numbers.join('、')}`
          : `已停办 ${this.data.date}，当天没有预约`,
    });
  },

  onConfirm() {
    this.setData({ dialogShow: false });
    void this.send(true);
  },

  onCancel() {
    this.setData({ dialogShow: false });
  },

  onRetry() {
    void this.load();
  },
});
