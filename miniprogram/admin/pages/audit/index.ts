/**
 * The audit (issue 14): who changed what, when — newest first, 20 at a time, 加载更多 while older
 * entries exist (`listAudit`'s `nextBefore`); an `office_admin` sees their office's entries. Each entry:
 * the time, the action in words, who (an OPENID, `console`, or `api:<keyId>`) and what it was about.
 */
import type { AuditEntry } from '../../../../typings/admin';
import { callAdmin, loadRefused } from '../../../services/admin';
import { stopPullDownRefresh } from '../../../services/platform';
import { auditLine, type AuditLine } from '../../utils/audit';

interface AuditData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  lines: AuditLine[];
  more: boolean;
  loadingMore: boolean;
  moreError: string;
}

interface AuditCustom {
  nextBefore: number | undefined;
  load(spinner: boolean): Promise<void>;
  onMore(): Promise<void>;
  onRetry(): void;
}

const PAGE = 20;

Page<AuditData, AuditCustom>({
  nextBefore: undefined,
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    lines: [],
    more: false,
    loadingMore: false,
    moreError: '',
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
    const res = await callAdmin('listAudit', { limit: PAGE });
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    this.nextBefore = res.data.nextBefore;
    this.setData({
      loading: false,
      error: '',
      lines: res.data.entries.map((e: AuditEntry) => auditLine(e)),
      more: this.nextBefore !== undefined,
      moreError: '',
    });
  },

  async onMore() {
    const before = this.nextBefore;
    if (before === undefined || this.data.loadingMore) return;
    this.setData({ loadingMore: true, moreError: '' });
    const res = await callAdmin('listAudit', { before, limit: PAGE });
    if (!res.ok) {
      this.setData({ loadingMore: false, moreError: '没有加载出来，请再点一次' });
      return;
    }
    if (before !== this.nextBefore) return;
    this.nextBefore = res.data.nextBefore;
    this.setData({
      loadingMore: false,
      more: this.nextBefore !== undefined,
      lines: [...this.data.lines, ...res.data.entries.map((e: AuditEntry) => auditLine(e))],
    });
  },

  onRetry() {
    void this.load(true);
  },
});
