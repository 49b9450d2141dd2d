/**
 * The blacklist (R10, issue 14): the persons suspended now, masked (R14) — name, ID and phone masked,
 * until when, no-shows this month, lifts so far — newest first; 解除 with a reason (2–200 characters,
 * audited), every no-show up to now forgiven. The reason's refusal is shown under its field.
 */
import type { SuspensionInfo } from '../../../../typings/admin';
import { callAdmin, loadRefused, saveRefused } from '../../../services/admin';
import { stopPullDownRefresh, toast } from '../../../services/platform';
import { momentLabel } from '../../../utils/format';

interface Row {
  personRef: string;
  who: string;
  detail: string;
}

interface SuspensionsData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  rows: Row[];
  /** The person being lifted, '' when none. */
  lifting: string;
  liftingWho: string;
  reason: string;
  errors: Record<string, string>;
  busy: boolean;
  done: string;
}

interface SuspensionsCustom {
  load(spinner: boolean): Promise<void>;
  onLift(event: WechatMiniprogram.BaseEvent<Record<string, never>, { ref: string }>): void;
  onReason(event: { detail: unknown }): void;
  onConfirm(): Promise<void>;
  onCancel(): void;
  onRetry(): void;
}

function row(s: SuspensionInfo): Row {
  return {
    personRef: s.personRef,
    who: `${s.name} ${s.idMasked}`,
    detail: `${momentLabel(s.suspendedUntil)} 前不能预约 · 本月未到场 ${String(s.noShowsThisMonth)} 次 · 手机 ${s.phoneMasked}${s.lifts > 0 ? ` · 已解除过 ${String(s.lifts)} 次` : ''}`,
  };
}

Page<SuspensionsData, SuspensionsCustom>({
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    rows: [],
    lifting: '',
    liftingWho: '',
    reason: '',
    errors: {},
    busy: false,
    done: '',
  },

  onLoad() {
    void this.load(true);
  },

  onPullDownRefresh() {
    void this.load(false).then(() => {
      stopPullDownRefresh();
    });
  },

  async load(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const res = await callAdmin('listSuspensions', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    this.setData({ loading: false, error: '', rows: res.data.suspensions.map(row) });
  },

  onLift(event) {
    const ref = event.currentTarget.dataset.ref;
    const found = this.data.rows.find((r) => r.personRef === ref);
    if (!found) return;
    this.setData({ lifting: ref, liftingWho: found.who, reason: '', errors: {}, done: '' });
  },

  onReason(event) {
    this.setData({ reason: typeof event.detail === 'string' ? event.detail : '', errors: {} });
  },

  async onConfirm() {
    const personRef = this.data.lifting;
    if (!personRef || this.data.busy) return;
    this.setData({ busy: true, errors: {} });
    const res = await callAdmin('liftSuspension', { personRef, reason: this.data.reason.trim() });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({
        errors: saveRefused(res.error),
      });
      return;
    }
    toast(res.data.lifted ? '已解除' : '已不在暂停中', 'none');
    this.setData({
      lifting: '',
      done: res.data.lifted ? `已解除 ${this.data.liftingWho} 的暂停` : '此人已不在暂停中',
    });
    await this.load(false);
  },

  onCancel() {
    this.setData({ lifting: '', errors: {} });
  },

  onRetry() {
    void this.load(true);
  },
});
