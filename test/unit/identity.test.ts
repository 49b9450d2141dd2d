import {
  idCheckChar,
  maskIdNumber,
  maskName,
  maskPhone,
  maskVin,
  validateCategory,
  validateIdNumber,
  validateName,
  validatePerson,
  validatePhone,
  validatePlate,
  validateVin,
  vinCheckChar,
  type PlateKind,
} from '../../server/domain/identity';
import type { ErrorCode } from '../../typings/errors';

const TODAY = '2026-11-26';
const CATEGORIES = ['surveillance', 'commercial', 'impounded'] as const;

/** Maps each input to the validator's answer, so one assertion shows the whole table. */
function answers<T>(inputs: readonly unknown[], fn: (raw: unknown) => T): [unknown, T][] {
  return inputs.map((raw) => [raw, fn(raw)]);
}

describe('R6 name', () => {
  it('accepts Chinese names, ethnic-minority names with a middle dot, and Latin names, normalised', () => {
    expect(
      answers(
        [
          '张三',
          '  欧阳娜娜 ',
          '王 小 明',
          '阿依古丽·买买提',
          '阿依古丽•买买提',
          '阿依古丽・买买提',
          '阿依古丽 · 买买提',
          '爱新觉罗·溥仪',
          '𠮷野',
          '李〇',
          'JOHN SMITH',
          '  Anna   Maria  Schmidt ',
          "O'NEIL-SMITH",
        ],
        (raw) => validateName(raw),
      ).map(([, r]) => r),
    ).toEqual([
      { ok: true, value: '张三' },
      { ok: true, value: '欧阳娜娜' },
      { ok: true, value: '王小明' },
      { ok: true, value: '阿依古丽·买买提' },
      { ok: true, value: '阿依古丽·买买提' },
      { ok: true, value: '阿依古丽·买买提' },
      { ok: true, value: '阿依古丽·买买提' },
      { ok: true, value: '爱新觉罗·溥仪' },
      { ok: true, value: '𠮷野' },
      { ok: true, value: '李〇' },
      { ok: true, value: 'JOHN SMITH' },
      { ok: true, value: 'Anna Maria Schmidt' },
      { ok: true, value: "O'NEIL-SMITH" },
    ]);
  });

  it('counts 2 to 20 characters after trimming (a supplementary-plane character counts once)', () => {
    const twenty = '阿'.repeat(20);
    expect(
      [' 张 ', '张', twenty, `${twenty}阿`, '𠮷', 'AB', 'A'].map((n) => validateName(n).ok),
    ).toEqual([false, false, true, false, false, true, false]);
  });

  it('says what is wrong with a name: empty, a digit, a symbol or mixed scripts, the length', () => {
    const cases: [unknown, ErrorCode][] = [
      ['张3', 'IDENTITY.NAME_DIGITS'],
      ['张3丰', 'IDENTITY.NAME_DIGITS'],
      ['John3', 'IDENTITY.NAME_DIGITS'],
      ['张三!', 'IDENTITY.NAME_CHARS'],
      ['张三@', 'IDENTITY.NAME_CHARS'],
      ['·张三', 'IDENTITY.NAME_CHARS'],
      ['张三·', 'IDENTITY.NAME_CHARS'],
      ['张··三', 'IDENTITY.NAME_CHARS'],
      ['张三.李四', 'IDENTITY.NAME_CHARS'],
      ['张三 Smith', 'IDENTITY.NAME_CHARS'],
      ['张', 'IDENTITY.NAME_INVALID'],
      ['阿'.repeat(21), 'IDENTITY.NAME_INVALID'],
      ['  ', 'IDENTITY.NAME_EMPTY'],
      ['', 'IDENTITY.NAME_EMPTY'],
      [undefined, 'IDENTITY.NAME_EMPTY'],
      [null, 'IDENTITY.NAME_EMPTY'],
      [42, 'IDENTITY.NAME_EMPTY'],
    ];
    expect(cases.map(([raw]) => [raw, validateName(raw)])).toEqual(
      cases.map(([raw, code]) => [raw, { ok: false, code }]),
    );
  });
});

