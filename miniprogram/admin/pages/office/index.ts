/**
 * One office (R1, issue 14): name, address, map point, order — new (a `city_admin`'s, no `?id=`) or
 * existing. 保存 checks it with the server's own validator and shows each coded message under its field.
 */
import { checkOffice } from '../../../../server/domain/service-config';
import { callAdmin, loadRefused, saveChecked } from '../../../services/admin';
import { setTitle, toast } from '../../../services/platform';
import { officeForm, officeFromForm, type OfficeForm } from '../../utils/forms';

interface OfficeData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  isNew: boolean;
  form: OfficeForm;
  errors: Record<string, string>;
  saving: boolean;
  saved: string;
}

interface OfficeCustom {
  officeId: string;
  load(): Promise<void>;
  onField(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { path: string }> & {
      detail: unknown;
    },
  ): void;
  onSave(): Promise<void>;
  onRetry(): void;
}

const FIELDS: (keyof OfficeForm)[] = ['id', 'name', 'address', 'latitude', 'longitude', 'order'];

/** Xiamen's centre: a new office starts near it, to be replaced by the hall's own point. */
const EMPTY: OfficeForm = {
  id: '',
  name: '',
  address: '',
  latitude: '24.48',
  longitude: '118.09',
  order: '1',
};

Page<OfficeData, OfficeCustom>({
  officeId: '',
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    isNew: true,
    form: { ...EMPTY },
    errors: {},
    saving: false,
    saved: '',
  },

  onLoad(query) {
    this.officeId = query.id ?? '';
    if (this.officeId) void this.load();
    else {
      setTitle('新增办理点');
      this.setData({ loading: false, isNew: true });
    }
  },

  async load() {
    this.setData({ loading: true, error: '' });
    const res = await callAdmin('listOffices', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error));
      return;
    }
    const office = res.data.offices.find((o) => o.id === this.officeId);
    if (!office) {
      this.setData({ loading: false, error: '没有找到这个办理点', retryable: false });
      return;
    }
    setTitle(office.name);
    this.setData({ loading: false, isNew: false, form: officeForm(office) });
  },

  onField(event) {
    const path = FIELDS.find((f) => f === event.currentTarget.dataset.path);
    if (!path) return;
    const value = typeof event.detail === 'string' ? event.detail : '';
    this.setData({
      form: { ...this.data.form, [path]: value },
      errors: Object.fromEntries(Object.entries(this.data.errors).filter(([k]) => k !== path)),
      saved: '',
    });
  },

  async onSave() {
    if (this.data.saving) return;
    const office = officeFromForm(this.data.form);
    const saved = await saveChecked(
      (state) => this.setData(state),
      checkOffice(office),
      () => callAdmin('saveOffice', { office }),
    );
    if (!saved) return;
    this.officeId = saved.id;
    toast('已保存');
    setTitle(saved.name);
    this.setData({
      isNew: false,
      form: officeForm(saved),
      saved: '已保存，约 10 秒内对市民生效',
    });
  },

  onRetry() {
    void this.load();
  },
});
