/**
 * Everything entered, masked (R14), the materials (R7) and the rules, then the one tap that books. That
 * tap first asks for the reminder consent (R13), synchronously, since WeChat refuses the request after an
 * `await`, and books whatever the answer. One `requestId` per confirmation: a double tap is ignored and a
 * retry after a network error sends the same id, so the server answers with the booking it already made
 * instead of making a second.
 */
import type { ApiError, ErrorCode, Material } from '../../../typings/api';
import { maskIdNumber, maskPhone } from '../../../server/domain/identity';
import { callApi, errorMessage, isRetryable, newRequestId, loadFailed } from '../../services/api';
import { findService, loadCatalogue, subscribeTemplates } from '../../services/catalogue';
import { goHome, navigateBack, redirectTo, requestSubscribe } from '../../services/platform';
import { clearDraft, session } from '../../services/session';
import { arriveBy, categoryLabel, fullDayLabel, periodLabel } from '../../utils/format';

interface Row {
  label: string;
  value: string;
}

/** What the citizen can do about a refused booking. */
type Remedy = 'retry' | 'slot' | 'form' | 'mine' | 'home';

const REMEDY_TEXT: Record<Remedy, string> = {
  retry: '重试',
  slot: '重新选择日期时段',
  form: '返回修改信息',
  mine: '查看我的预约',
  home: '返回首页',
};

function remedyFor(error: ApiError): Remedy {
  if (isRetryable(error)) return 'retry';
  const code: ErrorCode = error.code;
  if (code.startsWith('QUOTA.') || code.startsWith('CALENDAR.')) return 'slot';
  if (code.startsWith('IDENTITY.')) return 'form';
  if (code === 'BOOKING.PERSON_ALREADY_BOOKED' || code === 'BOOKING.ACCOUNT_LIMIT') return 'mine';
  return 'home';
}

interface ConfirmData {
  loading: boolean;
  error: string;
  retryable: boolean;
  expired: boolean;
  serviceText: string;
  address: string;
  dayText: string;
  periodText: string;
  arriveText: string;
  personRows: Row[];
  materials: Material[];
  submitting: boolean;
  failure: string;
  remedy: Remedy | '';
  remedyText: string;
}

function initialData(): ConfirmData {
  return {
    loading: true,
    error: '',
    retryable: true,
    expired: false,
    serviceText: '',
    address: '',
    dayText: '',
    periodText: '',
    arriveText: '',
    personRows: [],
    materials: [],
    submitting: false,
    failure: '',
    remedy: '',
    remedyText: '',
  };
}

Page({
  /** True from the tap until the answer: a second tap meanwhile does nothing. */
  busy: false,
  /** The consent answer of the first tap, reused by a retry instead of asking again. */
  subscribed: null as boolean | null,
  requestId: '',
  data: initialData(),

  onLoad() {
    this.busy = false;
    this.subscribed = null;
    // A new id for each confirmation page; retries from this page keep it.
    this.requestId = newRequestId();
    void this.load();
  },

  async load() {
    const { serviceId, person, slot } = session();
    if (!serviceId || !person || !slot) {
      // Restarted by WeChat in between: the person was in memory only (R14), so it is gone.
      this.setData({ loading: false, expired: true });
      return;
    }
    this.setData({ loading: true, error: '' });
    const res = await loadCatalogue();
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    const entry = findService(res.data, serviceId);
    if (!entry) {
      this.setData({ loading: false, expired: true });
      return;
    }
    const category = entry.service.categories.find((c) => c.id === person.category);
    this.setData({
      loading: false,
      serviceText: `${entry.office.name} · ${entry.service.name}`,
      address: entry.office.address,
      dayText: fullDayLabel(slot.date),
      periodText: slot.start && slot.end ? periodLabel(slot.start, slot.end) : '',
      arriveText: slot.start ? `请在 ${arriveBy(slot.start)} 前到达` : '',
      personRows: [
        { label: '姓名', value: person.name },
        { label: '身份证号', value: maskIdNumber(person.idNumber) },
        { label: '手机号', value: maskPhone(person.phone) },
        { label: '车牌号', value: person.plate },
        { label: '违法类别', value: category?.name ?? categoryLabel(person.category) },
      ],
      materials: category?.materials ?? [],
    });
  },

  onRetryLoad() {
    void this.load();
  },

  onConfirm() {
    if (this.busy) return;
    this.busy = true;
    this.setData({ submitting: true, failure: '', remedy: '', remedyText: '' });
    if (this.subscribed !== null) {
      void this.book(this.subscribed);
      return;
    }
    const templateId = subscribeTemplates().reminder;
    if (!templateId) {
      // No reminder template configured: nothing to ask, no reminder (R13).
      this.subscribed = false;
      void this.book(false);
      return;
    }
    // R13: synchronously inside the tap; the booking goes ahead whatever the answer.
    requestSubscribe(templateId, (accepted) => {
      this.subscribed = accepted;
      void this.book(accepted);
    });
  },

  async book(subscribed: boolean) {
    const { serviceId, person, slot } = session();
    if (!serviceId || !person || !slot) {
      this.busy = false;
      this.setData({ submitting: false, expired: true });
      return;
    }
    const res = await callApi('book', {
      serviceId,
      date: slot.date,
      ...(slot.periodId ? { periodId: slot.periodId } : {}),
      person,
      requestId: this.requestId,
      subscribed,
    });
    if (res.ok) {
      const s = session();
      s.lastBooking = res.data;
      // R14: the full ID and phone numbers leave memory once booked.
      clearDraft();
      redirectTo(`/pages/booking-detail/index?id=${encodeURIComponent(res.data.id)}&fresh=booked`);
      return;
    }
    this.busy = false;
    const remedy = remedyFor(res.error);
    this.setData({
      submitting: false,
      failure: errorMessage(res.error),
      remedy,
      remedyText: REMEDY_TEXT[remedy],
    });
  },

  onRemedy() {
    switch (this.data.remedy) {
      case 'retry':
        this.onConfirm();
        break;
      case 'slot':
        navigateBack(1);
        break;
      case 'form':
        navigateBack(2);
        break;
      case 'mine':
        redirectTo('/pages/mine/index');
        break;
      case 'home':
      case '':
        goHome();
        break;
    }
  },

  onStartOver() {
    goHome();
  },
});
