/**
 * Offices and services (R1, issue 14): every office the administrator administers with its services —
 * name, prefix, the day's numbers (R4), open or stopped —, each opening its form; 新增业务 per office,
 * 新增办理点 and 材料与全局设置 for a `city_admin`. Read again on each return from a form.
 */
import type { AdminResponse } from '../../../../typings/admin';
import { quota } from '../../../../server/domain/service-config';
import { callAdmin, isCityAdministrator, loadRefused } from '../../../services/admin';
import { navigateTo } from '../../../services/platform';
import { loadStaffMe } from '../../../services/staff';
import { WEEKDAY_NAMES } from '../../utils/forms';

interface ServiceLine {
  id: string;
  title: string;
  detail: string;
  active: boolean;
}

interface OfficeBlock {
  id: string;
  name: string;
  address: string;
  services: ServiceLine[];
}

interface OfficesData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  cityAdmin: boolean;
  offices: OfficeBlock[];
}

interface OfficesCustom {
  loaded: boolean;
  load(spinner: boolean): Promise<void>;
  show(answer: AdminResponse<'listOffices'>): void;
  onRetry(): void;
  onService(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onNewService(event: WechatMiniprogram.BaseEvent<Record<string, never>, { office: string }>): void;
  onOffice(event: WechatMiniprogram.BaseEvent<Record<string, never>, { office: string }>): void;
  onNewOffice(): void;
  onSettings(): void;
}

Page<OfficesData, OfficesCustom>({
  loaded: false,
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    cityAdmin: false,
    offices: [],
  },

  onLoad() {
    void loadStaffMe().then((me) => {
      if (me.ok) this.setData({ cityAdmin: isCityAdministrator(me.data) });
    });
    void this.load(true);
  },

  onShow() {
    if (this.loaded) void this.load(false);
  },

  async load(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const res = await callAdmin('listOffices', {});
    if (!res.ok) {
      this.setData(loadRefused(res.error, spinner));
      return;
    }
    this.loaded = true;
    this.show(res.data);
  },

  show(answer) {
    this.setData({
      loading: false,
      error: '',
      offices: answer.offices.map((o) => ({
        id: o.id,
        name: o.name,
        address: o.address,
        services: o.services.map((s) => ({
          id: s.id,
          title: `${s.name}（${s.prefix}）`,
          detail: `每天 ${String(quota(s.periods))} 个号 · ${s.openWeekdays
            .map((d) => WEEKDAY_NAMES[d] ?? '')
            .join('')} · 提前 ${String(s.horizonDays)} 天`,
          active: s.active,
        })),
      })),
    });
  },

  onRetry() {
    void this.load(true);
  },

  onService(event) {
    navigateTo(
      `/admin/pages/service/index?id=${encodeURIComponent(event.currentTarget.dataset.id)}`,
    );
  },

  onNewService(event) {
    navigateTo(
      `/admin/pages/service/index?officeId=${encodeURIComponent(event.currentTarget.dataset.office)}`,
    );
  },

  onOffice(event) {
    navigateTo(
      `/admin/pages/office/index?id=${encodeURIComponent(event.currentTarget.dataset.office)}`,
    );
  },

  onNewOffice() {
    navigateTo('/admin/pages/office/index');
  },

  onSettings() {
    navigateTo('/admin/pages/settings/index');
  },
});
