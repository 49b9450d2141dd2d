/**
 * The form (R6, R7): each message under the field that is wrong, shown as the citizen types (once the
 * field is complete or left), from the same validators and the same message table as the server.
 */
import { idCheckChar } from '../../server/domain/identity';
import { ERROR_MESSAGES } from '../../server/shared/errors';
import { callBooking, failNext, useLocalCloud } from './support/cloud';
import { chooseCategory, closeKeypad, confirmTruthful, fieldText, fillForm } from './support/flow';
import { asInput, idEndingInX, newPerson } from './support/people';
import {
  find,
  findAll,
  keysOf,
  loaded,
  open,
  press,
  resetApp,
  tap,
  textOf,
  typeInto,
  waitFor,
  type Node,
} from './support/user';

useLocalCloud('2026-12-01T10:00');

const FORM = '/pages/person-form/index?serviceId=siming-violation';
const M = ERROR_MESSAGES;

beforeEach(() => {
  jest.clearAllMocks();
  resetApp();
});

async function openForm(): Promise<Node> {
  const form = open(FORM);
  await loaded(form);
  return form.comp;
}

/** Opens a field's keyboard and presses keys, leaving it open. */
async function keys(page: Node, fieldClass: string, labels: string[]): Promise<Node> {
  await tap(find(page, fieldClass));
  const keypad = find(page, '.keypad');
  await keysOf(keypad);
  await press(keypad, labels);
  return keypad;
}

function chars(text: string): string[] {
  return Array.from(text);
}

describe('name', () => {
  it('says nothing while one character is typed, and asks for the real name once the field is left', async () => {
    const page = await openForm();
    await typeInto(find(page, '.field-name'), '李', false);
    expect(fieldText(page, '.field-name')).toBe('姓名');
    await typeInto(find(page, '.field-name'), '李');
    expect(fieldText(page, '.field-name')).toBe(`姓名 ${M['IDENTITY.NAME_INVALID']}`);
  });

  it('flags digits as soon as they are typed, and clears the message once fixed', async () => {
    const page = await openForm();
    await typeInto(find(page, '.field-name'), '李3', false);
    expect(fieldText(page, '.field-name')).toBe('姓名 请填写真实姓名（2-20 个字）');
    await typeInto(find(page, '.field-name'), '李四', false);
    expect(fieldText(page, '.field-name')).toBe('姓名');
  });
});

describe('ID number, on the ID keyboard', () => {
  it('offers X only as the 18th character, deletes, and checks the check digit when complete', async () => {
    const page = await openForm();
    const id = idEndingInX();
    const keypad = await keys(page, '.field-id', chars(id.slice(0, 5)));
    // X before the 18th place is not a key that types.
    await press(keypad, ['X']);
    expect(textOf(find(keypad, '.pad-value'))).toBe(id.slice(0, 5));
    await press(keypad, ['删除']);
    expect(textOf(find(keypad, '.pad-value'))).toBe(id.slice(0, 4));
    await press(keypad, chars(id.slice(4, 17)));
    // 17 digits: still being typed, nothing to say.
    expect(textOf(keypad)).not.toContain('身份证号码');
    await press(keypad, ['X']);
    expect(textOf(find(keypad, '.pad-value'))).toBe(id);
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toBe('身份证号');
    expect(page.data.idDisplay).toBe(`${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`);
  });

  it('says which part is wrong as soon as the 18th character is in, on the keyboard and under the field', async () => {
    const page = await openForm();
    const first17 = '35020319850601001';
    const wrong = idCheckChar(first17) === '1' ? '2' : '1';
    const keypad = await keys(page, '.field-id', chars(first17 + wrong));
    expect(textOf(find(keypad, '.pad-message'))).toBe(M['IDENTITY.ID_CHECK_DIGIT']);
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toBe(`身份证号 ${M['IDENTITY.ID_CHECK_DIGIT']}`);
  });

  it.each([
    ['a birth date that does not exist', '35020319851301001', 'IDENTITY.ID_BIRTH_DATE'],
    ['a region code that does not exist', '99020319850601001', 'IDENTITY.ID_PROVINCE'],
  ] as const)('names %s', async (_what, first17, code) => {
    const page = await openForm();
    const keypad = await keys(page, '.field-id', chars(first17 + '1'));
    await waitFor(() => expect(textOf(find(keypad, '.pad-message'))).toBe(M[code]));
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toBe(`身份证号 ${M[code]}`);
  });

  it.each([
    ['10 digits', '3502031985', 'IDENTITY.ID_FORMAT'],
    ['an old 15-digit number', '350203850601001', 'IDENTITY.ID_OLD_15'],
  ] as const)('asks again when the keyboard is closed after %s', async (_what, typed, code) => {
    const page = await openForm();
    await keys(page, '.field-id', chars(typed));
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toBe(`身份证号 ${M[code]}`);
  });
});

