/**
 * Statistics (issue 14): filters — office, service, the range, by day / period / month —, the rows as a
 * table (released, booked, cancelled, served, missed, no-show, used %, median wait), the 30-day chart of
 * booked / served / no-show ending with the range's last day (components/stats-chart, its options from
 * admin/utils/chart.ts), and export: xlsx downloaded and opened (`wx.openDocument`), csv's link copied.
 * The range opens on the chart's 30 days and keeps them while 到 changes, until 从 is changed itself.
 */
import type { AdminResponse, StatsBy, StatsQuery, StatsRow } from '../../../../typings/admin';
import { isDateString } from '../../../../server/domain/china-time';
import { errorMessage } from '../../../services/api';
import { callAdmin, loadRefused } from '../../../services/admin';
import { copyText, openRemoteDocument, toast } from '../../../services/platform';
import {
  chartDays,
  chartRange,
  openingRange,
  statsChartOptions,
  type ChartOptions,
} from '../../utils/chart';
import { serverError } from '../../utils/forms';

interface Chip {
  id: string;
  label: string;
  active: boolean;
}

interface TableRow {
  key: string;
  cells: string[];
}

interface StatsData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  offices: Chip[];
  services: Chip[];
  bys: Chip[];
  from: string;
  to: string;
  errors: Record<string, string>;
  querying: boolean;
  head: string[];
  rows: TableRow[];
  total: TableRow | null;
  chart: ChartOptions | null;
  chartTitle: string;
  exporting: string;
  exported: string;
}

type TapEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>;

interface StatsCustom {
  catalogue: AdminResponse<'listOffices'>['offices'];
  officeId: string;
  serviceId: string;
  by: StatsBy;
  /** 从 is still the chart's first day (nobody changed it): it follows 到. */
  linked: boolean;
  load(): Promise<void>;
  chips(): void;
  query(): StatsQuery;
  run(): Promise<void>;
  onOffice(event: TapEvent): void;
  onService(event: TapEvent): void;
  onBy(event: TapEvent): void;
  onFrom(event: { detail: unknown }): void;
  onTo(event: { detail: unknown }): void;
  onQuery(): void;
  onExport(event: TapEvent): Promise<void>;
  onRetry(): void;
}

const BYS: Record<StatsBy, string> = { day: '按天', period: '按时段', month: '按月' };
const ALL = '';
const HEAD = [
  '日期/时段',
  '放号',
  '预约',
  '取消',
  '停办取消',
  '签到',
  '办结',
  '过号',
  '未到',
  '使用率',
  '等候中位',
];

function percent(n: number | null): string {
  return n === null ? '—' : `${n.toFixed(1)}%`;
}

function wait(seconds: number | null): string {
  return seconds === null ? '—' : `${String(Math.round(seconds / 60))} 分`;
}

function tableRow(r: StatsRow, key = r.key): TableRow {
  return {
    key,
    cells: [
      key,
      String(r.released),
      String(r.booked),
      String(r.cancelledByCitizen),
      String(r.cancelledByOffice),
      String(r.checkedIn),
      String(r.served),
      String(r.missed),
      String(r.noShow),
      percent(r.usedPercent),
      wait(r.medianWaitSeconds),
    ],
  };
}

