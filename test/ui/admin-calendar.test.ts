/**
 * The admin home and the holiday calendar (issue 14, R2), rendered with real Vant against the local cloud
 * and the real `admin` function: the 管理 entry on 我的 for administrators only, the home's warning that
 * 2027 has no arrangement with 订阅提醒 (the consent recorded, the notice owed), the paste box read and
 * checked as typed with the coded messages under it, the month view's 休 and 班, 保存, and the warning
 * gone when the home is shown again. The arrangement is made up, not 2027's real one. And (issue 16) the
 * home's notice of today's invitation-guessing alarm, for a city administrator only, with 查看操作记录.
 */
import { actAs, answerSubscribe, callAs, consents, setClock, useLocalCloud } from './support/cloud';
import { adminCalls, paste } from './support/admin';
import { renderPage, type RenderedPage } from './support/simulate';
import { grantAdmin } from './support/staff';
import { find, findAll, lastUrl, loaded, newUser, tap, textOf, waitFor } from './support/user';

// Tuesday 1 December 2026: after 1 November, and 2027 has no arrangement (chinese-days ends with 2026).
useLocalCloud('2026-12-01T10:00');

const MADE_UP = ['2027-01-01 元旦 休', '2027-02-08~2027-02-12 春节 休', '2027-02-06 春节 班'].join(
  '\n',
);

async function openLoaded(
  route: string,
  query: Record<string, string> = {},
): Promise<RenderedPage> {
  const page = renderPage(route, query);
  await loaded(page);
  return page;
}

describe('who sees the admin pages', () => {
  it('shows 我的 no 管理 entry for a citizen, and the admin home says there is no right', async () => {
    newUser('admin-citizen');
    const mine = await openLoaded('pages/mine/index');
    // The `me` question is answered after the list: wait for it to be remembered.
    await waitFor(() => expect(adminCalls()).toEqual([]));
    await waitFor(() =>
      expect(wx.cloud.callFunction).toHaveBeenCalledWith(
        expect.objectContaining({ name: 'staff', data: { action: 'me' } }),
      ),
    );
    await waitFor(() => expect(mine.comp.querySelector('.admin-entry')).toBeUndefined());
    const home = await openLoaded('admin/pages/home/index');
    await waitFor(() => expect(textOf(find(home.comp, '.denied'))).toContain('没有管理权限'));
    expect(adminCalls()).toEqual([]);
  }, 60_000);

  it('shows 我的 the 管理 entry for an administrator, opening the admin home', async () => {
    const openid = newUser('admin-city');
    await grantAdmin(openid);
    const mine = await openLoaded('pages/mine/index');
    const entry = await waitFor(() => find(mine.comp, '.admin-entry'), 30_000);
    expect(textOf(entry)).toBe('管理 节假日安排、办理点与业务、统计');
    await tap(entry);
    expect(lastUrl('navigateTo')).toBe('/admin/pages/home/index');
  }, 60_000);
});

describe('a year without an arrangement (R2)', () => {
  let home: RenderedPage;

  beforeAll(async () => {
    const openid = newUser('calendar-admin');
    await grantAdmin(openid);
    home = await openLoaded('admin/pages/home/index');
  }, 60_000);

  it('warns on the admin home, with 2027 missing and 2026 from the State Council', async () => {
    await waitFor(() => find(home.comp, '.calendar-warning'), 20_000);
    expect(textOf(find(home.comp, '.calendar-warning'))).toContain('2027 年的节假日安排还没有录入');
    expect(findAll(home.comp, '.year-line').map(textOf)).toEqual([
      '2026 年：国务院发布（随系统更新）',
      '2027 年：未录入：只按周一至周五办公，节假日不会自动休息',
    ]);
    expect(findAll(home.comp, '.entry').map(textOf)).toContain(
      '节假日安排 录入每年的放假和调休上班日（粘贴即可）',
    );
  });

  it('subscribes to the daily notice: consent given, the notice owed', async () => {
    answerSubscribe('accept');
    await tap(find(home.comp, '.subscribe'));
    await waitFor(() => expect(textOf(find(home.comp, '.subscribed'))).toContain('已订阅'));
    expect(adminCalls().filter((c) => c.action === 'subscribeNotice')).toEqual([
      { action: 'subscribeNotice', data: { action: 'subscribeNotice', topic: 'calendar' } },
    ]);
    const mine = (await consents()).filter((c) => c.templateId === 'local-calendar-missing');
    expect(mine).toEqual([expect.objectContaining({ openid: 'calendar-admin-3', remaining: 1 })]);
  });

  it('is entered in the paste box, checked as typed, saved, and the warning goes', async () => {
    await tap(find(home.comp, '.fix'));
    expect(lastUrl('navigateTo')).toBe('/admin/pages/calendar/index?year=2027');
    const calendar = await openLoaded('admin/pages/calendar/index', { year: '2027' });
    expect(textOf(find(calendar.comp, '.source'))).toContain('未录入');
    expect(textOf(find(calendar.comp, '.year-2027'))).toBe('2027 年');

    // A line that cannot be read and a make-up day on a weekday: each said under the box, no 保存.
    await paste(
      find(calendar.comp, '.paste-box'),
      '2027-01-01 元旦 休\n2027-01-0x 元旦 休\n2027-02-10 春节 班',
    );
    await waitFor(() =>
      expect(findAll(calendar.comp, '.problem').map(textOf)).toEqual([
        '第 2 行：无法识别该行，请按“2027-01-01 元旦 休”或“2027-02-20 春节 班”的格式填写',
        '2027-02-10 春节：调休上班日应为周六或周日',
      ]),
    );
    expect(calendar.page.data.canSave).toBe(false);

    await paste(find(calendar.comp, '.paste-box'), MADE_UP);
    await waitFor(() => expect(findAll(calendar.comp, '.problem')).toEqual([]));
    expect(textOf(find(calendar.comp, '.summary'))).toBe('放假 6 天，调休上班 1 天');
    // The month view opens on January (the first holiday); February shows the Spring Festival.
    expect(textOf(find(calendar.comp, '.month-title'))).toBe('2027 年 1 月');
    expect(textOf(find(calendar.comp, '.date-2027-01-01'))).toBe('1 休');
    await tap(find(calendar.comp, '.month-step.next'));
    expect(textOf(find(calendar.comp, '.month-title'))).toBe('2027 年 2 月');
    expect(textOf(find(calendar.comp, '.date-2027-02-06'))).toBe('6 班');
    expect(findAll(calendar.comp, '.day-holiday').map(textOf)).toEqual([
      '8 休',
      '9 休',
      '10 休',
      '11 休',
      '12 休',
    ]);

    await tap(find(calendar.comp, '.save'));
    await waitFor(() => expect(textOf(find(calendar.comp, '.source'))).toContain('管理员录入'));
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存' }));
    expect(adminCalls().filter((c) => c.action === 'setCalendarYear')).toHaveLength(1);

    // Back on the home page (onShow): the warning is gone, 2027 reads as entered.
    (home.page.onShow as () => void).call(home.page);
    await waitFor(() => expect(home.comp.querySelector('.calendar-warning')).toBeUndefined());
    expect(findAll(home.comp, '.year-line').map(textOf)).toEqual([
      '2026 年：国务院发布（随系统更新）',
      '2027 年：管理员录入',
    ]);
  }, 60_000);
});