describe('R6 ID number (GB 11643-1999)', () => {
  it('computes the check character of the standard example and of real-shaped numbers', () => {
    // 11010519491231002X is the worked example of GB 11643-1999.
    expect(
      ['11010519491231002', '35020319900101123', '35021119700615001', '81000019800101001'].map(
        idCheckChar,
      ),
    ).toEqual(['X', 'X', '0', '4']);
  });

  it('accepts valid numbers, normalising spaces, full-width digits and a lowercase x', () => {
    expect(
      answers(
        [
          '11010519491231002X',
          '11010519491231002x',
          '350205198511304567',
          '3502 1119 7006 1500 10',
          '３５０２０３１９９００１０１１２３Ｘ',
          '310115200002290048', // 29 Feb 2000, a leap day
          '650102202611260018', // born today
          '11010519000101001X', // the earliest birth date accepted
          '810000198001010014', // Hong Kong resident's residence permit
          '820000197506010025', // Macau
          '830000199005200024', // Taiwan
          '935156198503150016', // 2023 foreigner's permanent-residence ID, issued in Fujian (35)
        ],
        (raw) => validateIdNumber(raw, TODAY),
      ).map(([, r]) => r),
    ).toEqual([
      { ok: true, value: '11010519491231002X' },
      { ok: true, value: '11010519491231002X' },
      { ok: true, value: '350205198511304567' },
      { ok: true, value: '350211197006150010' },
      { ok: true, value: '35020319900101123X' },
      { ok: true, value: '310115200002290048' },
      { ok: true, value: '650102202611260018' },
      { ok: true, value: '11010519000101001X' },
      { ok: true, value: '810000198001010014' },
      { ok: true, value: '820000197506010025' },
      { ok: true, value: '830000199005200024' },
      { ok: true, value: '935156198503150016' },
    ]);
  });

  it('gives each kind of mistake its own code', () => {
    expect(
      answers(
        [
          '350203900101123', // 15 digits: old ID
          '3502 0390 0101 123', // 15 digits with spaces
          '35020319900101123', // 17 digits
          '3502031990010112345', // 19 digits
          '35020319900101123Y',
          '3502031990010X1234',
          '',
          '   ',
          undefined,
          350203199001011,
          '000000199001011234'.slice(0, 17) + '3', // province 00
          '990000199001011238', // 9 + 90: not a province of a foreigner's ID
          '910000199001011238', // 9 + 10: not a province either
          '720000199001011232', // 72 is not used
          '440304199002300010', // 30 February
          '350203199013011230', // month 13
          '110105189912310015', // 1899
          '650102202611270013', // born tomorrow
          '35020319900101123A',
          '350203199001011247', // right shape, wrong check digit
          '350211197006150011', // one digit off at the end
          '350211197006150100', // two digits swapped
        ],
        (raw) => validateIdNumber(raw, TODAY),
      ).map(([raw, r]) => [raw, r.ok ? r : r.code]),
    ).toEqual([
      ['350203900101123', 'IDENTITY.ID_OLD_15'],
      ['3502 0390 0101 123', 'IDENTITY.ID_OLD_15'],
      ['35020319900101123', 'IDENTITY.ID_FORMAT'],
      ['3502031990010112345', 'IDENTITY.ID_FORMAT'],
      ['35020319900101123Y', 'IDENTITY.ID_FORMAT'],
      ['3502031990010X1234', 'IDENTITY.ID_FORMAT'],
      ['', 'IDENTITY.ID_EMPTY'],
      ['   ', 'IDENTITY.ID_EMPTY'],
      [undefined, 'IDENTITY.ID_EMPTY'],
      [350203199001011, 'IDENTITY.ID_EMPTY'],
      ['000000199001011233', 'IDENTITY.ID_PROVINCE'],
      ['990000199001011238', 'IDENTITY.ID_PROVINCE'],
      ['910000199001011238', 'IDENTITY.ID_PROVINCE'],
      ['720000199001011232', 'IDENTITY.ID_PROVINCE'],
      ['440304199002300010', 'IDENTITY.ID_BIRTH_DATE'],
      ['350203199013011230', 'IDENTITY.ID_BIRTH_DATE'],
      ['110105189912310015', 'IDENTITY.ID_BIRTH_DATE'],
      ['650102202611270013', 'IDENTITY.ID_BIRTH_DATE'],
      ['35020319900101123A', 'IDENTITY.ID_FORMAT'],
      ['350203199001011247', 'IDENTITY.ID_CHECK_DIGIT'],
      ['350211197006150011', 'IDENTITY.ID_CHECK_DIGIT'],
      ['350211197006150100', 'IDENTITY.ID_CHECK_DIGIT'],
    ]);
  });

  it('bounds the birth date by the today argument (R3: a China calendar day)', () => {
    expect(validateIdNumber('650102202611270013', '2026-11-27')).toEqual({
      ok: true,
      value: '650102202611270013',
    });
    expect(() => validateIdNumber('650102202611270013', '2026-11-31')).toThrow(RangeError);
  });

  it('accepts all 31 mainland provinces and 71/81/82/83, refuses the other codes', () => {
    const accepted: string[] = [];
    for (let code = 10; code <= 89; code += 1) {
      const first17 = `${String(code)}0000199001011234`.slice(0, 17);
      if (validateIdNumber(first17 + idCheckChar(first17), TODAY).ok) accepted.push(String(code));
    }
    expect(accepted.join(' ')).toBe(
      '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83',
    );
  });

  it("accepts a foreigner's ID (first digit 9) issued by one of the 31 mainland provinces only", () => {
    const accepted: string[] = [];
    for (let code = 10; code <= 99; code += 1) {
      const first17 = `9${String(code)}156199001011234`.slice(0, 17);
      if (validateIdNumber(first17 + idCheckChar(first17), TODAY).ok) accepted.push(String(code));
    }
    expect(accepted.join(' ')).toBe(
      '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65',
    );
  });
});

