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
  {
    title: '统计',
    label: '放号、预约、办结、未到，近 30 天走势，导出 Excel',
    icon: 'bar-chart-o',
    url: '/admin/pages/stats/index',
    cityOnly: false,
  },
  {
    title: '临时停办',
    label: '某项业务某天不办公：已有预约取消并通知市民',
    icon: 'warning-o',
    url: '/admin/pages/close-day/index',
    cityOnly: false,
  },
  {
    title: '暂停预约名单',
    label: '多次未到场被暂停的人，可填写原因解除',
    icon: 'user-circle-o',
    url: '/admin/pages/suspensions/index',
    cityOnly: false,
  },
  {
    title: '人员权限',
    label: '授予、撤销窗口工作人员和管理员',
    icon: 'friends-o',
    url: '/admin/pages/roles/index',
    cityOnly: false,
  },
  {
    title: '接口密钥',
    label: '叫号系统和其他渠道调用接口的密钥',
    icon: 'lock',
    url: '/admin/pages/keys/index',
    cityOnly: false,
  },
  {
    title: '操作记录',
    label: '谁在什么时候改了什么',
    icon: 'records',
    url: '/admin/pages/audit/index',
    cityOnly: false,
  },
];

export function entriesFor(cityAdmin: boolean): AdminEntry[] {
  return ENTRIES.filter((e) => cityAdmin || !e.cityOnly);
}
