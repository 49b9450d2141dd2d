/**
 * The holiday calendar (R2, issue 14): one year's arrangement — where it comes from, a paste box taking
 * the State Council's notice as lines (`2027-01-01 元旦 休`, `2027-02-20 春节 班`, ranges with `~`), read
 * and checked as the box changes with the server's own parser and rules, a month view marking holidays
 * (休) and make-up working days (班), and 保存 (`setCalendarYear`, a `city_admin`'s; others read only).
 * A refusal is shown under the box with its coded message.
 */
import type { CalendarEntry, CalendarYear } from '../../../../typings/admin';
import { chinaDate } from '../../../../server/domain/china-time';
import { normalised } from '../../../../server/domain/calendar-year';
import { errorMessage } from '../../../services/api';
import { callAdmin, isCityAdministrator, loadRefused } from '../../../services/admin';
import { setTitle, toast } from '../../../services/platform';
import { loadStaffMe } from '../../../services/staff';
import {
  arrangementText,
  checkText,
  fieldProblem,
  firstMonth,
  monthView,
  SOURCE_TEXT,
  type MonthView,
} from '../../utils/calendar';

interface YearChip {
  year: number;
  active: boolean;
}

interface CalendarData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  /** Only a `city_admin` saves (the server refuses others); an `office_admin` reads. */
  editable: boolean;
  years: YearChip[];
  year: number;
  sourceText: string;
  missing: boolean;
  text: string;
  problems: string[];
  summary: string;
  /** The server's refusal, under the box. */
  saveError: string;
  saving: boolean;
  canSave: boolean;
  month: MonthView | null;
}

interface CalendarCustom {
  monthNo: number;
  holidays: CalendarEntry[];
  workdays: CalendarEntry[];
  start(year: number): Promise<void>;
  load(year: number): Promise<void>;
  show(year: CalendarYear): void;
  check(text: string): void;
  renderMonth(): void;
  onYear(event: WechatMiniprogram.BaseEvent<Record<string, never>, { year: unknown }>): void;
  onText(event: { detail: unknown }): void;
  onMonth(event: WechatMiniprogram.BaseEvent<Record<string, never>, { step: unknown }>): void;
  onSave(): Promise<void>;
  onRetry(): void;
}

Page<CalendarData, CalendarCustom>({
  monthNo: 1,
  holidays: [],
  workdays: [],
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    editable: false,
    years: [],
    year: 0,
    sourceText: '',
    missing: false,
    text: '',
    problems: [],
    summary: '',
    saveError: '',
    saving: false,
    canSave: false,
    month: null,
  },

  onLoad(query) {
    const asked = Number(query.year);
    const thisYear = Number(chinaDate(Date.now()).slice(0, 4));
    void this.start(
      Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : thisYear + 1,
    );
  },

  async start(year) {
    this.setData({ loading: true, error: '', denied: false });
    const me = await loadStaffMe();
    const thisYear = Number(chinaDate(Date.now()).slice(0, 4));
    const years = [...new Set([thisYear, thisYear + 1, year])].sort((a, b) => a - b);
    this.setData({
      editable: me.ok && isCityAdministrator(me.data),
      years: years.map((y) => ({ year: y, active: y === year })),
    });
    await this.load(year);
  },

  async load(year) {
    this.setData({ loading: true, error: '', saveError: '' });
    const res = await callAdmin('getCalendarYear', { year });
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    setTitle(`${String(year)} 年节假日安排`);
    this.show(res.data);
  },

  show(year) {
    this.setData({
      loading: false,
      year: year.year,
      years: this.data.years.map((y) => ({ year: y.year, active: y.year === year.year })),
      sourceText: SOURCE_TEXT[year.source],
      missing: year.source === 'none',
      text: arrangementText(year),
      saveError: '',
    });
    this.check(this.data.text);
    this.monthNo = firstMonth(this.holidays);
    this.renderMonth();
  },

  /** The box read and checked as the server will (R2); nothing is sent until 保存. */
  check(text) {
    const checked = checkText(this.data.year, text);
    this.holidays = checked.holidays;
    this.workdays = checked.workdays;
    this.setData({
      text,
      problems: checked.problems,
      summary:
        checked.holidays.length + checked.workdays.length > 0
          ? `放假 ${String(checked.holidays.length)} 天，调休上班 ${String(checked.workdays.length)} 天`
          : '',
      canSave: checked.problems.length === 0,
    });
  },

  renderMonth() {
    this.setData({ month: monthView(this.data.year, this.monthNo, this.holidays, this.workdays) });
  },

  onYear(event) {
    const year = Number(event.currentTarget.dataset.year);
    if (year === this.data.year || this.data.saving) return;
    void this.load(year);
  },

  /** Vant's field emits `change` with the bare value as its detail. */
  onText(event) {
    const text = typeof event.detail === 'string' ? event.detail : '';
    this.setData({ saveError: '' });
    this.check(text);
    this.renderMonth();
  },

  onMonth(event) {
    const step = Number(event.currentTarget.dataset.step);
    this.monthNo = ((this.monthNo - 1 + step + 12) % 12) + 1;
    this.renderMonth();
  },

  async onSave() {
    if (!this.data.editable || this.data.saving) return;
    this.check(this.data.text);
    if (!this.data.canSave) return;
    const holidays = normalised(this.holidays);
    const workdays = normalised(this.workdays);
    this.setData({ saving: true, saveError: '' });
    const res = await callAdmin('setCalendarYear', { year: this.data.year, holidays, workdays });
    this.setData({ saving: false });
    if (!res.ok) {
      this.setData({
        saveError: res.error.field
          ? fieldProblem(res.error.code, res.error.field, holidays, workdays)
          : errorMessage(res.error),
      });
      return;
    }
    toast('已保存');
    this.show(res.data);
  },

  onRetry() {
    void this.load(this.data.year);
  },
});
