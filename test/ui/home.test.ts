import type { AppOption } from '../../miniprogram/app-option';
import { actAs, useLocalCloud, failNext } from './support/cloud';
import { bookOthers } from './support/scene';
import { renderPage, simulate } from './support/simulate';
import { grantStaff } from './support/staff';
import { find, findAll, lastUrl, newUser, nth, tap, textOf, waitFor } from './support/user';

describe('home page', () => {
  useLocalCloud('2026-12-01T10:00');

  beforeEach(() => {
    newUser('home-user');
  });

  it('tells the next open day and what remains before anything is asked (finding 4)', async () => {
    await bookOthers(50, '2026-12-02');
    await bookOthers(4, '2026-12-03');
    const { comp } = renderPage('pages/home/index');
    await waitFor(() =>
      expect(textOf(find(comp, '.availability'))).toBe(
        '最近可约：12月3日 周四（后天），余 46 个；近几天共余 196 个',
      ),
    );
  });

  it('shows the office card and 办事指南 from the catalogue (finding 8), the phone to call', async () => {
    const { comp } = renderPage('pages/home/index');
    await waitFor(() => find(comp, '.office-card', '.card-hours'));
    const text = textOf(find(comp, '.office'));
    for (const part of [
      '办理点与办事指南',
      '办公时间',
      '0592-0000000',
      '窗口可以办理',
      '来之前先办好',
      '今天要办或没有预约',
    ])
      expect(text).toContain(part);
    await tap(find(comp, '.office-card', '.card-phone'));
    expect(wx.makePhoneCall).toHaveBeenCalledWith(
      expect.objectContaining({ phoneNumber: '0592-0000000' }),
    );
  });

  // A test that taps and leaves does not wait for the page's loads: the catalogue, then the staff
  // question. Let them finish before the next test's user and app, so that none lands in its session.
  afterEach(async () => {
    const calls = wx.cloud.callFunction as jest.Mock<Promise<unknown>>;
    for (;;) {
      const seen = calls.mock.calls.length;
      await Promise.allSettled(calls.mock.results.map((r) => r.value as Promise<unknown>));
      await simulate.sleep(50);
      if (calls.mock.calls.length === seen) break;
    }
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

  describe('the 工作人员 entry (issue 13)', () => {
    function calls(): string[] {
      const all = (wx.cloud.callFunction as jest.Mock).mock.calls as [
        { name: string; data: { action: string } },
      ][];
      return all.map(([o]) => `${o.name}.${o.data.action}`);
    }

    it('is not shown to a citizen, who pays one `me` call per launch for it', async () => {
      actAs('home-citizen');
      const first = renderPage('pages/home/index');
      await waitFor(() => expect(textOf(find(first.comp, '.notice'))).toContain('过号无效'));
      // The answer has come (empty for a citizen), and shows nothing.
      const app = getApp<AppOption>();
      // A first call starts the staff function (a cold start): slow on a busy machine.
      await waitFor(
        () => expect(app.globalData.session?.staffMe).toEqual({ roles: [], offices: [] }),
        30_000,
      );
      await simulate.sleep(0);
      expect(first.comp.querySelector('.staff-entry')).toBeUndefined();
      // Home again in the same launch: the answer is remembered, nothing asked.
      const again = renderPage('pages/home/index');
      await waitFor(() => expect(textOf(find(again.comp, '.notice'))).toContain('过号无效'));
      expect(calls().filter((c) => c === 'staff.me')).toEqual(['staff.me']);
      expect(again.comp.querySelector('.staff-entry')).toBeUndefined();
    });

    it('is shown to window staff and opens the desk in the staff subpackage', async () => {
      await grantStaff('home-staff');
      actAs('home-staff');
      const { comp } = renderPage('pages/home/index');
      const entry = await waitFor(() => find(comp, '.staff-entry'), 30_000);
      expect(textOf(entry)).toBe('工作人员 窗口工作台：扫码签到、叫号、办结');
      await tap(entry);
      expect(lastUrl('navigateTo')).toBe('/staff/pages/desk/index');
    }, 60_000); // Three functions may start cold here (admin, booking, staff): slow on a busy machine.
  });
});
