/**
 * Issue 12 on the person form, the parts the server now answers: a vehicle without a plate gives its VIN
 * (finding 2, R6/R7 扣车类); a person booked before is one tap, masked by the server and never typed or
 * stored again (finding 3, 常用办理人); a complete ID is checked at once against what this account holds
 * (finding 4, R5), and says nothing of other accounts' bookings (issue 15).
 */
import type { Booking } from '../../typings/api';
import { ERROR_MESSAGES } from '../../server/shared/errors';
import { answerSubscribe, callBooking, useLocalCloud } from './support/cloud';
import { chooseCategory, fieldText, openFormOn, typeWithKeypad } from './support/flow';
import { asInput, newPerson } from './support/people';
import {
  find,
  findAll,
  lastUrl,
  loaded,
  newUser,
  open,
  phoneStorage,
  tap,
  textOf,
  typeInto,
  waitFor,
  type Node,
} from './support/user';

useLocalCloud('2026-12-01T10:00');

const M = ERROR_MESSAGES;
/** The worked example of ISO 3779, check character X at position 9. */
const VIN = '1M8GDM9AXKP042788';

let openid = '';

beforeEach(() => {
  openid = newUser('known-user');
  answerSubscribe('accept');
});

async function bookDirectly(
  who: string,
  person: Record<string, string>,
  date = '2026-12-02',
): Promise<Booking> {
  const answer = await callBooking<{ ok: true; data: Booking }>(who, {
    action: 'book',
    serviceId: 'siming-violation',
    date,
    person,
    requestId: `known-${who}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
  });
  return answer.data;
}

/** 下一步, then the confirmation page it opens. */
async function next(form: Node): Promise<Node> {
  await tap(find(form, '.next'));
  const confirm = open(lastUrl('navigateTo'));
  await loaded(confirm);
  return confirm.comp;
}

async function confirmAndOpen(confirm: Node): Promise<Booking> {
  await tap(find(confirm, '.confirm'));
  await waitFor(() => expect(lastUrl('reLaunch')).toMatch(/^\/pages\/booking-detail\/index\?id=/));
  const id = decodeURIComponent(/id=([^&]+)/.exec(lastUrl('reLaunch'))?.[1] ?? '');
  const answer = await callBooking<{ ok: true; data: Booking }>(openid, {
    action: 'detail',
    bookingId: id,
  });
  return answer.data;
}

describe('暂无号牌: an impounded vehicle without a plate (finding 2)', () => {
  it('is offered for 扣车类 only, asks the VIN with its check character, and books with it', async () => {
    const form = (await openFormOn()).comp;
    await chooseCategory(form, '电子监控类');
    expect(findAll(form, '.no-plate')).toHaveLength(0);
    await chooseCategory(form, '扣车类');
    await tap(find(form, '.no-plate'));
    expect(findAll(form, '.plate-box')).toHaveLength(0);
    await typeInto(find(form, '.vin-input'), '1M8GDM9A1KP042788');
    expect(fieldText(form, '.field-vin')).toContain(M['IDENTITY.VIN_CHECK_DIGIT']);
    await typeInto(find(form, '.vin-input'), VIN.toLowerCase());
    expect(fieldText(form, '.field-vin')).toBe('车架号（17 位，见合格证或购车发票）');
    const p = newPerson({ category: '扣车类' });
    await typeInto(find(form, '.name-input'), p.name);
    await typeWithKeypad(form, '.id', p.idNumber);
    await typeInto(find(form, '.phone-input'), p.phone);
    const confirm = await next(form);
    expect(textOf(find(confirm, '.pair-plate'))).toBe('车牌号 暂无号牌');
    expect(textOf(find(confirm, '.pair-vin'))).toBe('车架号 1M8 GDM9AX KP042788');
    const booking = await confirmAndOpen(confirm);
    expect([booking.plate, booking.vinMasked, booking.category]).toEqual([
      '',
      '1M8**********2788',
      'impounded',
    ]);
  });
});

describe('常用办理人: the same person again without retyping (finding 3)', () => {
  it('lists the people this account booked, masked; one tap books that person with no ID typed', async () => {
    const before = newPerson({ name: '林晓梅', plate: '闽D12345' });
    await bookDirectly(openid, asInput(before), '2026-12-02');
    const form = (await openFormOn('2026-12-03')).comp;
    await waitFor(() => expect(findAll(form, '.known-option')).toHaveLength(2));
    expect(findAll(form, '.known-option').map(textOf)).toEqual([
      `林*梅 身份证 ${before.idNumber.slice(0, 4)}**********${before.idNumber.slice(-4)} · 手机 ${before.phone.slice(0, 3)}****${before.phone.slice(-4)}`,
      '填写新的办理人',
    ]);
    await tap(findAll(form, '.known-option')[0] as Node);
    // Name, ID and phone are the server's: not asked.
    expect(
      [findAll(form, '.field-name'), findAll(form, '.field-id'), findAll(form, '.field-phone')].map(
        (n) => n.length,
      ),
    ).toEqual([0, 0, 0]);
    // The vehicle as last time, changeable.
    expect(fieldText(form, '.field-plate')).toContain('闽D12345');
    const confirm = await next(form);
    expect(textOf(find(confirm, '.person'))).toContain('林*梅');
    expect(textOf(find(confirm, '.person'))).not.toContain(before.idNumber);
    const booking = await confirmAndOpen(confirm);
    expect([booking.name, booking.idMasked, booking.date, booking.plate]).toEqual([
      '林晓梅',
      `${before.idNumber.slice(0, 4)}**********${before.idNumber.slice(-4)}`,
      '2026-12-03',
      '闽D12345',
    ]);
    // Full values never stored on the phone.
    const stored = [...phoneStorage().values()].map((v) => JSON.stringify(v)).join();
    expect(stored).not.toContain(before.idNumber);
    expect(stored).not.toContain(before.phone);
  });

  it('shows no list to an account that never booked, and 填写新的办理人 brings the fields back', async () => {
    const form = (await openFormOn()).comp;
    expect(findAll(form, '.known-option')).toHaveLength(0);
    await bookDirectly(openid, asInput(newPerson()));
    const again = (await openFormOn('2026-12-04')).comp;
    await waitFor(() => expect(findAll(again, '.known-option')).toHaveLength(2));
    await tap(findAll(again, '.known-option')[0] as Node);
    await tap(find(again, '.known-new'));
    expect(findAll(again, '.field-id')).toHaveLength(1);
  });
});

describe('the ID checked as soon as it is complete (finding 4, R5)', () => {
  it("says at once that this account holds the person's booking that day", async () => {
    const p = newPerson();
    await bookDirectly(openid, asInput(p), '2026-12-02');
    const form = (await openFormOn('2026-12-02')).comp;
    await typeWithKeypad(form, '.id', p.idNumber);
    await waitFor(() =>
      expect(fieldText(form, '.field-id')).toContain(M['BOOKING.PERSON_ALREADY_BOOKED']),
    );
    // 下一步 keeps it in view rather than going on.
    await tap(find(form, '.next'));
    expect(wx.navigateTo).not.toHaveBeenCalled();
  });

  it('says nothing when another account holds that booking (issue 15): book decides', async () => {
    const p = newPerson();
    await bookDirectly('someone-else', asInput(p), '2026-12-02');
    const form = (await openFormOn('2026-12-02')).comp;
    await typeWithKeypad(form, '.id', p.idNumber);
    await waitFor(() =>
      expect(wx.cloud.callFunction).toHaveBeenCalledWith(
        expect.objectContaining({ data: expect.objectContaining({ action: 'precheck' }) }),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(fieldText(form, '.field-id')).not.toContain(M['BOOKING.PERSON_ALREADY_BOOKED']);
  });
});
