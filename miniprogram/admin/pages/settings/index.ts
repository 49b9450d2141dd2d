/**
 * The city's settings and the categories' materials (R5, R7, R10, R13, issue 14), a `city_admin`'s: the
 * global notice shown to every citizen, active bookings per account, the reminder's time, quiet hours,
 * the no-show limit and suspension length; per violation category its name and materials (one per line,
 * `名称｜说明`). Each 保存 checks with the server's own validator; messages under their fields.
 */
import type { CategoryConfig } from '../../../../typings/admin';
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
}

type FieldEvent = WechatMiniprogram.BaseEvent<
  Record<string, never>,
  { path: string; index: unknown }
> & { detail: unknown };

interface SettingsCustom {
  loaded: CategoryConfig[];
  load(): Promise<void>;
  onField(event: FieldEvent): void;
  onCategoryField(event: FieldEvent): void;
  onSave(): Promise<void>;
  onSaveCategory(event: FieldEvent): Promise<void>;
  onRetry(): void;
}

/** The form's fields as the server names them (`reminder.at`), for their messages. */
const SERVER_FIELD: Record<keyof SettingsForm, string> = {
  notice: 'notice',
  accountActiveLimit: 'accountActiveLimit',
  reminderDaysBefore: 'reminder.daysBefore',
  reminderAt: 'reminder.at',
  quietFrom: 'quietHours.from',
  quietTo: 'quietHours.to',
  noShowLimit: 'noShowLimit',
  suspensionMonths: 'suspensionMonths',
};

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
    const path = (Object.keys(SERVER_FIELD) as (keyof SettingsForm)[]).find(
      (k) => k === event.currentTarget.dataset.path,
    );
    if (!form || !path) return;
    const value = typeof event.detail === 'string' ? event.detail : '';
    const key = SERVER_FIELD[path];
    this.setData({
      form: { ...form, [path]: value },
      errors: Object.fromEntries(Object.entries(this.data.errors).filter(([k]) => k !== key)),
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
    this.setData({ form: settingsForm(saved), saved: '已保存，约 10 秒内生效' });
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
