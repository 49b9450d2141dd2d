/**
 * Issue 15's pages for 实名认证 (R15), against the local cloud's emulation of WeChat's two facilities:
 * 我的 shows the state, the page takes the name and ID (checked as the person form does, R6), runs the
 * face scan or WeChat's consent page, and the account is verified once; a scan the person backs out of
 * changes nothing; a verified account sees its masked state, not the form, and 他人为您预约 — the
 * bookings other accounts made for its ID — each cancellable after a confirmation.
 */
import type { IdentityState } from '../../typings/api';
import { ERROR_MESSAGES } from '../../server/shared/errors';
import { IDENTITY_FRESH_MS } from '../../miniprogram/services/identity';
import {
  answerConsent,
  answerFace,
  callBooking,
  failNext,
  registerRealName,
  setClock,
  useLocalCloud,
} from './support/cloud';
import { typeWithKeypad } from './support/flow';
import { useIdentityMethod, verifyAs } from './support/identity';
import { asInput, newPerson, type TestPerson } from './support/people';
import {
  find,
  findAll,
  findByText,
  lastUrl,
  loaded,
  newUser,
  open,
  press,
  tap,
  textOf,
  typeInto,
  waitFor,
  type Node,
} from './support/user';
import { simulate, type RenderedPage } from './support/simulate';

// Tuesday 15 December 2026, 10:00 China time.
useLocalCloud('2026-12-15T10:00');

let openid = '';

beforeEach(async () => {
  openid = newUser('id-user');
  await useIdentityMethod('face');
});

async function identityOf(who: string): Promise<IdentityState> {
  const answer = await callBooking<{ ok: true; data: IdentityState }>(who, { action: 'identity' });
  return answer.data;
}

/** 林晓梅 and an ID of 350203…: as the server masks them (R14). */
function masked(person: TestPerson): { name: string; id: string } {
  return { name: '林*梅', id: `3502**********${person.idNumber.slice(-4)}` };
}

async function openIdentityPage(): Promise<RenderedPage> {
  const page = open('/pages/identity/index');
  await loaded(page);
  return page;
}

async function fillIn(page: Node, person: TestPerson): Promise<void> {
  await typeInto(find(page, '.name-input'), person.name);
  await typeWithKeypad(page, '.id', person.idNumber);
}

/**
 * The person comes back from WeChat's consent page: only after WeChat finished opening it (the `n`th
 * `navigateToMiniProgram` settled, with the code of 同意 recorded) does the page show again.
 */
async function backFromConsent(page: RenderedPage, n: number): Promise<void> {
  const navigate = jest.mocked(wx.navigateToMiniProgram);
  await waitFor(() => expect(navigate).toHaveBeenCalledTimes(n));
  await Promise.resolve(navigate.mock.results[n - 1]?.value).catch(() => undefined);
  (page.page.onShow as () => void).call(page.page);
}

async function verifiedShown(page: RenderedPage): Promise<string> {
  return waitFor(() => {
    const text = textOf(find(page.comp, '.verified'));
    expect(text).toContain('已实名认证');
    return text;
  }, 15_000);
}

