/**
 * The citizen's journey in a browser, through the preview, as a person clicks and types: choose a day
 * and period, the person, confirm, see the number, find it in my bookings, cancel it — at the normal and
 * at the largest font size, every page measured (nothing wider than the screen, nothing cut) and the
 * journey's taps counted; move a booking to another day; a wrong ID number stopped at the form; the
 * draft kept across back and relaunch. Every step is a real round trip through the `booking` function on
 * a seeded local cloud, checked on the screen and in what the cloud holds.
 */
import { stats, subscriptions } from '../../local-cloud/client';
import {
  bookDirectly,
  bookingsOf,
  button,
  chooseSlot,
  fillForm,
  fontSizeOf,
  inView,
  layoutProblems,
  pageText,
  person,
  screens,
  sees,
  shownNumber,
  startBooking,
  startsInView,
  taps,
} from './support/phone';
import { useScenes, type FontSize } from './support/stack';

const open = useScenes();

// Tuesday 1 December 2026, 10:00 China time: the horizon is Wed 2 – Tue 8, the weekend closed.
const NOW = '2026-12-01T10:00';

/** Today's journey to 预约成功 before issue 12, counted the same way (the text fields' taps included). */
const TAPS_BEFORE = 40;

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
    /** Every page is checked where it is shown: nothing wider than the screen, nothing cut. */
    const look = async (step: string): Promise<void> => {
      await s.shot(step);
      expect({ step, problems: await layoutProblems(s) }).toEqual({ step, problems: [] });
    };
    await sees(phone, '预约须知');
    if (font === 'largest') {
      // The person sets the largest font in the toolbar, as in WeChat's settings; text doubles at once.
      const normal = await fontSizeOf(s, '预约须知');
      await s.page.getByLabel('字体').selectOption('largest');
      expect(await fontSizeOf(s, '预约须知')).toBe(normal * 2);
    }
    // Finding 4: what is left, before anything is asked.
    await sees(phone, '最近可约：12月2日 周三（明天），余 50 个；近几天共余 250 个');
    await look('home');

    await startBooking(s);
    await look('step 1 days');
    await button(phone, /^12月3日 /).click();
    // Finding 7: the periods open under the day, in view at once, whatever the text size.
    await phone.getByRole('button', { name: /^10:00-11:00 / }).waitFor();
    await s.page.waitForTimeout(300);
    expect(await inView(button(phone, /^09:00-10:00 /))).toBe(true);
    await look('step 1 periods');
    await button(phone, /^10:00-11:00 /).click();
    await sees(phone, '第 2 步，共 3 步：填写办理人');
    await look('step 2 empty form');

    const citizen = person(1, { name: '陈建国', category: '营运类' });
    await fillForm(s, citizen);
    // Finding 5: the ID (in 6-8-4 groups that wrap between them) and the plate whole under their labels.
    const text = await pageText(s);
    expect(text).toContain(`身份证号 ${citizen.idNumber}`);
    expect(text).toContain(`车牌号 ${citizen.plate}`);
    await look('step 2 form filled');

    await button(phone, '下一步：核对信息').click();
    await button(phone, '确认预约').waitFor();
    expect(await pageText(s)).toContain('2026年12月3日 周四 10:00-11:00');
    // Finding 5: the numbers in full for checking; finding 7: 确认预约 on the screen without scrolling.
    expect(await pageText(s)).toContain(`身份证号 ${citizen.idNumber} 手机号 ${citizen.phone}`);
    expect(await inView(button(phone, '确认预约'))).toBe(true);
    await look('step 3 confirm');

    await button(phone, '确认预约').click();
    const consent = phone.getByRole('dialog', { name: '订阅消息' });
    await consent.waitFor();
    expect(await consent.innerText()).toContain('预约提醒');
    await s.shot('reminder consent');
    await button(phone, '允许').click();

    await sees(phone, '预约成功');
    const number = await shownNumber(phone);
    expect(number).toMatch(/^[A-Z]\d{3}$/);
    const journey = await taps(s);
    console.log(
      `the journey to 预约成功 took ${journey} taps at the ${font} font (${TAPS_BEFORE} before)`,
    );
    expect(journey).toBeLessThan(TAPS_BEFORE);
    expect(await pageText(s)).toContain('12月3日 周四10:00-11:00 请在 09:55 前到达');
    // Finding 10: the number whole, the pass on the first screen; finding 7: a short page.
    expect(await inView(phone.getByLabel(`预约号 ${number}`))).toBe(true);
    expect(await startsInView(phone.getByRole('button', { name: '放大二维码' }))).toBe(true);
    const length = await screens(s);
    console.log(`the booked page is ${length.toFixed(1)} screens long at the ${font} font`);
    expect(length).toBeLessThanOrEqual(font === 'largest' ? 3.5 : 2);
    await look('booked');
    await phone.getByRole('button', { name: '放大二维码' }).click();
    await phone.getByRole('button', { name: '收起二维码' }).waitFor();
    await s.shot('pass enlarged');
    await phone.getByRole('button', { name: '收起二维码' }).click();
    if (font === 'normal') {
      // Add to the phone's calendar: WeChat asks for the permission once, then adds the appointment.
      await phone.getByText('添加到手机日历').click();
      const permission = phone.getByRole('dialog', { name: '授权' });
      await permission.waitFor();
      await s.shot('calendar permission');
      await button(phone, '允许').click();
      await sees(phone, '已添加到手机日历，开始前 1 小时提醒');
      expect(
        await s.inPhone(`JSON.parse(localStorage.getItem('preview-calendar:${openid}'))`),
      ).toEqual([
        expect.objectContaining({
          title: `交警窗口预约 ${number}`,
          startTime: Date.parse('2026-12-03T09:55:00+08:00') / 1000,
          endTime: Date.parse('2026-12-03T11:00:00+08:00') / 1000,
          alarmOffset: 3600,
        }),
      ]);
    }
    // Back is no way into the finished steps (finding 1): the booking is the only page.
    expect(await s.page.getByRole('button', { name: '返回' }).isVisible()).toBe(false);

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
    await look('my bookings');

    await phone.getByText(number, { exact: true }).click();
    await button(phone, '取消预约').click();
    const dialog = phone.getByText(`的预约 ${number} 吗？`, { exact: false });
    await dialog.waitFor();
    await s.shot('cancel asked');
    await button(phone, '确定取消').click();
    await sees(phone, '已取消预约');
    // Finding 10: the banner is brought into view after the tap at the bottom.
    await s.page.waitForTimeout(400);
    expect(await inView(phone.getByText('已取消预约', { exact: true }))).toBe(true);
    await look('cancelled');

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
    // The page read my bookings, my standing and my 实名认证 state again (three calls: a pull-down asks
    // for all three, while a return within a minute reuses the remembered 实名认证 answer), then ended
    // the refresh.
    expect((await calls()) - before).toBe(3);
    expect(await pageText(s)).toContain(`${number} 已取消`);
    await look('my bookings after cancelling');

    expect((await bookingsOf(s, openid)).map((b) => [b.number, b.status])).toEqual([
      [number, 'cancelled'],
    ]);
  },
);

