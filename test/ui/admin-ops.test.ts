/**
 * The administrators' operations (issue 14), through the admin pages rendered with real Vant against the
 * local cloud and the real `admin` function: closing a day chosen with the date picker (today on) with
 * bookings (asked first, the citizen's booking then `cancelled_by_office`), the blacklist (masked, R14; lifted with a reason, R10), roles
 * granted and revoked, an API key created (its secret shown once, copied) and revoked, and the audit
 * listing all of it newest first. Refusals are shown under their fields with their coded messages.
 */
import type { Booking } from '../../typings/api';
import { callBooking, inCloud, useLocalCloud } from './support/cloud';
import { adminCalls, paste } from './support/admin';
import { asInput, newPerson } from './support/people';
import { renderPage, simulate, type RenderedPage } from './support/simulate';
import { grantAdmin } from './support/staff';
import {
  errorUnder,
  find,
  findAll,
  findByText,
  loaded,
  newUser,
  tap,
  textOf,
  typeInto,
  waitFor,
} from './support/user';

// Tuesday 1 December 2026, 10:00 China time: tomorrow is Wednesday 2 December.
useLocalCloud('2026-12-01T10:00');

type Node = RenderedPage['comp'];

async function openLoaded(route: string): Promise<RenderedPage> {
  const page = renderPage(route);
  await loaded(page);
  return page;
}

async function confirmDialog(page: Node, button: string): Promise<string> {
  const dialog = find(page, '.confirm-dialog');
  const text = await waitFor(() => {
    const t = textOf(dialog);
    if (!t.includes(button)) throw new Error(`no ${button} yet: ${t}`);
    return t;
  });
  await tap(findByText(dialog, '.van-dialog__button', button));
  return text;
}

/** What WeChat's `<picker mode="date">` fires when a day is chosen: `change` with `{ value }`. */
async function pick(picker: Node, value: string): Promise<void> {
  picker.dispatchEvent('change', { detail: { value } });
  await simulate.sleep(0);
}