describe('R6 phone', () => {
  it('accepts mainland mobiles, stripping separators and the country code', () => {
    expect(
      [
        '13812345678',
        '138 1234 5678',
        '138-1234-5678',
        '+86 138 1234 5678',
        '+8613812345678',
        '8613812345678',
        '0086 13812345678',
        '(+86) 19912345678',
        '１５９５９２０１２３４',
        '16600001111',
        '17012345678',
      ].map((p) => validatePhone(p)),
    ).toEqual([
      { ok: true, value: '13812345678' },
      { ok: true, value: '13812345678' },
      { ok: true, value: '13812345678' },
      { ok: true, value: '13812345678' },
      { ok: true, value: '13812345678' },
      { ok: true, value: '13812345678' },
      { ok: true, value: '13812345678' },
      { ok: true, value: '19912345678' },
      { ok: true, value: '15959201234' },
      { ok: true, value: '16600001111' },
      { ok: true, value: '17012345678' },
    ]);
  });

  it('tells an empty phone number it is empty', () => {
    expect(['', ' - ', null].map((p) => validatePhone(p))).toEqual(
      [1, 2, 3].map(() => ({ ok: false, code: 'IDENTITY.PHONE_EMPTY' })),
    );
  });

  it('refuses landlines, short, long, 1[0-2] prefixes and letters with IDENTITY.PHONE_INVALID', () => {
    const refused = [
      '12812345678',
      '11012345678',
      '10086',
      '1381234567',
      '138123456789',
      '0592-1234567',
      '05921234567',
      '+85291234567',
      '+1 415 555 0100',
      '1381234567a',
    ];
    expect(refused.map((p) => validatePhone(p))).toEqual(
      refused.map(() => ({ ok: false, code: 'IDENTITY.PHONE_INVALID' })),
    );
  });
});

