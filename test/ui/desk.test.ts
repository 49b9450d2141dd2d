/**
 * A morning at the window (issue 13, R9), through the staff desk rendered with real Vant against the
 * local cloud and the real `staff` function: today's list by period, scanning a citizen's pass, checking
 * in a citizen without a phone by number, next, call again, serving, served, missed after the last call,
 * requeue — each confirmed where a mistake would hurt —, and what the citizen's own page then says. Also:
 * the refresh while the desk is shown, a scan that is not a pass, an account without the role.
 */
import type { Booking } from '../../typings/api';
import { actAs, callBooking, failNext, setClock, useLocalCloud } from './support/cloud';
import { asInput, newPerson, type TestPerson } from './support/people';
import { nextScan } from './support/scan';
import type { RenderedPage } from './support/simulate';
import { grantStaff, revokeStaff } from './support/staff';
import {
  find,
  findAll,
  findByText,
  loaded,
  newUser,
  open,
  tap,
  textOf,
  typeInto,
  waitFor,
  type Node,
} from './support/user';

// Tuesday 1 December 2026, 10:00: citizens book Wednesday's numbers (never the same day, R2).
useLocalCloud('2026-12-01T10:00');

const DAY = '2026-12-02';

/** A citizen books `periodId` of DAY on their own phone (their own OPENID). */
async function books(openid: string, person: TestPerson, periodId: string): Promise<Booking> {
  const answer = await callBooking<{ ok: boolean; data: Booking; error?: unknown }>(openid, {
    action: 'book',
    serviceId: 'siming-violation',
    date: DAY,
    periodId,
    person: asInput(person),
    requestId: `desk-${openid}-${periodId}`,
  });
  if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

async function statusOf(openid: string, bookingId: string): Promise<string> {
  const answer = await callBooking<{ ok: boolean; data: Booking }>(openid, {
    action: 'detail',
    bookingId,
  });
  return answer.data.status;
}

function staffCalls(): { action: string }[] {
  const calls = (wx.cloud.callFunction as jest.Mock).mock.calls as [
    { name: string; data: { action: string } },
  ][];
  return calls.filter(([o]) => o.name === 'staff').map(([o]) => ({ action: o.data.action }));
}

/** The desk, once its first reads are answered (the staff function may start cold: give it time). */
async function openDesk(): Promise<RenderedPage> {
  const desk = open('/staff/pages/desk/index');
  await waitFor(() => expect(desk.page.data.loading).toBe(false), 20_000);
  await loaded(desk);
  return desk;
}

function row(desk: Node, label: string): Node {
  return find(desk, `.queue .row-${label}`);
}

function current(desk: Node): string {
  return textOf(find(desk, '.current'));
}

function notice(desk: Node): string {
  return textOf(find(desk, '.notice'));
}

/** Taps a row's button; `where`: the list (`.queue`) or the citizens being called (`.current`). */
async function press(desk: Node, label: string, action: string, where = '.queue'): Promise<void> {
  await tap(find(desk, `${where} .row-${label} .act-${action}`));
}

async function confirm(desk: Node, button: string): Promise<string> {
  const dialog = find(desk, '.confirm-dialog');
  const text = await waitFor(() => {
    const t = textOf(dialog);
    if (!t.includes(button)) throw new Error(`no ${button} yet: ${t}`);
    return t;
  });
  await tap(findByText(dialog, '.van-dialog__button', button));
  await waitFor(() => expect(desk.data.dialogShow).toBe(false));
  return text;
}

describe('a morning at the window', () => {
  const citizens = {
    chen: { openid: 'citizen-chen', person: newPerson({ name: '陈建国' }) },
    lin: { openid: 'citizen-lin', person: newPerson({ name: '林晓梅' }) },
    wang: { openid: 'citizen-wang', person: newPerson({ name: '王芳' }) },
    zhao: { openid: 'citizen-zhao', person: newPerson({ name: '赵丽华' }) },
    sun: { openid: 'citizen-sun', person: newPerson({ name: '孙强' }) },
  };
  const booked = {} as Record<keyof typeof citizens, Booking>;
  let staff = '';

  const byNumber = (a: Booking, b: Booking): number => a.number.localeCompare(b.number);
  /** The name as the window sees it (R14). */
  const masked = (b: Booking): string =>
    ({ 陈建国: '陈*国', 林晓梅: '林*梅', 王芳: '王*', 赵丽华: '赵*华', 孙强: '孙*' })[b.name] ?? '';
  const owner = (b: Booking): string =>
    Object.values(citizens).find((c) => c.person.name === b.name)?.openid ?? '';

  beforeAll(async () => {
    // The day before: five citizens book (A001–A004 at 09:00, A011 at 10:00).
    booked.chen = await books(citizens.chen.openid, citizens.chen.person, 'am1');
    booked.lin = await books(citizens.lin.openid, citizens.lin.person, 'am1');
    booked.wang = await books(citizens.wang.openid, citizens.wang.person, 'am1');
    booked.zhao = await books(citizens.zhao.openid, citizens.zhao.person, 'am1');
    booked.sun = await books(citizens.sun.openid, citizens.sun.person, 'am2');
    // The morning: the hall opens at 08:40.
    await setClock(`${DAY}T08:40`);
  });

  beforeEach(async () => {
    staff = newUser('window');
    await grantStaff(staff);
  });

  it('runs the queue: list, scan, check in by number, next, serve, served, missed, requeue', async () => {
    const { chen, lin, wang } = booked;
    const { comp: desk, page } = await openDesk();
    expect(textOf(find(desk, '.head'))).toBe('交通违法处理 今天 12月2日 周三 · 共 5 个预约');
    expect(findAll(desk, '.filter').map(textOf)).toEqual([
      '全部 5',
      '待签到 5',
      '候叫 0',
      '叫号中 0',
      '办理中 0',
      '已办结 0',
      '过号 0',
      '取消/未到 0',
    ]);
    expect(findAll(desk, '.period-title').map(textOf)).toEqual([
      '09:00-10:00（4 个）',
      '10:00-11:00（1 个）',
    ]);
    // Numbers are the server's choice (R4); the list is in its order, period then number.
    expect(findAll(desk, '.queue .row').map((r) => textOf(r).slice(0, 4))).toEqual(
      [...Object.values(booked)].sort(byNumber).map((b) => b.number),
    );
    expect(textOf(row(desk, chen.number))).toBe(
      `${chen.number} 待签到 陈*国 09:00-10:00 · 电子监控类 签到`,
    );
    expect(current(desk)).toBe(
      '正在叫号和办理 没有正在叫号或办理的预约。点“叫下一位”叫已签到的市民。',
    );

    // 陈 shows the QR pass on their phone: scanned, checked in at once (the pass is the proof).
    nextScan({ text: chen.passToken });
    await tap(find(desk, '.scan'));
    await waitFor(() => expect(notice(desk)).toBe(`${chen.number} 陈*国 签到成功，请核对身份`));
    expect(wx.scanCode).toHaveBeenCalledWith(
      expect.objectContaining({ onlyFromCamera: true, scanType: ['qrCode'] }),
    );
    expect(textOf(row(desk, chen.number))).toBe(
      `${chen.number} 候叫 陈*国 09:00-10:00 · 电子监控类 签到 08:40 叫号`,
    );
    expect(await statusOf(citizens.chen.openid, chen.id)).toBe('checked_in');

    // 林 has no phone: found by number, checked in after the identity check the dialog asks for.
    await typeInto(find(desk, '.search'), lin.number.toLowerCase());
    expect(findAll(desk, '.queue .row').map((r) => textOf(r).slice(0, 4))).toEqual([lin.number]);
    await press(desk, lin.number, 'checkIn');
    expect(await confirm(desk, '核对无误，签到')).toBe(
      `按号码签到 请先核对办理人身份证件。 确定为 ${lin.number}（林*梅，09:00-10:00）签到吗？ 取消 核对无误，签到`,
    );
    await waitFor(() => expect(notice(desk)).toBe(`${lin.number} 林*梅 签到成功`));
    expect(await statusOf(citizens.lin.openid, lin.id)).toBe('checked_in');
    // The field's clear button (Vant's answers a touch, not a tap).
    find(desk, '.search', '.van-field__clear-root').dispatchEvent('touchstart');
    await waitFor(() => expect(findAll(desk, '.queue .row')).toHaveLength(5));

    // 王 scanned too; then the window calls in order: booked period first, then number.
    nextScan({ text: wang.passToken });
    await tap(find(desk, '.scan'));
    await waitFor(() => expect(notice(desk)).toBe(`${wang.number} 王* 签到成功，请核对身份`));
    // Sorting three bookings gives three bookings back; the tuple type says so.
    const [first, second, third] = [chen, lin, wang].sort(byNumber) as [Booking, Booking, Booking];

    await setClock(`${DAY}T09:00`);
    await tap(find(desk, '.next'));
    await waitFor(() =>
      expect(notice(desk)).toBe(`请 ${first.number} 号到窗口办理（${masked(first)}）`),
    );
    expect(current(desk)).toBe(
      `正在叫号和办理 ${first.number} 叫号中 ${masked(first)} 09:00-10:00 · 电子监控类 ` +
        `签到 08:40 · 叫号 09:00 开始办理 再次叫号（已叫 1/3） 过号`,
    );
    expect(find(desk, `.current .row-${first.number} .act-miss`).data.disabled).toBe(true);
    expect(await statusOf(owner(first), first.id)).toBe('called');
    await press(desk, first.number, 'serve', '.current');
    await waitFor(() => expect(notice(desk)).toBe(`${first.number} ${masked(first)} 开始办理`));
    expect(await statusOf(owner(first), first.id)).toBe('serving');
    await press(desk, first.number, 'finish', '.current');
    await waitFor(() => expect(notice(desk)).toBe(`${first.number} ${masked(first)} 已办结`));
    expect(await statusOf(owner(first), first.id)).toBe('served');

    await tap(find(desk, '.next'));
    await waitFor(() =>
      expect(notice(desk)).toBe(`请 ${second.number} 号到窗口办理（${masked(second)}）`),
    );
    await press(desk, second.number, 'serve', '.current');
    await waitFor(() => expect(notice(desk)).toBe(`${second.number} ${masked(second)} 开始办理`));
    await press(desk, second.number, 'finish', '.current');
    await waitFor(() => expect(notice(desk)).toBe(`${second.number} ${masked(second)} 已办结`));

    // The third does not come: called three times, then missed — the button works only after the
    // last call, and only after the confirmation (R9 过号无效).
    await tap(find(desk, '.next'));
    await waitFor(() =>
      expect(notice(desk)).toBe(`请 ${third.number} 号到窗口办理（${masked(third)}）`),
    );
    await press(desk, third.number, 'call', '.current');
    await waitFor(() =>
      expect(notice(desk)).toBe(`${third.number} ${masked(third)} 已叫号（第 2 次）`),
    );
    await press(desk, third.number, 'call', '.current');
    await waitFor(() =>
      expect(notice(desk)).toBe(`${third.number} ${masked(third)} 已叫号（第 3 次）`),
    );
    expect(find(desk, `.current .row-${third.number} .act-call`).data.disabled).toBe(true);
    await press(desk, third.number, 'miss', '.current');
    expect(await confirm(desk, '确定过号')).toBe(
      `标记过号 ${third.number}（${masked(third)}，09:00-10:00）已叫 3 次未到。 ` +
        '过号后本次预约作废，确定吗？ 取消 确定过号',
    );
    await waitFor(() => expect(notice(desk)).toBe(`${third.number} ${masked(third)} 已过号`));
    expect(await statusOf(owner(third), third.id)).toBe('missed');

    // Back before 10:00: requeued after the confirmation, to be called again.
    await press(desk, third.number, 'requeue');
    expect(await confirm(desk, '重新排队')).toContain('过号后回来了');
    await waitFor(() => expect(notice(desk)).toBe(`${third.number} ${masked(third)} 已重新排队`));
    expect(await statusOf(owner(third), third.id)).toBe('checked_in');
    await tap(find(desk, '.next'));
    await waitFor(() =>
      expect(notice(desk)).toBe(`请 ${third.number} 号到窗口办理（${masked(third)}）`),
    );
    // Nobody else is checked in: next says so.
    await tap(find(desk, '.next'));
    await waitFor(() => expect(notice(desk)).toBe('暂无已签到待叫号的预约'));

    expect(findAll(desk, '.filter').map(textOf)).toEqual([
      '全部 5',
      '待签到 2',
      '候叫 0',
      '叫号中 1',
      '办理中 0',
      '已办结 2',
      '过号 0',
      '取消/未到 0',
    ]);
    await tap(find(desk, '.filter-served'));
    expect(findAll(desk, '.queue .row').map(textOf)).toEqual(
      [first, second].map(
        (b) =>
          `${b.number} 已办结 ${masked(b)} 09:00-10:00 · 电子监控类 ` +
          `签到 08:40 · 叫号 09:00 · 办理 09:00 · 办结 09:00`,
      ),
    );
    (page.onUnload as () => void).call(page);

    // The citizen's own page: 已办结.
    actAs(owner(first));
    const mine = open('/pages/mine/index');
    await loaded(mine);
    expect(textOf(find(mine.comp, '.booking-item'))).toContain(`${first.number} 已办结`);
  });

  it('names this device’s window with each call, and remembers it on this device only', async () => {
    // The first test left its third citizen being called.
    const { comp: desk, page } = await openDesk();
    expect(textOf(find(desk, '.window'))).toBe('设置窗口号（叫号时播报）');
    await tap(find(desk, '.window'));
    const sheet = find(desk, '.window-sheet');
    await tap(await waitFor(() => findByText(sheet, '.van-action-sheet__item', '3号窗口')));
    await waitFor(() => expect(textOf(find(desk, '.window'))).toBe('本窗口：3号窗口'));
    expect(desk.data.windowSheet).toBe(false);

    await tap(find(desk, '.current .act-call'));
    await waitFor(() => expect(notice(desk)).toContain('已叫号'));
    const calls = (wx.cloud.callFunction as jest.Mock).mock.calls as [
      { name: string; data: Record<string, unknown> },
    ][];
    const call = calls
      .map(([o]) => o)
      .filter((o) => o.name === 'staff' && o.data.action === 'call');
    expect(call.at(-1)?.data.window).toBe('3号窗口');
    (page.onUnload as () => void).call(page);

    // The same device opens the desk again: the window is still chosen.
    const again = await openDesk();
    expect(textOf(find(again.comp, '.window'))).toBe('本窗口：3号窗口');
    // 不指定窗口 forgets it.
    await tap(find(again.comp, '.window'));
    await tap(
      findByText(find(again.comp, '.window-sheet'), '.van-action-sheet__item', '不指定窗口'),
    );
    await waitFor(() =>
      expect(textOf(find(again.comp, '.window'))).toBe('设置窗口号（叫号时播报）'),
    );
    (again.page.onUnload as () => void).call(again.page);
  });

  it('reads the day again while shown, and stops when hidden', async () => {
    const desk = await openDesk();
    const page = desk.page;
    // Every 5 s on the phone; faster here, the same timer.
    page.refreshMs = 100;
    (page.onShow as () => void).call(page);
    const reads = (): number => staffCalls().filter((c) => c.action === 'today').length;
    const first = reads();
    await waitFor(() => expect(reads()).toBeGreaterThanOrEqual(first + 2));
    (page.onHide as () => void).call(page);
    const stopped = reads();
    await new Promise((resolve) => setTimeout(resolve, 400));
    // At most the read that was already on its way.
    expect(reads()).toBeLessThanOrEqual(stopped + 1);

    (page.onPullDownRefresh as () => void).call(page);
    await waitFor(() => expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1));
    (page.onUnload as () => void).call(page);
  });

  it('refuses what is not a pass without asking the server, and says nothing when the scan is closed', async () => {
    const { comp: desk, page } = await openDesk();
    const before = staffCalls().length;
    nextScan({ text: 'https://example.com/promo' });
    await tap(find(desk, '.scan'));
    await waitFor(() =>
      expect(notice(desk)).toBe('这不是预约二维码，请扫市民预约详情页上的二维码'),
    );
    nextScan('cancel');
    await tap(find(desk, '.scan'));
    await waitFor(() => expect(desk.data.scanning).toBe(false));
    expect(notice(desk)).toBe('这不是预约二维码，请扫市民预约详情页上的二维码');
    nextScan('fail');
    await tap(find(desk, '.scan'));
    await waitFor(() => expect(notice(desk)).toBe('无法打开扫码，请检查相机权限，或按号码签到'));
    expect(staffCalls().length).toBe(before);
    (page.onUnload as () => void).call(page);
  });

  it('answers a second scan of the same pass with the table’s message', async () => {
    const { comp: desk, page } = await openDesk();
    // 陈 was checked in and served in the morning above.
    nextScan({ text: booked.chen.passToken });
    await tap(find(desk, '.scan'));
    await waitFor(() => expect(notice(desk)).toMatch(/^该预约已签到/));
    (page.onUnload as () => void).call(page);
  });

  it('offers a retry when the day cannot load', async () => {
    failNext('offline');
    const desk = open('/staff/pages/desk/index');
    await loaded(desk);
    expect(textOf(desk.comp)).toBe('网络不给力，请检查网络后重试 重试');
    await tap(find(desk.comp, '.page-state', '.state-retry'));
    await loaded(desk);
    expect(textOf(find(desk.comp, '.head'))).toContain('共 5 个预约');
    (desk.page.onUnload as () => void).call(desk.page);
  });

  it('shows an account without the role nothing of the queue, and stops once the role is revoked', async () => {
    newUser('citizen');
    const denied = open('/staff/pages/desk/index');
    await loaded(denied);
    expect(textOf(denied.comp)).toBe(
      '没有窗口工作人员权限 这个微信账号不是窗口工作人员，或权限已被撤销。如需使用，请向办理点管理员要一个邀请码，在下面输入。 邀请码 开通 返回首页',
    );
    await tap(find(denied.comp, '.home'));
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' });

    staff = newUser('window');
    await grantStaff(staff);
    const desk = await openDesk();
    await revokeStaff(staff);
    await tap(find(desk.comp, '.next'));
    await waitFor(() => expect(textOf(desk.comp)).toContain('没有窗口工作人员权限'));
    expect(desk.comp.querySelector('.queue')).toBeUndefined();
  });
});
