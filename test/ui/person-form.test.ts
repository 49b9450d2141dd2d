/**
 * Step 2, the person form (R6, R7): labels above fields and values shown whole; each message under the
 * field that is wrong, saying exactly what is wrong, shown as the citizen types (once the field is
 * complete or left), from the same validators and the same message table as the server; 下一步 brings
 * the first mistake into view; what is typed survives back, relaunch (except the ID and phone, R14) and
 * asks "确定离开？" (issue 12, findings 3 and 6).
 */
import { idCheckChar } from '../../server/domain/identity';
import { ERROR_MESSAGES } from '../../server/shared/errors';
import { callBooking, failNext, useLocalCloud } from './support/cloud';
import { chooseCategory, closeKeypad, fieldText, fillForm, openFormOn } from './support/flow';
import { asInput, idEndingInX, newPerson } from './support/people';
import {
  find,
  findAll,
  keysOf,
  lastUrl,
  loaded,
  newUser,
  open,
  phoneStorage,
  press,
  resetApp,
  tap,
  textOf,
  typeInto,
  waitFor,
  type Node,
} from './support/user';

useLocalCloud('2026-12-01T10:00');

const M = ERROR_MESSAGES;

beforeEach(() => {
  newUser('form-user');
});

async function openForm(): Promise<Node> {
  return (await openFormOn()).comp;
}

/** Opens a field's keyboard and presses keys, leaving it open. */
async function keys(page: Node, fieldClass: string, labels: string[]): Promise<Node> {
  await tap(find(page, `${fieldClass}-box`));
  const keypad = find(page, '.keypad');
  await keysOf(keypad);
  await press(keypad, labels);
  return keypad;
}

function chars(text: string): string[] {
  return Array.from(text);
}

describe('the day chosen first', () => {
  it('shows the day and period of step 1 above the form, and 改时间 goes back to it', async () => {
    const page = await openFormOn('2026-12-03', { id: 'am2', start: '10:00', end: '11:00' });
    expect(textOf(find(page.comp, '.chosen'))).toBe(
      '思明交警大队 · 交通违法处理 12月3日 周四 10:00-11:00 改时间',
    );
    await tap(find(page.comp, '.chosen-change'));
    expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 1 }));
  });

  it('sends a form opened without a day to step 1', async () => {
    open('/pages/person-form/index?serviceId=siming-violation');
    await waitFor(() => expect(wx.redirectTo).toHaveBeenCalledTimes(1));
    expect(lastUrl('redirectTo')).toBe('/pages/slot/index?serviceId=siming-violation');
  });
});

describe('name', () => {
  it('says nothing while one character is typed, and says it is too short once the field is left', async () => {
    const page = await openForm();
    await typeInto(find(page, '.name-input'), '李', false);
    expect(fieldText(page, '.field-name')).toBe('姓名');
    await typeInto(find(page, '.name-input'), '李');
    expect(fieldText(page, '.field-name')).toBe(`姓名 ${M['IDENTITY.NAME_INVALID']}`);
  });

  it('says a digit is not part of a name (张3丰), and clears the message once fixed', async () => {
    const page = await openForm();
    await typeInto(find(page, '.name-input'), '张3丰', false);
    expect(fieldText(page, '.field-name')).toBe('姓名 姓名里不能有数字，请按身份证上的姓名填写');
    await typeInto(find(page, '.name-input'), '张三丰', false);
    expect(fieldText(page, '.field-name')).toBe('姓名');
  });
});

