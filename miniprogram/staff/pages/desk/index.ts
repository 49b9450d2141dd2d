/**
 * The window's desk (issue 13, R9): today's bookings of one service, by period, with status filters and
 * their counts and a search by number; check-in by scanning the citizen's QR pass or by number for a
 * citizen without a phone; the queue buttons (next, call again, serving, served, missed, requeue), each
 * enabled when the server's own guards allow it, with a confirmation where a mistake would hurt. It
 * reads the day again on pull-down and every few seconds while shown (another window, the hall's
 * queue-calling system, a citizen cancelling). Every call goes to the `staff` function, which checks the
 * role on each one: an account that lost it sees so and the refresh stops.
 */
import type { ApiError } from '../../../../typings/api';
import type { QueueRow, StaffMe, StaffService } from '../../../../typings/staff';
import { errorMessage, isRetryable, loadFailed } from '../../../services/api';
import {
  goHome,
  readSetting,
  setTitle,
  stopPullDownRefresh,
  toast,
  writeSetting,
} from '../../../services/platform';
import { scanQr } from '../../../services/scan';
import { session } from '../../../services/session';
import { callStaff, loadStaffMe } from '../../../services/staff';
import { dayLabel } from '../../../utils/format';
import {
  CONFIRMED,
  current,
  filterViews,
  groups,
  isFilterId,
  passTokenOf,
  withRow,
  type DeskAction,
  type FilterId,
  type FilterView,
  type PeriodGroup,
  type RowView,
} from '../../utils/desk';

/** Where this phone or tablet keeps the window it serves (a setting of the device, not of the account). */
const WINDOW_KEY = 'staff.window';
/** The windows offered; the hall's call display says the chosen one with each call. */
const WINDOWS = Array.from({ length: 12 }, (_, i) => `${i + 1}号窗口`);
const NO_WINDOW = '不指定窗口';

/** How often the day is read again while the desk is shown. */
const REFRESH_MS = 5000;

interface ServiceChoice {
  id: string;
  title: string;
  active: boolean;
}

interface Notice {
  kind: 'success' | 'error' | 'info';
  text: string;
}

interface Pending {
  action: DeskAction;
  row: QueueRow;
}

/** The confirm button: blue for a step forward, red for one that loses the citizen's turn. */
const BLUE = '#1d4ed8';
const RED = '#d1242f';

/** What an account without the role gets from every staff action (the server hides them, issue 13). */
const NO_ROLE = 'REQUEST.UNKNOWN_ACTION';

type DialogText = Pick<DeskData, 'dialogTitle' | 'dialogMessage' | 'dialogConfirm' | 'dialogColor'>;

/** What the desk's template shows. */
interface DeskData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  title: string;
  dayText: string;
  services: ServiceChoice[];
  filters: FilterView[];
  groups: PeriodGroup[];
  current: RowView[];
  total: number;
  search: string;
  emptyText: string;
  notice: Notice | null;
  stale: string;
  busy: boolean;
  scanning: boolean;
  dialogShow: boolean;
  dialogTitle: string;
  dialogMessage: string;
  dialogConfirm: string;
  dialogColor: string;
  /** The window this device serves (`3号窗口`), '' when none is chosen. */
  windowName: string;
  windowSheet: boolean;
  windowActions: { name: string }[];
  /** Without a role: the invitation code being typed, its refusal, the call on its way. */
  inviteCode: string;
  inviteError: string;
  inviteBusy: boolean;
}

