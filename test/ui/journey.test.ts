/**
 * The citizen journey end to end, every call a real round trip through the `booking` function on the
 * local cloud: home → service → day and period → person → confirm → the booking → my bookings → cancel.
 */
import { actAs, answerSubscribe, consents, TEMPLATES, useLocalCloud } from './support/cloud';
import { fillForm } from './support/flow';
import { newPerson } from './support/people';
import { renderPage } from './support/simulate';
import {
  find,
  findAll,
  findByText,
  lastUrl,
  loaded,
  open,
  phoneStorage,
  resetApp,
  tap,
  textOf,
  waitFor,
} from './support/user';

// Tuesday 1 December 2026, 10:00 China time: the horizon is Wed 2 – Tue 8, the weekend closed.
useLocalCloud('2026-12-01T10:00');

beforeEach(() => {
  jest.clearAllMocks();
  resetApp();
});

it('books a number from the form, shows it, finds it in my bookings and cancels it', async () => {
  actAs('journey-user');
  answerSubscribe('accept');
  const person = newPerson({ name: '陈建国', category: '营运类' });

  // Home: what is left before anything is asked (finding 4) → 窗口预约.
  const home = renderPage('pages/home/index');
  await waitFor(() =>
    expect(textOf(find(home.comp, '.availability'))).toBe(
      '最近可约：12月2日 周三（明天），余 50 个；近几天共余 250 个',
    ),
  );
  await tap(findByText(home.comp, '.menu-entry', '窗口预约'));
  expect(lastUrl('navigateTo')).toBe('/pages/service/index');

  // One office, one service: the choice is skipped, straight to step 1.
  open(lastUrl('navigateTo'));
  await waitFor(() => expect(wx.redirectTo).toHaveBeenCalledTimes(1));
  expect(lastUrl('redirectTo')).toBe('/pages/slot/index?serviceId=siming-violation');

  // Step 1: day and period, the periods under the day.
  const slot = open(lastUrl('redirectTo'));
  await loaded(slot);
  expect(findAll(slot.comp, '.day').map(textOf)).toEqual([
    '12月2日 周三 明天 余 50 个',
    '12月3日 周四 后天 余 50 个',
    '12月4日 周五 余 50 个',
    '12月5日 周六 周末休息',
    '12月6日 周日 周末休息',
    '12月7日 周一 余 50 个',
    '12月8日 周二 余 50 个',
  ]);
  await tap(findByText(slot.comp, '.day', '12月3日'));
  expect(findAll(slot.comp, '.period').map(textOf)).toEqual([
    '09:00-10:00 余 10 个',
    '10:00-11:00 余 10 个',
    '11:00-12:00 余 10 个',
    '14:30-15:30 余 10 个',
    '15:30-16:30 余 10 个',
  ]);
  await tap(findByText(slot.comp, '.period', '10:00-11:00'));
  expect(lastUrl('navigateTo')).toBe('/pages/person-form/index?serviceId=siming-violation');

  // Step 2: the person.
  const form = open(lastUrl('navigateTo'));
  await loaded(form);
  expect(textOf(find(form.comp, '.chosen'))).toBe(
    '思明交警大队 · 交通违法处理 12月3日 周四 10:00-11:00 改时间',
  );
  await fillForm(form.comp, person);
  expect(textOf(find(form.comp, '.materials'))).toBe(
    '办理时请带齐以下材料 身份证 （当事人本人居民身份证） 驾驶证 行驶证 上岗证 从业资格证 单位证明',
  );
  await tap(find(form.comp, '.next'));
  expect(lastUrl('navigateTo')).toBe('/pages/confirm/index');

  // Step 3: everything in full for checking (finding 5), the materials, the rules.
  const confirm = open('/pages/confirm/index');
  await loaded(confirm);
  expect(textOf(find(confirm.comp, '.slot'))).toBe(
    '预约时间 2026年12月3日 周四 10:00-11:00 请在 09:55 前到达 思明交警大队 · 交通违法处理 ' +
      '福建省厦门市思明区（演示地址，以现场公告为准）',
  );
  expect(textOf(find(confirm.comp, '.person'))).toContain(
    `身份证号 ${person.idNumber.slice(0, 6)} ${person.idNumber.slice(6, 14)} ${person.idNumber.slice(14)}`,
  );
  expect(textOf(find(confirm.comp, '.materials'))).toContain('从业资格证');
  await tap(find(confirm.comp, '.confirm'));
  expect(wx.requestSubscribeMessage).toHaveBeenCalledWith(
    expect.objectContaining({ tmplIds: [TEMPLATES.reminder] }),
  );
  await waitFor(() => expect(wx.reLaunch).toHaveBeenCalledTimes(1));
  const bookingUrl = lastUrl('reLaunch');
  expect(bookingUrl).toMatch(/^\/pages\/booking-detail\/index\?id=[\w-]+&fresh=booked$/);
  // R14: the full numbers are gone from memory once booked, and were never stored.
  expect(JSON.stringify((global as unknown as { __uiApp: unknown }).__uiApp)).not.toContain(
    person.idNumber,
  );
  expect([...phoneStorage().values()].join()).not.toContain(person.idNumber);

  // The booking: the number large, when, where, what to bring, the pass.
  const booking = open(bookingUrl);
  await loaded(booking);
  expect(textOf(find(booking.comp, '.banner'))).toBe('预约成功');
  expect(textOf(find(booking.comp, '.ticket'))).toBe(
    '预约号 已预约 A011 12月3日 周四 10:00-11:00 请在 09:55 前到达，过号作废',
  );
  expect(textOf(find(booking.comp, '.reminder'))).toBe(
    '已订阅提醒，办理前一天 18:00 会通过微信提醒您',
  );
  expect(await consents()).toContainEqual({
    openid: 'journey-user',
    templateId: TEMPLATES.reminder,
    remaining: 1,
  });
  expect(find(booking.comp, '.qr-pass').data.size).toBeGreaterThan(20);
  expect(textOf(find(booking.comp, '.change'))).toBe(
    '12月3日 09:00 前可以取消或改约。不来又不取消，记一次未到场。',
  );
  await tap(find(booking.comp, '.mine'));
  expect(lastUrl('navigateTo')).toBe('/pages/mine/index');

  // My bookings.
  const mine = open('/pages/mine/index');
  await loaded(mine);
  expect(findAll(mine.comp, '.booking-item').map(textOf)).toEqual([
    'A011 已预约 12月3日 周四 10:00-11:00 思明交警大队 · 交通违法处理',
  ]);
  expect(textOf(find(mine.comp, '.standing'))).toBe(
    '本月未到场 0 次（满 3 次将暂停预约一个月） 有效预约 1 个，最多 3 个',
  );
  await tap(find(mine.comp, '.booking-item'));
  expect(lastUrl('navigateTo')).toBe(bookingUrl.replace('&fresh=booked', ''));

  // Cancel, after the confirmation dialog.
  const detail = open(lastUrl('navigateTo'));
  await loaded(detail);
  expect(textOf(find(detail.comp, '.ticket'))).toContain('已预约 A011');
  await tap(find(detail.comp, '.cancel'));
  const dialog = find(detail.comp, '.confirm-dialog');
  await waitFor(() =>
    expect(textOf(dialog)).toBe(
      '取消预约 确定取消 2026年12月3日 周四 10:00-11:00 的预约 A011 吗？ 取消后这个号会让给别人。 再想想 确定取消',
    ),
  );
  await tap(findByText(dialog, '.van-dialog__button', '确定取消'));
  await waitFor(() => expect(textOf(find(detail.comp, '.banner'))).toBe('已取消预约'));
  expect(textOf(find(detail.comp, '.ticket'))).toBe('预约号 已取消 A011 12月3日 周四 10:00-11:00');
  expect(detail.comp.querySelector('.cancel')).toBeUndefined();
  expect(detail.comp.querySelector('.pass')).toBeUndefined();

  // The list shows it cancelled; the 取消预约 entry has nothing left to cancel; the number is free (R4).
  const after = open('/pages/mine/index');
  await loaded(after);
  expect(findAll(after.comp, '.booking-item').map(textOf)).toEqual([
    'A011 已取消 12月3日 周四 10:00-11:00 思明交警大队 · 交通违法处理',
  ]);
  const cancellable = open('/pages/mine/index?filter=cancellable');
  await loaded(cancellable);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '取消预约' });
  expect(textOf(cancellable.comp)).toContain('没有可以取消的预约');
  const again = open('/pages/slot/index?serviceId=siming-violation');
  await loaded(again);
  await tap(findByText(again.comp, '.day', '12月3日'));
  expect(textOf(findByText(again.comp, '.period', '10:00-11:00'))).toBe('10:00-11:00 余 10 个');
});
