import { errorMessage } from '../../services/api';
import { allServices, loadCatalogue } from '../../services/catalogue';
import { navigateTo } from '../../services/platform';
import { loadStaffMe } from '../../services/staff';

interface MenuEntry {
  title: string;
  label: string;
  icon: string;
  url: string;
}

interface Notice {
  key: string;
  title: string;
  text: string;
}

const MENU: MenuEntry[] = [
  {
    title: '窗口预约',
    label: '选择日期和时段，领取预约号',
    icon: 'add-o',
    url: '/pages/service/index',
  },
  {
    title: '预约查询',
    label: '查看我的预约和需带材料',
    icon: 'search',
    url: '/pages/mine/index',
  },
  {
    title: '取消预约',
    label: '不能按时到场请提前取消',
    icon: 'close',
    url: '/pages/mine/index?filter=cancellable',
  },
];

/** Shown only to an account with a role (issue 13); the desk lives in the `staff/` subpackage. */
const STAFF_ENTRY: MenuEntry = {
  title: '工作人员',
  label: '窗口工作台：扫码签到、叫号、办结',
  icon: 'manager-o',
  url: '/staff/pages/desk/index',
};

/** The rules in short (R2, R9, R10), as the citizen needs them before booking. */
const RULES = [
  '不能预约当天，可以预约明天起 7 天内的工作日',
  '请在预约时段开始前 5 分钟到达，叫号时不在即过号，预约号作废',
  '一个月内 3 次预约了却没有到场，将暂停预约一个月',
  '不能按时到场，请提前取消预约',
];

Page({
  data: {
    menu: MENU,
    rules: RULES,
    notices: [] as Notice[],
    noticeLoading: true,
    noticeError: '',
    staffEntry: null as MenuEntry | null,
  },
  onLoad() {
    void this.loadNotices();
  },
  /**
   * The 工作人员 entry, for accounts with a role: one `staff` `me` call per launch of the mini program
   * (remembered in the session), whose answer for a citizen is empty. A failure shows nothing: the
   * citizen's home page never waits for it or mentions it.
   */
  async loadStaffEntry() {
    const res = await loadStaffMe();
    if (res.ok && res.data.roles.length > 0) this.setData({ staffEntry: STAFF_ENTRY });
  },
  async loadNotices() {
    this.setData({ noticeLoading: true, noticeError: '' });
    const res = await loadCatalogue();
    if (!res.ok) {
      this.setData({ noticeLoading: false, noticeError: errorMessage(res.error) });
      return;
    }
    const notices = allServices(res.data)
      .filter((e) => e.service.notice.trim() !== '')
      .map((e) => ({
        key: e.service.id,
        title: `${e.office.name} · ${e.service.name}`,
        text: e.service.notice,
      }));
    this.setData({ noticeLoading: false, notices });
    // Only now: the staff question never delays or competes with what every citizen reads.
    void this.loadStaffEntry();
  },
  onRetryNotices() {
    void this.loadNotices();
  },
  onMenuTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
    navigateTo(event.currentTarget.dataset.url);
  },
});