/** Render-free state and the handlers (STYLE: setData only what the view shows). */
interface DeskCustom {
  me: StaffMe | null;
  service: StaffService | null;
  rows: QueueRow[];
  date: string;
  filter: FilterId;
  search: string;
  latestId: string;
  pending: Pending | null;
  /** Bumped by every change the desk makes: a day read that started before it is stale. */
  version: number;
  refreshing: boolean;
  busy: boolean;
  timer: number;
  refreshMs: number;
  shown: boolean;
  startTimer(): void;
  stopTimer(): void;
  start(): Promise<void>;
  choose(serviceId: string): void;
  deny(): void;
  refresh(spinner?: boolean): Promise<boolean>;
  render(): void;
  onRetry(): void;
  onHome(): void;
  onInviteCode(event: { detail: unknown }): void;
  onAcceptInvite(): Promise<void>;
  onService(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onFilter(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onSearch(event: { detail: unknown }): void;
  onClearSearch(): void;
  answered(row: QueueRow, notice: Notice): void;
  failed(error: ApiError): void;
  onNext(): Promise<void>;
  onScan(): Promise<void>;
  onAction(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; action: string }>,
  ): void;
  question(action: DeskAction, row: QueueRow): DialogText;
  onDialogConfirm(): void;
  onDialogClose(): void;
  act(action: DeskAction, row: QueueRow): Promise<void>;
  windowField(): { window?: string };
  onWindowTap(): void;
  onWindowSelect(event: { detail: { name?: string } }): void;
  onWindowClose(): void;
  setBusy(busy: boolean): void;
}

function services(me: StaffMe): { service: StaffService; title: string }[] {
  return me.offices.flatMap((office) =>
    office.services.map((service) => ({
      service,
      title: me.offices.length > 1 ? `${office.name} · ${service.name}` : service.name,
    })),
  );
}

Page<DeskData, DeskCustom>({
  me: null,
  service: null,
  rows: [],
  date: '',
  filter: 'all',
  search: '',
  latestId: '',
  pending: null,
  version: 0,
  refreshing: false,
  busy: false,
  timer: 0,
  refreshMs: REFRESH_MS,
  shown: false,
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    title: '',
    dayText: '',
    services: [],
    filters: [],
    groups: [],
    current: [],
    total: 0,
    search: '',
    emptyText: '',
    notice: null,
    stale: '',
    busy: false,
    scanning: false,
    dialogShow: false,
    dialogTitle: '',
    dialogMessage: '',
    dialogConfirm: '',
    dialogColor: '',
    windowName: '',
    windowSheet: false,
    inviteCode: '',
    inviteError: '',
    inviteBusy: false,
    windowActions: [...WINDOWS, NO_WINDOW].map((name) => ({ name })),
  },

  onLoad() {
    this.setData({ windowName: readSetting(WINDOW_KEY) });
    void this.start();
  },

  onShow() {
    this.shown = true;
    this.startTimer();
  },

  onHide() {
    this.shown = false;
    this.stopTimer();
  },

  onUnload() {
    this.shown = false;
    this.stopTimer();
  },

  onPullDownRefresh() {
    void this.refresh().then(() => {
      stopPullDownRefresh();
    });
  },

  startTimer() {
    this.stopTimer();
    if (!this.shown || !this.service || this.data.denied) return;
    this.timer = setInterval(() => {
      void this.refresh();
    }, this.refreshMs);
  },

  stopTimer() {
    if (this.timer) clearInterval(this.timer);
    this.timer = 0;
  },

  /** The account's services (asked again: roles change), then the chosen service's day. */
  async start() {
    this.setData({ loading: true, error: '', denied: false });
    const me = await loadStaffMe(true);
    if (!me.ok) {
      this.setData(loadFailed(me.error));
      return;
    }
    this.me = me.data;
    const all = services(me.data);
    const remembered = session().staffServiceId;
    const chosen = all.find((s) => s.service.id === remembered) ?? all[0];
    if (me.data.roles.length === 0 || !chosen) {
      this.deny();
      return;
    }
    this.choose(chosen.service.id);
    const loaded = await this.refresh(true);
    if (loaded) this.startTimer();
  },

  choose(serviceId: string) {
    if (!this.me) return;
    const all = services(this.me);
    const chosen = all.find((s) => s.service.id === serviceId);
    if (!chosen) return;
    this.service = chosen.service;
    session().staffServiceId = serviceId;
    this.rows = [];
    this.latestId = '';
    this.setData({
      title: chosen.title,
      services:
        all.length > 1
          ? all.map((s) => ({
              id: s.service.id,
              title: s.title,
              active: s.service.id === serviceId,
            }))
          : [],
    });
    setTitle(`窗口工作台 · ${chosen.service.name}`);
  },

  deny() {
    this.stopTimer();
    this.setData({ loading: false, error: '', denied: true });
  },

  /** Reads the day; answers whether it loaded. `spinner`: the first load, shown as the page's state. */
  async refresh(spinner = false): Promise<boolean> {
    const service = this.service;
    if (!service || this.refreshing) return false;
    this.refreshing = true;
    const started = this.version;
    if (spinner) this.setData({ loading: true, error: '' });
    const res = await callStaff('today', { serviceId: service.id });
    this.refreshing = false;
    if (service !== this.service) return false;
    if (!res.ok) {
      if (res.error.code === NO_ROLE) this.deny();
      else if (spinner || this.rows.length === 0) this.setData(loadFailed(res.error));
      else this.setData({ stale: `${errorMessage(res.error)}（列表可能不是最新）` });
      return false;
    }
    // An action answered meanwhile: this read may predate it; the next one will not.
    if (started !== this.version) return false;
    this.rows = res.data.bookings;
    this.date = res.data.date;
    this.setData({ loading: false, error: '', stale: '', dayText: dayLabel(res.data.date) });
    this.render();
    return true;
  },

  render() {
    const service = this.service;
    if (!service) return;
    const now = Date.now();
    const shown = groups(this.rows, this.filter, this.search, service, now, this.latestId);
    let emptyText = '';
    if (this.rows.length === 0) emptyText = '今天没有预约';
    else if (shown.length === 0) emptyText = this.search ? '没有这个号码' : '没有这类预约';
    this.setData({
      filters: filterViews(this.rows, this.filter),
      groups: shown,
      current: current(this.rows, service, now, this.latestId),
      total: this.rows.length,
      search: this.search,
      emptyText,
    });
  },

  onRetry() {
    if (this.service) void this.refresh(true).then((ok) => ok && this.startTimer());
    else void this.start();
  },

  onHome() {
    goHome();
  },

  onInviteCode(event) {
    this.setData({
      inviteCode: typeof event.detail === 'string' ? event.detail : '',
      inviteError: '',
    });
  },

  /** An administrator's invitation code: the role goes to this phone's WeChat account (the server's). */
  async onAcceptInvite() {
    const code = this.data.inviteCode.trim();
    if (this.data.inviteBusy) return;
    if (code === '') {
      this.setData({ inviteError: '请输入管理员给您的邀请码' });
      return;
    }
    this.setData({ inviteBusy: true, inviteError: '' });
    const res = await callStaff('acceptInvitation', { code });
    this.setData({ inviteBusy: false });
    if (!res.ok) {
      this.setData({ inviteError: errorMessage(res.error) });
      return;
    }
    toast('已开通');
    this.setData({ inviteCode: '' });
    // The roles the answer lists: the desk again, now with them (`start` asks `me` afresh).
    await this.start();
  },

  onService(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    const id = event.currentTarget.dataset.id;
    if (id === this.service?.id) return;
    this.choose(id);
    this.setData({ notice: null, groups: [], current: [], filters: [] });
    void this.refresh(true).then((ok) => ok && this.startTimer());
  },

  onFilter(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    const id = event.currentTarget.dataset.id;
    if (!isFilterId(id)) return;
    this.filter = id;
    this.render();
  },

  /** Vant's field emits `change` with the bare value as its detail. */
  onSearch(event: { detail: unknown }) {
    this.search = typeof event.detail === 'string' ? event.detail : '';
    this.render();
  },

  onClearSearch() {
    this.search = '';
    this.render();
  },

  /** The row an action answered: kept, shown, and marked as the latest. */
  answered(row: QueueRow, notice: Notice) {
    this.version += 1;
    this.rows = withRow(this.rows, row);
    this.latestId = row.id;
    this.setData({ notice });
    this.render();
  },

  /** A refused or failed action: the table's message; the day is read again (it changed meanwhile). */
  failed(error: ApiError) {
    if (error.code === NO_ROLE) {
      this.deny();
      return;
    }
    this.setData({ notice: { kind: 'error', text: errorMessage(error) } });
    if (!isRetryable(error)) void this.refresh();
  },

  async onNext() {
    const service = this.service;
    if (!service || this.busy) return;
    this.setBusy(true);
    const res = await callStaff('next', { serviceId: service.id, ...this.windowField() });
    this.setBusy(false);
    if (res.ok) {
      this.answered(res.data, {
        kind: 'success',
        text: `请 ${res.data.label} 号到${res.data.window ?? '窗口'}办理（${res.data.nameMasked}）`,
      });
      toast(`叫号 ${res.data.label}`);
    } else if (res.error.code === 'QUEUE.EMPTY') {
      this.setData({ notice: { kind: 'info', text: errorMessage(res.error) } });
    } else {
      this.failed(res.error);
    }
  },

  async onScan() {
    if (!this.service || this.busy) return;
    this.setData({ scanning: true });
    const scanned = await scanQr();
    this.setData({ scanning: false });
    if (!scanned.ok) {
      if (scanned.reason === 'fail') {
        this.setData({
          notice: { kind: 'error', text: '无法打开扫码，请检查相机权限，或按号码签到' },
        });
      }
      return;
    }
    const passToken = passTokenOf(scanned.text);
    if (!passToken) {
      this.setData({
        notice: { kind: 'error', text: '这不是预约二维码，请扫市民预约详情页上的二维码' },
      });
      return;
    }
    this.setBusy(true);
    const res = await callStaff('checkIn', { passToken });
    this.setBusy(false);
    if (!res.ok) {
      this.failed(res.error);
      return;
    }
    if (res.data.serviceId !== this.service.id) {
      // Another service of this office: it is checked in there; this desk shows its own queue.
      this.setData({
        notice: {
          kind: 'success',
          text: `${res.data.label} ${res.data.nameMasked} 已签到（其他业务的预约）`,
        },
      });
      return;
    }
    this.answered(res.data, {
      kind: 'success',
      text: `${res.data.label} ${res.data.nameMasked} 签到成功，请核对身份`,
    });
    toast(`${res.data.label} 已签到`);
  },

  onAction(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; action: string }>,
  ) {
    const { id, action } = event.currentTarget.dataset;
    const row = this.rows.find((r) => r.id === id);
    const known: DeskAction[] = ['checkIn', 'call', 'serve', 'finish', 'miss', 'requeue'];
    const deskAction = known.find((a) => a === action);
    if (!row || !deskAction || this.busy) return;
    if (CONFIRMED.includes(deskAction)) {
      this.pending = { action: deskAction, row };
      this.setData({ dialogShow: true, ...this.question(deskAction, row) });
      return;
    }
    void this.act(deskAction, row);
  },