describe('我的 → 实名认证', () => {
  it('has no entry while the city has no facility and the account is not verified', async () => {
    await useIdentityMethod('off');
    const mine = open('/pages/mine/index');
    await loaded(mine);
    await waitFor(() =>
      expect(wx.cloud.callFunction).toHaveBeenCalledWith(
        expect.objectContaining({ data: { action: 'identity' } }),
      ),
    );
    expect(findAll(mine.comp, '.identity-entry')).toHaveLength(0);
  });

  it('人脸核身: 未认证 on 我的, the form checked as the person form, the scan, then 已认证 everywhere', async () => {
    const person = newPerson();
    await registerRealName(openid, person);
    const mine = open('/pages/mine/index');
    await loaded(mine);
    const entry = await waitFor(() => find(mine.comp, '.identity-entry'));
    expect(textOf(entry)).toBe('实名认证 认证后可“本人”预约，并查看他人用您身份证号的预约 未认证');
    await tap(entry);
    expect(lastUrl('navigateTo')).toBe('/pages/identity/index');

    const page = await openIdentityPage();
    expect(textOf(find(page.comp, '.start'))).toBe('开始人脸识别');
    // Nothing typed: the same messages as the person form (R6), and nothing sent.
    await tap(find(page.comp, '.start'));
    expect(textOf(find(page.comp, '.field-name'))).toContain(ERROR_MESSAGES['IDENTITY.NAME_EMPTY']);
    expect(textOf(find(page.comp, '.field-id'))).toContain(ERROR_MESSAGES['IDENTITY.ID_EMPTY']);
    // A wrong check digit is told as the form tells it.
    const wrong = person.idNumber.slice(0, 17) + (person.idNumber.endsWith('1') ? '2' : '1');
    await typeWithKeypad(page.comp, '.id', wrong);
    expect(textOf(find(page.comp, '.field-id'))).toContain(
      ERROR_MESSAGES['IDENTITY.ID_CHECK_DIGIT'],
    );
    expect(wx.requestFacialVerify).not.toHaveBeenCalled();

    // The last digit put right; the name typed.
    await tap(find(page.comp, '.id-box'));
    await press(find(page.comp, '.keypad'), ['删除', person.idNumber.slice(-1)]);
    await typeInto(find(page.comp, '.name-input'), person.name);
    await tap(find(page.comp, '.start'));
    expect(find(page.comp, '.start').data.loading).toBe(true);
    const text = await verifiedShown(page);
    const m = masked(person);
    expect(text).toMatch(
      new RegExp(
        `^✓ 已实名认证 姓名 ${m.name.replace('*', '\\*')} 身份证号 ${m.id.replace(/\*/g, '\\*')} 12月15日 10:\\d\\d 认证。预约时可选“本人”，姓名和身份证号无需再填。$`,
      ),
    );
    expect(wx.requestFacialVerify).toHaveBeenCalledTimes(1);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '实名认证成功' }));
    // The form is gone; the ID is shown masked only (R14).
    expect(findAll(page.comp, '.name-input')).toHaveLength(0);
    expect(textOf(page.comp)).not.toContain(person.idNumber);
    expect((await identityOf(openid)).verified).toMatchObject({
      nameMasked: m.name,
      idMasked: m.id,
    });

    // Back on 我的: the state, masked.
    (mine.page.onShow as () => void).call(mine.page);
    await waitFor(() =>
      expect(textOf(find(mine.comp, '.identity-entry'))).toBe(`实名认证 ${m.name} ${m.id} 已认证`),
    );

    // Verify once: opened again, the page shows the state, not the form.
    const again = await openIdentityPage();
    await verifiedShown(again);
    expect(findAll(again.comp, '.start')).toHaveLength(0);
  });

  it('a face scan the person backs out of changes nothing and says so; they may try again', async () => {
    const person = newPerson();
    await registerRealName(openid, person);
    const page = await openIdentityPage();
    await fillIn(page.comp, person);
    answerFace('back-out');
    await tap(find(page.comp, '.start'));
    await waitFor(() =>
      expect(textOf(find(page.comp, '.failure'))).toBe(
        '人脸识别未完成，实名认证没有变化。准备好后可以再点一次。',
      ),
    );
    expect(find(page.comp, '.start').data.loading).toBe(false);
    expect(await identityOf(openid)).not.toHaveProperty('verified');
    // What was typed stays: one more tap, and the scan this time.
    answerFace('scan');
    await tap(find(page.comp, '.start'));
    await verifiedShown(page);
  });

  it('a WeChat too old for the face scan is told to upgrade, nothing sent for checking', async () => {
    const person = newPerson();
    await registerRealName(openid, person);
    const g = wx as unknown as Record<string, unknown>;
    const api = g.requestFacialVerify;
    delete g.requestFacialVerify;
    try {
      const page = await openIdentityPage();
      await fillIn(page.comp, person);
      await tap(find(page.comp, '.start'));
      await waitFor(() =>
        expect(textOf(find(page.comp, '.failure'))).toBe(
          '当前微信版本不支持人脸识别，请升级微信后再认证。',
        ),
      );
    } finally {
      g.requestFacialVerify = api;
    }
    expect(await identityOf(openid)).not.toHaveProperty('verified');
  });

  it("someone else's face at the camera: the coded refusal in Chinese, nothing verified", async () => {
    const person = newPerson();
    // WeChat knows this account as another person: its face does not match the ID typed.
    await registerRealName(openid, newPerson({ name: '王小明' }));
    const page = await openIdentityPage();
    await fillIn(page.comp, person);
    await tap(find(page.comp, '.start'));
    await waitFor(() =>
      expect(textOf(find(page.comp, '.failure'))).toBe(ERROR_MESSAGES['VERIFY.NOT_DONE']),
    );
    expect(await identityOf(openid)).not.toHaveProperty('verified');
  });

  it('城市服务实名信息校验: WeChat’s consent page, its code on the way back, then 已认证', async () => {
    await useIdentityMethod('realname');
    const person = newPerson();
    await registerRealName(openid, person);
    const page = await openIdentityPage();
    expect(textOf(find(page.comp, '.start'))).toBe('去微信核对实名信息');
    await fillIn(page.comp, person);

    // Refused on WeChat's page: back without a code.
    answerConsent('refuse');
    await tap(find(page.comp, '.start'));
    await backFromConsent(page, 1);
    expect(wx.navigateToMiniProgram).toHaveBeenCalledWith({
      appId: 'wx308bd2aeb83d3345',
      path: 'subPages/city/wxpay-auth/main',
    });
    await waitFor(() =>
      expect(textOf(find(page.comp, '.failure'))).toBe(
        '您没有在微信页面点“同意”，实名认证没有变化。可以再点一次。',
      ),
    );
    expect(await identityOf(openid)).not.toHaveProperty('verified');

    // 同意: the code comes back in referrerInfo.extraData and the server checks it.
    answerConsent('agree');
    await tap(find(page.comp, '.start'));
    await waitFor(() => expect(find(page.comp, '.start').data.loading).toBe(true));
    await backFromConsent(page, 2);
    await verifiedShown(page);
    expect((await identityOf(openid)).verified?.idMasked).toBe(masked(person).id);
  });

  it('城市服务实名信息校验: a name that is not the account’s WeChat Pay real name is refused', async () => {
    await useIdentityMethod('realname');
    const person = newPerson();
    await registerRealName(openid, { ...person, name: '王小明' });
    const page = await openIdentityPage();
    await fillIn(page.comp, person);
    await tap(find(page.comp, '.start'));
    await backFromConsent(page, 1);
    await waitFor(() =>
      expect(textOf(find(page.comp, '.failure'))).toBe(ERROR_MESSAGES['VERIFY.MISMATCH']),
    );
    expect(await identityOf(openid)).not.toHaveProperty('verified');
  });
});

