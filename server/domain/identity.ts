/**
 * R6 real identity: validation and normalisation of the person a booking names, and R14 masking.
 *
 * Pure and dependency-free: the same code runs in the mini program page (as the citizen types) and in the
 * cloud function (the authority). Every failure is an `IDENTITY.*` code; the Chinese message for it lives
 * in server/shared/errors.ts.
 */
import type { ErrorCode, PersonInput, ViolationCategory } from '../../typings/api';
import { isDateString } from './china-time';

/** The result of one field's validator: the normalised value, or the code that says what is wrong. */
export type FieldResult<T = string> = { ok: true; value: T } | { ok: false; code: ErrorCode };

export type PersonField = keyof PersonInput;

export interface FieldError {
  field: PersonField;
  code: ErrorCode;
}

export type PersonResult =
  { ok: true; value: PersonInput } | { ok: false; errors: [FieldError, ...FieldError[]] };

export interface PersonOptions {
  /** The China calendar day (`YYYY-MM-DD`) a birth date may not be after (R3). */
  today: string;
  /** The violation category ids configured for the service (R7). */
  categories: readonly string[];
  /**
   * Of those, the categories whose vehicle may have no plate yet (扣车类: "无牌提供合格证、发票", R7): a
   * person of such a category may give the VIN instead of the plate. Data of the catalogue; none when absent.
   */
  unplated?: readonly string[];
}

/** Every violation category the contract knows (typings/api.ts `ViolationCategory`). */
export const VIOLATION_CATEGORIES: readonly ViolationCategory[] = [
  'surveillance',
  'commercial',
  'impounded',
];

// ---------------------------------------------------------------------------------------------------
// Input clean-up shared by the fields

/**
 * Full-width ASCII (Ａ-Ｚ, ０-９, ＋…) and the ideographic space become their half-width forms; zero-width
 * characters that come with pasted text are dropped.
 */
