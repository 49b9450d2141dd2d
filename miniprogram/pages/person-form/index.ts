/**
 * Step 2 of 3: the person who will attend (R6) and the violation category with its materials (R7), for
 * the day and period chosen in step 1. Every field is checked with the server's own validators as it is
 * typed; the message says exactly what is wrong and shows under the field, and 下一步 brings the first
 * wrong field into view. What is typed survives going back and forth (memory) and, except the ID and
 * phone numbers (R14), a relaunch (services/draft.ts).
 *
 * Issue 12: a person booked before is one tap (常用办理人, masked by the server, finding 3); a complete
 * ID is checked at once against what this account holds (precheck, finding 4); a category whose vehicle
 * may have no plate offers 暂无号牌 and asks the VIN instead (finding 2).
 *
 * Issue 15 (R15): a verified account chooses 本人 — the name and ID are its verification's, shown masked,
 * neither retyped nor editable; `book` gets `self` — or 为他人预约, the form as before. An account not
 * verified sees the form, and a quiet link to 实名认证 where the city has a facility.
 */
import type { CategoryInfo, ErrorCode, KnownPerson, Material } from '../../../typings/api';
import type { PersonField } from '../../../server/domain/identity';
import { chinaDate } from '../../../server/domain/china-time';
import type { KeyPadMode } from '../../components/key-pad/index';
import { callApi, errorMessage, loadFailed } from '../../services/api';
import { findService, loadCatalogue } from '../../services/catalogue';
import { readDraft, writeDraft } from '../../services/draft';
import { loadIdentityState } from '../../services/identity';
import {
  askBeforeLeaving,
  backOr,
  leaveWithoutAsking,
  navigateTo,
  redirectTo,
  scrollToSelector,
} from '../../services/platform';
import { session, type SlotChoice } from '../../services/session';
import { dayLabel, periodLabel } from '../../utils/format';
import {
  EMPTY_FORM,
  ID_LENGTH,
  checkForm,
  checkVehicle,
  dropLast,
  fieldMessage,
  firstWrong,
  groupId,
  typeIdKey,
  typePlateKey,
  type FormErrors,
  type FormRules,
  type FormValues,
} from '../../utils/person-form';

type KeypadField = 'idNumber' | 'plate';

const KEYPAD_TITLE: Record<KeypadField, string> = {
  idNumber: '输入身份证号',
  plate: '输入车牌号',
};

/** What "确定离开？" says: what going back keeps, and what a relaunch does not (R14). */
const LEAVE_MESSAGE = '确定离开？已填的内容会保留；退出小程序后，身份证号和手机号需要重新填写。';

const RESTORED_NOTE = '已填入上次的姓名、车牌和类别。身份证号和手机号不保存在手机上，请重新输入。';

/** Vant's `change` events carry the bare value as their detail. */
interface ValueEvent<T> {
  detail: T;
}

interface FormData {
  loading: boolean;
  error: string;
  retryable: boolean;
  officeName: string;
  serviceName: string;
  /** The chosen day and period, `12月3日 周四 10:00-11:00`. */
  slotText: string;
  categories: CategoryInfo[];
  values: FormValues;
  errors: FormErrors;
  /** The ID as typed, in groups of 6-8-4 that never break inside. */
  idGroups: string[];
  materials: Material[];
  summary: string;
  restoredNote: string;
  keypadShow: boolean;
  keypadMode: KeyPadMode;
  keypadField: KeypadField;
  keypadTitle: string;
  /** 常用办理人 of this account, masked by the server; empty when none (or not loaded). */
  persons: KnownPerson[];
  /** The chosen one's ref, '' while the person is typed. */
  knownRef: string;
  /** Whether the chosen category lets the vehicle have no plate yet (R7 扣车类). */
  unplatedOk: boolean;
  /** 暂无号牌: the VIN is asked instead of the plate. */
  noPlate: boolean;
  /** The account's verified person (masked), or null: then there is no 本人 choice. */
  verified: { nameMasked: string; idMasked: string } | null;
  /** 本人 or 为他人预约, for a verified account. */
  forWhom: 'self' | 'other';
  /** The quiet 实名认证 link, for an account not verified where the city has a facility. */
  identityLink: boolean;
  /**
   * R15 `requireVerification`: the office books only verified accounts and this one is not: said before
   * anything is filled in, with 去实名认证 (not only when 提交预约 is refused).
   */
  verifyRequired: boolean;
}

