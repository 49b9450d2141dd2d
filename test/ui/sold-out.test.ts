/**
 * R11 sold out: around National Day 2026 the horizon of Tuesday 29 September holds one working day
 * (30 September), then the holiday. Once its 50 numbers are gone, everything is full.
 */
import { setClock, useLocalCloud } from './support/cloud';
import { bookOthers } from './support/scene';
import { find, findAll, loaded, open, resetApp, textOf } from './support/user';

useLocalCloud('2026-09-29T10:00');

const SLOT = '/pages/slot/index?serviceId=siming-violation';

beforeEach(() => {
  jest.clearAllMocks();
  resetApp();
});

it('says the numbers are all taken, that new ones open daily, and shows 有号提醒我 not yet available', async () => {
  await bookOthers(50, '2026-09-30');
  const slot = open(SLOT);
  await loaded(slot);
  expect(findAll(slot.comp, '.day').map(textOf)).toEqual([
    '9月30日 周三 明天 已约满',
    '10月1日 周四 后天 节假日休息',
    '10月2日 周五 节假日休息',
    '10月3日 周六 节假日休息',
    '10月4日 周日 节假日休息',
    '10月5日 周一 节假日休息',
    '10月6日 周二 节假日休息',
  ]);
  expect(textOf(find(slot.comp, '.sold-out'))).toBe(
    '近几天的号已经约满了 每天都会放出新一天的号，请明天再来看看。 有号提醒我 有号提醒功能即将开放',
  );
  // The contract has no action to store the request yet (NOTIFY_WHEN_AVAILABLE_ENABLED).
  expect(find(slot.comp, '.notify').data.disabled).toBe(true);
  expect(find(slot.comp, '.next').data.disabled).toBe(true);
});

it('says when no day of the horizon is open at all', async () => {
  await setClock('2026-09-30T10:00');
  const slot = open(SLOT);
  await loaded(slot);
  expect(findAll(slot.comp, '.day').map(textOf)).toHaveLength(7);
  expect(textOf(find(slot.comp, '.sold-out'))).toContain('近几天窗口都不办公');
});
