/**
 * My bookings (R8), newest first, with their status, and the account's standing: no-shows this month and
 * a suspension with its end (R10). Opened with `filter=cancellable` it is the 取消预约 entry: the bookings
 * that can still be cancelled, and, said plainly, the active ones whose cutoff has passed.
 */
import { allServices, loadCatalogue } from '../../services/catalogue';
import type { Booking, IdentityState, Standing } from '../../../typings/api';
import { callApi, loadFailed } from '../../services/api';
import { isAdministrator } from '../../services/admin';
import { loadIdentitySummary } from '../../services/identity';
import { navigateTo, setTitle, stopPullDownRefresh } from '../../services/platform';
import { loadStaffMe } from '../../services/staff';
import { dayLabel, momentLabel, periodLabel, statusTag } from '../../utils/format';

interface Item {
  id: string;
  number: string;
  statusText: string;
  statusType: string;
  when: string;
  where: string;
  /** Why it is listed apart (the cancel cutoff has passed), or ''. */
  note: string;
}

interface StandingLine {
  text: string;
  warn: boolean;
}

interface MineData {
  loading: boolean;
  error: string;
  retryable: boolean;
  cancellableOnly: boolean;
  items: Item[];
  /** 取消预约: active bookings that can no longer be cancelled (R8 cutoff passed). */
  pastCutoff: Item[];
  standing: StandingLine[];
  emptyText: string;
  /** Older bookings remain to be shown (查看更早的预约). */
  more: boolean;
  loadingMore: boolean;
  moreError: string;
  /** The services whose 有号提醒我 registration is shown here, withdrawable (finding 9). */
  services: { id: string; name: string }[];
  /** The 管理 entry, for an account holding an admin role (issue 14). */
  adminEntry: boolean;
  /** The 实名认证 entry (issue 15): the account's state, masked; hidden where nothing can be done. */
  identity: IdentityEntry | null;
}

interface IdentityEntry {
  value: string;
  label: string;
  /** Others booked for this ID (他人为您预约): said in the label, in the warning colour. */
  warn: boolean;
}

