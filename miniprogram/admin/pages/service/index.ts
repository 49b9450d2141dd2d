/**
 * One service's whole configuration (R1, R2, R4, R8, R9, issue 14), new (`?officeId=`) or existing
 * (`?id=`): name, prefix, notice, periods with their number ranges, open weekdays, horizon, release time,
 * cancel cutoff, the window's queue settings, open or stopped. Checked as typed is not needed: 保存 checks
 * the whole service with the server's own validator (server/domain/service-config.ts) and shows each
 * coded message under its field; a refusal only the server can see (another administrator took the
 * prefix meanwhile) lands under its field the same way. 停用 hides it from citizens (deactivateService).
 */
import type { ServiceConfig } from '../../../../typings/admin';
import type { ViolationCategory } from '../../../../typings/api';
import { checkService } from '../../../../server/domain/service-config';
import { errorMessage } from '../../../services/api';
import { callAdmin, loadRefused, saveChecked } from '../../../services/admin';
import { setTitle, toast } from '../../../services/platform';
import {
  CATEGORY_NAMES,
  newServiceForm,
  nextPeriod,
  quotaText,
  serviceForm,
  serviceFromForm,
  WEEKDAY_NAMES,
  type ServiceForm,
} from '../../utils/forms';

interface Chip {
  id: string;
  label: string;
  on: boolean;
}

interface ServiceData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  isNew: boolean;
  officeName: string;
  form: ServiceForm | null;
  weekdays: Chip[];
  categories: Chip[];
  quota: string;
  /** Coded messages by field (`name`, `periods.0.from`, `queue.callCountMax`…); `''`: the whole form. */
  errors: Record<string, string>;
  saving: boolean;
  saved: string;
}

type FieldEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { path: string }> & {
  detail: unknown;
};

