/**
 * The confirming tap (R13, R5, R4): the reminder consent is asked synchronously inside the tap and the
 * booking is made whatever the answer; a double tap or a retry after a network error never books twice.
 */
import type { Booking } from '../../typings/api';
import {
  answerSubscribe,
  callBooking,
  consents,
  failNext,
  useLocalCloud,
  TEMPLATES,
} from './support/cloud';
import { reachConfirm } from './support/flow';
import { asInput, newPerson } from './support/people';
import { bookOthers } from './support/scene';
import {
  find,
  lastUrl,
  loaded,
  open,
  newUser,
  tap,
  textOf,
  waitFor,
  type Node,
} from './support/user';
import { simulate } from './support/simulate';

useLocalCloud('2026-12-01T10:00');

let openid = '';

beforeEach(() => {
  openid = newUser('confirm-user');
  answerSubscribe('accept');
});

type CallMock = jest.Mock<
  unknown,
  [{ name: string; data: { action: string; requestId?: string } }]
>;

/** The `book` calls the pages made, in order. */
function bookCalls(): { action: string; requestId?: string }[] {
  return (wx.cloud.callFunction as unknown as CallMock).mock.calls
    .map(([options]) => options.data)
    .filter((data) => data.action === 'book');
}

async function mine(): Promise<Booking[]> {
  const answer = await callBooking<{ ok: true; data: { bookings: Booking[] } }>(openid, {
    action: 'mine',
  });
  return answer.data.bookings;
}

async function bookedPage(): Promise<Node> {
  // The booking as the only page: going back cannot reopen the steps (finding 1).
  await waitFor(() => expect(lastUrl('reLaunch')).toMatch(/^\/pages\/booking-detail\/index\?id=/));
  const page = open(lastUrl('reLaunch'));
  await loaded(page);
  return page.comp;
}

it('asks for the reminder consent synchronously inside the tap, before anything is sent', async () => {
  const confirm = await reachConfirm(newPerson(), '12月2日', '09:00-10:00');
  const onConfirm = confirm.page.onConfirm as () => void;
  onConfirm.call(confirm.page);
  // No await between the tap handler and the request: WeChat refuses it after one.
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
  // A second tap before the answer (WeChat renders the spinner later than this) does nothing.
  onConfirm.call(confirm.page);
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
  expect(wx.requestSubscribeMessage).toHaveBeenCalledWith(
    expect.objectContaining({ tmplIds: [TEMPLATES.reminder] }),
  );
  expect(bookCalls()).toHaveLength(0);
  const page = await bookedPage();
  expect(bookCalls()).toEqual([expect.objectContaining({ subscribed: true })]);
  expect(textOf(find(page, '.reminder'))).toBe('已订阅提醒，办理前一天 18:00 会通过微信提醒您');
  expect((await mine()).map((b) => b.reminder)).toEqual(['pending']);
});

it.each([
  ['refuses', 'reject'],
  ['has turned subscriptions off', 'fail'],
] as const)('books all the same when the citizen %s', async (_what, answer) => {
  answerSubscribe(answer);
  const confirm = await reachConfirm(newPerson(), '12月2日', '10:00-11:00');
  await tap(find(confirm.comp, '.confirm'));
  const page = await bookedPage();
  expect(textOf(find(page, '.banner'))).toBe('预约成功');
  expect(textOf(find(page, '.reminder'))).toBe('没有订阅提醒，请自己记好时间');
  expect(bookCalls()).toEqual([expect.objectContaining({ subscribed: false })]);
  expect((await mine()).map((b) => b.reminder)).toEqual(['not_subscribed']);
  expect((await consents()).filter((c) => c.openid === openid)).toEqual([]);
});

it('books once on a double tap', async () => {
  const confirm = await reachConfirm(newPerson(), '12月3日', '09:00-10:00');
  const button = find(confirm.comp, '.confirm', '.van-button');
  button.dispatchEvent('tap');
  button.dispatchEvent('tap');
  await simulate.sleep(0);
  await bookedPage();
  await simulate.sleep(200);
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
  expect(bookCalls()).toHaveLength(1);
  expect(wx.reLaunch).toHaveBeenCalledTimes(1);
  expect(await mine()).toHaveLength(1);
});

it.each([
  ['the answer was lost on the way back', 'lost'],
  ['the request never left the phone', 'offline'],
] as const)('offers a retry when %s, and the retry books once', async (_what, fault) => {
  const confirm = await reachConfirm(newPerson(), '12月3日', '11:00-12:00');
  failNext(fault);
  await tap(find(confirm.comp, '.confirm'));
  await waitFor(() =>
    expect(textOf(find(confirm.comp, '.actions-bar'))).toBe('网络不给力，请检查网络后重试 重试'),
  );
  expect(wx.reLaunch).not.toHaveBeenCalled();
  await tap(find(confirm.comp, '.confirm'));
  const page = await bookedPage();
  // The consent is not asked twice; both attempts carry the same request id.
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
  const calls = bookCalls();
  expect(calls).toHaveLength(2);
  expect(calls[1]?.requestId).toBe(calls[0]?.requestId);
  const bookings = await mine();
  expect(bookings).toHaveLength(1);
  expect(textOf(find(page, '.ticket'))).toContain(`预约号 已预约 ${bookings[0]?.number ?? '?'}`);
});