describe('mobile number', () => {
  it('asks for 11 digits once the field is left short', async () => {
    const page = await openForm();
    await typeInto(find(page, '.field-phone'), '1381234');
    expect(fieldText(page, '.field-phone')).toBe(`手机号 ${M['IDENTITY.PHONE_INVALID']}`);
  });

  it('refuses 11 digits that are no mainland mobile number while still in the field', async () => {
    const page = await openForm();
    await typeInto(find(page, '.field-phone'), '12345678901', false);
    expect(fieldText(page, '.field-phone')).toBe(`手机号 ${M['IDENTITY.PHONE_INVALID']}`);
    await typeInto(find(page, '.field-phone'), '13812345678', false);
    expect(fieldText(page, '.field-phone')).toBe('手机号');
  });
});

describe('licence plate, on the plate keyboard', () => {
  it('starts with the province picker, then letters and digits', async () => {
    const page = await openForm();
    await tap(find(page, '.field-plate'));
    const keypad = find(page, '.keypad');
    const provinces = (await keysOf(keypad)).map(textOf);
    expect(provinces).toHaveLength(33);
    expect(provinces.slice(0, 4)).toEqual(['京', '津', '沪', '渝']);
    expect(provinces).toContain('闽');
    expect(textOf(find(keypad, '.pad-hint'))).toBe('先选车牌的省份简称');
    await press(keypad, ['闽']);
    const serial = (await keysOf(keypad)).map(textOf);
    expect(serial).toContain('D');
    expect(serial).not.toContain('I');
    expect(serial).not.toContain('O');
    expect(serial).toEqual(expect.arrayContaining(['挂', '学', '警', '港', '澳', '删除']));
  });

  it('refuses a short plate when the keyboard is closed', async () => {
    const page = await openForm();
    await keys(page, '.field-plate', chars('闽D1234'));
    await closeKeypad(page);
    // The typed plate is the input's value, not text; the message is.
    expect(fieldText(page, '.field-plate')).toBe(`车牌号 ${M['IDENTITY.PLATE_INVALID']}`);
    expect(page.data.values).toEqual(expect.objectContaining({ plate: '闽D1234' }));
  });

  it('takes an 8-character new-energy plate and nothing longer', async () => {
    const page = await openForm();
    const keypad = await keys(page, '.field-plate', chars('闽DD123456'));
    expect(textOf(find(keypad, '.pad-value'))).toBe('闽DD12345');
    expect(textOf(keypad)).not.toContain('车牌号格式不正确');
    await closeKeypad(page);
    expect(page.data.values).toEqual(expect.objectContaining({ plate: '闽DD12345' }));
    expect(page.data.errors).toEqual(expect.objectContaining({ plate: '' }));
  });
});

describe('category and materials (R7)', () => {
  it('shows the materials of the category as soon as it is chosen', async () => {
    const page = await openForm();
    expect(page.querySelector('.materials')).toBeUndefined();
    await chooseCategory(page, '电子监控类');
    expect(textOf(find(page, '.materials'))).toBe(
      '办理时请带齐以下材料 身份证 （当事人本人居民身份证） 驾驶证 行驶证',
    );
    await chooseCategory(page, '扣车类');
    expect(textOf(find(page, '.materials'))).toBe(
      '办理时请带齐以下材料 身份证 （当事人本人居民身份证） 驾驶证 ' +
        '行驶证 （无牌车辆提供合格证、购车发票） 交强险保单',
    );
  });
});