it('stops a wrong ID number at the form, says why, brings it into view, and books nothing', async () => {
  const openid = 'citizen-typo';
  const s = await open({ name: 'wrong-id-number', now: NOW, openid });
  const { phone } = s;
  await startBooking(s);
  await chooseSlot(s, '12月3日', '10:00-11:00');
  const good = person(2).idNumber;
  // One digit of the check character off: 18 digits, the right shape, a wrong GB 11643 check.
  const typo = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
  await fillForm(s, person(2, { idNumber: typo }));
  await s.shot('check digit message');

  await button(phone, '下一步：核对信息').click();
  await sees(phone, '还有 1 处需要修改，请看红字提示');
  // Finding 6: the page goes to the wrong field, not left at the summary at the bottom.
  const message = phone.getByText('身份证号码校验位不正确，请逐位核对');
  await s.page.waitForTimeout(400);
  expect(await inView(message)).toBe(true);
  await s.shot('the wrong field in view');
  expect(await pageText(s)).toContain('到窗口办理的本人信息');
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
  await sees(phone, `原来的预约号 ${before} 会同时取消`);
  await s.shot('reschedule asked');
  await phone.getByRole('button', { name: '确认改约' }).click();

  await sees(phone, '改约成功');
  const after = await shownNumber(phone);
  expect(await pageText(s)).toContain('12月4日 周五14:30-15:30');
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

it('keeps a half-filled form across back and relaunch, asking before leaving it (finding 3)', async () => {
  const openid = 'citizen-draft';
  const s = await open({ name: 'draft-back-and-relaunch', now: NOW, openid });
  const { phone, page } = s;
  await startBooking(s);
  await chooseSlot(s, '12月3日', '10:00-11:00');
  const citizen = person(5, { name: '林晓梅' });
  await phone.getByPlaceholder('与身份证上一致').click();
  await phone.getByPlaceholder('与身份证上一致').pressSequentially(citizen.name);
  await button(phone, '身份证号，点按输入').click();
  for (const key of Array.from(citizen.idNumber)) await button(phone, key).click();
  await button(phone, '完成输入').waitFor({ state: 'hidden' });

  // Back asks first; 取消 stays on the form.
  await page.getByRole('button', { name: '返回' }).click();
  const ask = phone.getByRole('dialog');
  await ask.waitFor();
  expect(await ask.innerText()).toContain('确定离开？已填的内容会保留');
  await s.shot('leave asked');
  await ask.getByRole('button', { name: '取消' }).click();
  await sees(phone, '第 2 步，共 3 步：填写办理人');
  // 确定: back on step 1, where another period leads to the same form, filled.
  await page.getByRole('button', { name: '返回' }).click();
  await ask.getByRole('button', { name: '确定' }).click();
  await sees(phone, '第 1 步，共 3 步：选择日期和时段');
  await button(phone, /^11:00-12:00 /).click();
  await sees(phone, '12月3日 周四 11:00-12:00');
  expect(await pageText(s)).toContain(`身份证号 ${citizen.idNumber}`);
  expect(await phone.getByPlaceholder('与身份证上一致').inputValue()).toBe(citizen.name);
  await s.shot('back on the form');

  // WeChat closes the mini program (the toolbar's relaunch): the name comes back, the ID does not (R14).
  await page.getByRole('button', { name: '重新打开小程序' }).click();
  await sees(phone, '预约须知');
  await startBooking(s);
  await chooseSlot(s, '12月4日', '09:00-10:00');
  await sees(phone, '身份证号和手机号不保存在手机上，请重新输入');
  expect(await phone.getByPlaceholder('与身份证上一致').inputValue()).toBe(citizen.name);
  expect(await pageText(s)).not.toContain(citizen.idNumber);
  expect(await s.inPhone(`JSON.stringify(localStorage)`)).not.toContain(citizen.idNumber);
  await s.shot('after relaunch');
});
