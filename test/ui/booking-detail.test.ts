/**
 * One booking's page: the map link, the QR pass (a token, never the ID), cancel and reschedule with
 * their confirmation and the cutoff (R8), the states of loading it, and the window's progress once
 * checked in (issue 13).
 */
import type { Booking } from '../../typings/api';
import { qrMatrix } from '../../miniprogram/utils/qr';
import {
  actAs,
  answerSubscribe,
  callAs,
  callBooking,
  failNext,
  inCloud,
  setClock,
  useLocalCloud,
} from './support/cloud';
import { ERROR_MESSAGES } from '../../server/shared/errors';
import { asInput, newPerson } from './support/people';
import {
  find,
  findAll,
  findByText,
  lastUrl,
  loaded,
  open,
  newUser,
  tap,
  textOf,
  waitFor,
  type Node,
} from './support/user';
import type { RenderedPage } from './support/simulate';
import { grantStaff } from './support/staff';

useLocalCloud('2026-12-01T10:00');

let openid = '';

beforeEach(() => {
  openid = newUser('detail-user');
});

/** A booking made beforehand (not on this phone's pages), as `openid`. */
async function booked(date: string, periodId: string, idNumber?: string): Promise<Booking> {
  const person = newPerson(idNumber ? { idNumber } : {});
  const answer = await callBooking<{ ok: boolean; data: Booking }>(openid, {
    action: 'book',
    serviceId: 'siming-violation',
    date,
    periodId,
    person: asInput(person),
    requestId: `detail-${openid}-${date}-${periodId}`,
  });
  if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer)}`);
  return answer.data;
}

async function mine(): Promise<Booking[]> {
  const answer = await callBooking<{ ok: true; data: { bookings: Booking[] } }>(openid, {
    action: 'mine',
  });
  return answer.data.bookings;
}

async function openBooking(id: string): Promise<RenderedPage> {
  const page = open(`/pages/booking-detail/index?id=${id}`);
  await loaded(page);
  return page;
}

function dialogOf(page: Node): Node {
  return find(page, '.confirm-dialog');
}

it('loads the booking, links the office to the map and shows the pass of its token', async () => {
  const booking = await booked('2026-12-02', 'am2');
  const { comp } = await openBooking(booking.id);
  expect(comp.querySelector('.banner')).toBeUndefined();
  expect(textOf(find(comp, '.ticket'))).toBe(
    `预约号 已预约 ${booking.number} 12月2日 周三 10:00-11:00 请在 09:55 前到达，过号作废`,
  );
  // The office card's row comes with the catalogue, read beside the booking: wait for both.
  await waitFor(() =>
    expect(textOf(find(comp, '.place'))).toBe(
      '思明交警大队 · 交通违法处理 福建省厦门市思明区（演示地址，以现场公告为准） · 点击查看地图和导航 ' +
        '添加到手机日历 办公时间、电话和办事指南 没有订阅提醒，请自己记好时间 开启提醒',
    ),
  );
  await tap(find(comp, '.map'));
  expect(wx.openLocation).toHaveBeenCalledWith({
    latitude: 24.4798,
    longitude: 118.0894,
    name: '思明交警大队',
    address: '福建省厦门市思明区（演示地址，以现场公告为准）',
    scale: 16,
  });
  // The pass is the booking's random token, drawn module by module; never the ID number (R14).
  const pass = find(comp, '.qr-pass');
  expect(pass.data.rows).toEqual(qrMatrix(booking.passToken).rows);
  expect(booking.passToken).not.toContain(booking.idMasked.slice(-4));
  expect(findAll(pass, '.qr-row')).toHaveLength(qrMatrix(booking.passToken).size);
  expect(textOf(find(comp, '.materials'))).toBe(
    '请带齐材料： 身份证（当事人本人居民身份证）、驾驶证、行驶证',
  );
});

it('puts the pass right under the number and enlarges it for the scanner (finding 10)', async () => {
  const booking = await booked('2026-12-02', 'pm1');
  const { comp } = await openBooking(booking.id);
  const sections = findAll(comp, '.section').map((n) => n.dom?.getAttribute('class') ?? '');
  expect(sections.slice(0, 2)).toEqual([
    expect.stringContaining('ticket'),
    expect.stringContaining('pass'),
  ]);
  expect(comp.querySelector('.pass-large')).toBeUndefined();
  await tap(find(comp, '.pass-box'));
  const large = find(comp, '.pass-large');
  expect(textOf(large)).toBe(`${booking.number} 请把手机交给窗口工作人员扫码 · 点任意处收起`);
  expect(find(comp, '.qr-pass-large').data.rows).toEqual(qrMatrix(booking.passToken).rows);
  expect(find(comp, '.qr-pass-large').data.large).toBe(true);
  await tap(large);
  expect(comp.querySelector('.pass-large')).toBeUndefined();
});

it('adds the appointment to the phone calendar, arriving 5 minutes early (R9)', async () => {
  const booking = await booked('2026-12-03', 'pm2');
  const { comp } = await openBooking(booking.id);
  await tap(find(comp, '.calendar'));
  expect(wx.addPhoneCalendar).toHaveBeenCalledWith(
    expect.objectContaining({
      title: `交警窗口预约 ${booking.number}`,
      // 15:25 and 16:30 on 3 December, China time, in unix seconds.
      startTime: Date.parse('2026-12-03T15:25:00+08:00') / 1000,
      endTime: String(Date.parse('2026-12-03T16:30:00+08:00') / 1000),
      location: '思明交警大队 福建省厦门市思明区（演示地址，以现场公告为准）',
      alarm: true,
      alarmOffset: 3600,
    }),
  );
  await waitFor(() =>
    expect(textOf(find(comp, '.calendar-note'))).toBe('已添加到手机日历，开始前 1 小时提醒'),
  );
});

it('shows the person only on demand, masked as the server sends it (R14)', async () => {
  const booking = await booked('2026-12-04', 'pm2');
  const { comp } = await openBooking(booking.id);
  expect(textOf(find(comp, '.person'))).toBe(`办理人 ${booking.name} 展开`);
  await tap(find(comp, '.person-head'));
  expect(textOf(find(comp, '.person'))).toBe(
    `办理人 ${booking.name} 收起 姓名 ${booking.name} 身份证号 ${booking.idMasked} ` +
      `手机号 ${booking.phoneMasked} 违法类别 电子监控类 车牌号 ${booking.plate}`,
  );
});

it('cancels only after the confirmation: 再想想 keeps the booking', async () => {
  const booking = await booked('2026-12-02', 'am3');
  const { comp } = await openBooking(booking.id);
  await tap(find(comp, '.cancel'));
  await waitFor(() => expect(textOf(dialogOf(comp))).toContain('取消后这个号会让给别人'));
  await tap(findByText(dialogOf(comp), '.van-dialog__button', '再想想'));
  await waitFor(() => expect(comp.data.dialogShow).toBe(false));
  const calls = (wx.cloud.callFunction as jest.Mock).mock.calls as [{ data: { action: string } }][];
  expect(calls.map(([o]) => o.data.action)).not.toContain('cancel');
  expect((await mine()).map((b) => b.status)).toEqual(['booked']);
});

it('after cancelling, brings the 已取消预约 banner into view (finding 10)', async () => {
  const booking = await booked('2026-12-07', 'pm1');
  const { comp } = await openBooking(booking.id);
  await tap(find(comp, '.cancel'));
  await waitFor(() => expect(textOf(dialogOf(comp))).toContain(booking.number));
  await tap(findByText(dialogOf(comp), '.van-dialog__button', '确定取消'));
  await waitFor(() => expect(textOf(find(comp, '.banner'))).toBe('已取消预约'));
  expect(wx.pageScrollTo).toHaveBeenLastCalledWith(expect.objectContaining({ scrollTop: 0 }));
  expect((await mine()).map((b) => b.status)).toEqual(['cancelled']);
});

it('reschedules to another day after the confirmation (R8), the old number released', async () => {
  const old = await booked('2026-12-03', 'am1');
  const { comp } = await openBooking(old.id);
  await tap(find(comp, '.reschedule'));
  expect(lastUrl('navigateTo')).toBe(
    `/pages/slot/index?reschedule=${old.id}&serviceId=siming-violation`,
  );
  const slot = open(lastUrl('navigateTo'));
  await loaded(slot);
  expect(textOf(find(slot.comp, '.original'))).toBe(
    `正在改约 原预约：${old.number} · 12月3日 周四 09:00-10:00`,
  );
  await tap(findByText(slot.comp, '.day', '12月4日'));
  await tap(findByText(slot.comp, '.period', '11:00-12:00'));
  const dialog = dialogOf(slot.comp);
  await waitFor(() =>
    expect(textOf(dialog)).toBe(
      `确认改约 改到 12月4日 周五 11:00-12:00？ 原来的预约号 ${old.number} 会同时取消。 再想想 确认改约`,
    ),
  );
  await tap(findByText(dialog, '.van-dialog__button', '确认改约'));
  // The moved booking as the only page: back cannot reopen the old one's steps.
  await waitFor(() => expect(lastUrl('reLaunch')).toMatch(/fresh=rescheduled$/));
  const next = open(lastUrl('reLaunch'));
  await loaded(next);
  expect(textOf(find(next.comp, '.banner'))).toBe('改约成功');
  // A number of the 11:00 period (A021–A030, R4): the smallest free one, or one of the few smallest while
  // other bookings of that day were made moments ago (earlier tests, on the same emulated minute).
  const ticket = textOf(find(next.comp, '.ticket'));
  const number = /^预约号 已预约 (A0(2[1-9]|30)) /.exec(ticket)?.[1] ?? '';
  expect(ticket).toBe(
    `预约号 已预约 ${number} 12月4日 周五 11:00-12:00 请在 10:55 前到达，过号作废`,
  );
  expect((await mine()).map((b) => `${b.number} ${b.date} ${b.status}`).sort()).toEqual([
    `${old.number} 2026-12-03 cancelled`,
    `${number} 2026-12-04 booked`,
  ]);
});

it('a reschedule refused to a suspended account says so in Chinese, until when (R15)', async () => {
  const old = await booked('2026-12-03', 'am2');
  // The account was suspended for no-shows of bookings it made for others, until 12月20日 09:00.
  await inCloud(
    async (cloud, args) => {
      await cloud
        .database()
        .collection('accounts')
        .add({ data: { _id: args.openid, noShows: [], suspendedUntil: args.until } });
    },
    { openid, until: Date.UTC(2026, 11, 20, 1, 0) },
  );
  const { comp } = await openBooking(old.id);
  await tap(find(comp, '.reschedule'));
  const slot = open(lastUrl('navigateTo'));
  await loaded(slot);
  await tap(findByText(slot.comp, '.day', '12月4日'));
  await tap(findByText(slot.comp, '.period', '11:00-12:00'));
  await tap(findByText(dialogOf(slot.comp), '.van-dialog__button', '确认改约'));
  await waitFor(() =>
    expect(textOf(find(slot.comp, '.submit-error'))).toBe(
      `${ERROR_MESSAGES['BLACKLIST.ACCOUNT_SUSPENDED']}（至 12月20日 09:00）`,
    ),
  );
  // Nothing moved: the booking stands, and may still be cancelled.
  expect((await mine()).map((b) => `${b.id} ${b.status}`)).toContainEqual(`${old.id} booked`);
});

/** The slot page a tap on 改约 of booking `id` opens, loaded. */
async function rescheduleFrom(id: string): Promise<RenderedPage> {
  const { comp } = await openBooking(id);
  await tap(find(comp, '.reschedule'));
  const slot = open(lastUrl('navigateTo'));
  await loaded(slot);
  return slot;
}

async function confirmMove(slot: RenderedPage, day: string, period: string): Promise<void> {
  await tap(findByText(slot.comp, '.day', day));
  await tap(findByText(slot.comp, '.period', period));
  await tap(findByText(dialogOf(slot.comp), '.van-dialog__button', '确认改约'));
}

describe('a refused reschedule is not a dead end (R8, R17)', () => {
  it('refused by the churn limit: why and until when, the booking standing, and the way back to it', async () => {
    const old = await booked('2026-12-03', 'am2');
    // R17: five bookings made and cancelled by this account today; a reschedule is a sixth cancel.
    for (const [date, periodId] of [
      ['2026-12-02', 'am1'],
      ['2026-12-04', 'am1'],
      ['2026-12-07', 'am1'],
      ['2026-12-08', 'am1'],
      ['2026-12-02', 'pm1'],
    ] as const) {
      const made = await booked(date, periodId);
      await callBooking(openid, { action: 'cancel', bookingId: made.id });
    }
    const slot = await rescheduleFrom(old.id);
    await confirmMove(slot, '12月4日', '11:00-12:00');
    await waitFor(() =>
      expect(textOf(find(slot.comp, '.submit-error'))).toContain(
        `${ERROR_MESSAGES['BOOKING.CANCEL_LIMIT']}（至 12月2日 10:`,
      ),
    );
    expect(textOf(find(slot.comp, '.kept-text'))).toBe(
      `原预约 ${old.number} · 12月3日 周四 10:00-11:00 不变，仍然有效。`,
    );
    // No day would answer otherwise: none is offered; the ways on are the booking and 我的预约.
    expect(findAll(slot.comp, '.day')).toHaveLength(0);
    await tap(find(slot.comp, '.back-original'));
    expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 1 }));
    await tap(find(slot.comp, '.refused-mine'));
    expect(lastUrl('navigateTo')).toBe('/pages/mine/index');
    expect((await mine()).find((b) => b.id === old.id)?.status).toBe('booked');
  });

  it('refused by the cool-down of the day the person left: another day is offered and taken', async () => {
    const first = await booked('2026-12-02', 'am1');
    const moved = await callBooking<{ ok: true; data: Booking }>(openid, {
      action: 'reschedule',
      bookingId: first.id,
      date: '2026-12-03',
      periodId: 'am1',
    });
    const slot = await rescheduleFrom(moved.data.id);
    await confirmMove(slot, '12月2日', '09:00-10:00');
    await waitFor(() =>
      expect(textOf(find(slot.comp, '.submit-error'))).toContain(
        ERROR_MESSAGES['BOOKING.REBOOK_COOLDOWN'],
      ),
    );
    expect(textOf(find(slot.comp, '.kept-text'))).toBe(
      `原预约 ${moved.data.number} · 12月3日 周四 09:00-10:00 不变，仍然有效。`,
    );
    expect(textOf(find(slot.comp, '.refused-hint'))).toBe('可以改选其他日期或时段，或返回原预约。');
    expect(slot.comp.querySelector('.refused-mine')).toBeUndefined();
    // Another day: the refusal goes, and the move is made.
    await confirmMove(slot, '12月4日', '09:00-10:00');
    expect(slot.comp.querySelector('.refused')).toBeUndefined();
    await waitFor(() => expect(lastUrl('reLaunch')).toMatch(/fresh=rescheduled$/));
    expect((await mine()).filter((b) => b.status === 'booked').map((b) => b.date)).toEqual([
      '2026-12-04',
    ]);
  });
});

it('answers a booking that is not this account’s like a missing one, without a retry', async () => {
  const booking = await booked('2026-12-07', 'am1');
  actAs('someone-else');
  const page = open(`/pages/booking-detail/index?id=${booking.id}`);
  await loaded(page);
  expect(textOf(page.comp)).toBe('未找到该预约');
});

it('offers a retry when the booking cannot load', async () => {
  const booking = await booked('2026-12-07', 'am2');
  failNext('offline');
  const page = open(`/pages/booking-detail/index?id=${booking.id}`);
  await loaded(page);
  expect(textOf(page.comp)).toBe('网络不给力，请检查网络后重试 重试');
  await tap(find(page.comp, '.page-state', '.state-retry'));
  await loaded(page);
  expect(textOf(find(page.comp, '.ticket'))).toContain(booking.number);
});

// Last: it moves the clock on.
it('explains the cutoff, and once it has passed offers neither cancel nor reschedule (R8)', async () => {
  const booking = await booked('2026-12-02', 'am1');
  const { comp } = await openBooking(booking.id);
  expect(textOf(find(comp, '.change'))).toBe(
    '12月2日 08:00 前可以取消或改约。不来又不取消，记一次未到场。',
  );
  // The cutoff passes while the page is open: the server refuses, the page says why and updates.
  await setClock('2026-12-02T08:30');
  await tap(find(comp, '.cancel'));
  await waitFor(() => expect(textOf(dialogOf(comp))).toContain(booking.number));
  await tap(findByText(dialogOf(comp), '.van-dialog__button', '确定取消'));
  await waitFor(() => expect(textOf(find(comp, '.action-error'))).toBe('已超过可取消或改约的时间'));
  await waitFor(() =>
    expect(textOf(find(comp, '.change'))).toBe(
      '已过取消时间（12月2日 08:00），不能再取消或改约。请按时到场。',
    ),
  );
  expect(comp.querySelector('.cancel')).toBeUndefined();
  expect(comp.querySelector('.reschedule')).toBeUndefined();
  expect((await mine()).map((b) => b.status)).toEqual(['booked']);
});

// Last, after the cutoff test: it moves the clock to the booked day.
it('follows the window once checked in: 签到 → 叫号 → 办理 → 办结, or 过号 (issue 13)', async () => {
  const served = await booked('2026-12-03', 'am1');
  const missed = await booked('2026-12-03', 'am2', newPerson().idNumber);
  const window = 'detail-window';
  await grantStaff(window);
  const staff = async (data: Record<string, unknown>): Promise<void> => {
    const res = await callAs<{ ok: boolean; error?: unknown }>('staff', window, data);
    if (!res.ok) throw new Error(`the window failed: ${JSON.stringify(res.error)}`);
  };
  await setClock('2026-12-03T08:50');
  await staff({ action: 'checkIn', passToken: served.passToken });

  const page = await openBooking(served.id);
  const progress = (): string => textOf(find(page.comp, '.progress'));
  const steps = (): string[] =>
    findAll(page.comp, '.step').map(
      (s) => `${textOf(s)}:${String(s.dom?.className).replace(/.*step-/, '')}`,
    );
  expect(progress()).toBe(
    '窗口办理进度 签到 08:50 叫号 办理 办结 已签到，请在大厅等候叫号，叫号时不在即过号',
  );
  expect(steps()).toEqual(['签到 08:50:current', '叫号:todo', '办理:todo', '办结:todo']);
  // Still shown at the window's scanner until it is called.
  expect(find(page.comp, '.qr-pass').data.rows).not.toEqual([]);

  // Called while waiting: pulling down shows it.
  await staff({ action: 'call', bookingId: served.id });
  (page.page.onPullDownRefresh as () => void).call(page.page);
  await waitFor(() => expect(progress()).toContain('正在叫您的号，请马上到窗口办理'));
  expect(textOf(find(page.comp, '.ticket-status'))).toBe('叫号中');
  expect(steps()).toEqual(['签到 08:50:done', '叫号:current', '办理:todo', '办结:todo']);
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();

  await staff({ action: 'serve', bookingId: served.id });
  await setClock('2026-12-03T09:20');
  await staff({ action: 'finish', bookingId: served.id });
  (page.page.onShow as () => void).call(page.page);
  await waitFor(() => expect(textOf(find(page.comp, '.ticket-status'))).toBe('已办结'));
  expect(steps()).toEqual(['签到 08:50:done', '叫号:done', '办理:done', '办结 09:20:done']);
  expect(progress()).toContain('业务已办结，谢谢');

  // The other one never answers its three calls: 过号, and what it means.
  await setClock('2026-12-03T09:55');
  await staff({ action: 'checkIn', passToken: missed.passToken });
  for (let i = 0; i < 3; i += 1) await staff({ action: 'call', bookingId: missed.id });
  await staff({ action: 'miss', bookingId: missed.id });
  const gone = await openBooking(missed.id);
  expect(textOf(find(gone.comp, '.ticket-status'))).toBe('已过号');
  expect(textOf(find(gone.comp, '.progress'))).toBe(
    '窗口办理进度 叫号时您不在窗口，已过号，本次预约作废。如预约时段还没结束，请到窗口找工作人员。',
  );
  expect(gone.comp.querySelector('.qr-pass')).toBeUndefined();
});

describe('issue 12 findings 8 and 9 on the booking', () => {
  // Earlier tests move the clock to the appointment days.
  beforeEach(() => setClock('2026-12-01T10:00'));

  it('开启提醒: a booking without consent asks it again from its page, and says at what time it comes', async () => {
    // booked() sends no `subscribed`: the consent sheet was refused (取消) when booking.
    const booking = await booked('2026-12-04', 'am1');
    expect(booking.reminder).toBe('not_subscribed');
    answerSubscribe('reject');
    const { comp } = await openBooking(booking.id);
    await waitFor(() => find(comp, '.remind'));
    expect(textOf(find(comp, '.reminder'))).toBe('没有订阅提醒，请自己记好时间');
    await tap(find(comp, '.remind'));
    await waitFor(() =>
      expect(textOf(find(comp, '.remind-note'))).toContain('没有允许，提醒未开启'),
    );
    answerSubscribe('accept');
    await tap(find(comp, '.remind'));
    await waitFor(() =>
      expect(textOf(find(comp, '.reminder'))).toBe('已订阅提醒，办理前一天 18:00 会通过微信提醒您'),
    );
    expect(comp.querySelector('.remind')).toBeUndefined();
    expect((await mine()).map((b) => b.reminder)).toEqual(['pending']);
  });

  it('开启提醒 after a reschedule: the moved booking without consent offers it again (finding 9)', async () => {
    const old = await booked('2026-12-03', 'am1');
    const moved = await callBooking<{ ok: boolean; data: Booking }>(openid, {
      action: 'reschedule',
      bookingId: old.id,
      date: '2026-12-07',
      periodId: 'am2',
    });
    if (!moved.ok) throw new Error(`arranging failed: ${JSON.stringify(moved)}`);
    expect(moved.data.reminder).toBe('not_subscribed');
    answerSubscribe('accept');
    const { comp } = await openBooking(moved.data.id);
    await waitFor(() => find(comp, '.remind'));
    await tap(find(comp, '.remind'));
    await waitFor(() =>
      expect(textOf(find(comp, '.reminder'))).toBe('已订阅提醒，办理前一天 18:00 会通过微信提醒您'),
    );
    const reminders = (await mine()).map(
      (b) => `${b.id === moved.data.id ? 'new' : 'old'} ${b.reminder}`,
    );
    expect(reminders).toContain('new pending');
  });

  it('shows the office card and 办事指南 on demand: hours, phone to call, directions, what to settle first', async () => {
    const booking = await booked('2026-12-04', 'am2');
    const { comp } = await openBooking(booking.id);
    await waitFor(() => find(comp, '.guide-head'));
    expect(comp.querySelector('.office-card')).toBeUndefined();
    await tap(find(comp, '.guide-head'));
    const card = find(comp, '.office-card');
    const text = textOf(card);
    for (const part of [
      '办公时间',
      '周一至周五',
      '0592-0000000',
      '交通停车',
      '窗口可以办理',
      '来之前先办好',
      '今天要办或没有预约',
    ])
      expect(text).toContain(part);
    await tap(find(card, '.card-phone'));
    expect(wx.makePhoneCall).toHaveBeenCalledWith(
      expect.objectContaining({ phoneNumber: '0592-0000000' }),
    );
    await tap(find(card, '.card-address'));
    expect(wx.openLocation).toHaveBeenCalledWith(
      expect.objectContaining({ name: '思明交警大队', latitude: 24.4798 }),
    );
  });
});