interface MineCustom {
  cancellableOnly: boolean;
  loaded: boolean;
  /** The cursor of the next page of history (the server's `nextBefore`). */
  nextBefore: number | undefined;
  load(spinner: boolean): Promise<void>;
  loadIdentity(force: boolean): Promise<void>;
  onIdentity(): void;
  onStaffJoin(): void;
  onMore(): Promise<void>;
  onRetry(): void;
  onOpen(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onBook(): void;
  onAdmin(): void;
}

/** R10: the third no-show in a month suspends booking. */
const NO_SHOW_LIMIT = 3;

function item(b: Booking, note = ''): Item {
  const tag = statusTag(b.status);
  return {
    id: b.id,
    number: b.number,
    statusText: tag.text,
    statusType: tag.type,
    when: `${dayLabel(b.date)} ${periodLabel(b.period.start, b.period.end)}`,
    where: `${b.office.name} · ${b.serviceName}`,
    note,
  };
}

function standingLines(s: Standing, now: number): StandingLine[] {
  const lines: StandingLine[] = [];
  if (s.suspendedUntil !== undefined && s.suspendedUntil > now) {
    lines.push({
      text: `因多次预约未到场，${momentLabel(s.suspendedUntil)} 前不能预约`,
      warn: true,
    });
  }
  lines.push({
    text: `本月未到场 ${s.noShowsThisMonth} 次（满 ${NO_SHOW_LIMIT} 次将暂停预约一个月）`,
    warn: s.noShowsThisMonth > 0,
  });
  lines.push({ text: `有效预约 ${s.activeCount} 个，最多 ${s.activeLimit} 个`, warn: false });
  return lines;
}

/** R15: what 我的 says of 实名认证; null when the city has no facility and the account is not verified. */
function identityEntry(state: IdentityState, forMe: number): IdentityEntry | null {
  const v = state.verified;
  if (!v) {
    if (state.method === 'off') return null;
    return {
      value: '未认证',
      label: '认证后可“本人”预约，并查看他人用您身份证号的预约',
      warn: false,
    };
  }
  return {
    value: '已认证',
    label:
      forMe > 0
        ? `${v.nameMasked} ${v.idMasked} · 他人为您预约 ${forMe} 个，点此查看`
        : `${v.nameMasked} ${v.idMasked}`,
    warn: forMe > 0,
  };
}

Page<MineData, MineCustom>({
  cancellableOnly: false,
  loaded: false,
  nextBefore: undefined,
  data: {
    loading: true,
    error: '',
    retryable: true,
    cancellableOnly: false,
    items: [],
    pastCutoff: [],
    standing: [],
    emptyText: '',
    more: false,
    loadingMore: false,
    moreError: '',
    services: [],
    adminEntry: false,
    identity: null,
  },

  onLoad(query) {
    this.cancellableOnly = query.filter === 'cancellable';
    this.loaded = false;
    this.setData({ cancellableOnly: this.cancellableOnly });
    if (this.cancellableOnly) setTitle('取消预约');
    void this.load(true);
    if (!this.cancellableOnly) void this.loadIdentity(false);
    void loadCatalogue().then((res) => {
      if (res.ok)
        this.setData({
          services: allServices(res.data).map((e) => ({ id: e.service.id, name: e.service.name })),
        });
    });
    // The same remembered `me` answer as the home page's 工作人员 entry; a failure shows nothing.
    void loadStaffMe().then((res) => {
      if (res.ok && isAdministrator(res.data)) this.setData({ adminEntry: true });
    });
  },

  onShow() {
    // Back from a booking that was cancelled or rescheduled, or from 实名认证 (which forgets the
    // remembered 实名认证 answer when it changed it: services/identity.ts).
    if (this.loaded) {
      void this.load(false);
      if (!this.cancellableOnly) void this.loadIdentity(false);
    }
  },

  onPullDownRefresh() {
    void Promise.all([
      this.load(false),
      this.cancellableOnly ? undefined : this.loadIdentity(true),
    ]).then(() => {
      stopPullDownRefresh();
    });
  },

  async load(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const [mine, standing] = await Promise.all([callApi('mine', {}), callApi('standing', {})]);
    if (!mine.ok) {
      this.setData(loadFailed(mine.error));
      return;
    }
    this.loaded = true;
    const now = Date.now();
    const all = mine.data.bookings;
    let items: Item[];
    let pastCutoff: Item[] = [];
    let emptyText = '还没有预约';
    if (this.cancellableOnly) {
      const active = all.filter((b) => b.status === 'booked');
      items = active.filter((b) => now < b.cancelDeadline).map((b) => item(b));
      // R8: still active, but too late to cancel; listed so "有效预约 1 个" is not left unexplained.
      pastCutoff = active
        .filter((b) => now >= b.cancelDeadline)
        .map((b) => item(b, `${momentLabel(b.cancelDeadline)} 起不能再取消，请按时到场`));
      emptyText = pastCutoff.length > 0 ? '' : '没有可以取消的预约';
    } else {
      items = all.map((b) => item(b));
    }
    // The first page holds every active booking; older pages only history (not for 取消预约).
    this.nextBefore = this.cancellableOnly ? undefined : mine.data.nextBefore;
    this.setData({
      loading: false,
      error: '',
      more: this.nextBefore !== undefined,
      moreError: '',
      items,
      pastCutoff,
      emptyText,
      // The standing is a help, not the page: without it the list still shows.
      standing: standing.ok ? standingLines(standing.data, now) : [],
    });
  },

  /**
   * The 实名认证 entry: a help, not the page; a failure leaves it as it was. Remembered for a short while
   * (services/identity.ts), so coming back to 我的 does not ask each time; `force` (pull-down) asks.
   */
  async loadIdentity(force) {
    const res = await loadIdentitySummary(force);
    if (res.ok) this.setData({ identity: identityEntry(res.data.state, res.data.forMe) });
  },

  onIdentity() {
    navigateTo('/pages/identity/index');
  },

  onRetry() {
    void this.load(true);
  },

  async onMore() {
    const before = this.nextBefore;
    if (before === undefined || this.data.loadingMore) return;
    this.setData({ loadingMore: true, moreError: '' });
    const page = await callApi('mine', { before });
    if (!page.ok) {
      this.setData({ loadingMore: false, moreError: '没有加载出来，请再点一次' });
      return;
    }
    // A refresh meanwhile started the list again: this page belongs to the old one.
    if (before !== this.nextBefore) return;
    this.nextBefore = page.data.nextBefore;
    this.setData({
      loadingMore: false,
      more: this.nextBefore !== undefined,
      items: [...this.data.items, ...page.data.bookings.map((b) => item(b))],
    });
  },

  onOpen(event) {
    navigateTo(
      `/pages/booking-detail/index?id=${encodeURIComponent(event.currentTarget.dataset.id)}`,
    );
  },

  onBook() {
    navigateTo('/pages/service/index');
  },

  onAdmin() {
    navigateTo('/admin/pages/home/index');
  },

  /** Window staff enter an administrator's invitation code on the desk (docs/security.md). */
  onStaffJoin() {
    navigateTo('/staff/pages/desk/index');
  },
});
