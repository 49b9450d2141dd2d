/**
 * Issue 15 on the person form (R15): a verified account chooses 本人 — the name and ID its verification's,
 * masked, not typed and not editable — and books with `self`; or 为他人预约, the form as before. An account
 * not verified sees the form as before with a quiet link to 实名认证 (only where the city has a facility).
 */
import type { Booking } from '../../typings/api';
import { ERROR_MESSAGES } from '../../server/shared/errors';
import { answerSubscribe, callBooking, useLocalCloud } from './support/cloud';
import { chooseCategory, fieldText, fillForm, openFormOn, typeWithKeypad } from './support/flow';
import { useIdentityMethod, verifyAs } from './support/identity';
import { newPerson } from './support/people';
import {
  find,
  findAll,
  lastUrl,
  loaded,
  newUser,
  open,
  tap,
  textOf,
  typeInto,
  waitFor,
  type Node,
} from './support/user';
import type { RenderedPage } from './support/simulate';

useLocalCloud('2026-12-01T10:00');

let openid = '';

beforeEach(async () => {
  openid = newUser('self-user');
  answerSubscribe('accept');
  await useIdentityMethod('face');
});

type CallMock = jest.Mock<unknown, [{ name: string; data: Record<string, unknown> }]>;

/** The `book` requests the pages sent, in order. */
function bookCalls(): Record<string, unknown>[] {
  return (wx.cloud.callFunction as unknown as CallMock).mock.calls
    .map(([o]) => o.data)
    .filter((d) => d.action === 'book');
}

async function formWithChoice(): Promise<RenderedPage> {
  const form = await openFormOn();
  await waitFor(() => find(form.comp, '.for-whom'));
  return form;
}

async function next(form: Node): Promise<Node> {
  await tap(find(form, '.next'));
  const confirm = open(lastUrl('navigateTo'));
  await loaded(confirm);
  return confirm.comp;
}

describe('a verified account', () => {
  it('books as 本人: the verification’s name and ID shown masked, not typed, sent as `self`', async () => {
    const person = newPerson();
    await verifyAs(openid, person);
    const form = (await formWithChoice()).comp;
    const id = `3502**********${person.idNumber.slice(-4)}`;
    expect(findAll(form, '.for-whom-option').map(textOf)).toEqual([
      `本人 林*梅 · 身份证 ${id}（已实名认证）`,
      '为他人预约',
    ]);
    // 本人 is chosen: no name or ID field to type or edit, the masked values instead.
    expect(findAll(form, '.name-input')).toHaveLength(0);
    expect(findAll(form, '.id-box')).toHaveLength(0);
    expect(textOf(find(form, '.self-chosen'))).toBe(
      `姓名 林*梅 身份证号 ${id} 按您的实名认证预约，姓名和身份证号无需填写。`,
    );
    // The phone and the vehicle are this booking's, checked as always (R6).
    await tap(find(form, '.next'));
    expect(fieldText(form, '.field-phone')).toContain(ERROR_MESSAGES['IDENTITY.PHONE_EMPTY']);
    expect(textOf(find(form, '.field-category'))).toContain(
      ERROR_MESSAGES['IDENTITY.CATEGORY_INVALID'],
    );
    expect(lastUrlOrNone()).toBe('');
    await typeInto(find(form, '.phone-input'), person.phone);
    await chooseCategory(form, person.category);
    await typeWithKeypad(form, '.plate', person.plate);

    const confirm = await next(form);
    expect(findAll(confirm, '.pair').map(textOf)).toEqual([
      '姓名 林*梅',
      `身份证号 ${id}`,
      `手机号 ${person.phone.slice(0, 3)} ${person.phone.slice(3, 7)} ${person.phone.slice(7)}`,
      '违法类别 电子监控类',
      `车牌号 ${person.plate}`,
    ]);
    await tap(find(confirm, '.confirm'));
    await waitFor(() =>
      expect(lastUrl('reLaunch')).toMatch(/^\/pages\/booking-detail\/index\?id=/),
    );
    expect(bookCalls()).toEqual([
      expect.objectContaining({
        self: { phone: person.phone, plate: person.plate, category: 'surveillance' },
      }),
    ]);
    expect(bookCalls()[0]).not.toHaveProperty('person');
    const bookingId = decodeURIComponent(/id=([^&]+)/.exec(lastUrl('reLaunch'))?.[1] ?? '');
    const booked = await callBooking<{ ok: true; data: Booking }>(openid, {
      action: 'detail',
      bookingId,
    });
    expect(booked.data).toMatchObject({ status: 'booked', idMasked: id });
  });

  it('为他人预约: the form as before, booked with the person typed', async () => {
    await verifyAs(openid, newPerson());
    const form = (await formWithChoice()).comp;
    await tap(find(form, '.for-other'));
    expect(form.data.forWhom).toBe('other');
    expect(findAll(form, '.name-input')).toHaveLength(1);
    const relative = newPerson({ name: '林大海' });
    await fillForm(form, relative);
    const confirm = await next(form);
    expect(textOf(find(confirm, '.pair-name'))).toBe('姓名 林大海');
    await tap(find(confirm, '.confirm'));
    await waitFor(() => expect(bookCalls()).toHaveLength(1));
    expect(bookCalls()[0]).toMatchObject({
      person: expect.objectContaining({ name: '林大海', idNumber: relative.idNumber }),
    });
    expect(bookCalls()[0]).not.toHaveProperty('self');
  });
});