describe('R6 licence plate (GA 36-2018)', () => {
  const kinds = (plates: readonly unknown[]): [unknown, string, PlateKind | ErrorCode][] =>
    plates.map((p) => {
      const r = validatePlate(p);
      return r.ok ? [p, r.value, r.kind] : [p, '', r.code];
    });

  it('accepts ordinary plates of every province, normalising case and separators', () => {
    expect(
      kinds([
        '闽D12345',
        '闽DA1234',
        '闽D·3Q8N6',
        '闽d-ab123',
        ' 京 A 8 8 8 8 8 ',
        '沪C12345',
        '粤B5Z2H8',
        '新R12345',
        '藏A0001A',
        '闽Ｄ１２３４５',
      ]),
    ).toEqual([
      ['闽D12345', '闽D12345', 'ordinary'],
      ['闽DA1234', '闽DA1234', 'ordinary'],
      ['闽D·3Q8N6', '闽D3Q8N6', 'ordinary'],
      ['闽d-ab123', '闽DAB123', 'ordinary'],
      [' 京 A 8 8 8 8 8 ', '京A88888', 'ordinary'],
      ['沪C12345', '沪C12345', 'ordinary'],
      ['粤B5Z2H8', '粤B5Z2H8', 'ordinary'],
      ['新R12345', '新R12345', 'ordinary'],
      ['藏A0001A', '藏A0001A', 'ordinary'],
      ['闽Ｄ１２３４５', '闽D12345', 'ordinary'],
    ]);
    const provinces = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
    expect(Array.from(provinces).filter((p) => !validatePlate(`${p}A12345`).ok)).toEqual([]);
  });

  it('accepts 8-character new-energy plates: small (D/F and the follow-on letters) and large', () => {
    expect(
      kinds([
        '闽DD12345',
        '闽DF12345',
        '京AD80234',
        '粤BDF1234',
        '沪AF02976',
        '京AA12345',
        '京AB12345',
        '京AC12345',
        '京AE12345',
        '京AG12345',
        '京AH12345',
        '京AJ12345',
        '京AK12345',
        '闽d·d1234 5',
        '辽D46234F',
        '闽D12345D',
        '粤B03686D',
      ]),
    ).toEqual([
      ['闽DD12345', '闽DD12345', 'new_energy_small'],
      ['闽DF12345', '闽DF12345', 'new_energy_small'],
      ['京AD80234', '京AD80234', 'new_energy_small'],
      ['粤BDF1234', '粤BDF1234', 'new_energy_small'],
      ['沪AF02976', '沪AF02976', 'new_energy_small'],
      ['京AA12345', '京AA12345', 'new_energy_small'],
      ['京AB12345', '京AB12345', 'new_energy_small'],
      ['京AC12345', '京AC12345', 'new_energy_small'],
      ['京AE12345', '京AE12345', 'new_energy_small'],
      ['京AG12345', '京AG12345', 'new_energy_small'],
      ['京AH12345', '京AH12345', 'new_energy_small'],
      ['京AJ12345', '京AJ12345', 'new_energy_small'],
      ['京AK12345', '京AK12345', 'new_energy_small'],
      ['闽d·d1234 5', '闽DD12345', 'new_energy_small'],
      ['辽D46234F', '辽D46234F', 'new_energy_large'],
      ['闽D12345D', '闽D12345D', 'new_energy_large'],
      ['粤B03686D', '粤B03686D', 'new_energy_large'],
    ]);
  });

  it('accepts the special plates a window handles: 挂 学 警 领 使 港 澳', () => {
    expect(
      kinds([
        '闽D1234挂',
        '闽DA123挂',
        '闽D0123学',
        '闽D0001警',
        '沪A1234领',
        '粤A0123领',
        '使224009',
        '使 014·578',
        '使196-013',
        '粤Z1234港',
        '粤ZF023港',
        '粤Z1234澳',
        '粤Z·A2B3澳',
      ]),
    ).toEqual([
      ['闽D1234挂', '闽D1234挂', 'trailer'],
      ['闽DA123挂', '闽DA123挂', 'trailer'],
      ['闽D0123学', '闽D0123学', 'coach'],
      ['闽D0001警', '闽D0001警', 'police'],
      ['沪A1234领', '沪A1234领', 'consulate'],
      ['粤A0123领', '粤A0123领', 'consulate'],
      ['使224009', '使224009', 'embassy'],
      ['使 014·578', '使014578', 'embassy'],
      ['使196-013', '使196013', 'embassy'],
      ['粤Z1234港', '粤Z1234港', 'hong_kong'],
      ['粤ZF023港', '粤ZF023港', 'hong_kong'],
      ['粤Z1234澳', '粤Z1234澳', 'macau'],
      ['粤Z·A2B3澳', '粤ZA2B3澳', 'macau'],
    ]);
  });

  it('refuses military and armed-police plates with IDENTITY.PLATE_MILITARY', () => {
    const refused = [
      'VA12345',
      'KV12345',
      'HA12345',
      'va-12345',
      'ZC 12345',
      '北K12345',
      '沈D12345',
      '兰C-12345',
      '济B12345',
      '南J12345',
      '广Z12345',
      '成D12345',
      '海J12345',
      '空K12345',
      'WJ闽12345',
      'WJ·京0001X',
      'WJ32-01234',
      'wj粤1234x',
    ];
    expect(kinds(refused)).toEqual(refused.map((p) => [p, '', 'IDENTITY.PLATE_MILITARY']));
  });

  it('refuses everything else with IDENTITY.PLATE_INVALID', () => {
    const refused = [
      '闽I12345', // I is never an issuing letter
      '闽O12345', // nor O
      '闽D1234I', // nor in the serial
      '闽DO1234',
      '闽D1234', // too short
      '闽D123456', // 8 characters, not a new-energy shape
      '闽DL12345', // L is not a new-energy letter
      '闽D1234FD', // large new-energy needs 5 digits
      '闽DD1A234', // small new-energy needs 4 digits at the end
      '闽D12345Z',
      '港D12345', // not a province
      '台A12345',
      'AD12345X',
      '京A1234挂警',
      '闽D1234港', // 港/澳 only with 粤Z
      '粤B1234澳',
      '使22400', // 使 + 6 digits
      '使A22409',
      'D12345', // province missing
      '闽D12@45',
      '临A12345',
      'WJ', // too short to be armed police
    ];
    expect(kinds(refused)).toEqual(refused.map((p) => [p, '', 'IDENTITY.PLATE_INVALID']));
  });

  it('tells an empty plate it is empty, not that its format is wrong (R6)', () => {
    const empty = ['', ' ', ' · ', undefined, 7];
    expect(kinds(empty)).toEqual(empty.map((p) => [p, '', 'IDENTITY.PLATE_EMPTY']));
  });
});

