import { useLocalCloud, failNext } from './support/cloud';
import { renderPage } from './support/simulate';
import { find, findAll, lastUrl, nth, resetApp, tap, textOf, waitFor } from './support/user';

describe('home page', () => {
  useLocalCloud('2026-12-01T10:00');

  beforeEach(() => {
    jest.clearAllMocks();
    resetApp();
  });

  it('shows the three entries, the service notice from the catalogue and the rules in short', async () => {
    const { comp } = renderPage('pages/home/index');
    expect(findAll(comp, '.menu-entry').map(textOf)).toEqual([
      expect.stringContaining('窗口预约'),
      expect.stringContaining('预约查询'),
      expect.stringContaining('取消预约'),
    ]);
    expect(textOf(find(comp, '.notice'))).toContain('正在加载公告');
    await waitFor(() => expect(textOf(find(comp, '.notice'))).toContain('过号无效'));
    expect(wx.cloud.callFunction).toHaveBeenCalledWith({
      name: 'booking',
      data: { action: 'catalogue' },
    });
    expect(textOf(find(comp, '.home-rules'))).toEqual(
      '预约须知 不能预约当天，可以预约明天起 7 天内的工作日 ' +
        '请在预约时段开始前 5 分钟到达，叫号时不在即过号，预约号作废 ' +
        '一个月内 3 次预约了却没有到场，将暂停预约一个月 不能按时到场，请提前取消预约',
    );
  });

  it.each([
    [0, '/pages/service/index'],
    [1, '/pages/mine/index'],
    [2, '/pages/mine/index?filter=cancellable'],
  ])('tapping entry %i opens %s', async (index, url) => {
    const { comp } = renderPage('pages/home/index');
    await tap(nth(findAll(comp, '.menu-entry'), index));
    expect(wx.navigateTo).toHaveBeenCalledTimes(1);
    expect(lastUrl('navigateTo')).toBe(url);
  });

  it('offers a retry when the notice cannot load, without raw error text', async () => {
    failNext('offline');
    const { comp } = renderPage('pages/home/index');
    const notice = find(comp, '.notice');
    await waitFor(() => expect(textOf(notice)).toBe('办事公告 网络不给力，请检查网络后重试 重试'));
    await tap(find(comp, '.notice .page-state', '.state-retry'));
    await waitFor(() => expect(textOf(notice)).toContain('过号无效'));
    expect(textOf(notice)).not.toContain('重试');
  });
});