describe('an account not verified', () => {
  it('sees the form as before and a quiet link to 实名认证', async () => {
    const form = (await openFormOn()).comp;
    const link = await waitFor(() => find(form, '.identity-link'));
    expect(textOf(link)).toBe('为自己预约？完成实名认证后，姓名和身份证号不用每次填写 ›');
    expect(findAll(form, '.for-whom')).toHaveLength(0);
    expect(findAll(form, '.name-input')).toHaveLength(1);
    await tap(link);
    expect(lastUrl('navigateTo')).toBe('/pages/identity/index');
  });

  it('gets no link where the city has no facility', async () => {
    await useIdentityMethod('off');
    const form = (await openFormOn()).comp;
    await waitFor(() =>
      expect(wx.cloud.callFunction).toHaveBeenCalledWith(
        expect.objectContaining({ data: { action: 'identity' } }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(findAll(form, '.identity-link')).toHaveLength(0);
    expect(findAll(form, '.for-whom')).toHaveLength(0);
  });
});

function lastUrlOrNone(): string {
  try {
    return lastUrl('navigateTo');
  } catch {
    return '';
  }
}

describe('where the office requires verification (requireVerification)', () => {
  it('an account not verified is told before filling anything in, with 去实名认证 (R15)', async () => {
    await useIdentityMethod('face', true);
    try {
      const form = (await openFormOn()).comp;
      const notice = await waitFor(() => find(form, '.verify-required'));
      expect(textOf(notice)).toBe(
        '本办理点需先完成实名认证才能预约 认证一次即可。认证后为自己预约可选“本人”，姓名和身份证号不用填写。 去实名认证',
      );
      // Said once: not the quiet link as well.
      expect(findAll(form, '.identity-link')).toHaveLength(0);
      await tap(find(form, '.verify-go'));
      expect(lastUrl('navigateTo')).toBe('/pages/identity/index');
    } finally {
      await useIdentityMethod('face');
    }
  });

  it('a verified account is not told: it books as 本人 (R15)', async () => {
    await useIdentityMethod('face', true);
    try {
      await verifyAs(openid, newPerson());
      const form = await formWithChoice();
      expect(findAll(form.comp, '.verify-required')).toHaveLength(0);
    } finally {
      await useIdentityMethod('face');
    }
  });

  it('an account not verified is told on booking and led to 实名认证', async () => {
    await useIdentityMethod('face', true);
    try {
      const form = (await openFormOn()).comp;
      await fillForm(form, newPerson());
      const confirm = await next(form);
      await tap(find(confirm, '.confirm'));
      await waitFor(() =>
        expect(textOf(find(confirm, '.actions-bar'))).toBe(
          `${ERROR_MESSAGES['BOOKING.VERIFICATION_REQUIRED']} 去实名认证`,
        ),
      );
      await tap(find(confirm, '.remedy'));
      expect(lastUrl('navigateTo')).toBe('/pages/identity/index');
    } finally {
      await useIdentityMethod('face');
    }
  });
});

describe('the 实名认证 state, remembered as on 我的 (services/identity.ts)', () => {
  /** The `identity` calls so far, once every call has been answered (the bridge's promises settled). */
  async function identityCalls(): Promise<number> {
    const mock = jest.mocked(wx.cloud.callFunction);
    await Promise.allSettled(mock.mock.results.map((r): unknown => r.value));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (mock.mock.calls as unknown as Parameters<CallMock>[]).filter(
      ([o]) => o.data.action === 'identity',
    ).length;
  }

  it('is asked once across two visits to the form, and again once a booking is refused for it', async () => {
    const first = (await openFormOn()).comp;
    await waitFor(() => find(first, '.identity-link'));
    expect(await identityCalls()).toBe(1);
    // The form again (back to the day, another period), and a return from 实名认证 without verifying.
    const second = await openFormOn('2026-12-02', { id: 'am2', start: '10:00', end: '11:00' });
    await waitFor(() => find(second.comp, '.identity-link'));
    (second.page.onShow as () => void).call(second.page);
    expect(await identityCalls()).toBe(1);

    // The office requires 实名认证 from now (within the minute): the form shows what it remembered, the
    // booking is refused for it, and that forgets it.
    await useIdentityMethod('face', true);
    try {
      await fillForm(second.comp, newPerson());
      const confirm = await next(second.comp);
      await tap(find(confirm, '.confirm'));
      await waitFor(() =>
        expect(textOf(find(confirm, '.actions-bar'))).toContain(
          ERROR_MESSAGES['BOOKING.VERIFICATION_REQUIRED'],
        ),
      );
      const third = (await openFormOn()).comp;
      await waitFor(() => find(third, '.verify-required'));
      expect(await identityCalls()).toBe(2);
    } finally {
      await useIdentityMethod('face');
    }
  });
});