describe('R6/R7 vehicle identification number of a vehicle without a plate (ISO 3779 check at position 9)', () => {
  // The worked example of the check character (ISO 3779 / 49 CFR 565), X at position 9.
  const EXAMPLE = '1M8GDM9AXKP042788';

  it('computes the check character of the worked example', () => {
    expect(vinCheckChar(EXAMPLE)).toBe('X');
  });

  it('accepts a VIN with its check character, normalising case, spaces, dashes and full width', () => {
    expect(
      answers([EXAMPLE, '1m8gdm9axkp042788', ' 1M8G DM9A-XKP0 42788 ', '１M8GDM9AXKP042788'], (v) =>
        validateVin(v),
      ).map(([, a]) => a),
    ).toEqual([0, 1, 2, 3].map(() => ({ ok: true, value: EXAMPLE })));
  });

  it('says what is wrong: empty, not 17 letters and digits (I, O, Q never occur), the check character', () => {
    expect(
      answers(
        [
          '',
          undefined,
          '1M8GDM9AXKP04278',
          '1M8GDM9AXKP0427888',
          '1M8GDM9AXKPO42788',
          '1M8GDM9A1KP042788',
        ],
        (v) => {
          const r = validateVin(v);
          return r.ok ? 'ok' : r.code;
        },
      ).map(([, a]) => a),
    ).toEqual([
      'IDENTITY.VIN_EMPTY',
      'IDENTITY.VIN_EMPTY',
      'IDENTITY.VIN_FORMAT',
      'IDENTITY.VIN_FORMAT',
      'IDENTITY.VIN_FORMAT',
      'IDENTITY.VIN_CHECK_DIGIT',
    ]);
  });

  it('one character mistyped as another of a different value is caught anywhere but position 9', () => {
    // '0' has a value no letter has; a weight 2–10 times a difference 1–9 is never a multiple of 11.
    // (A letter typed as the digit of the same value, A for 1, is the check's known blind spot.)
    const chars = Array.from(EXAMPLE);
    const caught = chars.map((c, i) => {
      if (i === 8) return true;
      const typo = [...chars.slice(0, i), c === '0' ? '5' : '0', ...chars.slice(i + 1)].join('');
      return validateVin(typo);
    });
    expect(caught.filter((r) => r !== true && r.ok)).toEqual([]);
    expect(validateVin('1M8GDM91XKP042788')).toEqual({ ok: true, value: '1M8GDM91XKP042788' });
  });

  const options = {
    today: TODAY,
    categories: CATEGORIES,
    unplated: ['impounded'],
  };
  const base = {
    name: '张三',
    idNumber: '11010519491231002X',
    phone: '13812345678',
  };

  it('a person of an unplated category (扣车类) may give the VIN instead of the plate (R7)', () => {
    expect(
      validatePerson(
        { ...base, plate: '', vin: EXAMPLE.toLowerCase(), category: 'impounded' },
        options,
      ),
    ).toEqual({
      ok: true,
      value: { ...base, plate: '', vin: EXAMPLE, category: 'impounded' },
    });
  });

  it('refuses a VIN for other categories, with a plate, or when wrong — each on its field', () => {
    const codes = (input: Record<string, string>) => {
      const r = validatePerson({ ...base, ...input }, options);
      return r.ok ? 'ok' : r.errors;
    };
    expect([
      codes({ plate: '', vin: EXAMPLE, category: 'surveillance' }),
      codes({ plate: '闽D12345', vin: EXAMPLE, category: 'impounded' }),
      codes({ plate: '', vin: '1M8GDM9A1KP042788', category: 'impounded' }),
      codes({ plate: '', vin: '', category: 'impounded' }),
      // Without `vin` the plate is required as always.
      codes({ plate: '', category: 'impounded' }),
    ]).toEqual([
      [{ field: 'plate', code: 'IDENTITY.VIN_NOT_ALLOWED' }],
      [{ field: 'plate', code: 'IDENTITY.VIN_AND_PLATE' }],
      [{ field: 'vin', code: 'IDENTITY.VIN_CHECK_DIGIT' }],
      [{ field: 'vin', code: 'IDENTITY.VIN_EMPTY' }],
      [{ field: 'plate', code: 'IDENTITY.PLATE_EMPTY' }],
    ]);
  });

  it('no category allows it unless the catalogue says so', () => {
    const r = validatePerson(
      { ...base, plate: '', vin: EXAMPLE, category: 'impounded' },
      { today: TODAY, categories: CATEGORIES },
    );
    expect(r).toEqual({
      ok: false,
      errors: [{ field: 'plate', code: 'IDENTITY.VIN_NOT_ALLOWED' }],
    });
  });

  it('R14: masks a VIN but its maker code (first 3) and last 4', () => {
    expect(maskVin(EXAMPLE)).toBe('1M8**********2788');
  });
});