  /** The confirmation of an action a mistake would hurt. */
  question(action: DeskAction, row: QueueRow): DialogText {
    const who = `${row.label}（${row.nameMasked}，${row.period.start}-${row.period.end}）`;
    switch (action) {
      case 'checkIn':
        return {
          dialogTitle: '按号码签到',
          dialogMessage: `请先核对办理人身份证件。\n确定为 ${who}签到吗？`,
          dialogConfirm: '核对无误，签到',
          dialogColor: BLUE,
        };
      case 'miss':
        return {
          dialogTitle: '标记过号',
          dialogMessage: `${who}已叫 ${row.callCount} 次未到。\n过号后本次预约作废，确定吗？`,
          dialogConfirm: '确定过号',
          dialogColor: RED,
        };
      case 'requeue':
        return {
          dialogTitle: '重新排队',
          dialogMessage: `${who}过号后回来了。\n确定让其重新排队等候叫号吗？`,
          dialogConfirm: '重新排队',
          dialogColor: BLUE,
        };
      default:
        return { dialogTitle: '', dialogMessage: '', dialogConfirm: '确定', dialogColor: BLUE };
    }
  },

  onDialogConfirm() {
    const pending = this.pending;
    this.pending = null;
    this.setData({ dialogShow: false });
    if (pending) void this.act(pending.action, pending.row);
  },

