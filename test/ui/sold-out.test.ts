/**
 * R11 sold out: around National Day 2026 the horizon of Tuesday 29 September holds one working day
 * (30 September), then the holiday. Once its 50 numbers are gone, everything is full.
 */
import { answerSubscribe, inCloud, setClock, TEMPLATES, useLocalCloud } from './support/cloud';
import { bookOthers } from './support/scene';
import { find, findAll, loaded, newUser, open, tap, textOf, waitFor } from './support/user';

useLocalCloud('2026-09-29T10:00');

// The one working day of the horizon, full (each test leaves it so).
beforeAll(() => bookOthers(50, '2026-09-30'), 60_000);

const SLOT = '/pages/slot/index?serviceId=siming-violation';

beforeEach(() => {
  newUser('sold-out-user');
});

it('says the numbers are all taken, that new ones open daily, and offers 有号提醒我', async () => {
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
    '近几天的号已经约满了 每天 0:00 放出新一天的号，请明天 0:00 以后再来看看。 有号提醒我',
  );
  expect(slot.comp.querySelector('.period')).toBeUndefined();
});

/** The account's waiting entries, as the notifier job reads them. */
async function waiting(): Promise<{ serviceId: string }[]> {
  return inCloud(async (c) => {
    const res = (await c.database().collection('waitlist').limit(100).get()) as unknown as {
      data: { serviceId: string }[];
    };
    return res.data;
  }, undefined);
}

it('R11: 有号提醒我 asks the "numbers opened" consent inside the tap, then joins the waiting list', async () => {
  answerSubscribe('accept');
  const slot = open(SLOT);
  await loaded(slot);
  await tap(find(slot.comp, '.notify'));
  expect(wx.requestSubscribeMessage).toHaveBeenCalledWith(
    expect.objectContaining({ tmplIds: [TEMPLATES.slotsReleased] }),
  );
  await waitFor(() => textOf(find(slot.comp, '.notify-note')).includes('已登记'));
  expect(textOf(find(slot.comp, '.sold-out'))).not.toContain('有号提醒我');
  expect(await waiting()).toEqual([expect.objectContaining({ serviceId: 'siming-violation' })]);
});

it('R11: a refused consent joins nothing and says why', async () => {
  answerSubscribe('reject');
  const before = (await waiting()).length;
  const slot = open(SLOT);
  await loaded(slot);
  await tap(find(slot.comp, '.notify'));
  await waitFor(() => textOf(find(slot.comp, '.notify-note')).includes('没有允许通知'));
  expect(await waiting()).toHaveLength(before);
});

it('says when no day of the horizon is open at all', async () => {
  await setClock('2026-09-30T10:00');
  const slot = open(SLOT);
  await loaded(slot);
  expect(findAll(slot.comp, '.day').map(textOf)).toHaveLength(7);
  expect(textOf(find(slot.comp, '.sold-out'))).toContain('近几天窗口都不办公');
});

it('issue 12 finding 9: the registration is shown on the day page, home and my bookings, and withdrawn there', async () => {
  answerSubscribe('accept');
  const slot = open(SLOT);
  await loaded(slot);
  await tap(find(slot.comp, '.notify'));
  await waitFor(() =>
    expect(textOf(find(slot.comp, '.waiting-section'))).toContain('已登记“有号提醒我”'),
  );
  const home = open('/pages/home/index');
  await waitFor(() =>
    expect(textOf(find(home.comp, '.home-waiting'))).toBe(
      '已登记“有号提醒我”（交通违法处理）：一有可约的号会通过微信通知您一次。 取消登记',
    ),
  );
  const mine = open('/pages/mine/index');
  await loaded(mine);
  await waitFor(() => find(mine.comp, '.mine-waiting', '.waiting-cancel'));
  await tap(find(mine.comp, '.mine-waiting', '.waiting-cancel'));
  await waitFor(() =>
    expect(textOf(find(mine.comp, '.mine-waiting'))).toBe('已取消登记，有号时不再通知您'),
  );
  const states = (await waiting()) as unknown as { delivery: { state: string } }[];
  expect(states.map((w) => w.delivery.state).sort()).toEqual(['cancelled', 'pending']);
});
