/**
 * My bookings (R8), newest first, with their status, and the account's standing: no-shows this month and
 * a suspension with its end (R10). Opened with `filter=cancellable` it is the 取消预约 entry: only the
 * bookings that can still be cancelled.
 */
import type { Booking, Standing } from '../../../typings/api';
import { callApi, loadFailed } from '../../services/api';
import { navigateTo, setTitle, stopPullDownRefresh } from '../../services/platform';
import { dayLabel, momentLabel, periodLabel, statusTag } from '../../utils/format';

interface Item {
  id: string;
  number: string;
  statusText: string;
  statusType: string;
  when: string;
  where: string;
}

/** R10: the third no-show in a month suspends booking. */
const NO_SHOW_LIMIT = 3;

function item(b: Booking): Item {
  const tag = statusTag(b.status);
  return {
    id: b.id,
    number: b.number,
    statusText: tag.text,
    statusType: tag.type,
    when: `${dayLabel(b.date)} ${periodLabel(b.period.start, b.period.end)}`,
    where: `${b.office.name} · ${b.serviceName}`,
  };
}

function standingLines(s: Standing, now: number): { text: string; warn: boolean }[] {
  const lines: { text: string; warn: boolean }[] = [];
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

Page({
  cancellableOnly: false,
  loaded: false,
  data: {
    loading: true,
    error: '',
    retryable: true,
    cancellableOnly: false,
    items: [] as Item[],
    standing: [] as { text: string; warn: boolean }[],
    emptyText: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.cancellableOnly = query.filter === 'cancellable';
    this.loaded = false;
    this.setData({
      cancellableOnly: this.cancellableOnly,
      emptyText: this.cancellableOnly ? '没有可以取消的预约' : '还没有预约',
    });
    if (this.cancellableOnly) setTitle('取消预约');
    void this.load(true);
  },

  onShow() {
    // Back from a booking that was cancelled or rescheduled.
    if (this.loaded) void this.load(false);
  },

  onPullDownRefresh() {
    void this.load(false).then(() => {
      stopPullDownRefresh();
    });
  },

  async load(spinner: boolean) {
    if (spinner) this.setData({ loading: true, error: '' });
    const [mine, standing] = await Promise.all([callApi('mine', {}), callApi('standing', {})]);
    if (!mine.ok) {
      this.setData(loadFailed(mine.error));
      return;
    }
    this.loaded = true;
    const now = Date.now();
    const bookings = this.cancellableOnly
      ? mine.data.bookings.filter((b) => b.status === 'booked' && now < b.cancelDeadline)
      : mine.data.bookings;
    this.setData({
      loading: false,
      error: '',
      items: bookings.map(item),
      // The standing is a help, not the page: without it the list still shows.
      standing: standing.ok ? standingLines(standing.data, now) : [],
    });
  },

  onRetry() {
    void this.load(true);
  },

  onOpen(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    navigateTo(
      `/pages/booking-detail/index?id=${encodeURIComponent(event.currentTarget.dataset.id)}`,
    );
  },

  onBook() {
    navigateTo('/pages/service/index');
  },
});