describe('他人为您预约', () => {
  async function bookFor(booker: string, person: TestPerson, date: string): Promise<string> {
    const answer = await callBooking<{ ok: boolean; data: { id: string }; error?: unknown }>(
      booker,
      {
        action: 'book',
        serviceId: 'siming-violation',
        date,
        person: asInput({ ...person, name: '林晓梅' }),
        requestId: `for-me-${booker}-${date}`,
      },
    );
    if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer.error)}`);
    return answer.data.id;
  }

  it('lists what other accounts booked for the ID, cancels one after asking, then 暂无', async () => {
    const person = newPerson();
    await verifyAs(openid, person);
    const stranger = `${openid}-stranger`;
    const id = await bookFor(stranger, person, '2026-12-17');

    // 我的 says so.
    const mine = open('/pages/mine/index');
    await loaded(mine);
    const m = masked(person);
    await waitFor(() =>
      expect(textOf(find(mine.comp, '.identity-entry'))).toBe(
        `实名认证 ${m.name} ${m.id} · 他人为您预约 1 个，点此查看 已认证`,
      ),
    );

    const page = await openIdentityPage();
    const item = await waitFor(() => find(page.comp, '.for-me-item'));
    expect(textOf(item)).toBe(
      `A001 · 思明交警大队 · 交通违法处理 12月17日 周四 09:00-10:00 办理人 ${m.name} · 身份证 ${m.id} 取消这个预约`,
    );
    // 再想想: nothing happens.
    await tap(find(page.comp, '.for-me-cancel'));
    const dialog = find(page.comp, '.confirm-dialog');
    await waitFor(() => expect(textOf(dialog)).toContain('取消后这个号会让给别人'));
    await tap(findByText(dialog, '.van-dialog__button', '再想想'));
    await waitFor(() => expect(page.comp.data.dialogShow).toBe(false));
    expect(findAll(page.comp, '.for-me-item')).toHaveLength(1);

    await tap(find(page.comp, '.for-me-cancel'));
    await waitFor(() => expect(textOf(dialog)).toContain('12月17日 周四 09:00-10:00 的预约 A001'));
    await tap(findByText(dialog, '.van-dialog__button', '确定取消'));
    await waitFor(() => expect(textOf(find(page.comp, '.for-me-empty'))).toBe('暂无他人为您预约'));
    expect(findAll(page.comp, '.for-me-item')).toHaveLength(0);
    // Back on 我的: the cancel made here is seen at once, not after its remembered answer ages.
    (mine.page.onShow as () => void).call(mine.page);
    await waitFor(() =>
      expect(textOf(find(mine.comp, '.identity-entry'))).toBe(`实名认证 ${m.name} ${m.id} 已认证`),
    );
    const booked = await callBooking<{ ok: true; data: { status: string } }>(stranger, {
      action: 'detail',
      bookingId: id,
    });
    expect(booked.data.status).toBe('cancelled');

    // Then the holder books that day as usual.
    const own = await callBooking<{ ok: boolean; data: { number: string } }>(openid, {
      action: 'book',
      serviceId: 'siming-violation',
      date: '2026-12-17',
      self: { phone: person.phone, plate: person.plate, category: 'surveillance' },
      requestId: `for-me-own-${openid}`,
    });
    expect(own.ok).toBe(true);
  });

  it('我的 asks 实名认证 once, not on every return; a pull-down or a minute later asks again', async () => {
    const person = newPerson();
    await verifyAs(openid, person);
    const stranger = `${openid}-stranger`;
    await bookFor(stranger, person, '2026-12-21');
    const calls = (action: string): number =>
      jest
        .mocked(wx.cloud.callFunction)
        .mock.calls.filter((c) => (c[0].data as { action?: string } | undefined)?.action === action)
        .length;
    /** Every call so far answered (the bridge's promises settled), then the counts. */
    const settled = async (): Promise<{ identity: number; forMe: number }> => {
      const answers: unknown[] = jest
        .mocked(wx.cloud.callFunction)
        .mock.results.map((r): unknown => r.value);
      await Promise.allSettled(answers);
      await simulate.sleep(50);
      return { identity: calls('identity'), forMe: calls('forMe') };
    };
    const mine = open('/pages/mine/index');
    await loaded(mine);
    const m = masked(person);
    const entry = `实名认证 ${m.name} ${m.id} · 他人为您预约 1 个，点此查看 已认证`;
    await waitFor(() => expect(textOf(find(mine.comp, '.identity-entry'))).toBe(entry));
    expect(await settled()).toEqual({ identity: 1, forMe: 1 });
    // Back on 我的 three times (from a booking, from 办事指南…): nothing asked again.
    for (let i = 0; i < 3; i += 1) (mine.page.onShow as () => void).call(mine.page);
    expect(await settled()).toEqual({ identity: 1, forMe: 1 });
    expect(textOf(find(mine.comp, '.identity-entry'))).toBe(entry);

    // Someone else books for the ID meanwhile: a pull-down asks, and shows it.
    await bookFor(stranger, person, '2026-12-22');
    (mine.page.onPullDownRefresh as () => void).call(mine.page);
    await waitFor(() =>
      expect(textOf(find(mine.comp, '.identity-entry'))).toBe(
        `实名认证 ${m.name} ${m.id} · 他人为您预约 2 个，点此查看 已认证`,
      ),
    );
    expect(await settled()).toEqual({ identity: 2, forMe: 2 });
    // Past IDENTITY_FRESH_MS, a return asks again.
    // (setClock takes whole minutes: one more makes sure.)
    const later = Date.now() + IDENTITY_FRESH_MS + 60_000;
    await setClock(new Date(later + 8 * 3600_000).toISOString().slice(0, 16));
    (mine.page.onShow as () => void).call(mine.page);
    expect(await settled()).toEqual({ identity: 3, forMe: 3 });
  });

  it('says when the list cannot be loaded, and when a cancel is refused', async () => {
    const person = newPerson();
    await verifyAs(openid, person);
    const stranger = `${openid}-stranger`;
    await bookFor(stranger, person, '2026-12-18');
    // The identity answer arrives; the list's request fails on the way (offline).
    const mock = wx.cloud.callFunction as unknown as jest.Mock;
    const bridged = mock.getMockImplementation() as (o: { data: { action: string } }) => unknown;
    let failed = false;
    mock.mockImplementation((o: { data: { action: string } }) => {
      if (failed || o.data.action !== 'forMe') return bridged(o);
      failed = true;
      failNext('offline');
      return bridged(o);
    });
    const page = open('/pages/identity/index');
    try {
      await loaded(page);
      await waitFor(() =>
        expect(textOf(find(page.comp, '.for-me-error'))).toBe('网络不给力，请检查网络后重试'),
      );
    } finally {
      mock.mockImplementation(bridged);
    }
    // Pulled down: the list comes.
    (page.page.onPullDownRefresh as () => void).call(page.page);
    await waitFor(() => find(page.comp, '.for-me-item'));
    // Meanwhile the booker cancelled it: the holder's cancel is refused in Chinese.
    const [booking] = (
      await callBooking<{ ok: true; data: { bookings: { id: string }[] } }>(stranger, {
        action: 'mine',
      })
    ).data.bookings;
    await callBooking(stranger, { action: 'cancel', bookingId: booking?.id ?? '' });
    await tap(find(page.comp, '.for-me-cancel'));
    await tap(findByText(find(page.comp, '.confirm-dialog'), '.van-dialog__button', '确定取消'));
    await waitFor(() =>
      expect(textOf(find(page.comp, '.for-me-error'))).toBe(ERROR_MESSAGES['BOOKING.NOT_ACTIVE']),
    );
  });

  it('the same ID verified since by another WeChat account: 未实名认证 again, and why (R15)', async () => {
    const person = newPerson();
    await verifyAs(openid, person);
    await verifyAs(`${openid}-new-phone`, person);
    const page = await openIdentityPage();
    const m = masked(person);
    expect(findAll(page.comp, '.verified')).toHaveLength(0);
    expect(textOf(find(page.comp, '.displaced'))).toMatch(
      new RegExp(
        `^未实名认证 身份证号 ${m.id.replace(/\*/g, '\\*')} 已于 12月15日 \\d\\d:\\d\\d 由另一个微信号完成实名认证，本微信号不再是认证本人。如果这是您的身份证号，可以重新认证。$`,
      ),
    );
    // The form to verify again, and no list to fail on.
    expect(findAll(page.comp, '.start')).toHaveLength(1);
    expect(findAll(page.comp, '.for-me-error')).toHaveLength(0);
  });

  it('an account that is not verified is not shown the list (VERIFY.NOT_HOLDER)', async () => {
    const answer = await callBooking<{ ok: boolean; error: { code: string } }>(openid, {
      action: 'forMe',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VERIFY.NOT_HOLDER' } });
    const page = await openIdentityPage();
    expect(findAll(page.comp, '.for-me-item')).toHaveLength(0);
    expect(findAll(page.comp, '.start')).toHaveLength(1);
  });
});