describe('ID number, on the ID keyboard', () => {
  it('offers X only as the 18th character, deletes, shows 6-8-4 groups and closes by itself when complete', async () => {
    const page = await openForm();
    const id = idEndingInX();
    const keypad = await keys(page, '.id', chars(id.slice(0, 5)));
    // X before the 18th place is not a key that types.
    await press(keypad, ['X']);
    expect(textOf(find(keypad, '.pad-value'))).toBe(id.slice(0, 5));
    await press(keypad, ['删除']);
    expect(textOf(find(keypad, '.pad-value'))).toBe(id.slice(0, 4));
    await press(keypad, chars(id.slice(4, 17)));
    // 17 digits: still being typed, nothing to say; the groups never break inside (finding 10).
    expect(textOf(keypad)).not.toContain('身份证号码');
    expect(findAll(keypad, '.pad-group').map(textOf)).toEqual([
      id.slice(0, 6),
      id.slice(6, 14),
      id.slice(14, 17),
    ]);
    await press(keypad, ['X']);
    // A complete, valid number closes the keyboard without 完成 (one tap fewer).
    await waitFor(() => expect(keypad.data.show).toBe(false));
    // The whole number under its label, in groups (finding 5).
    expect(fieldText(page, '.field-id')).toBe(
      `身份证号 ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`,
    );
  });

  it('says which part is wrong as soon as the 18th character is in, on the keyboard and under the field', async () => {
    const page = await openForm();
    const first17 = '35020319850601001';
    const wrong = idCheckChar(first17) === '1' ? '2' : '1';
    const keypad = await keys(page, '.id', chars(first17 + wrong));
    expect(textOf(find(keypad, '.pad-message'))).toBe(M['IDENTITY.ID_CHECK_DIGIT']);
    // Wrong: the keyboard stays open for the fix.
    expect(keypad.data.show).toBe(true);
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toBe(
      `身份证号 350203 19850601 001${wrong} ${M['IDENTITY.ID_CHECK_DIGIT']}`,
    );
  });

  it.each([
    ['a birth date that does not exist', '35020319851301001', 'IDENTITY.ID_BIRTH_DATE'],
    ['a region code that does not exist', '99020319850601001', 'IDENTITY.ID_PROVINCE'],
  ] as const)('names %s', async (_what, first17, code) => {
    const page = await openForm();
    const keypad = await keys(page, '.id', chars(first17 + '1'));
    await waitFor(() => expect(textOf(find(keypad, '.pad-message'))).toBe(M[code]));
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toContain(M[code]);
  });

  it.each([
    ['10 digits', '3502031985', 'IDENTITY.ID_FORMAT'],
    ['an old 15-digit number', '350203850601001', 'IDENTITY.ID_OLD_15'],
  ] as const)('asks again when the keyboard is closed after %s', async (_what, typed, code) => {
    const page = await openForm();
    await keys(page, '.id', chars(typed));
    await closeKeypad(page);
    expect(fieldText(page, '.field-id')).toContain(M[code]);
  });
});

describe('mobile number', () => {
  it('asks for 11 digits once the field is left short', async () => {
    const page = await openForm();
    await typeInto(find(page, '.phone-input'), '1381234');
    expect(fieldText(page, '.field-phone')).toBe(`手机号 ${M['IDENTITY.PHONE_INVALID']}`);
  });

  it('refuses 11 digits that are no mainland mobile number while still in the field', async () => {
    const page = await openForm();
    await typeInto(find(page, '.phone-input'), '12345678901', false);
    expect(fieldText(page, '.field-phone')).toBe(`手机号 ${M['IDENTITY.PHONE_INVALID']}`);
    await typeInto(find(page, '.phone-input'), '13812345678', false);
    expect(fieldText(page, '.field-phone')).toBe('手机号');
  });
});

describe('licence plate, on the plate keyboard', () => {
  it('starts with the province picker, then letters and digits', async () => {
    const page = await openForm();
    await tap(find(page, '.plate-box'));
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

  it('refuses a short plate when the keyboard is closed, the plate shown whole', async () => {
    const page = await openForm();
    await keys(page, '.plate', chars('闽D1234'));
    await closeKeypad(page);
    expect(fieldText(page, '.field-plate')).toBe(`车牌号 闽D1234 ${M['IDENTITY.PLATE_INVALID']}`);
  });

  it('takes an 8-character new-energy plate and nothing longer', async () => {
    const page = await openForm();
    const keypad = await keys(page, '.plate', chars('闽DD123456'));
    expect(textOf(find(keypad, '.pad-value'))).toBe('闽DD12345');
    expect(textOf(keypad)).not.toContain('车牌号格式不正确');
    await closeKeypad(page);
    expect(fieldText(page, '.field-plate')).toBe('车牌号 闽DD12345');
  });
});

describe('category and materials (R7)', () => {
  it('shows the materials of the category as soon as it is chosen, the choice marked', async () => {
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
    expect(
      findAll(page, '.category-option').map((o) => [textOf(o), o.dom?.getAttribute('class')]),
    ).toEqual([
      ['电子监控类', expect.not.stringContaining('option-on')],
      ['营运类', expect.not.stringContaining('option-on')],
      ['扣车类', expect.stringContaining('option-on')],
    ]);
  });
});

describe('going on', () => {
  it('on an empty form, says each field is empty under it, and brings the first into view (finding 6)', async () => {
    const page = await openForm();
    await tap(find(page, '.next'));
    expect(fieldText(page, '.field-name')).toBe(`姓名 ${M['IDENTITY.NAME_EMPTY']}`);
    expect(fieldText(page, '.field-id')).toBe(
      `身份证号 点这里输入 18 位号码 ${M['IDENTITY.ID_EMPTY']}`,
    );
    expect(fieldText(page, '.field-phone')).toBe(`手机号 ${M['IDENTITY.PHONE_EMPTY']}`);
    expect(textOf(find(page, '.category-error'))).toBe(M['IDENTITY.CATEGORY_INVALID']);
    expect(fieldText(page, '.field-plate')).toBe(
      `车牌号 先选省份，如 闽D12345 ${M['IDENTITY.PLATE_EMPTY']}`,
    );
    expect(textOf(find(page, '.summary'))).toBe('还有 5 处需要修改，请看红字提示');
    expect(wx.pageScrollTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ selector: '#field-name' }),
    );
    expect(wx.navigateTo).not.toHaveBeenCalled();
  });

  it('scrolls to the first wrong field, not the top, when the others are right', async () => {
    const page = await openForm();
    await fillForm(page, newPerson({ plate: '闽D1234' }));
    await tap(find(page, '.next'));
    expect(textOf(find(page, '.summary'))).toBe('还有 1 处需要修改，请看红字提示');
    expect(wx.pageScrollTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ selector: '#field-plate' }),
    );
    expect(page.querySelector('#field-plate')).toBeDefined();
  });

  it('hands on the person normalised as the server would, the ID and phone in memory only (R14)', async () => {
    const page = await openForm();
    const person = newPerson({ name: '阿依古丽 • 买买提' });
    await fillForm(page, person);
    await tap(find(page, '.next'));
    expect(lastUrl('navigateTo')).toBe('/pages/confirm/index');
    const app = (global as unknown as { __uiApp: { globalData: { session: unknown } } }).__uiApp;
    expect(app.globalData.session).toEqual(
      expect.objectContaining({
        person: { ...asInput(person), name: '阿依古丽·买买提' },
      }),
    );
    const stored = [...phoneStorage().values()].join();
    expect(stored).not.toContain(person.idNumber);
    expect(stored).not.toContain(person.phone);
  });
});

