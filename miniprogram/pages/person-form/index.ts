/**
 * Step 2 of 3: the person who will attend (R6) and the violation category with its materials (R7), for
 * the day and period chosen in step 1. Every field is checked with the server's own validators as it is
 * typed; the message says exactly what is wrong and shows under the field, and 下一步 brings the first
 * wrong field into view. What is typed survives going back and forth (memory) and, except the ID and
 * phone numbers (R14), a relaunch (services/draft.ts).
 */
import type { CategoryInfo, Material } from '../../../typings/api';
import type { PersonField } from '../../../server/domain/identity';
import { chinaDate } from '../../../server/domain/china-time';
import type { KeyPadMode } from '../../components/key-pad/index';
import { loadFailed } from '../../services/api';
import { findService, loadCatalogue } from '../../services/catalogue';
import { readDraft, writeDraft } from '../../services/draft';
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
}

interface FormCustom {
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
  asking: false,
  data: initialData(),

  onLoad(query) {
    this.left = {};
    this.asking = false;
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
    this.setData({
      values,
      idGroups: groupId(values.idNumber).split(' ').filter(Boolean),
      slotText: slotText(slot),
      restoredNote,
    });
    void this.load();
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
    this.setData({
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
    return { today: chinaDate(Date.now()), categories: this.categoryIds };
  },

  materialsOf(category, categories) {
    return categories.find((c) => c.id === category)?.materials ?? [];
  },

  /** Stores a field's new value and its message as it stands now. */
  update(field, value) {
    const message = fieldMessage(field, value, this.rules(), this.left[field] === true);
    const patch: Record<string, unknown> = {
      [`values.${field}`]: value,
      [`errors.${field}`]: message,
    };
    if (field === 'idNumber') patch.idGroups = groupId(value).split(' ').filter(Boolean);
    if (field === 'category') patch.materials = this.materialsOf(value, this.data.categories);
    this.setData(patch);
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
    const check = checkForm(this.data.values, this.rules());
    const errors: FormErrors = check.ok ? {} : check.errors;
    this.setData({
      errors: { name: '', idNumber: '', phone: '', plate: '', category: '', ...errors },
      summary: summaryOf(Object.keys(errors).length),
    });
    if (!check.ok) {
      // The first mistake into view, not the summary at the bottom (R6).
      const first = firstWrong(errors);
      if (first) scrollToSelector(`#field-${first}`);
      return;
    }
    const s = session();
    s.person = check.person;
    s.serviceId = this.serviceId;
    navigateTo('/pages/confirm/index');
  },
});
