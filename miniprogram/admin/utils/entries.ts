/** The admin home's entries (issue 14): every admin page, those of the whole city for a `city_admin` only. */

export interface AdminEntry {
  title: string;
  label: string;
  icon: string;
  url: string;
  /** Only a `city_admin` can use it (the server refuses the others anyway). */
  cityOnly: boolean;
}

export const ENTRIES: readonly AdminEntry[] = [
  {
    title: '节假日安排',
    label: '录入每年的放假和调休上班日（粘贴即可）',
    icon: 'calendar-o',
    url: '/admin/pages/calendar/index',
    cityOnly: false,
  },
  {
    title: '办理点与业务',
    label: '时段和号码、开放日、放号和取消规则、叫号设置、办事须知',
    icon: 'shop-o',
    url: '/admin/pages/offices/index',
    cityOnly: false,
  },
  {
    title: '材料与全局设置',
    label: '全局公告、每人预约数、提醒时间、爽约规则、需带材料',
    icon: 'setting-o',
    url: '/admin/pages/settings/index',
    cityOnly: true,
  },
];

export function entriesFor(cityAdmin: boolean): AdminEntry[] {
  return ENTRIES.filter((e) => cityAdmin || !e.cityOnly);
}

/** What the server answers an account without the role (the action is hidden, issue 13). */
export const NO_ROLE = 'REQUEST.UNKNOWN_ACTION';