it('sends the citizen back to choose again when the period filled up meanwhile (R4)', async () => {
  const confirm = await reachConfirm(newPerson(), '12月7日', '15:30-16:30');
  await bookOthers(10, '2026-12-07', 'pm2');
  await tap(find(confirm.comp, '.confirm'));
  await waitFor(() =>
    expect(textOf(find(confirm.comp, '.actions-bar'))).toBe(
      '该时段已约满，请选择其他时段 重新选择日期时段',
    ),
  );
  // Back over the person form to step 1 (the form keeps what was typed).
  await tap(find(confirm.comp, '.remedy'));
  expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 2 }));
  expect(await mine()).toEqual([]);
});

it('refuses a person another account booked that day with the neutral answer (R5, R16), and leads back to the day or to 实名认证', async () => {
  const person = newPerson();
  // Booked by another account: the form's precheck says nothing of it, and the booking's refusal tells
  // this account nothing about the person either (R16: it is not the ID's verified holder, nor holds the
  // booking), only that this day cannot be booked for that ID.
  await callBooking(`${openid}-other`, {
    action: 'book',
    serviceId: 'siming-violation',
    date: '2026-12-08',
    person: asInput(person),
    requestId: `first-${openid}`,
  });
  const confirm = await reachConfirm(person, '12月8日', '14:30-15:30');
  await tap(find(confirm.comp, '.confirm'));
  await waitFor(() =>
    expect(textOf(find(confirm.comp, '.actions-bar'))).toBe(
      '该证件号码暂不能预约此日，请核对证件号码或选择其他日期；如是您本人的证件，可在“我的”完成实名认证后查看原因 重新选择日期时段 是您本人的证件？去实名认证',
    ),
  );
  // The ID may be the citizen's own (issue 15): verified, they are told why (R15, R16).
  await tap(find(confirm.comp, '.identity-link'));
  expect(lastUrl('navigateTo')).toBe('/pages/identity/index');
  await tap(find(confirm.comp, '.remedy'));
  expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 2 }));
  expect(await mine()).toEqual([]);
});

it('says the account reached its 3 active bookings meanwhile (R5), though step 1 allowed it', async () => {
  const confirm = await reachConfirm(newPerson(), '12月7日', '09:00-10:00');
  // Booked from elsewhere (a second phone on the same WeChat account) while this one was confirming.
  for (const date of ['2026-12-02', '2026-12-03', '2026-12-04']) {
    await callBooking(openid, {
      action: 'book',
      serviceId: 'siming-violation',
      date,
      person: asInput(newPerson()),
      requestId: `limit-${openid}-${date}`,
    });
  }
  await tap(find(confirm.comp, '.confirm'));
  await waitFor(() =>
    expect(textOf(find(confirm.comp, '.actions-bar'))).toBe(
      '本微信号的有效预约已达上限，请先办理或取消已有预约 查看我的预约',
    ),
  );
});

it('shows every value in full for checking, the ID in 6-8-4 groups (finding 5), and the promise', async () => {
  const person = newPerson({ name: '陈建国', category: '营运类' });
  const confirm = await reachConfirm(person, '12月3日', '10:00-11:00');
  const id = person.idNumber;
  const phone = person.phone;
  expect(textOf(find(confirm.comp, '.person'))).toBe(
    `办理人（请逐位核对） 姓名 陈建国 身份证号 ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)} ` +
      `手机号 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)} 违法类别 营运类 车牌号 ${person.plate}`,
  );
  expect(textOf(find(confirm.comp, '.promise'))).toBe(
    '点“确认预约”即表示本人承诺以上信息真实有效，信息不实窗口将不予办理。',
  );
  expect(textOf(find(confirm.comp, '.step-hint'))).toBe('第 3 步，共 3 步：核对后确认');
});

it('leads back to the form when WeChat has dropped what was entered, never to a dead end (finding 1)', async () => {
  const confirm = open('/pages/confirm/index');
  await loaded(confirm);
  expect(textOf(confirm.comp)).toBe('页面放得太久，填写的信息已清除 继续填写');
  await tap(find(confirm.comp, '.expired .action'));
  expect(lastUrl('redirectTo')).toBe('/pages/service/index');
});

it('says until when an account probing IDs is slowed (R16), and leads home', async () => {
  // Five people booked Friday by other accounts; this account tries each: five neutral answers.
  const taken = Array.from({ length: 5 }, () => newPerson());
  for (const [i, person] of taken.entries()) {
    const answer = await callBooking<{ ok: boolean }>(`${openid}-other-${String(i % 2)}`, {
      action: 'book',
      serviceId: 'siming-violation',
      date: '2026-12-04',
      person: asInput(person),
      requestId: `slowed-other-${openid}-${String(i)}`,
    });
    expect(answer.ok).toBe(true);
  }
  for (const [i, person] of taken.entries()) {
    const answer = await callBooking<{ ok: boolean; error: { code: string } }>(openid, {
      action: 'book',
      serviceId: 'siming-violation',
      date: '2026-12-04',
      person: asInput(person),
      requestId: `slowed-${openid}-${String(i)}`,
    });
    expect(answer.error.code).toBe('BOOKING.PERSON_UNAVAILABLE');
  }
  // Now any ID, on any day: slowed until the next China midnight, said with the time.
  const confirm = await reachConfirm(newPerson(), '12月7日', '09:00-10:00');
  await tap(find(confirm.comp, '.confirm'));
  await waitFor(() =>
    expect(textOf(find(confirm.comp, '.actions-bar'))).toBe(
      '本微信号今天多次提交了无法预约的证件号码，暂停预约（至 12月2日 00:00） 返回首页',
    ),
  );
  await tap(find(confirm.comp, '.remedy'));
  expect(wx.reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index' }));
  expect(await mine()).toEqual([]);
});