/** What precheck may tell about the ID as soon as it is complete (R5; issue 15 limits it to own facts). */
const PRECHECK_CODES: readonly ErrorCode[] = [
  'BOOKING.PERSON_ALREADY_BOOKED',
  'BOOKING.ACCOUNT_LIMIT',
];

interface FormCustom {
  /** The complete ID precheck refused, and why: shown under it until the ID changes. */
  refused: { id: string; message: string } | undefined;
  unplatedIds: string[];
  loadPersons(): Promise<void>;
  precheck(idNumber: string): Promise<void>;
  onKnownTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { ref: string }>): void;
  onKnownNew(): void;
  /** Whether `onShow` has run once (the first comes with the load). */
  shown: boolean;
  loadIdentity(): Promise<void>;
  onForWhom(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { to: 'self' | 'other' }>,
  ): void;
  onIdentity(): void;
  onNoPlateTap(): void;
  onVinChange(event: ValueEvent<string>): void;
  onVinBlur(): void;
  /** Fields the citizen has left at least once: their errors show whatever their length. */
  left: Partial<Record<PersonField, boolean>>;
  serviceId: string;
  categoryIds: string[];
  /** Whether "确定离开？" is armed now. */
  asking: boolean;
  load(): Promise<void>;
  onRetry(): void;
  rules(): FormRules;
  materialsOf(category: string, categories: CategoryInfo[]): Material[];
  update(field: PersonField, value: string): void;
  leave(field: PersonField): void;
  remember(): void;
  onNameChange(event: ValueEvent<string>): void;
  onNameBlur(): void;
  onPhoneChange(event: ValueEvent<string>): void;
  onPhoneBlur(): void;
  openKeypad(field: KeypadField): void;
  onOpenId(): void;
  onOpenPlate(): void;
  onKeypadKey(event: WechatMiniprogram.CustomEvent<{ key: string }>): void;
  onKeypadDelete(): void;
  onKeypadClose(): void;
  closeKeypad(): void;
  onCategoryTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  refreshSummary(): void;
  onChangeSlot(): void;
  onNext(): void;
}

function initialData(): FormData {
  return {
    loading: true,
    error: '',
    retryable: true,
    officeName: '',
    serviceName: '',
    slotText: '',
    categories: [],
    values: { ...EMPTY_FORM },
    errors: {},
    idGroups: [],
    materials: [],
    summary: '',
    restoredNote: '',
    keypadShow: false,
    keypadMode: 'id',
    keypadField: 'idNumber',
    keypadTitle: '',
    persons: [],
    knownRef: '',
    unplatedOk: false,
    noPlate: false,
    verified: null,
    forWhom: 'other',
    identityLink: false,
    verifyRequired: false,
  };
}

function slotText(slot: SlotChoice): string {
  const period = slot.start && slot.end ? ` ${periodLabel(slot.start, slot.end)}` : '';
  return `${dayLabel(slot.date)}${period}`;
}

function summaryOf(wrong: number): string {
  return wrong > 0 ? `还有 ${wrong} 处需要修改，请看红字提示` : '';
}

