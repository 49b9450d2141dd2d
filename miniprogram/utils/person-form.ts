/**
 * R6 on the form: each field checked with the server's own validators (server/domain/identity.ts) as the
 * citizen types, and the message for its code shown under it. A field is not scolded while it is still
 * being typed: its error shows once it is long enough to be complete, or once the citizen has left it.
 */
import type { ErrorCode, PersonInput, ViolationCategory } from '../../typings/api';
import {
  NAME_MIN_LENGTH,
  validateCategory,
  validateIdNumber,
  validateName,
  validatePerson,
  validatePhone,
  validateVehicle,
  validatePlate,
  validateVin,
  type PersonField,
} from '../../server/domain/identity';
import { codeMessage } from './messages';

export type FormValues = Record<PersonField, string>;
export type FormErrors = Partial<Record<PersonField, string>>;

export const EMPTY_FORM: FormValues = {
  name: '',
  idNumber: '',
  phone: '',
  plate: '',
  category: '',
  vin: '',
};

export interface FormRules {
  /** China calendar day of the check (an ID's birth date may not be after it). */
  today: string;
  categories: readonly string[];
  /** The categories whose vehicle may have no plate yet (暂无号牌, R7 扣车类). */
  unplated?: readonly string[];
}

/** Length at which a field counts as fully typed. */
const COMPLETE_LENGTH: Record<PersonField, number> = {
  name: NAME_MIN_LENGTH,
  idNumber: 18,
  phone: 11,
  plate: 7,
  category: 1,
  vin: 17,
};

export const ID_LENGTH = 18;
export const PLATE_MAX_LENGTH = 8;

function fieldCode(field: PersonField, value: string, rules: FormRules): ErrorCode | undefined {
  let result: { ok: true } | { ok: false; code: ErrorCode };
  switch (field) {
    case 'name':
      result = validateName(value);
      break;
    case 'idNumber':
      result = validateIdNumber(value, rules.today);
      break;
    case 'phone':
      result = validatePhone(value);
      break;
    case 'plate':
      result = validatePlate(value);
      break;
    case 'category':
      result = validateCategory(value, rules.categories);
      break;
    case 'vin':
      result = validateVin(value);
      break;
  }
  return result.ok ? undefined : result.code;
}

/**
 * The message to show under `field` now, or '' for none. `left` is true once the citizen has left the
 * field (blurred it, closed its keyboard, or tried to go on).
 */
export function fieldMessage(
  field: PersonField,
  value: string,
  rules: FormRules,
  left: boolean,
): string {
  if (!left && Array.from(value.trim()).length < COMPLETE_LENGTH[field]) return '';
  const code = fieldCode(field, value, rules);
  return code ? codeMessage(code) : '';
}

export type FormCheck = { ok: true; person: PersonInput } | { ok: false; errors: FormErrors };

/**
 * The whole form, exactly as the server will check it (R6): the normalised person, or every error. With
 * `noPlate` (暂无号牌) the VIN is checked instead of the plate; without it the VIN is not sent.
 */
export function checkForm(values: FormValues, rules: FormRules, noPlate = false): FormCheck {
  const { vin, ...withPlate } = values;
  const result = validatePerson(noPlate ? { ...withPlate, plate: '', vin } : withPlate, rules);
  if (result.ok) return { ok: true, person: result.value };
  const errors: FormErrors = {};
  for (const e of result.errors) errors[e.field] = codeMessage(e.code);
  return { ok: false, errors };
}

export type VehicleCheck =
  | { ok: true; vehicle: { plate: string; category: ViolationCategory; vin?: string } }
  | { ok: false; errors: FormErrors };

/**
 * 常用办理人: only the vehicle is checked (plate or, 暂无号牌, the VIN, and the category); the person is
 * the server's, from an earlier booking of this account.
 */
export function checkVehicle(values: FormValues, rules: FormRules, noPlate = false): VehicleCheck {
  const input = noPlate
    ? { plate: '', vin: values.vin, category: values.category }
    : { plate: values.plate, category: values.category };
  const result = validateVehicle(input, rules);
  if (result.ok) return { ok: true, vehicle: result.value };
  const errors: FormErrors = {};
  for (const e of result.errors) errors[e.field] = codeMessage(e.code);
  return { ok: false, errors };
}

/** What the ID keyboard may add: digits, and `X` only as the 18th character (GB 11643 check digit). */
export function typeIdKey(current: string, key: string): string {
  if (current.length >= ID_LENGTH) return current;
  if (/^\d$/.test(key)) return current + key;
  if (key === 'X' && current.length === ID_LENGTH - 1) return current + key;
  return current;
}

/** What the plate keyboard may add: up to 8 characters (new-energy plates). */
export function typePlateKey(current: string, key: string): string {
  if (Array.from(current).length >= PLATE_MAX_LENGTH) return current;
  return current + key;
}

/** The string without its last character (a rare name character may be two UTF-16 units). */
export function dropLast(value: string): string {
  return Array.from(value).slice(0, -1).join('');
}

/** `3502031990…` shown in groups of 6-8-4 as on the card, for reading it back. */
export function groupId(id: string): string {
  return [id.slice(0, 6), id.slice(6, 14), id.slice(14)].filter(Boolean).join(' ');
}

/** `13859201234` shown as 3-4-4, `138 5920 1234`, for reading it back. */
export function groupPhone(phone: string): string {
  return [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)].filter(Boolean).join(' ');
}

/** A VIN shown as 3-6-8 (maker, descriptor with the check character, serial), for reading it back. */
export function groupVin(vin: string): string[] {
  return [vin.slice(0, 3), vin.slice(3, 9), vin.slice(9)].filter(Boolean);
}

/** The fields in the order the form shows them: the first wrong one is brought into view. */
export const FIELD_ORDER: readonly PersonField[] = [
  'name',
  'idNumber',
  'phone',
  'category',
  'plate',
  'vin',
];

/** The first field of `FIELD_ORDER` with a message, if any. */
export function firstWrong(errors: FormErrors): PersonField | undefined {
  return FIELD_ORDER.find((f) => Boolean(errors[f]));
}