describe('R6/R7 category', () => {
  it('accepts a configured category and refuses others with IDENTITY.CATEGORY_INVALID', () => {
    expect(
      answers(['surveillance', 'impounded', 'commercial', 'other', '', undefined, 1], (raw) =>
        validateCategory(raw, ['surveillance', 'impounded']),
      ).map(([, r]) => (r.ok ? r.value : r.code)),
    ).toEqual([
      'surveillance',
      'impounded',
      'IDENTITY.CATEGORY_INVALID',
      'IDENTITY.CATEGORY_INVALID',
      'IDENTITY.CATEGORY_INVALID',
      'IDENTITY.CATEGORY_INVALID',
      'IDENTITY.CATEGORY_INVALID',
    ]);
  });

  it('refuses an id configured in the database but unknown to the contract', () => {
    expect(validateCategory('parking', ['parking'])).toEqual({
      ok: false,
      code: 'IDENTITY.CATEGORY_INVALID',
    });
  });
});

describe('R6 the whole person', () => {
  const options = { today: TODAY, categories: CATEGORIES };

  it('returns the normalised person when every field is right', () => {
    expect(
      validatePerson(
        {
          name: ' 阿依古丽•买买提 ',
          idNumber: '11010519491231002x',
          phone: '+86 138-1234-5678',
          plate: '闽d·dA123 4',
          category: 'impounded',
          extra: 'ignored',
        },
        options,
      ),
    ).toEqual({
      ok: true,
      value: {
        name: '阿依古丽·买买提',
        idNumber: '11010519491231002X',
        phone: '13812345678',
        plate: '闽DDA1234',
        category: 'impounded',
      },
    });
  });

  it('reports every wrong field with its own code, in form order', () => {
    expect(
      validatePerson(
        {
          name: '张3',
          idNumber: '350203900101123',
          phone: '12345',
          plate: 'VA12345',
          category: 'parking',
        },
        options,
      ),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'name', code: 'IDENTITY.NAME_DIGITS' },
        { field: 'idNumber', code: 'IDENTITY.ID_OLD_15' },
        { field: 'phone', code: 'IDENTITY.PHONE_INVALID' },
        { field: 'plate', code: 'IDENTITY.PLATE_MILITARY' },
        { field: 'category', code: 'IDENTITY.CATEGORY_INVALID' },
      ],
    });
  });

  it('reports only the wrong fields', () => {
    expect(
      validatePerson(
        {
          name: '张三',
          idNumber: '350203199001011247',
          phone: '13812345678',
          plate: '闽D12345',
          category: 'surveillance',
        },
        options,
      ),
    ).toEqual({ ok: false, errors: [{ field: 'idNumber', code: 'IDENTITY.ID_CHECK_DIGIT' }] });
  });

  it('treats a missing or non-object input as every field missing, each told it is empty', () => {
    const all = [
      { field: 'name', code: 'IDENTITY.NAME_EMPTY' },
      { field: 'idNumber', code: 'IDENTITY.ID_EMPTY' },
      { field: 'phone', code: 'IDENTITY.PHONE_EMPTY' },
      { field: 'plate', code: 'IDENTITY.PLATE_EMPTY' },
      { field: 'category', code: 'IDENTITY.CATEGORY_INVALID' },
    ];
    expect([undefined, null, 'person', {}].map((i) => validatePerson(i, options))).toEqual(
      [0, 1, 2, 3].map(() => ({ ok: false, errors: all })),
    );
  });
});

describe('R14 masking', () => {
  it('shows the first 4 and last 4 of an ID number, the first 3 and last 4 of a phone', () => {
    expect([
      maskIdNumber('35020319900101123X'),
      maskIdNumber('810000198001010014'),
      maskPhone('13812345678'),
      maskPhone('15959201234'),
    ]).toEqual(['3502**********123X', '8100**********0014', '138****5678', '159****1234']);
  });

  it('never returns a short value in full', () => {
    expect([maskIdNumber('12345678'), maskPhone('1234567'), maskIdNumber('')]).toEqual([
      '********',
      '*******',
      '',
    ]);
  });

  it('masks names but the first (and last) character', () => {
    expect(
      ['张三', '王小明', '欧阳娜娜', '阿依古丽·买买提', 'JOHN SMITH', '张'].map(maskName),
    ).toEqual(['张*', '王*明', '欧**娜', '阿******提', 'J********H', '*']);
  });
});