Page<FormData, FormCustom>({
  left: {},
  serviceId: '',
  categoryIds: [],
  unplatedIds: [],
  refused: undefined,
  asking: false,
  shown: false,
  data: initialData(),

  onLoad(query) {
    this.left = {};
    this.asking = false;
    this.refused = undefined;
    this.shown = false;
    const s = session();
    this.serviceId = query.serviceId ?? s.serviceId ?? '';
    const draft = readDraft(this.serviceId, Date.now());
    s.slot ??= draft?.slot;
    const slot = s.slot;
    if (!slot) {
      // Step 1 first: the day decides whether the person may book (R2, R5).
      redirectTo(`/pages/slot/index?serviceId=${encodeURIComponent(this.serviceId)}`);
      return;
    }
    // Back from a later step, the form is in memory as typed; after a relaunch, the draft's part of it.
    let values: FormValues = s.form ?? { ...EMPTY_FORM };
    let restoredNote = '';
    if (!s.form && draft && (draft.name || draft.plate || draft.category)) {
      values = { ...EMPTY_FORM, name: draft.name, plate: draft.plate, category: draft.category };
      restoredNote = RESTORED_NOTE;
    }
    const known = s.known;
    this.setData({
      values,
      idGroups: groupId(values.idNumber).split(' ').filter(Boolean),
      slotText: slotText(slot),
      restoredNote,
      knownRef: known?.input.ref ?? '',
      noPlate: known ? known.input.vin !== undefined : values.plate === '' && values.vin !== '',
      ...(known ? { persons: [known.person] } : {}),
    });
    void this.load();
    void this.loadPersons();
    void this.loadIdentity();
  },

  onShow() {
    // Back from 实名认证 (the quiet link): 本人 may be offered now (a verification there forgot the
    // remembered state, so it is asked again; a visit without a change asks nothing).
    if (this.shown && (this.data.identityLink || this.data.verifyRequired))
      void this.loadIdentity();
    this.shown = true;
  },

  /**
   * R15: a verified account gets the 本人 / 为他人预约 choice, 本人 first unless another person is on
   * the form already (an ID typed, a 常用办理人 chosen); a failure only leaves the form as it was. The
   * state comes from the app's memory while fresh (services/identity.ts, shared with 我的), so a second
   * visit to the form within a minute, or a return from 实名认证 without a change, asks nothing.
   */
  async loadIdentity() {
    const res = await loadIdentityState();
    if (!res.ok) return;
    const v = res.data.verified;
    if (!v) {
      const required = res.data.required && res.data.method !== 'off';
      this.setData({
        verified: null,
        identityLink: res.data.method !== 'off' && !required,
        verifyRequired: required,
      });
      return;
    }
    const s = session();
    const other = this.data.values.idNumber !== '' || this.data.knownRef !== '';
    const forWhom = s.forWhom ?? (other ? 'other' : 'self');
    s.forWhom = forWhom;
    this.setData({
      verified: { nameMasked: v.nameMasked, idMasked: v.idMasked },
      identityLink: false,
      verifyRequired: false,
      forWhom,
    });
  },

  onForWhom(event) {
    const to = event.currentTarget.dataset.to;
    session().forWhom = to;
    this.setData({ forWhom: to, errors: {}, summary: '' });
  },

  onIdentity() {
    navigateTo('/pages/identity/index');
  },

  /** 常用办理人: shown when the account booked before; a failure only hides the list. */
  async loadPersons() {
    const res = await callApi('persons', {});
    if (res.ok && res.data.persons.length > 0) this.setData({ persons: res.data.persons });
  },

  onKnownTap(event) {
    const ref = event.currentTarget.dataset.ref;
    const person = this.data.persons.find((p) => p.ref === ref);
    if (!person) return;
    // The person is the server's; the vehicle starts as last time and may be changed.
    this.setData({
      knownRef: ref,
      noPlate: person.vinMasked !== undefined && this.unplatedIds.includes(person.category),
      errors: {},
      summary: '',
    });
    if (this.data.values.category === '') this.update('category', person.category);
    if (this.data.values.plate === '' && person.plate) this.update('plate', person.plate);
    this.remember();
  },

  onKnownNew() {
    delete session().known;
    this.setData({ knownRef: '', errors: {}, summary: '' });
  },

  onNoPlateTap() {
    this.setData({ noPlate: !this.data.noPlate, 'errors.plate': '', 'errors.vin': '' });
    this.remember();
  },
  onVinChange(event) {
    this.update('vin', event.detail.toUpperCase());
  },
  onVinBlur() {
    this.leave('vin');
  },

  /**
   * R5 as soon as the ID is complete (finding 4): only what this account holds is told (the person's
   * booking of the day by this account, the account's limit); `book` says the rest.
   */
  async precheck(idNumber) {
    const slot = session().slot;
    if (!slot) return;
    const res = await callApi('precheck', { serviceId: this.serviceId, date: slot.date, idNumber });
    if (res.ok || !PRECHECK_CODES.includes(res.error.code)) return;
    // Typed on meanwhile: the answer is about another number.
    if (this.data.values.idNumber !== idNumber) return;
    const message = errorMessage(res.error);
    this.refused = { id: idNumber, message };
    this.setData({ 'errors.idNumber': message });
  },

  onUnload() {
    leaveWithoutAsking();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await loadCatalogue();
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    const entry = findService(res.data, this.serviceId);
    if (!entry) {
      this.setData({ loading: false, error: '该业务暂未开放预约', retryable: false });
      return;
    }
    session().serviceId = entry.service.id;
    this.categoryIds = entry.service.categories.map((c) => c.id);
    this.unplatedIds = entry.service.categories.filter((c) => c.unplated === true).map((c) => c.id);
    this.setData({
      unplatedOk: this.unplatedIds.includes(this.data.values.category),
      loading: false,
      officeName: entry.office.name,
      serviceName: entry.service.name,
      categories: entry.service.categories,
      materials: this.materialsOf(this.data.values.category, entry.service.categories),
    });
  },

  onRetry() {
    void this.load();
  },

  rules() {
    return {
      today: chinaDate(Date.now()),
      categories: this.categoryIds,
      unplated: this.unplatedIds,
    };
  },

  materialsOf(category, categories) {
    return categories.find((c) => c.id === category)?.materials ?? [];
  },

  /** Stores a field's new value and its message as it stands now. */
  update(field, value) {
    let message = fieldMessage(field, value, this.rules(), this.left[field] === true);
    if (field === 'idNumber' && !message && this.refused?.id === value)
      message = this.refused.message;
    const patch: Record<string, unknown> = {
      [`values.${field}`]: value,
      [`errors.${field}`]: message,
    };
    if (field === 'idNumber') patch.idGroups = groupId(value).split(' ').filter(Boolean);
    if (field === 'category') {
      patch.materials = this.materialsOf(value, this.data.categories);
      const unplatedOk = this.unplatedIds.includes(value);
      patch.unplatedOk = unplatedOk;
      if (!unplatedOk) patch.noPlate = false;
    }
    this.setData(patch);
    const complete = field === 'idNumber' && value.length === ID_LENGTH && !message;
    if (complete && this.refused?.id !== value) void this.precheck(value);
    this.remember();
    if (this.data.summary) this.refreshSummary();
  },

  /** Marks a field as left and shows its message, whatever its length. */
  leave(field) {
    this.left[field] = true;
    this.update(field, this.data.values[field]);
  },

  /** The form as typed into memory, its shareable part into storage; "确定离开？" once something is typed. */
  remember() {
    const s = session();
    const values = this.data.values;
    s.form = { ...values };
    writeDraft({
      serviceId: this.serviceId,
      ...(s.slot ? { slot: s.slot } : {}),
      name: values.name,
      plate: values.plate,
      category: values.category,
      savedAt: Date.now(),
    });
    if (this.data.knownRef) {
      const person = this.data.persons.find((p) => p.ref === this.data.knownRef);
      if (person) {
        s.known = {
          person,
          input: {
            ref: person.ref,
            plate: this.data.noPlate ? '' : values.plate,
            category: values.category as KnownPerson['category'],
            ...(this.data.noPlate ? { vin: values.vin } : {}),
          },
        };
      }
    }
    const typed = Object.values(values).some((v) => v !== '');
    if (typed && !this.asking) askBeforeLeaving(LEAVE_MESSAGE);
    else if (!typed && this.asking) leaveWithoutAsking();
    this.asking = typed;
  },

  onNameChange(event) {
    this.update('name', event.detail);
  },
  onNameBlur() {
    this.leave('name');
  },
  onPhoneChange(event) {
    this.update('phone', event.detail);
  },
  onPhoneBlur() {
    this.leave('phone');
  },

  openKeypad(field) {
    this.setData({
      keypadShow: true,
      keypadField: field,
      keypadMode: field === 'plate' ? 'plate' : 'id',
      keypadTitle: KEYPAD_TITLE[field],
    });
  },
  onOpenId() {
    this.openKeypad('idNumber');
  },
  onOpenPlate() {
    this.openKeypad('plate');
  },
  onKeypadKey(event) {
    const field = this.data.keypadField;
    const current = this.data.values[field];
    const next =
      field === 'idNumber'
        ? typeIdKey(current, event.detail.key)
        : typePlateKey(current, event.detail.key);
    if (next === current) return;
    this.update(field, next);
    // A complete, valid ID needs no 完成: the keyboard closes by itself (one tap fewer).
    if (field === 'idNumber' && next.length === ID_LENGTH && !this.data.errors.idNumber) {
      this.closeKeypad();
    }
  },
  onKeypadDelete() {
    const field = this.data.keypadField;
    this.update(field, dropLast(this.data.values[field]));
  },
  onKeypadClose() {
    this.closeKeypad();
  },
  closeKeypad() {
    this.setData({ keypadShow: false });
    this.leave(this.data.keypadField);
  },

  onCategoryTap(event) {
    this.left.category = true;
    // R7: the materials show as soon as the category is chosen (update sets them).
    this.update('category', event.currentTarget.dataset.id);
  },

  refreshSummary() {
    const wrong = Object.values(this.data.errors).filter((m) => m).length;
    this.setData({ summary: summaryOf(wrong) });
  },

  onChangeSlot() {
    // Step 1 is the page before this one; opened from a draft after a relaunch, it takes this place.
    backOr(`/pages/slot/index?serviceId=${encodeURIComponent(this.serviceId)}`);
  },

  onNext() {
    for (const field of Object.keys(EMPTY_FORM) as PersonField[]) this.left[field] = true;
    const { values, noPlate, knownRef, verified, forWhom } = this.data;
    if (verified && forWhom === 'self') {
      // 本人: the person is the account's verification; this booking's phone and vehicle are checked.
      const vehicle = checkVehicle(values, this.rules(), noPlate);
      const phone = fieldMessage('phone', values.phone, this.rules(), true);
      const errors: FormErrors = {
        ...(vehicle.ok ? {} : vehicle.errors),
        ...(phone ? { phone } : {}),
      };
      this.setData({
        errors: { name: '', idNumber: '', phone: '', plate: '', category: '', vin: '', ...errors },
        summary: summaryOf(Object.keys(errors).length),
      });
      const first = firstWrong(errors);
      if (first || !vehicle.ok) {
        if (first) scrollToSelector(`#field-${first}`);
        return;
      }
      const s = session();
      delete s.person;
      delete s.known;
      s.self = { ...verified, input: { phone: values.phone, ...vehicle.vehicle } };
      s.serviceId = this.serviceId;
      navigateTo('/pages/confirm/index');
      return;
    }
    const person = knownRef ? this.data.persons.find((p) => p.ref === knownRef) : undefined;
    const check = person
      ? checkVehicle(values, this.rules(), noPlate)
      : checkForm(values, this.rules(), noPlate);
    const errors: FormErrors = check.ok ? {} : { ...check.errors };
    // What precheck refused stays refused until the ID changes (R5).
    if (!person && this.refused?.id === values.idNumber) errors.idNumber = this.refused.message;
    this.setData({
      errors: { name: '', idNumber: '', phone: '', plate: '', category: '', vin: '', ...errors },
      summary: summaryOf(Object.keys(errors).length),
    });
    if (!check.ok || Object.keys(errors).length > 0) {
      // The first mistake into view, not the summary at the bottom (R6).
      const first = firstWrong(errors);
      if (first) scrollToSelector(`#field-${first}`);
      return;
    }
    const s = session();
    delete s.self;
    if ('vehicle' in check && person) {
      delete s.person;
      s.known = { person, input: { ref: person.ref, ...check.vehicle } };
    } else if ('person' in check) {
      delete s.known;
      s.person = check.person;
    }
    s.serviceId = this.serviceId;
    navigateTo('/pages/confirm/index');
  },
});