Page<StatsData, StatsCustom>({
  catalogue: [],
  officeId: ALL,
  serviceId: ALL,
  by: 'day',
  linked: true,
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    offices: [],
    services: [],
    bys: [],
    from: '',
    to: '',
    errors: {},
    querying: false,
    head: HEAD,
    rows: [],
    total: null,
    chart: null,
    chartTitle: '',
    exporting: '',
    exported: '',
  },

  onLoad() {
    // The last 30 days up to today (China time), by day: the chart's 30 days.
    this.linked = true;
    this.setData(openingRange(Date.now()));
    void this.load();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await callAdmin('listOffices', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    this.catalogue = res.data.offices;
    this.setData({ loading: false });
    this.chips();
    await this.run();
  },

  chips() {
    const office = this.catalogue.find((o) => o.id === this.officeId);
    this.setData({
      offices: [
        { id: ALL, label: '全部办理点', active: this.officeId === ALL },
        ...this.catalogue.map((o) => ({ id: o.id, label: o.name, active: o.id === this.officeId })),
      ],
      services: office
        ? [
            { id: ALL, label: '全部业务', active: this.serviceId === ALL },
            ...office.services.map((s) => ({
              id: s.id,
              label: s.name,
              active: s.id === this.serviceId,
            })),
          ]
        : [],
      bys: (Object.keys(BYS) as StatsBy[]).map((b) => ({
        id: b,
        label: BYS[b],
        active: b === this.by,
      })),
    });
  },

  query() {
    return {
      ...(this.officeId ? { officeId: this.officeId } : {}),
      ...(this.serviceId ? { serviceId: this.serviceId } : {}),
      from: this.data.from.trim(),
      to: this.data.to.trim(),
      by: this.by,
    };
  },

  async run() {
    if (this.data.querying) return;
    const q = this.query();
    this.setData({ querying: true, errors: {}, exported: '' });
    const days = isDateString(q.to) ? chartDays(q.to) : [];
    const first = days[0];
    // The chart is always the 30 days ending with `to`, by day, whatever the table's grouping.
    const [table, chart] = await Promise.all([
      callAdmin('stats', q),
      first && isDateString(q.to)
        ? callAdmin('stats', { ...q, from: first, to: q.to, by: 'day' })
        : Promise.resolve(undefined),
    ]);
    this.setData({ querying: false });
    if (!table.ok) {
      this.setData({
        errors: table.error.field
          ? serverError(table.error.code, table.error.field)
          : { '': errorMessage(table.error) },
        rows: [],
        total: null,
      });
      return;
    }
    this.setData({
      rows: table.data.rows.map((r) => tableRow(r)),
      total: tableRow(table.data.total, '合计'),
      chart: chart?.ok ? statsChartOptions(chart.data.rows, q.to) : null,
      chartTitle: first ? `${first} 至 ${q.to} 每天的预约、办结和未到` : '',
    });
  },

  onOffice(event) {
    this.officeId = event.currentTarget.dataset.id;
    this.serviceId = ALL;
    this.chips();
    void this.run();
  },

  onService(event) {
    this.serviceId = event.currentTarget.dataset.id;
    this.chips();
    void this.run();
  },

  onBy(event) {
    const by = (Object.keys(BYS) as StatsBy[]).find((b) => b === event.currentTarget.dataset.id);
    if (!by) return;
    this.by = by;
    this.chips();
    void this.run();
  },

  onFrom(event) {
    this.linked = false;
    this.setData({ from: typeof event.detail === 'string' ? event.detail : '' });
  },

  onTo(event) {
    const to = typeof event.detail === 'string' ? event.detail : '';
    // While 从 is the chart's, the table keeps the chart's 30 days (not 31 with one more 到).
    this.setData(this.linked && isDateString(to.trim()) ? chartRange(to.trim()) : { to });
  },

  onQuery() {
    void this.run();
  },

  /** xlsx: downloaded and opened in WeChat's viewer; csv (which it cannot open): its link copied. */
  async onExport(event) {
    const format = event.currentTarget.dataset.id === 'csv' ? 'csv' : 'xlsx';
    if (this.data.exporting) return;
    this.setData({ exporting: format, exported: '', errors: {} });
    const res = await callAdmin('exportStats', { ...this.query(), format });
    if (!res.ok) {
      this.setData({ exporting: '', errors: { '': errorMessage(res.error) } });
      return;
    }
    if (format === 'csv') {
      const copied = await copyText(res.data.tempFileURL);
      this.setData({
        exporting: '',
        exported: copied ? '已复制 CSV 下载链接，可在电脑浏览器中打开' : res.data.tempFileURL,
      });
      return;
    }
    const opened = await openRemoteDocument(res.data.tempFileURL, 'xlsx');
    this.setData({ exporting: '', exported: opened ? '' : '没有打开文件，请再试一次' });
    if (opened) toast('已导出');
  },

  onRetry() {
    void this.load();
  },
});