describe('nothing typed twice (finding 3)', () => {
  it('keeps the whole form when the citizen goes back to change the time and comes forward again', async () => {
    const person = newPerson();
    const first = await openForm();
    await fillForm(first, person);
    // 改时间, another period, forward again: a new form page, the same values.
    const again = (await openFormOn('2026-12-02', { id: 'am3', start: '11:00', end: '12:00' }))
      .comp;
    expect(again.data.values).toEqual({ ...asInput(person), vin: '' });
    expect(fieldText(again, '.field-id')).toContain(person.idNumber.slice(6, 14));
  });

  it('after a relaunch, fills the name, plate and category again but not the ID and phone, and says so', async () => {
    const person = newPerson({ category: '营运类' });
    const first = await openForm();
    await fillForm(first, person);
    // WeChat closed the mini program: memory is gone, storage stays.
    resetApp();
    const page = open('/pages/person-form/index?serviceId=siming-violation');
    await loaded(page);
    expect(page.comp.data.values).toEqual({
      name: person.name,
      idNumber: '',
      phone: '',
      plate: person.plate,
      category: 'commercial',
      vin: '',
    });
    expect(textOf(find(page.comp, '.chosen'))).toContain('12月2日 周三 09:00-10:00');
    expect(textOf(find(page.comp, '.restored'))).toBe(
      '已填入上次的姓名、车牌和类别。身份证号和手机号不保存在手机上，请重新输入。',
    );
  });

  it('asks 确定离开？ once something is typed, and not on an untouched form', async () => {
    const page = await openForm();
    expect(wx.enableAlertBeforeUnload).not.toHaveBeenCalled();
    await typeInto(find(page, '.name-input'), '林');
    expect(wx.enableAlertBeforeUnload).toHaveBeenCalledWith({
      message: '确定离开？已填的内容会保留；退出小程序后，身份证号和手机号需要重新填写。',
    });
  });
});

describe('the same rules as the server', () => {
  it.each([
    ['name', '.field-name', { name: '王5' }, '姓名'],
    ['phone', '.field-phone', { phone: '1385920' }, '手机号'],
  ] as const)(
    'the message under %s is the one the server answers for the same input',
    async (field, fieldClass, change, label) => {
      const page = await openForm();
      const person = newPerson(change);
      await fillForm(page, person);
      const server = await callBooking<{ ok: boolean; error: { message: string } }>('parity', {
        action: 'book',
        serviceId: 'siming-violation',
        date: '2026-12-02',
        person: asInput(person),
        requestId: `parity-${field}-0001`,
      });
      expect(server.ok).toBe(false);
      expect(fieldText(page, fieldClass)).toBe(`${label} ${server.error.message}`);
    },
  );
});

describe('loading', () => {
  it('says so when the service does not take bookings, without a retry', async () => {
    const app = (global as unknown as { __uiApp: { globalData: Record<string, unknown> } }).__uiApp;
    app.globalData.session = { slot: { date: '2026-12-02' } };
    const form = open('/pages/person-form/index?serviceId=no-such-service');
    await loaded(form);
    expect(textOf(form.comp)).toBe('该业务暂未开放预约');
  });

  it('offers a retry when the catalogue cannot load', async () => {
    failNext('offline');
    const form = await openFormOn();
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