async function book(openid: string, person = newPerson()): Promise<Booking> {
  const answer = await callBooking<{ ok: boolean; data: Booking; error?: unknown }>(openid, {
    action: 'book',
    serviceId: 'siming-violation',
    date: '2026-12-02',
    person: asInput(person),
    requestId: `ops-${openid}`,
  });
  if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

let admin = '';

beforeAll(async () => {
  admin = newUser('ops-admin');
  await grantAdmin(admin);
}, 60_000);

beforeEach(() => {
  jest.clearAllMocks();
});

describe('closing a day', () => {
  it('asks when bookings exist, then cancels them; a short reason is refused under its field', async () => {
    const booking = await book('ops-citizen-1');
    const page = await openLoaded('admin/pages/close-day/index');
    expect(textOf(find(page.comp, '.chip-active'))).toBe('交通违法处理');
    // WeChat's date picker, offering today on; tomorrow chosen to begin with.
    const picker = find(page.comp, '.date-picker');
    expect([page.page.data.today, textOf(find(page.comp, '.field-date'))]).toEqual([
      '2026-12-01',
      '停办日期 2026-12-02',
    ]);
    await pick(picker, '2026-12-03');
    expect(textOf(find(page.comp, '.field-date'))).toBe('停办日期 2026-12-03');
    await pick(picker, '2026-11-30');
    expect(page.page.data.date).toBe('2026-12-03');
    await pick(picker, '2026-12-02');

    await typeInto(find(page.comp, '.field-reason'), '修');
    await tap(find(page.comp, '.submit'));
    await waitFor(() =>
      expect(errorUnder(find(page.comp, '.field-reason'))).toBe('请填写原因（2-20 个字）'),
    );

    await typeInto(find(page.comp, '.field-reason'), '系统维护');
    await tap(find(page.comp, '.submit'));
    const asked = await confirmDialog(page.comp, '确定停办');
    expect(asked).toContain(`2026-12-02 已有 1 个预约（${booking.number}）`);
    await waitFor(() =>
      expect(textOf(find(page.comp, '.done'))).toBe(
        `已停办 2026-12-02，取消了 1 个预约：${booking.number}`,
      ),
    );
    expect(adminCalls().map((c) => [c.action, c.data.confirm])).toEqual([
      ['listOffices', undefined],
      ['closeDay', undefined],
      ['closeDay', undefined],
      ['closeDay', true],
    ]);
    const detail = await callBooking<{ data: Booking }>('ops-citizen-1', {
      action: 'detail',
      bookingId: booking.id,
    });
    expect(detail.data.status).toBe('cancelled_by_office');
  }, 60_000);
});

describe('the blacklist (R10)', () => {
  it('lists a suspended person masked and lifts them with a reason', async () => {
    const person = newPerson();
    const booking = await book('ops-citizen-2', person);
    await inCloud(
      async (cloud, a) => {
        const db = cloud.database();
        const got = (await db.collection('bookings').doc(a.id).get()) as unknown as {
          data: { personKey: string };
        };
        const key = got.data.personKey;
        await db
          .collection('persons')
          .doc(key)
          .set({
            data: {
              noShows: [a.now - 3e8, a.now - 2e8, a.now - 1e8],
              suspendedUntil: a.until,
              version: 1,
            },
          });
      },
      { id: booking.id, now: Date.now(), until: Date.parse('2027-01-01T00:00:00+08:00') },
    );
    const page = await openLoaded('admin/pages/suspensions/index');
    const row = find(page.comp, '.row');
    // R14: masked — the name's first character, the ID's first and last digits only.
    const who = textOf(find(page.comp, '.row .row-who'));
    expect(who.startsWith(`${person.name.slice(0, 1)}*`)).toBe(true);
    expect(who).toContain(`${person.idNumber.slice(0, 4)}**********${person.idNumber.slice(-4)}`);
    expect(textOf(row)).not.toContain(person.idNumber);
    expect(textOf(row)).not.toContain(person.phone);
    await tap(find(page.comp, '.lift'));
    await paste(find(page.comp, '.field-reason'), '核实为系统原因未签到');
    await tap(find(page.comp, '.confirm'));
    await waitFor(() => expect(textOf(find(page.comp, '.done'))).toContain('已解除'));
    await waitFor(() => expect(findAll(page.comp, '.row')).toEqual([]));
    expect(textOf(find(page.comp, '.empty'))).toContain('现在没有被暂停预约的人');
  }, 60_000);
});

describe('roles', () => {
  it('grants window staff of the office, then revokes it after asking', async () => {
    const page = await openLoaded('admin/pages/roles/index');
    await tap(find(page.comp, '.grant'));
    await waitFor(() => expect(errorUnder(find(page.comp, '.field-openid'))).not.toBe(''));

    await typeInto(find(page.comp, '.field-openid'), 'ops-new-staff');
    await tap(find(page.comp, '.role-staff'));
    await tap(find(page.comp, '.grant'));
    await waitFor(() =>
      expect(textOf(find(page.comp, '.done'))).toBe('已授予 ops-new-staff 窗口工作人员'),
    );
    await waitFor(() => find(page.comp, '.grant-ops-new-staff'));
    expect(textOf(find(page.comp, '.grant-ops-new-staff .row-title'))).toBe(
      '窗口工作人员 · 思明交警大队',
    );

    await tap(find(page.comp, '.grant-ops-new-staff .revoke'));
    expect(await confirmDialog(page.comp, '确定撤销')).toContain(
      '撤销 ops-new-staff 的窗口工作人员权限',
    );
    await waitFor(() =>
      expect(findAll(page.comp, '.row').filter((r) => textOf(r).includes('ops-new-staff'))).toEqual(
        [],
      ),
    );
  }, 60_000);
});

describe('API keys', () => {
  it('shows a new key’s secret once, copies it, and revokes the key', async () => {
    const page = await openLoaded('admin/pages/keys/index');
    expect(textOf(find(page.comp, '.none'))).toBe('还没有密钥');
    await typeInto(find(page.comp, '.field-name'), '思明大厅叫号系统');
    await typeInto(find(page.comp, '.field-channel'), 'Hall Siming');
    await tap(find(page.comp, '.create'));
    await waitFor(() => expect(errorUnder(find(page.comp, '.field-channel'))).not.toBe(''));

    await typeInto(find(page.comp, '.field-channel'), 'hall-siming');
    await tap(find(page.comp, '.scope-queue'));
    await tap(find(page.comp, '.create'));
    const secret = await waitFor(() => textOf(find(page.comp, '.key-secret')));
    const keyId = textOf(find(page.comp, '.key-id'));
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await tap(find(page.comp, '.copy'));
    expect(wx.setClipboardData).toHaveBeenCalledWith(
      expect.objectContaining({ data: `HALL_KEY_ID=${keyId}\nHALL_KEY_SECRET=${secret}` }),
    );
    const row = await waitFor(() => find(page.comp, `.key-${keyId}`));
    expect(textOf(row)).toContain('思明大厅叫号系统（hall-siming）');
    expect(textOf(row)).toMatch(/签到叫号、读取当天预约|读取当天预约、签到叫号/);
    expect(textOf(row)).not.toContain(secret);

    // Opened again, the secret is nowhere: it is stored hashed.
    const again = await openLoaded('admin/pages/keys/index');
    expect(again.comp.querySelector('.key-secret')).toBeUndefined();
    await tap(find(again.comp, `.key-${keyId} .revoke`));
    await confirmDialog(again.comp, '确定撤销');
    await waitFor(() => expect(textOf(find(again.comp, `.key-${keyId}`))).toContain('已撤销'));
  }, 60_000);
});

describe('the audit', () => {
  it('lists what was done above, newest first, with who did it', async () => {
    const page = await openLoaded('admin/pages/audit/index');
    const whats = findAll(page.comp, '.entry-what').map(textOf);
    expect(whats.slice(0, 6)).toEqual([
      '撤销接口密钥',
      '新建接口密钥',
      '撤销权限',
      '授予权限',
      '解除暂停预约',
      '临时停办',
    ]);
    expect(textOf(find(page.comp, '.entry'))).toContain(`操作人 ${admin}`);
  }, 60_000);
});
