/** Day and period (R2, R4): the horizon as the server has it, closed days visible but not selectable. */
import { failNext, useLocalCloud } from './support/cloud';
import { bookOthers } from './support/scene';
import {
  find,
  findAll,
  findByText,
  loaded,
  open,
  resetApp,
  tap,
  textOf,
  type Node,
} from './support/user';

// Tuesday 1 December 2026, 10:00 China time.
useLocalCloud('2026-12-01T10:00');

const SLOT = '/pages/slot/index?serviceId=siming-violation';

beforeEach(() => {
  jest.clearAllMocks();
  resetApp();
});

async function openSlot(): Promise<Node> {
  const slot = open(SLOT);
  await loaded(slot);
  return slot.comp;
}

function nextDisabled(page: Node): boolean {
  return find(page, '.next').data.disabled === true;
}

it('lists the 7 days from tomorrow, never today, the weekend closed with its reason', async () => {
  const page = await openSlot();
  const days = findAll(page, '.day').map(textOf);
  expect(days).toHaveLength(7);
  expect(days[0]).toBe('12月2日 周三 明天 余 50 个');
  expect(days.join()).not.toContain('12月1日');
  expect(days.filter((d) => d.includes('周末休息'))).toEqual([
    '12月5日 周六 周末休息',
    '12月6日 周日 周末休息',
  ]);
  expect(page.querySelector('.sold-out')).toBeUndefined();
  expect(nextDisabled(page)).toBe(true);
});

it('does not select a closed day', async () => {
  const page = await openSlot();
  await tap(findByText(page, '.day', '12月5日'));
  expect(page.querySelector('.period')).toBeUndefined();
  expect(page.querySelector('.choice')).toBeUndefined();
  expect(nextDisabled(page)).toBe(true);
});

it('shows the numbers left per period, a full period not selectable', async () => {
  await bookOthers(10, '2026-12-04', 'am1');
  await bookOthers(3, '2026-12-04', 'am2');
  const page = await openSlot();
  expect(textOf(findByText(page, '.day', '12月4日'))).toBe('12月4日 周五 余 37 个');
  await tap(findByText(page, '.day', '12月4日'));
  expect(findAll(page, '.period').map(textOf)).toEqual([
    '09:00-10:00 已约满',
    '10:00-11:00 余 7 个',
    '11:00-12:00 余 10 个',
    '14:30-15:30 余 10 个',
    '15:30-16:30 余 10 个',
  ]);
  await tap(findByText(page, '.period', '09:00-10:00'));
  expect(page.querySelector('.choice')).toBeUndefined();
  expect(nextDisabled(page)).toBe(true);
  await tap(findByText(page, '.period', '14:30-15:30'));
  expect(textOf(find(page, '.choice'))).toBe('已选：12月4日 周五 14:30-15:30');
  expect(nextDisabled(page)).toBe(false);
  await tap(find(page, '.next'));
  expect(wx.navigateTo).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/pages/confirm/index' }),
  );
  const app = (global as unknown as { __uiApp: { globalData: { session: unknown } } }).__uiApp;
  expect(app.globalData.session).toEqual(
    expect.objectContaining({
      slot: { date: '2026-12-04', periodId: 'pm1', start: '14:30', end: '15:30' },
    }),
  );
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
