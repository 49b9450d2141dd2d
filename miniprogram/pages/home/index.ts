interface MenuEntry {
  title: string;
  label: string;
  icon: string;
  url: string;
}

const MENU: MenuEntry[] = [
  {
    title: '窗口预约',
    label: '选择日期和时段，领取预约号',
    icon: 'add-o',
    url: '/pages/book/index',
  },
  {
    title: '预约查询',
    label: '查看我的预约和需带材料',
    icon: 'search',
    url: '/pages/lookup/index',
  },
  { title: '取消预约', label: '不能按时到场请提前取消', icon: 'close', url: '/pages/cancel/index' },
];

Page({
  data: { menu: MENU },
  onMenuTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
    void wx.navigateTo({ url: event.currentTarget.dataset.url });
  },
});