describe('an office administrator', () => {
  it('reads the calendar but is not offered 保存 (the server allows a city_admin only)', async () => {
    const openid = newUser('calendar-office-admin');
    await grantAdmin(openid, 'office_admin');
    const calendar = await openLoaded('admin/pages/calendar/index', { year: '2026' });
    await waitFor(() => expect(textOf(find(calendar.comp, '.source'))).toContain('国务院发布'));
    expect(calendar.comp.querySelector('.save')).toBeUndefined();
    expect(textOf(find(calendar.comp, '.read-only'))).toBe(
      '只有市级管理员可以录入，这里只能查看。',
    );
    expect(calendar.page.data.summary).toMatch(/^放假 \d+ 天，调休上班 \d+ 天$/);
  }, 60_000);
});

describe('today’s invitation-guessing alarm on the admin home (issue 16)', () => {
  /** Five accounts each spend their day's allowance of 10 on wrong codes: the city's 50, the alarm. */
  async function guessFifty(): Promise<void> {
    for (let account = 1; account <= 5; account += 1)
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          callAs('staff', `o-guess-${String(account)}`, {
            action: 'acceptInvitation',
            code: `YYYY-Y${'23456789ABCD'[i] ?? ''}${String(account + 2)}Y`,
          }),
        ),
      );
  }

  async function home(): Promise<RenderedPage> {
    const page = await openLoaded('admin/pages/home/index');
    await waitFor(() => find(page.comp, '.entry'), 20_000);
    return page;
  }

  it('tells a city administrator where they land, with 查看操作记录, only while today’s alarm exists', async () => {
    const city = newUser('guessing-city-admin');
    await grantAdmin(city);
    expect((await home()).comp.querySelector('.guessing-alarm')).toBeUndefined();

    await guessFifty();
    const before = adminCalls().length;
    const page = await home();
    const alarm = await waitFor(() => find(page.comp, '.guessing-alarm'));
    expect(textOf(alarm)).toContain('可能有人在猜测邀请码');
    expect(textOf(alarm)).toContain('今天已有 50 次输入的邀请码不存在');
    expect(textOf(alarm)).toContain('达到 50 次');
    // Folded into the home's one answer: no call more on load.
    expect(
      adminCalls()
        .slice(before)
        .map((c) => c.action),
    ).toEqual(['calendarStatus']);
    await tap(find(page.comp, '.to-audit'));
    expect(lastUrl('navigateTo')).toBe('/admin/pages/audit/index');

    // An office administrator is not shown the city's alarm.
    const office = newUser('guessing-office-admin');
    await grantAdmin(office, 'office_admin');
    expect((await home()).comp.querySelector('.guessing-alarm')).toBeUndefined();

    // The next China day the alarm is yesterday's: gone.
    actAs(city);
    await setClock('2026-12-02T08:00');
    expect((await home()).comp.querySelector('.guessing-alarm')).toBeUndefined();
  }, 90_000);
});