interface ServiceCustom {
  serviceId: string;
  officeId: string;
  siblings: Pick<ServiceConfig, 'id' | 'prefix'>[];
  load(): Promise<void>;
  edit(form: ServiceForm): void;
  onField(event: FieldEvent): void;
  onSwitch(event: FieldEvent): void;
  onWeekday(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onCategory(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onAddPeriod(): void;
  onRemovePeriod(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { index: unknown }>,
  ): void;
  onSave(): Promise<void>;
  onDeactivate(): Promise<void>;
  onRetry(): void;
}

const PERIOD_FIELDS = ['id', 'start', 'end', 'from', 'to'];
const TEXT_FIELDS = [
  'id',
  'name',
  'prefix',
  'notice',
  'order',
  'horizonDays',
  'releaseTime',
  'cancelCutoffMinutes',
  'callCountMax',
  'checkInMinutesBefore',
];

/** The form's path (`periods.2.from`) as the server names the field, for its message. */
function errorKey(path: string): string {
  if (path === 'callCountMax' || path === 'checkInMinutesBefore') return `queue.${path}`;
  return path;
}

Page<ServiceData, ServiceCustom>({
  serviceId: '',
  officeId: '',
  siblings: [],
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    isNew: false,
    officeName: '',
    form: null,
    weekdays: [],
    categories: [],
    quota: '',
    errors: {},
    saving: false,
    saved: '',
  },

  onLoad(query) {
    this.serviceId = query.id ?? '';
    this.officeId = query.officeId ?? '';
    void this.load();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await callAdmin('listOffices', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    const offices = res.data.offices;
    const office = this.serviceId
      ? offices.find((o) => o.services.some((s) => s.id === this.serviceId))
      : offices.find((o) => o.id === this.officeId);
    const service = office?.services.find((s) => s.id === this.serviceId);
    if (!office || (this.serviceId && !service)) {
      this.setData({
        loading: false,
        error: '没有找到这项业务，可能已被删除或不归您管理',
        retryable: false,
      });
      return;
    }
    this.officeId = office.id;
    this.siblings = office.services.map((s) => ({ id: s.id, prefix: s.prefix }));
    setTitle(service ? service.name : `${office.name} · 新增业务`);
    this.setData({ loading: false, isNew: !service, officeName: office.name });
    this.edit(
      service
        ? serviceForm(service)
        : newServiceForm(
            office.id,
            this.siblings.map((s) => s.prefix),
          ),
    );
  },

  /** The form shown, with what follows from it (chips, the day's quota). */
  edit(form) {
    this.setData({
      form,
      weekdays: [1, 2, 3, 4, 5, 6, 0].map((d) => ({
        id: String(d),
        label: WEEKDAY_NAMES[d] ?? '',
        on: form.openWeekdays.includes(d),
      })),
      categories: (Object.keys(CATEGORY_NAMES) as ViolationCategory[]).map((c) => ({
        id: c,
        label: CATEGORY_NAMES[c],
        on: form.categories.includes(c),
      })),
      quota: quotaText(form.prefix.trim().toUpperCase(), form.periods),
    });
  },

  /** Vant's field emits `change` with the bare value; `data-path` names the form's field. */
  onField(event) {
    const form = this.data.form;
    if (!form) return;
    const path = event.currentTarget.dataset.path;
    const value = typeof event.detail === 'string' ? event.detail : '';
    const next: ServiceForm = { ...form, periods: form.periods.map((p) => ({ ...p })) };
    const m = /^periods\.(\d+)\.(\w+)$/.exec(path);
    if (m) {
      const period = next.periods[Number(m[1])];
      const key = m[2] ?? '';
      if (period && PERIOD_FIELDS.includes(key))
        (period as unknown as Record<string, string>)[key] = value;
    } else if (TEXT_FIELDS.includes(path)) {
      (next as unknown as Record<string, string>)[path] = value;
    } else return;
    const key = errorKey(path);
    const errors = Object.fromEntries(Object.entries(this.data.errors).filter(([k]) => k !== key));
    this.setData({ errors, saved: '' });
    this.edit(next);
  },

  onSwitch(event) {
    const form = this.data.form;
    const path = event.currentTarget.dataset.path;
    if (!form || (path !== 'active' && path !== 'requeue')) return;
    this.setData({ saved: '' });
    this.edit({ ...form, [path]: event.detail === true });
  },

  onWeekday(event) {
    const form = this.data.form;
    if (!form) return;
    const day = Number(event.currentTarget.dataset.id);
    const openWeekdays = form.openWeekdays.includes(day)
      ? form.openWeekdays.filter((d) => d !== day)
      : [...form.openWeekdays, day];
    const errors = { ...this.data.errors };
    delete errors.openWeekdays;
    this.setData({ errors, saved: '' });
    this.edit({ ...form, openWeekdays });
  },

  onCategory(event) {
    const form = this.data.form;
    const id = event.currentTarget.dataset.id;
    const category = (Object.keys(CATEGORY_NAMES) as ViolationCategory[]).find((c) => c === id);
    if (!form || !category) return;
    const categories = form.categories.includes(category)
      ? form.categories.filter((c) => c !== category)
      : [...form.categories, category];
    const errors = { ...this.data.errors };
    delete errors.categories;
    this.setData({ errors, saved: '' });
    this.edit({ ...form, categories });
  },

  onAddPeriod() {
    const form = this.data.form;
    if (!form) return;
    this.edit({ ...form, periods: [...form.periods, nextPeriod(form.periods)] });
  },

  onRemovePeriod(event) {
    const form = this.data.form;
    if (!form) return;
    const index = Number(event.currentTarget.dataset.index);
    // Errors are keyed by position: they are recomputed at the next 保存.
    this.setData({ errors: {} });
    this.edit({ ...form, periods: form.periods.filter((_, i) => i !== index) });
  },

  async onSave() {
    const form = this.data.form;
    if (!form || this.data.saving) return;
    const service = serviceFromForm(form);
    const saved = await saveChecked(
      (state) => this.setData(state),
      checkService(service, this.siblings),
      () => callAdmin('saveService', { service }),
    );
    if (!saved) return;
    this.serviceId = saved.id;
    if (!this.siblings.some((s) => s.id === saved.id))
      this.siblings = [...this.siblings, { id: saved.id, prefix: saved.prefix }];
    this.setData({ isNew: false, saved: '已保存，约 10 秒内对市民生效' });
    setTitle(saved.name);
    toast('已保存');
    this.edit(serviceForm(saved));
  },

  async onDeactivate() {
    if (!this.serviceId || this.data.saving) return;
    this.setData({ saving: true, saved: '' });
    const res = await callAdmin('deactivateService', { serviceId: this.serviceId });
    this.setData({ saving: false });
    if (!res.ok) {
      this.setData({ errors: { '': errorMessage(res.error) } });
      return;
    }
    this.setData({ saved: '已停用：市民看不到这项业务，已有的预约不受影响' });
    this.edit(serviceForm(res.data));
  },

  onRetry() {
    void this.load();
  },
});
