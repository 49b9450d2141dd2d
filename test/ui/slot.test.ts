/**
 * Step 1, day and period (R2, R4, R5): the horizon as the server has it, closed days visible but not
 * selectable, the periods opening under the day tapped and brought into view, a period leading on to the
 * person; the account's limit told before anything is typed (issue 12, findings 4 and 7).
 */
import { callBooking, failNext, useLocalCloud } from './support/cloud';
import { asInput, newPerson } from './support/people';
import { bookOthers } from './support/scene';
import {
  find,
  findAll,
  findByText,
  lastUrl,
  loaded,
  newUser,
  open,
  tap,
  textOf,
  type Node,
} from './support/user';

// Tuesday 1 December 2026, 10:00 China time.
useLocalCloud('2026-12-01T10:00');

const SLOT = '/pages/slot/index?serviceId=siming-violation';

let openid = '';

beforeEach(() => {
  openid = newUser('slot-user');
});

async function openSlot(url = SLOT): Promise<Node> {
  const slot = open(url);
  await loaded(slot);
  return slot.comp;
}

it('lists the 7 days from tomorrow, never today, the weekend closed with its reason, step 1 of 3', async () => {
  const page = await openSlot();
  expect(textOf(find(page, '.step-hint'))).toBe('第 1 步，共 3 步：选择日期和时段');
  const days = findAll(page, '.day').map(textOf);
  expect(days).toHaveLength(7);
  expect(days[0]).toBe('12月2日 周三 明天 余 50 个');
  expect(days.join()).not.toContain('12月1日');
  expect(days.filter((d) => d.includes('周末休息'))).toEqual([
    '12月5日 周六 周末休息',
    '12月6日 周日 周末休息',
  ]);
  expect(page.querySelector('.sold-out')).toBeUndefined();
  expect(page.querySelector('.limit')).toBeUndefined();
  expect(page.querySelector('.period')).toBeUndefined();
});

it('does not open a closed day', async () => {
  const page = await openSlot();
  await tap(findByText(page, '.day', '12月5日'));
  expect(page.querySelector('.period')).toBeUndefined();
  expect(wx.pageScrollTo).not.toHaveBeenCalled();
});

it('opens the periods under the day tapped, brings them into view, and a period leads on to the person', async () => {
  await bookOthers(10, '2026-12-04', 'am1');
  await bookOthers(3, '2026-12-04', 'am2');
  const page = await openSlot();
  expect(textOf(findByText(page, '.day', '12月4日'))).toBe('12月4日 周五 余 37 个');
  await tap(findByText(page, '.day', '12月4日'));
  // Finding 7: the periods are right under the day, and the day is scrolled to the top.
  expect(textOf(find(page, '#day-2026-12-04'))).toBe(
    '12月4日 周五 余 37 个 09:00-10:00 已约满 10:00-11:00 余 7 个 11:00-12:00 余 10 个 ' +
      '14:30-15:30 余 10 个 15:30-16:30 余 10 个',
  );
  expect(wx.pageScrollTo).toHaveBeenLastCalledWith(
    expect.objectContaining({ selector: '#day-2026-12-04' }),
  );
  await tap(findByText(page, '.period', '09:00-10:00'));
  expect(wx.navigateTo).not.toHaveBeenCalled();
  await tap(findByText(page, '.period', '14:30-15:30'));
  expect(lastUrl('navigateTo')).toBe('/pages/person-form/index?serviceId=siming-violation');
  const app = (global as unknown as { __uiApp: { globalData: { session: unknown } } }).__uiApp;
  expect(app.globalData.session).toEqual(
    expect.objectContaining({
      slot: { date: '2026-12-04', periodId: 'pm1', start: '14:30', end: '15:30' },
    }),
  );
});

it('opens on the day a notice names (date=), its periods in view', async () => {
  const page = await openSlot(`${SLOT}&date=2026-12-07`);
  expect(findAll(page, '.period')).toHaveLength(5);
  expect(textOf(find(page, '.day-open'))).toContain('12月7日 周一');
  expect(wx.pageScrollTo).toHaveBeenCalledWith(
    expect.objectContaining({ selector: '#day-2026-12-07' }),
  );
});

it('tells the account its limit of active bookings before anything is typed (R5, finding 4)', async () => {
  for (const date of ['2026-12-02', '2026-12-03', '2026-12-04']) {
    await callBooking(openid, {
      action: 'book',
      serviceId: 'siming-violation',
      date,
      person: asInput(newPerson()),
      requestId: `limit-${openid}-${date}`,
    });
  }
  const page = await openSlot();
  expect(textOf(find(page, '.limit'))).toBe(
    '本微信号已有 3 个有效预约（最多 3 个）。请先办理或取消已有预约，再来预约。 查看我的预约',
  );
  await tap(findByText(page, '.day', '12月7日'));
  expect(page.querySelector('.period')).toBeUndefined();
  await tap(find(page, '.limit-mine'));
  expect(lastUrl('navigateTo')).toBe('/pages/mine/index');
});

it('offers a retry when the days cannot load', async () => {
  failNext('lost');
  const slot = open(SLOT);
  await loaded(slot);
  expect(textOf(slot.comp)).toBe('网络不给力，请检查网络后重试 重试');
  await tap(find(slot.comp, '.page-state', '.state-retry'));
  await loaded(slot);
  expect(findAll(slot.comp, '.day')).toHaveLength(7);
});