  onDialogClose() {
    this.pending = null;
    this.setData({ dialogShow: false });
  },

  async act(action: DeskAction, row: QueueRow) {
    const service = this.service;
    if (!service || this.busy) return;
    this.setBusy(true);
    const bookingId = row.id;
    let res;
    switch (action) {
      case 'checkIn':
        res = await callStaff('checkIn', {
          serviceId: service.id,
          date: row.date,
          number: row.label,
        });
        break;
      case 'call':
        res = await callStaff('call', { bookingId, ...this.windowField() });
        break;
      case 'serve':
        res = await callStaff('serve', { bookingId });
        break;
      case 'finish':
        res = await callStaff('finish', { bookingId });
        break;
      case 'miss':
        res = await callStaff('miss', { bookingId });
        break;
      case 'requeue':
        res = await callStaff('requeue', { bookingId });
        break;
    }
    this.setBusy(false);
    if (!res.ok) {
      this.failed(res.error);
      return;
    }
    const done: Record<DeskAction, string> = {
      checkIn: '签到成功',
      call: `已叫号（第 ${res.data.callCount} 次）`,
      serve: '开始办理',
      finish: '已办结',
      miss: '已过号',
      requeue: '已重新排队',
    };
    this.answered(res.data, {
      kind: 'success',
      text: `${res.data.label} ${res.data.nameMasked} ${done[action]}`,
    });
  },

  /** The window named with a call, when this device has one (the call display says it). */
  windowField(): { window?: string } {
    return this.data.windowName ? { window: this.data.windowName } : {};
  },

  onWindowTap() {
    this.setData({ windowSheet: true });
  },

  onWindowSelect(event: { detail: { name?: string } }) {
    const name = event.detail.name ?? '';
    const windowName = WINDOWS.includes(name) ? name : '';
    writeSetting(WINDOW_KEY, windowName);
    this.setData({ windowName, windowSheet: false });
  },

  onWindowClose() {
    this.setData({ windowSheet: false });
  },

  setBusy(busy: boolean) {
    this.busy = busy;
    this.setData({ busy });
  },
});
