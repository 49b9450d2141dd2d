/**
 * The city's settings and the categories' materials (R5, R7, R10, R13, R15–R17, issues 14 and 15), a
 * `city_admin`'s: the global notice shown to every citizen, active bookings per account, the reminder's
 * time, quiet hours, the no-show limit and suspension length; the real-name facility WeChat granted and
 * whether booking needs it, the neutral refusals an account may draw a day, the churn limits; per
 * violation category its name and materials (one per line, `名称｜说明`). Each 保存 checks with the
 * server's own validator; messages under their fields.
 */
import type { CategoryConfig, GlobalSettings } from '../../../../typings/admin';
import { checkCategory, checkSettings } from '../../../../server/domain/service-config';
import { callAdmin, loadRefused, saveChecked, saveRefused } from '../../../services/admin';
import { toast } from '../../../services/platform';
import {
  fieldErrors,
  materialsText,
  parseMaterials,
  settingsForm,
  settingsFromForm,
  type SettingsForm,
} from '../../utils/forms';

interface CategoryForm {
  id: string;
  name: string;
  materials: string;
  errors: Record<string, string>;
  saved: string;
}

type IdentityMethod = GlobalSettings['identityMethod'];

/** The number settings of issue 15, each with what it does, in the administrator's words. */
interface GuardField {
  path: GuardPath;
  /** The field's class, for tests. */
  cls: string;
  label: string;
  /** Shown after the number, so a filled field still says what it counts. */
  unit: string;
  placeholder: string;
  help: string;
}

type GuardPath =
  | 'personRefusalLimit'
  | 'cancelLimit'
  | 'cancelWindowHours'
  | 'rebookCooldownMinutes'
  | 'releaseHoldMinutes';

const GUARDS: readonly GuardField[] = [
  {
    // R16: neutral refusals per account and China day before it is slowed.
    path: 'personRefusalLimit',
    cls: 'field-refusals',
    label: '拒绝次数上限',
    unit: '次/天',
    placeholder: '1-50',
    help: '一个微信号一天内收到这么多次“该证件号码暂不能预约”后，当天不能再预约，防止试探他人证件号',
  },
  {
    // R17: cancels per account (and per person) within the window.
    path: 'cancelLimit',
    cls: 'field-cancel-limit',
    label: '取消次数上限',
    unit: '次',
    placeholder: '1-50',
    help: '一个微信号或一位办理人在下面的时段内取消这么多次后，暂时不能预约',
  },
  {
    // R17: the rolling window of the cancels.
    path: 'cancelWindowHours',
    cls: 'field-cancel-window',
    label: '取消计数时段',
    unit: '小时',
    placeholder: '1-720',
    help: '取消次数按最近多少小时计算',
  },
  {
    // R17: the person's cool-down before booking a day they cancelled again.
    path: 'rebookCooldownMinutes',
    cls: 'field-cooldown',
    label: '再约冷却',
    unit: '分钟',
    placeholder: '0-1440',
    help: '办理人取消某天的预约后，隔多少分钟才能再约这一天（0 为不限制）',
  },
  {
    // R17: a released number is not bookable by its releaser for this long.
    path: 'releaseHoldMinutes',
    cls: 'field-release-hold',
    label: '释放号保留',
    unit: '分钟',
    placeholder: '0-120',
    help: '微信号取消后放出的号，多少分钟内不能由它自己再约回（0 为不限制）',
  },
];

/** R15: the real-name facilities WeChat may grant a city, `off` when it granted none. */
const METHODS: readonly { id: IdentityMethod; label: string }[] = [
  { id: 'face', label: '微信人脸核身' },
  { id: 'realname', label: '实名信息校验' },
  { id: 'off', label: '未开通' },
];

interface MethodChip {
  id: IdentityMethod;
  label: string;
  on: boolean;
}

function methodChips(method: IdentityMethod): MethodChip[] {
  return METHODS.map((m) => ({ ...m, on: m.id === method }));
}

interface SettingsData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  form: SettingsForm | null;
  errors: Record<string, string>;
  saved: string;
  saving: boolean;
  categories: CategoryForm[];
  guards: readonly GuardField[];
  methods: MethodChip[];
}

type FieldEvent = WechatMiniprogram.BaseEvent<
  Record<string, never>,
  { path: string; index: unknown }
> & { detail: unknown };

interface SettingsCustom {
  loaded: CategoryConfig[];
  load(): Promise<void>;
  onField(event: FieldEvent): void;
  onMethod(event: FieldEvent): void;
  onRequireVerification(event: FieldEvent): void;
  onCategoryField(event: FieldEvent): void;
  onSave(): Promise<void>;
  onSaveCategory(event: FieldEvent): Promise<void>;
  onRetry(): void;
}

type TextField = Exclude<keyof SettingsForm, 'identityMethod' | 'requireVerification'>;