function halfWidth(s: string): string {
  return s
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

function ok<T>(value: T): FieldResult<T> {
  return { ok: true, value };
}

function fail(code: ErrorCode): FieldResult<never> {
  return { ok: false, code };
}

// ---------------------------------------------------------------------------------------------------
// Name

/** Middle dots people type in ethnic-minority names (·•・･‧∙⋅); all are stored as U+00B7 `·`. */
const DOT_VARIANTS = /\s*[\u00B7\u2022\u30FB\uFF65\u2027\u2219\u22C5]\s*/g;

/**
 * Han characters: CJK Unified Ideographs and Extension A, compatibility ideographs, 〇, and the
 * supplementary-plane extensions B–F (rare characters do occur in real names).
 */
const HAN = '[\\u3007\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\u{20000}-\\u{2FA1F}]';
const HAS_HAN = new RegExp(HAN, 'u');
const CHINESE_NAME = new RegExp(`^${HAN}+(?:\u00B7${HAN}+)*$`, 'u');
/** Latin names of foreign nationals: words of letters, joined by single spaces, `-` or `'`. */
const LATIN_NAME = /^[A-Za-z]+(?:(?: |-|')[A-Za-z]+)*$/;

export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 20;

/**
 * R6: the real name as on the ID document, 2–20 characters after trimming (counted in characters, so a
 * rare supplementary-plane character counts as one). Chinese names may contain the middle dot `·` of
 * ethnic-minority names (variants are normalised to `·`, spaces inside are dropped); Latin names keep
 * single spaces between words. Each refusal says what is wrong (R6 "says exactly what is wrong"): empty
 * (`NAME_EMPTY`), a digit (`NAME_DIGITS`: `张3丰`), a symbol, misplaced dot or mixed scripts
 * (`NAME_CHARS`), else the length (`NAME_INVALID`).
 */
export function validateName(raw: unknown): FieldResult {
  if (typeof raw !== 'string') return fail('IDENTITY.NAME_EMPTY');
  let name = halfWidth(raw).trim().replace(DOT_VARIANTS, '\u00B7');
  if (HAS_HAN.test(name)) name = name.replace(/\s+/g, '');
  else name = name.replace(/\s+/g, ' ');
  if (name === '') return fail('IDENTITY.NAME_EMPTY');
  if (/\d/.test(name)) return fail('IDENTITY.NAME_DIGITS');
  if (!CHINESE_NAME.test(name) && !LATIN_NAME.test(name)) return fail('IDENTITY.NAME_CHARS');
  const length = Array.from(name).length;
  if (length < NAME_MIN_LENGTH || length > NAME_MAX_LENGTH) return fail('IDENTITY.NAME_INVALID');
  return ok(name);
}

// ---------------------------------------------------------------------------------------------------
// ID number (GB 11643-1999)

/**
 * First two digits of an 18-digit number: the 31 mainland provincial codes of GB/T 2260, 71 (Taiwan in
 * GB/T 2260) and 81/82/83, the address codes of residence permits for Hong Kong, Macau and Taiwan
 * residents (810000/820000/830000).
 */
// prettier-ignore
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', // 北京 天津 河北 山西 内蒙古
  '21', '22', '23', // 辽宁 吉林 黑龙江
  '31', '32', '33', '34', '35', '36', '37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41', '42', '43', '44', '45', '46', // 河南 湖北 湖南 广东 广西 海南
  '50', '51', '52', '53', '54', // 重庆 四川 贵州 云南 西藏
  '61', '62', '63', '64', '65', // 陕西 甘肃 青海 宁夏 新疆
  '71', '81', '82', '83', // 台湾 (GB/T 2260), 港 澳 台 residence permits
]);

/** The 31 mainland codes only: the province that issued a 2023 foreigner's permanent-residence ID. */
const MAINLAND_CODES: ReadonlySet<string> = new Set(
  [...PROVINCE_CODES].filter((c) => Number(c) < 70),
);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  const sum = ID_WEIGHTS.reduce((s, weight, i) => s + Number(first17.charAt(i)) * weight, 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/**
 * R6: an 18-digit resident ID number (also the same-format numbers of HK/Macau/Taiwan residence permits
 * and, first digit 9, the 2023 foreigner's permanent-residence ID). Spaces are stripped, full-width digits
 * and a lowercase `x` normalised. `today` (`YYYY-MM-DD`, China time) bounds the birth date.
 * Checked in the order format → region → birth date → check digit, so a mistyped birth date is reported
 * as such rather than as a bad check digit.
 */
export function validateIdNumber(raw: unknown, today: string): FieldResult {
  if (!isDateString(today)) throw new RangeError(`today is not a date: ${String(today)}`);
  if (typeof raw !== 'string') return fail('IDENTITY.ID_EMPTY');
  const id = halfWidth(raw).replace(/\s+/g, '').toUpperCase();
  if (id === '') return fail('IDENTITY.ID_EMPTY');
  if (/^\d{15}$/.test(id)) return fail('IDENTITY.ID_OLD_15');
  if (!/^\d{17}[\dX]$/.test(id)) return fail('IDENTITY.ID_FORMAT');
  const region = id.startsWith('9')
    ? MAINLAND_CODES.has(id.slice(1, 3))
    : PROVINCE_CODES.has(id.slice(0, 2));
  if (!region) return fail('IDENTITY.ID_PROVINCE');
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  // String order is date order for `YYYY-MM-DD`.
  if (!isDateString(birth) || birth < '1900-01-01' || birth > today) {
    return fail('IDENTITY.ID_BIRTH_DATE');
  }
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return fail('IDENTITY.ID_CHECK_DIGIT');
  return ok(id);
}

// ---------------------------------------------------------------------------------------------------
// Phone

/**
 * R6: a mainland mobile number, 11 digits `1[3-9]xxxxxxxxx`. Spaces, dashes and brackets are stripped,
 * and a leading country code (+86, 0086, 86) dropped.
 */
export function validatePhone(raw: unknown): FieldResult {
  if (typeof raw !== 'string') return fail('IDENTITY.PHONE_EMPTY');
  let phone = halfWidth(raw).replace(/[\s\-()]/g, '');
  if (phone === '') return fail('IDENTITY.PHONE_EMPTY');
  const country = /^(?:\+86|0086|86)(\d{11})$/.exec(phone);
  const national = country?.[1];
  if (national !== undefined) phone = national;
  return /^1[3-9]\d{9}$/.test(phone) ? ok(phone) : fail('IDENTITY.PHONE_INVALID');
}

// ---------------------------------------------------------------------------------------------------
// Licence plate (GA 36-2018)

/** What kind of plate a valid plate number is. */
export type PlateKind =
  | 'ordinary' // 普通: 闽D12345
  | 'new_energy_small' // 小型新能源: 闽DD12345, 闽DAB1234
  | 'new_energy_large' // 大型新能源: 闽D12345D
  | 'trailer' // 挂车: 闽D1234挂
  | 'coach' // 教练: 闽D1234学
  | 'police' // 警用: 闽D1234警
  | 'consulate' // 领馆: 沪A1234领
  | 'embassy' // 使馆: 使224009
  | 'hong_kong' // 粤Z…港
  | 'macau'; // 粤Z…澳

export type PlateResult =
  { ok: true; value: string; kind: PlateKind } | { ok: false; code: ErrorCode };

/** The 31 provincial abbreviations that open a civilian plate. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

const P = `[${PLATE_PROVINCES}]`;
/** Issuing-authority code and serial characters: A–Z and 0–9 without I and O (GA 36). */
const L = '[A-HJ-NP-Z]';
const C = '[A-HJ-NP-Z0-9]';
/**
 * First serial letter of 8-character new-energy plates: D (pure electric) and F (other) in GA 36-2018;
 * when a city's D/F ranges run out the letters A B C E (pure electric) and G H J K (other) follow.
 */
const NE = '[ABCDEFGHJK]';

const PLATE_SHAPES: readonly (readonly [PlateKind, RegExp])[] = [
  ['ordinary', new RegExp(`^${P}${L}${C}{5}$`)],
  ['new_energy_small', new RegExp(`^${P}${L}${NE}${C}\\d{4}$`)],
  ['new_energy_large', new RegExp(`^${P}${L}\\d{5}${NE}$`)],
  ['trailer', new RegExp(`^${P}${L}${C}{4}挂$`)],
  ['coach', new RegExp(`^${P}${L}${C}{4}学$`)],
  ['police', new RegExp(`^${P}${L}${C}{4}警$`)],
  ['consulate', new RegExp(`^${P}${L}${C}{4}领$`)],
  // 使 + 3-digit country code + 3-digit serial.
  ['embassy', /^使\d{6}$/],
  ['hong_kong', new RegExp(`^粤Z${C}{4}港$`)],
  ['macau', new RegExp(`^粤Z${C}{4}澳$`)],
];

/**
 * Military and armed-police plates are not handled by a traffic-police window: the current military shape
 * (two letters + 5 digits, `VA12345`), the older one opened by a military region or service character
 * (北 沈 兰 济 南 广 成 海 空 军 + letter + 5 digits; none is a provincial abbreviation), and anything
 * opened by `WJ` (武警).
 */
const MILITARY = [
  /^[A-Z]{2}\d{5}$/,
  /^[北沈兰济南广成海空军][A-Z]\d{5}$/,
  /^WJ[0-9A-Z\u4E00-\u9FFF]{4,8}$/,
];

/** Plate text as the citizen typed it → upper case, no spaces, dots or dashes. */
export function normalisePlate(raw: string): string {
  return halfWidth(raw)
    .replace(/[\s\u00B7\u2022\u30FB\uFF65\u2027.\-\u2010-\u2015]/g, '')
    .toUpperCase();
}

/**
 * R6: a mainland licence plate (GA 36-2018): ordinary 7-character plates, 8-character new-energy plates,
 * and the special plates a window handles (挂 学 警 领 使, 粤Z…港/澳). Military and armed-police plates
 * are refused with their own code. Each province's set of issuing letters is not checked (it changes).
 */
export function validatePlate(raw: unknown): PlateResult {
  if (typeof raw !== 'string') return { ok: false, code: 'IDENTITY.PLATE_EMPTY' };
  const plate = normalisePlate(raw);
  if (plate === '') return { ok: false, code: 'IDENTITY.PLATE_EMPTY' };
  for (const [kind, shape] of PLATE_SHAPES) {
    if (shape.test(plate)) return { ok: true, value: plate, kind };
  }
  if (MILITARY.some((shape) => shape.test(plate))) {
    return { ok: false, code: 'IDENTITY.PLATE_MILITARY' };
  }
  return { ok: false, code: 'IDENTITY.PLATE_INVALID' };
}

// ---------------------------------------------------------------------------------------------------
// Vehicle identification number (ISO 3779, GB 16735): a vehicle without a plate (R6, R7 扣车类)

export const VIN_LENGTH = 17;

/** ISO 3779 transliteration of the letters (I, O and Q never occur in a VIN). */
// prettier-ignore
const VIN_LETTER_VALUES: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
/** Weights of positions 1–17; position 9 is the check character itself (weight 0). */
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * The check character (position 9) of a 17-character VIN (ISO 3779 / North American practice, mandatory
 * in China by GB 16735): the weighted sum of the transliterated characters modulo 11, 10 written `X`.
 */
export function vinCheckChar(vin: string): string {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) throw new RangeError('expected 17 VIN characters');
  const sum = Array.from(vin).reduce((s, c, i) => {
    const value = /\d/.test(c) ? Number(c) : (VIN_LETTER_VALUES[c] ?? 0);
    return s + value * (VIN_WEIGHTS[i] ?? 0);
  }, 0);
  const rest = sum % 11;
  return rest === 10 ? 'X' : String(rest);
}

/**
 * R6 for a vehicle without a plate (扣车类: "无牌提供合格证、发票", R7): the 17-character vehicle
 * identification number (车架号) of its certificate of conformity, upper case, spaces and dashes dropped.
 * Refused: empty (`VIN_EMPTY`), not 17 letters and digits or holding I, O, Q (`VIN_FORMAT`), a wrong
 * check character at position 9 (`VIN_CHECK_DIGIT`), so a mistyped character is caught at the form.
 */
export function validateVin(raw: unknown): FieldResult {
  if (typeof raw !== 'string') return fail('IDENTITY.VIN_EMPTY');
  const vin = halfWidth(raw).replace(/[\s-]/g, '').toUpperCase();
  if (vin === '') return fail('IDENTITY.VIN_EMPTY');
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return fail('IDENTITY.VIN_FORMAT');
  if (vinCheckChar(vin) !== vin[8]) return fail('IDENTITY.VIN_CHECK_DIGIT');
  return ok(vin);
}

// ---------------------------------------------------------------------------------------------------
// Category

/** R6/R7: one of the category ids configured for the service, and one the contract knows. */
export function validateCategory(
  raw: unknown,
  categories: readonly string[],
): FieldResult<ViolationCategory> {
  const known = VIOLATION_CATEGORIES.find((c) => c === raw);
  if (known === undefined || !categories.includes(known)) return fail('IDENTITY.CATEGORY_INVALID');
  return ok(known);
}

// ---------------------------------------------------------------------------------------------------
// The whole person

/**
 * The plate of a person giving a VIN instead (暂无号牌): empty, and only for a category that allows an
 * unplated vehicle (R7 扣车类). A category not yet valid is reported on its own field, not here.
 */
function noPlate(
  raw: unknown,
  category: ViolationCategory | undefined,
  unplated: readonly string[],
): FieldResult {
  if (typeof raw === 'string' && normalisePlate(raw) !== '') return fail('IDENTITY.VIN_AND_PLATE');
  if (category !== undefined && !unplated.includes(category))
    return fail('IDENTITY.VIN_NOT_ALLOWED');
  return ok('');
}

/**
 * R6: every field of the person checked and normalised; on failure every wrong field is reported (the
 * page shows each code's message under its field), in the order name, idNumber, phone, plate, vin,
 * category. A person with `vin` (even empty) is one whose vehicle has no plate yet: the plate must be
 * empty, the category one of `options.unplated`, and the VIN valid.
 * Anything that is not an object counts as an object with every field missing.
 */
export function validatePerson(input: unknown, options: PersonOptions): PersonResult {
  const record: Record<string, unknown> =
    typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const name = validateName(record.name);
  const idNumber = validateIdNumber(record.idNumber, options.today);
  const phone = validatePhone(record.phone);
  const vehicle = vehicleFields(record, options);
  if (name.ok && idNumber.ok && phone.ok && vehicle.ok) {
    return {
      ok: true,
      value: {
        name: name.value,
        idNumber: idNumber.value,
        phone: phone.value,
        ...vehicle.value,
      },
    };
  }
  const errors: FieldError[] = [];
  if (!name.ok) errors.push({ field: 'name', code: name.code });
  if (!idNumber.ok) errors.push({ field: 'idNumber', code: idNumber.code });
  if (!phone.ok) errors.push({ field: 'phone', code: phone.code });
  if (!vehicle.ok) errors.push(...vehicle.errors);
  return nonEmpty(errors);
}

/** The vehicle half of a booking: the plate (or, 暂无号牌, the VIN) and the violation category. */
export type VehicleInput = Pick<PersonInput, 'plate' | 'category' | 'vin'>;

export type VehicleResult =
  { ok: true; value: VehicleInput } | { ok: false; errors: [FieldError, ...FieldError[]] };

/**
 * R6/R7: the vehicle of a booking for a person known already (常用办理人, whose name, ID and phone the
 * server has from an earlier booking): the plate or the VIN and the category, as in `validatePerson`.
 */
export function validateVehicle(
  input: unknown,
  options: Pick<PersonOptions, 'categories' | 'unplated'>,
): VehicleResult {
  const record: Record<string, unknown> =
    typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const vehicle = vehicleFields(record, options);
  return vehicle.ok ? vehicle : nonEmpty(vehicle.errors);
}

function vehicleFields(
  record: Record<string, unknown>,
  options: Pick<PersonOptions, 'categories' | 'unplated'>,
): { ok: true; value: VehicleInput } | { ok: false; errors: FieldError[] } {
  const category = validateCategory(record.category, options.categories);
  // 暂无号牌: a VIN given instead of the plate, for a category that allows it.
  const unplated = record.vin !== undefined;
  const plate: FieldResult = unplated
    ? noPlate(record.plate, category.ok ? category.value : undefined, options.unplated ?? [])
    : validatePlate(record.plate);
  const vin: FieldResult | undefined = unplated ? validateVin(record.vin) : undefined;
  if (plate.ok && category.ok && (vin?.ok ?? true)) {
    const value: VehicleInput = { plate: plate.value, category: category.value };
    if (vin?.ok) value.vin = vin.value;
    return { ok: true, value };
  }
  const errors: FieldError[] = [];
  if (!plate.ok) errors.push({ field: 'plate', code: plate.code });
  if (vin && !vin.ok) errors.push({ field: 'vin', code: vin.code });
  if (!category.ok) errors.push({ field: 'category', code: category.code });
  return { ok: false, errors };
}

function nonEmpty(errors: FieldError[]): { ok: false; errors: [FieldError, ...FieldError[]] } {
  const [first, ...rest] = errors;
  // Unreachable: callers return the value unless some field failed.
  if (first === undefined) throw new Error('no field failed');
  return { ok: false, errors: [first, ...rest] };
}

// ---------------------------------------------------------------------------------------------------
// R14 masking: what may be shown, logged or returned instead of the full value

function maskMiddle(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return (
    chars.slice(0, head).join('') +
    '*'.repeat(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

/** R14: an 18-character ID shows its first 4 and last 4 only: `3502**********1234`. */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber, 4, 4);
}

/** R14: `13812345678` → `138****5678` (first 3 and last 4 visible). */
export function maskPhone(phone: string): string {
  return maskMiddle(phone, 3, 4);
}

/**
 * R14: a VIN shows its maker's code (WMI, the first 3) and the last 4 only: `LSV**********1234`. It is a
 * permanent identifier that leads to the owner through the invoice and the registration, so it is kept
 * and shown like the ID number (docs/rules.md, R6).
 */
export function maskVin(vin: string): string {
  return maskMiddle(vin, 3, 4);
}

/** R14: `张三` → `张*`, `王小明` → `王*明`, `阿依古丽·买买提` → `阿******提`. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return maskMiddle(name, 1, 1);
}
