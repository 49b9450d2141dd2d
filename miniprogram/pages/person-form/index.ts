/**
 * The person who will attend (R6) and the violation category with its materials (R7). Every field is
 * checked with the server's own validators as it is typed; the message shows under the field.
 */
import type { CategoryInfo, Material } from '../../../typings/api';
import type { PersonField } from '../../../server/domain/identity';
import { chinaDate } from '../../../server/domain/china-time';
import { loadFailed } from '../../services/api';
import { findService, loadCatalogue } from '../../services/catalogue';
import { navigateTo } from '../../services/platform';
import { session } from '../../services/session';
import {
  EMPTY_FORM,
  checkForm,
  dropLast,
  fieldMessage,
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

const TRUTHFUL_MESSAGE = '请确认以上信息真实有效';

interface Custom {
  /** Fields the citizen has left at least once: their errors show whatever their length. */
  left: Partial<Record<PersonField, boolean>>;
  serviceId: string;
  categoryIds: string[];
}

/** Vant's `change` events carry the bare value as their detail. */
type ValueEvent<T> = { detail: T };
type StringEvent = ValueEvent<string>;

interface FormData {
  loading: boolean;
  error: string;
  retryable: boolean;
  officeName: string;
  serviceName: string;
  categories: CategoryInfo[];
  values: FormValues;
  errors: FormErrors;
  idDisplay: string;
  materials: Material[];
  truthful: boolean;
  truthfulError: string;
  summary: string;
  keypadShow: boolean;
  keypadMode: 'id' | 'plate';
  keypadField: KeypadField;
  keypadTitle: string;
}

function initialData(): FormData {
  return {
    loading: true,
    error: '',
    retryable: true,
    officeName: '',
    serviceName: '',
    categories: [],
    values: { ...EMPTY_FORM },
    errors: {},
    idDisplay: '',
    materials: [],
    truthful: false,
    truthfulError: '',
    summary: '',
    keypadShow: false,
    keypadMode: 'id',
    keypadField: 'idNumber',
    keypadTitle: '',
  };
}

function noneLeft(): Custom['left'] {
  return {};
}

Page({
  left: noneLeft(),
  serviceId: '',
  categoryIds: [] as string[],
  data: initialData(),

  onLoad(query: Record<string, string | undefined>) {
    this.left = noneLeft();
    this.serviceId = query.serviceId ?? session().serviceId ?? '';
    // Back from a later step: the person typed before is still in memory (never in storage, R14).
    const person = session().person;
    if (person) {
      const values = { ...person };
      this.setData({ values, idDisplay: groupId(values.idNumber), truthful: true });
    }
    void this.load();
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

  rules(): FormRules {
    return { today: chinaDate(Date.now()), categories: this.categoryIds };
  },

  materialsOf(category: string, categories: CategoryInfo[]): Material[] {
    return categories.find((c) => c.id === category)?.materials ?? [];
  },

  /** Stores a field's new value and its message as it stands now. */
  update(field: PersonField, value: string) {
    const message = fieldMessage(field, value, this.rules(), this.left[field] === true);
    const patch: Record<string, unknown> = {
      [`values.${field}`]: value,
      [`errors.${field}`]: message,
    };
    if (field === 'idNumber') patch.idDisplay = groupId(value);
    this.setData(patch);
    if (this.data.summary) this.refreshSummary();
  },

  /** Marks a field as left and shows its message, whatever its length. */
  leave(field: PersonField) {
    this.left[field] = true;
    this.update(field, this.data.values[field]);
  },

  onNameChange(event: StringEvent) {
    this.update('name', event.detail);
  },
  onNameBlur() {
    this.leave('name');
  },
  onPhoneChange(event: StringEvent) {
    this.update('phone', event.detail);
  },
  onPhoneBlur() {
    this.leave('phone');
  },

  openKeypad(field: KeypadField) {
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
  onKeypadKey(event: WechatMiniprogram.CustomEvent<{ key: string }>) {
    const field = this.data.keypadField;
    const current = this.data.values[field];
    const next =
      field === 'idNumber'
        ? typeIdKey(current, event.detail.key)
        : typePlateKey(current, event.detail.key);
    if (next !== current) this.update(field, next);
  },
  onKeypadDelete() {
    const field = this.data.keypadField;
    this.update(field, dropLast(this.data.values[field]));
  },
  onKeypadClose() {
    this.setData({ keypadShow: false });
    this.leave(this.data.keypadField);
  },

  onCategoryChange(event: StringEvent) {
    this.chooseCategory(event.detail);
  },
  onCategoryTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    this.chooseCategory(event.currentTarget.dataset.id);
  },
  chooseCategory(id: string) {
    this.left.category = true;
    this.update('category', id);
    // R7: the materials show as soon as the category is chosen.
    this.setData({ materials: this.materialsOf(id, this.data.categories) });
  },

  onTruthfulChange(event: ValueEvent<boolean>) {
    this.setData({ truthful: event.detail, truthfulError: event.detail ? '' : TRUTHFUL_MESSAGE });
    if (this.data.summary) this.refreshSummary();
  },

  refreshSummary() {
    const wrong =
      Object.values(this.data.errors).filter((m) => m).length + (this.data.truthfulError ? 1 : 0);
    this.setData({ summary: wrong > 0 ? `还有 ${wrong} 处需要修改，请看红字提示` : '' });
  },

  onNext() {
    for (const field of Object.keys(EMPTY_FORM) as PersonField[]) this.left[field] = true;
    const check = checkForm(this.data.values, this.rules());
    const errors: FormErrors = check.ok ? {} : check.errors;
    const truthfulError = this.data.truthful ? '' : TRUTHFUL_MESSAGE;
    const wrong = Object.keys(errors).length + (truthfulError ? 1 : 0);
    this.setData({
      errors: { name: '', idNumber: '', phone: '', plate: '', category: '', ...errors },
      truthfulError,
      summary: wrong > 0 ? `还有 ${wrong} 处需要修改，请看红字提示` : '',
    });
    if (!check.ok || truthfulError) return;
    const s = session();
    s.person = check.person;
    s.serviceId = this.serviceId;
    delete s.slot;
    navigateTo(`/pages/slot/index?serviceId=${encodeURIComponent(this.serviceId)}`);
  },
});
