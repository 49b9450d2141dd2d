/**
 * Choose the office and the service (R1). With only one service configured there is nothing to choose:
 * the page goes straight on to step 1, the day and period.
 */
import type { OfficeInfo } from '../../../typings/api';
import { loadFailed } from '../../services/api';
import { allServices, loadCatalogue } from '../../services/catalogue';
import { navigateTo, redirectTo } from '../../services/platform';
import { session } from '../../services/session';

interface ServiceData {
  loading: boolean;
  error: string;
  retryable: boolean;
  offices: OfficeInfo[];
}

interface ServiceCustom {
  load(): Promise<void>;
  onRetry(): void;
  onChoose(event: WechatMiniprogram.BaseEvent<Record<string, never>, { serviceId: string }>): void;
}

function slotUrl(serviceId: string): string {
  return `/pages/slot/index?serviceId=${encodeURIComponent(serviceId)}`;
}

Page<ServiceData, ServiceCustom>({
  data: {
    loading: true,
    error: '',
    retryable: true,
    offices: [],
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
      redirectTo(slotUrl(only.service.id));
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
  onChoose(event) {
    const { serviceId } = event.currentTarget.dataset;
    const s = session();
    // Another service: the day chosen for the previous one does not apply.
    if (s.serviceId !== serviceId) delete s.slot;
    s.serviceId = serviceId;
    navigateTo(slotUrl(serviceId));
  },
});
