/**
 * The citizen's journey in a browser, through the preview, as a person clicks and types: book a number
 * from the form, see it, find it in my bookings, cancel it — at the normal and at the largest font size;
 * move a booking to another day; a wrong ID number stopped at the form. Every step is a real round trip through the `booking` function
 * on a seeded local cloud, checked on the screen and in what the cloud holds.
 */
import { stats, subscriptions } from '../../local-cloud/client';
import {
  bookDirectly,
  bookingsOf,
  button,
  chooseSlot,
  fillForm,
  fontSizeOf,
  pageText,
  person,
  sees,
  shownNumber,
  startBooking,
} from './support/phone';
import { useScenes, type FontSize } from './support/stack';

const open = useScenes();

// Tuesday 1 December 2026, 10:00 China time: the horizon is Wed 2 – Tue 8, the weekend closed.
const NOW = '2026-12-01T10:00';

it.each<[FontSize]>([['normal'], ['largest']])(
  'books a number, shows it, finds it in my bookings and cancels it (%s font)',
  async (font) => {
    const openid = `citizen-${font}`;
    const s = await open({
      name: font === 'normal' ? 'book-and-cancel' : 'book-and-cancel-largest-font',
      now: NOW,
      openid,
    });
    const { phone } = s;
    await sees(phone, '预约须知');
    if (font === 'largest') {
      // The person sets the largest font in the toolbar, as in WeChat's settings; text doubles at once.
      const normal = await fontSizeOf(s, '预约须知');
      await s.page.getByLabel('字体').selectOption('largest');
      expect(await fontSizeOf(s, '预约须知')).toBe(normal * 2);
    }
    await s.shot('home');

    await startBooking(s);
    await fillForm(s, person(1, { name: '陈建国', category: '营运类' }));
    await s.shot('form filled');
    // Nothing wider than the screen, whatever the font: text wraps instead.
    expect(await s.inPhone('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    await button(phone, '下一步：选择日期').click();
    await sees(phone, '第一步：选日期（不能约当天）');
    await chooseSlot(s, '12月3日', '10:00-11:00');
    await sees(phone, '已选：12月3日 周四 10:00-11:00');
    await s.shot('day and period');

    await button(phone, '下一步：核对信息').click();
    await button(phone, '确认预约').waitFor();
    expect(await pageText(s)).toContain('2026年12月3日 周四 10:00-11:00');
    await s.shot('confirm');

    await button(phone, '确认预约').click();
    const consent = phone.getByRole('dialog', { name: '订阅消息' });
    await consent.waitFor();
    expect(await consent.innerText()).toContain('预约提醒');
    await s.shot('reminder consent');
    await button(phone, '允许').click();

    await sees(phone, '预约成功');
    const number = await shownNumber(phone);
    expect(number).toMatch(/^[A-Z]\d{3}$/);
    expect(await pageText(s)).toContain('2026年12月3日 周四');
    await s.shot('booked');

    expect(await bookingsOf(s, openid)).toEqual([
      expect.objectContaining({
        number,
        date: '2026-12-03',
        status: 'booked',
        period: expect.objectContaining({ start: '10:00', end: '11:00' }),
      }),
    ]);
    // 允许 recorded one consent for the reminder, as WeChat does when the user accepts.
    expect(await subscriptions(s.cloud)).toEqual([
      { openid, templateId: 'local-booking-reminder', remaining: 1 },
    ]);

    await button(phone, '查看我的全部预约').click();
    await sees(phone, '下拉可以刷新');
    expect(await pageText(s)).toContain(`${number} 已预约`);
    await s.shot('my bookings');

    await phone.getByText(number, { exact: true }).click();
    await button(phone, '取消预约').click();
    const dialog = phone.getByText(`的预约 ${number} 吗？`, { exact: false });
    await dialog.waitFor();
    await s.shot('cancel asked');
    await button(phone, '确定取消').click();
    await sees(phone, '已取消预约');
    await s.shot('cancelled');

    // Back (the navigation bar's ‹) to my bookings, which reads them again when shown; then a pull-down
    // refresh from the toolbar, which the page ends itself.
    await s.page.getByRole('button', { name: '返回' }).click();
    await sees(phone, `${number} 已取消`);
    const calls = async (): Promise<number> => {
      const byFunction: Partial<Record<string, { invocations: number }>> = (await stats(s.cloud))
        .functions.byFunction;
      return byFunction.booking?.invocations ?? 0;
    };
    const before = await calls();
    await s.page.getByRole('button', { name: '下拉刷新' }).click();
    await s.page.getByText('正在刷新…').waitFor({ state: 'hidden' });
    // The page read my bookings and my standing again (two calls), then ended the refresh.
    expect((await calls()) - before).toBe(2);
    expect(await pageText(s)).toContain(`${number} 已取消`);
    await s.shot('my bookings after cancelling');

    expect((await bookingsOf(s, openid)).map((b) => [b.number, b.status])).toEqual([
      [number, 'cancelled'],
    ]);
  },
);

it('stops a wrong ID number at the form, says why, and books nothing', async () => {
  const openid = 'citizen-typo';
  const s = await open({ name: 'wrong-id-number', now: NOW, openid });
  const { phone } = s;
  await startBooking(s);
  const good = person(2).idNumber;
  // One digit of the check character off: 18 digits, the right shape, a wrong GB 11643 check.
  const typo = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
  await fillForm(s, person(2, { idNumber: typo }));
  const message = await sees(phone, '身份证号码校验位不正确，请逐位核对');
  await message.scrollIntoViewIfNeeded();
  await s.shot('check digit message');

  await button(phone, '下一步：选择日期').click();
  await sees(phone, '还有 1 处需要修改，请看红字提示');
  await s.shot('still on the form');
  expect(await pageText(s)).toContain('办理人信息');
  expect(await bookingsOf(s, openid)).toEqual([]);
});

it('moves a booking to another day and period from my bookings', async () => {
  const openid = 'citizen-moves';
  let before = '';
  const s = await open({
    name: 'reschedule',
    now: NOW,
    openid,
    before: async (cloud) => {
      before = (await bookDirectly(cloud, openid, person(3), '2026-12-03', 'am2')).number;
    },
  });
  const { phone } = s;
  await s.phone.getByText(/^预约查询/).click();
  await sees(phone, '下拉可以刷新');
  await phone.getByText(before, { exact: true }).click();
  await button(phone, '改约到其他时间').click();
  await sees(phone, `原预约：${before} · 12月3日 周四 10:00-11:00`);
  await chooseSlot(s, '12月4日', '14:30-15:30');
  await s.shot('new day and period');
  await button(phone, '确认改约').click();
  await sees(phone, `原来的预约号 ${before} 会同时取消`);
  await s.shot('reschedule asked');
  // The dialog's own 确认改约, below its message.
  await phone.getByRole('button', { name: '确认改约' }).last().click();

  await sees(phone, '改约成功');
  const after = await shownNumber(phone);
  expect(await pageText(s)).toContain('2026年12月4日 周五 14:30-15:30');
  await s.shot('rescheduled');
  const bookings = await bookingsOf(s, openid);
  expect(bookings.find((b) => b.status === 'booked')).toMatchObject({
    number: after,
    date: '2026-12-04',
    period: { id: 'pm1', start: '14:30', end: '15:30' },
  });
  expect(bookings.filter((b) => b.status === 'booked')).toHaveLength(1);

  // Another WeChat user on the toolbar: the mini program starts afresh, and their bookings are their own.
  await s.page.getByLabel('用户 OPENID').fill('citizen-neighbour');
  await s.page.getByLabel('用户 OPENID').press('Enter');
  await sees(phone, '预约须知');
  await phone.getByText(/^预约查询/).click();
  await sees(phone, '还没有预约');
  await s.shot('another user');
});

it('opens a booking from a reminder sent before the detail page was renamed', async () => {
  const openid = 'citizen-old-link';
  let booking = { id: '', number: '' };
  const s = await open({
    name: 'old-reminder-link',
    now: NOW,
    openid,
    before: async (cloud) => {
      booking = await bookDirectly(cloud, openid, person(4), '2026-12-03', 'am1');
    },
    // What the reminder's `page` was before the rename (App.onPageNotFound redirects it).
    path: () => `pages/booking/index?id=${booking.id}`,
  });
  await sees(s.phone, '预约号');
  expect(await shownNumber(s.phone)).toBe(booking.number);
  await s.shot('booking from the old link');
});
