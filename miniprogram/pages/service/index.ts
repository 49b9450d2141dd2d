/**
 * Choose the office and the service (R1). With only one service configured there is nothing to choose:
 * the page goes straight on to the form.
 */
import type { OfficeInfo } from '../../../typings/api';
import { loadFailed } from '../../services/api';
import { allServices, loadCatalogue } from '../../services/catalogue';
import { navigateTo, redirectTo } from '../../services/platform';
import { session } from '../../services/session';

function formUrl(serviceId: string): string {
  return `/pages/person-form/index?serviceId=${encodeURIComponent(serviceId)}`;
}

Page({
  data: {
    loading: true,
    error: '',
    retryable: true,
    offices: [] as OfficeInfo[],
  },
  onLoad() {
    void this.load();
  },
  async load() {
    this.setData({ loading: true, error: '' });
    const res = await loadCatalogue();
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    const services = allServices(res.data);
    const only = services.length === 1 ? services[0] : undefined;
    if (only) {
      session().serviceId = only.service.id;
      redirectTo(formUrl(only.service.id));
      return;
    }
    this.setData({
      loading: false,
      offices: res.data,
      error: services.length === 0 ? '暂时没有可以预约的业务' : '',
      retryable: services.length === 0,
    });
  },
  onRetry() {
    void this.load();
  },
  onChoose(event: WechatMiniprogram.BaseEvent<Record<string, never>, { serviceId: string }>) {
    const { serviceId } = event.currentTarget.dataset;
    session().serviceId = serviceId;
    navigateTo(formUrl(serviceId));
  },
});