/** The form's text fields as the server names them (`reminder.at`), for their messages. */
const SERVER_FIELD: Record<TextField, string> = {
  notice: 'notice',
  accountActiveLimit: 'accountActiveLimit',
  reminderDaysBefore: 'reminder.daysBefore',
  reminderAt: 'reminder.at',
  quietFrom: 'quietHours.from',
  quietTo: 'quietHours.to',
  noShowLimit: 'noShowLimit',
  suspensionMonths: 'suspensionMonths',
  personRefusalLimit: 'personRefusalLimit',
  cancelLimit: 'cancelLimit',
  cancelWindowHours: 'cancelWindowHours',
  rebookCooldownMinutes: 'rebookCooldownMinutes',
  releaseHoldMinutes: 'releaseHoldMinutes',
};

/** The form's errors without `key`'s: a field changed, its message goes. */
function without(errors: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => k !== key));
}

Page<SettingsData, SettingsCustom>({
  loaded: [],
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    form: null,
    errors: {},
    saved: '',
    saving: false,
    categories: [],
    guards: GUARDS,
    methods: methodChips('off'),
  },

  onLoad() {
    void this.load();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await callAdmin('listOffices', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    this.loaded = res.data.categories;
    this.setData({
      loading: false,
      form: settingsForm(res.data.settings),
      methods: methodChips(res.data.settings.identityMethod),
      categories: res.data.categories.map((c) => ({
        id: c.id,
        name: c.name,
        materials: materialsText(c.materials),
        errors: {},
        saved: '',
      })),
    });
  },

  onField(event) {
    const form = this.data.form;
    const path = (Object.keys(SERVER_FIELD) as TextField[]).find(
      (k) => k === event.currentTarget.dataset.path,
    );
    if (!form || !path) return;
    const value = typeof event.detail === 'string' ? event.detail : '';
    this.setData({
      form: { ...form, [path]: value },
      errors: without(this.data.errors, SERVER_FIELD[path]),
      saved: '',
    });
  },

  onMethod(event) {
    const form = this.data.form;
    const method = METHODS.find((m) => m.id === event.currentTarget.dataset.path);
    if (!form || !method) return;
    this.setData({
      form: { ...form, identityMethod: method.id },
      methods: methodChips(method.id),
      errors: without(without(this.data.errors, 'identityMethod'), 'requireVerification'),
      saved: '',
    });
  },

  onRequireVerification(event) {
    const form = this.data.form;
    if (!form) return;
    this.setData({
      form: { ...form, requireVerification: event.detail === true },
      errors: without(this.data.errors, 'requireVerification'),
      saved: '',
    });
  },

  onCategoryField(event) {
    const index = Number(event.currentTarget.dataset.index);
    const path = event.currentTarget.dataset.path;
    const category = this.data.categories[index];
    if (!category || (path !== 'name' && path !== 'materials')) return;
    const value = typeof event.detail === 'string' ? event.detail : '';
    this.setData({
      [`categories[${String(index)}]`]: { ...category, [path]: value, errors: {}, saved: '' },
    });
  },

  async onSave() {
    const form = this.data.form;
    if (!form || this.data.saving) return;
    const settings = settingsFromForm(form);
    const saved = await saveChecked(
      (state) => this.setData(state),
      checkSettings(settings),
      () => callAdmin('saveSettings', { settings }),
    );
    if (!saved) return;
    toast('已保存');
    this.setData({
      form: settingsForm(saved),
      methods: methodChips(saved.identityMethod),
      saved: '已保存，约 10 秒内生效',
    });
  },

  async onSaveCategory(event) {
    const index = Number(event.currentTarget.dataset.index);
    const form = this.data.categories[index];
    const before = this.loaded.find((c) => c.id === form?.id);
    if (!form || !before || this.data.saving) return;
    const category: CategoryConfig = {
      ...before,
      name: form.name.trim(),
      materials: parseMaterials(form.materials),
    };
    const at = `categories[${String(index)}]`;
    const issues = checkCategory(category);
    if (issues.length > 0) {
      this.setData({ [at]: { ...form, errors: fieldErrors(issues), saved: '' } });
      return;
    }
    this.setData({ saving: true });
    const res = await callAdmin('saveCategory', { category });
    this.setData({ saving: false });
    if (!res.ok) {
      this.setData({ [at]: { ...form, errors: saveRefused(res.error), saved: '' } });
      return;
    }
    this.loaded = this.loaded.map((c) => (c.id === res.data.id ? res.data : c));
    toast('已保存');
    this.setData({
      [at]: {
        id: res.data.id,
        name: res.data.name,
        materials: materialsText(res.data.materials),
        errors: {},
        saved: '已保存',
      },
    });
  },

  onRetry() {
    void this.load();
  },
});