describe('going on', () => {
  it('on an empty form, puts every message under its field and stays', async () => {
    const page = await openForm();
    await tap(find(page, '.next'));
    expect(fieldText(page, '.field-name')).toBe(`姓名 ${M['IDENTITY.NAME_INVALID']}`);
    expect(fieldText(page, '.field-id')).toBe(`身份证号 ${M['IDENTITY.ID_FORMAT']}`);
    expect(fieldText(page, '.field-phone')).toBe(`手机号 ${M['IDENTITY.PHONE_INVALID']}`);
    expect(fieldText(page, '.field-plate')).toBe(`车牌号 ${M['IDENTITY.PLATE_INVALID']}`);
    expect(textOf(find(page, '.category-error'))).toBe(M['IDENTITY.CATEGORY_INVALID']);
    expect(textOf(find(page, '.truthful'))).toBe(
      '本人承诺以上信息真实有效，信息不实窗口将不予办理 请确认以上信息真实有效',
    );
    expect(textOf(find(page, '.summary'))).toBe('还有 6 处需要修改，请看红字提示');
    expect(wx.navigateTo).not.toHaveBeenCalled();
  });

  it('needs the 信息真实 confirmation even when every field is right', async () => {
    const page = await openForm();
    const person = newPerson();
    await fillForm(page, person);
    await confirmTruthful(page); // ticked by fillForm, so this unticks it
    expect(textOf(find(page, '.truthful-error'))).toBe('请确认以上信息真实有效');
    await tap(find(page, '.next'));
    expect(textOf(find(page, '.summary'))).toBe('还有 1 处需要修改，请看红字提示');
    expect(wx.navigateTo).not.toHaveBeenCalled();
    await confirmTruthful(page);
    await tap(find(page, '.next'));
    expect(wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/slot/index?serviceId=siming-violation' }),
    );
  });

  it('hands on the person normalised as the server would, in memory only (R14)', async () => {
    const page = await openForm();
    const person = newPerson({ name: '阿依古丽 • 买买提' });
    await fillForm(page, person);
    await tap(find(page, '.next'));
    const app = (global as unknown as { __uiApp: { globalData: { session: unknown } } }).__uiApp;
    expect(app.globalData.session).toEqual(
      expect.objectContaining({
        person: { ...asInput(person), name: '阿依古丽·买买提' },
      }),
    );
    expect(wx.setStorage).not.toHaveBeenCalled();
    expect(wx.setStorageSync).not.toHaveBeenCalled();
  });
});

describe('the same rules as the server', () => {
  it.each([
    ['name', '.field-name', { name: '王5' }, '姓名'],
    ['phone', '.field-phone', { phone: '1385920' }, '手机号'],
  ] as const)(
    'the message under %s is the one the server answers for the same input',
    async (_field, fieldClass, change, label) => {
      const page = await openForm();
      const person = newPerson(change);
      await fillForm(page, person);
      const server = await callBooking<{ ok: boolean; error: { message: string } }>('parity', {
        action: 'book',
        serviceId: 'siming-violation',
        date: '2026-12-02',
        person: asInput(person),
        requestId: `parity-${_field}-0001`,
      });
      expect(server.ok).toBe(false);
      expect(fieldText(page, fieldClass)).toBe(`${label} ${server.error.message}`);
    },
  );
});

describe('loading', () => {
  it('says so when the service does not take bookings, without a retry', async () => {
    const form = open('/pages/person-form/index?serviceId=no-such-service');
    await loaded(form);
    expect(textOf(form.comp)).toBe('该业务暂未开放预约');
  });

  it('offers a retry when the catalogue cannot load', async () => {
    failNext('offline');
    const form = open(FORM);
    await loaded(form);
    expect(textOf(form.comp)).toBe('网络不给力，请检查网络后重试 重试');
    await tap(find(form.comp, '.page-state', '.state-retry'));
    await loaded(form);
    expect(findAll(form.comp, '.category-option').map(textOf)).toEqual([
      '电子监控类',
      '营运类',
      '扣车类',
    ]);
  });
});
