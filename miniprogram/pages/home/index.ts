/**
 * The home page: what can be booked now (the next open day and the numbers left, R2, R4, R11) before
 * anything is asked, the three menus of the announcement (窗口预约, 预约查询, 取消预约, R8), 工作人员 for
 * an account with a role, the services' notices and the rules in short; per service the office card
 * and 办事指南 (hours, phone, address and map, what to settle first, without a booking) and a 有号提醒我
 * registration, withdrawable (issue 12 findings 8, 9).
 */
import type { OfficeInfo, ServiceGuide, DayAvailability } from '../../../typings/api';
import { chinaDate } from '../../../server/domain/china-time';
import { callApi, errorMessage } from '../../services/api';
import { allServices, loadCatalogue } from '../../services/catalogue';
import { navigateTo } from '../../services/platform';
import { loadStaffMe } from '../../services/staff';
import { dayLabel, relativeDay } from '../../utils/format';

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

/** One service's availability in a sentence. */
interface OpenLine {
  key: string;
  title: string;
  text: string;
  /** Nothing to book in the horizon (R11). */
  full: boolean;
}

/** One service's office card and 办事指南, and its 有号提醒我 registration (issue 12 findings 8, 9). */
interface ServiceCard {
  key: string;
  title: string;
  office: OfficeInfo;
  guide: ServiceGuide;
}

interface HomeData {
  /** One per service: the office card, the guide, the waiting registration. */
  cards: ServiceCard[];
  menu: MenuEntry[];
  rules: string[];
  notices: Notice[];
  noticeLoading: boolean;
  noticeError: string;
  open: OpenLine[];
  /** The 工作人员 entry, for an account with a role; null for a citizen (setData refuses undefined). */
  staffEntry: MenuEntry | null;
}

interface HomeCustom {
  loadStaffEntry(): Promise<void>;
  loadNotices(): Promise<void>;
  onRetryNotices(): void;
  onMenuTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>): void;
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

/** `最近可约：12月2日 周三（明天），余 50 个` or why there is nothing, and when new numbers come (R2). */
function openText(
  days: DayAvailability[],
  now: number,
  releaseTime: string,
): { text: string; full: boolean } {
  const today = chinaDate(now);
  const open = days.filter((d) => d.date > today && d.open);
  const next = open.find((d) => d.remaining > 0);
  if (next) {
    const relative = relativeDay(next.date, now);
    const left = open.reduce((n, d) => n + d.remaining, 0);
    return {
      text: `最近可约：${dayLabel(next.date)}${relative ? `（${relative}）` : ''}，余 ${next.remaining} 个；近几天共余 ${left} 个`,
      full: false,
    };
  }
  return open.length > 0
    ? {
        text: `近几天的号已经约满了，每天 ${releaseTime.replace(/^0(\d)/, '$1')} 放出新一天的号`,
        full: true,
      }
    : { text: '近几天窗口都不办公', full: true };
}

Page<HomeData, HomeCustom>({
  data: {
    cards: [],
    menu: MENU,
    rules: RULES,
    notices: [],
    noticeLoading: true,
    noticeError: '',
    open: [],
    staffEntry: null,
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
    const services = allServices(res.data);
    const notices = services
      .filter((e) => e.service.notice.trim() !== '')
      .map((e) => ({
        key: e.service.id,
        title: `${e.office.name} · ${e.service.name}`,
        text: e.service.notice,
      }));
    this.setData({
      noticeLoading: false,
      notices,
      cards: services.map((e) => ({
        key: e.service.id,
        title: e.service.name,
        office: e.office,
        guide: e.service.guide,
      })),
    });
    // Only now: the staff question never delays or competes with what every citizen reads.
    void this.loadStaffEntry();
    // What is left, per service; a failure leaves the line out (the menus still work).
    const answers = await Promise.all(
      services.map(async (entry) => ({
        entry,
        answer: await callApi('availability', { serviceId: entry.service.id }),
      })),
    );
    const now = Date.now();
    const open: OpenLine[] = [];
    for (const { entry, answer } of answers) {
      if (!answer.ok) continue;
      open.push({
        key: entry.service.id,
        title: `${entry.office.name} · ${entry.service.name}`,
        ...openText(answer.data.days, now, entry.service.releaseTime),
      });
    }
    this.setData({ open });
  },
  onRetryNotices() {
    void this.loadNotices();
  },
  onMenuTap(event) {
    navigateTo(event.currentTarget.dataset.url);
  },
});
