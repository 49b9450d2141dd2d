/**
 * Step 3 of 3: everything entered, shown in full so that a wrong digit can still be seen (the values
 * come from this phone's memory, typed by the citizen a moment ago; they are never sent back by the
 * server, R14), the materials (R7) and the rules, then the one tap that books, kept in view at the bottom
 * at any text size. That tap first asks for the reminder consent (R13), synchronously, since WeChat
 * refuses the request after an `await`, and books whatever the answer. One `requestId` per
 * confirmation: a double tap is ignored and a retry after a network error sends the same id, so the
 * server answers with the booking it already made instead of making a second.
 */
import type { ApiError, ErrorCode, Material } from '../../../typings/api';
import { callApi, errorMessage, isRetryable, newRequestId, loadFailed } from '../../services/api';
import { findService, loadCatalogue, subscribeTemplates } from '../../services/catalogue';
import { writeDraft } from '../../services/draft';
import { forgetIdentity } from '../../services/identity';
import {
  goHome,
  navigateBack,
  navigateTo,
  reLaunch,
  redirectTo,
  requestSubscribe,
} from '../../services/platform';
import { clearBooking, session } from '../../services/session';
import { arriveBy, categoryLabel, fullDayLabel, periodLabel } from '../../utils/format';
import { groupId, groupPhone, groupVin } from '../../utils/person-form';

interface Pair {
  key: string;
  label: string;
  /** Groups that never break inside (an ID as 6-8-4), so a long value wraps between them. */
  groups: string[];
}

/** What the citizen can do about a refused booking. */
type Remedy = 'retry' | 'slot' | 'form' | 'mine' | 'identity' | 'home';

const REMEDY_TEXT: Record<Remedy, string> = {
  retry: '重试',
  slot: '重新选择日期时段',
  form: '返回修改信息',
  mine: '查看我的预约',
  identity: '去实名认证',
  home: '返回首页',
};

const IDENTITY_PAGE = '/pages/identity/index';

function remedyFor(error: ApiError): Remedy {
  if (isRetryable(error)) return 'retry';
  const code: ErrorCode = error.code;
  // R16's neutral refusal concerns this day only: another day may be open to the person (and the ID's
  // holder is pointed to 实名认证 besides, `identityLink`). R17's cool-down and release hold concern
  // this day or number only.
  if (
    code.startsWith('QUOTA.') ||
    code.startsWith('CALENDAR.') ||
    code === 'BOOKING.PERSON_UNAVAILABLE' ||
    code === 'BOOKING.REBOOK_COOLDOWN' ||
    code === 'BOOKING.RELEASED_HOLD'
  )
    return 'slot';
  // R15: booking needs a verification, or 本人's verification went to another account meanwhile.
  if (code === 'BOOKING.VERIFICATION_REQUIRED' || code.startsWith('VERIFY.')) return 'identity';
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
  personPairs: Pair[];
  materials: Material[];
  submitting: boolean;
  failure: string;
  remedy: Remedy | '';
  remedyText: string;
  /** R16's neutral refusal: 去实名认证 besides the remedy, for the ID's own holder. */
  identityLink: boolean;
}

interface ConfirmCustom {
  /** True from the tap until the answer: a second tap meanwhile does nothing. */
  busy: boolean;
  /** The consent answer of the first tap, reused by a retry instead of asking again. */
  subscribed: boolean | undefined;
  requestId: string;
  load(): Promise<void>;
  onRetryLoad(): void;
  onConfirm(): void;
  book(subscribed: boolean): Promise<void>;
  onRemedy(): void;
  onIdentity(): void;
  onStartOver(): void;
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
    personPairs: [],
    materials: [],
    submitting: false,
    failure: '',
    remedy: '',
    remedyText: '',
    identityLink: false,
  };
}

Page<ConfirmData, ConfirmCustom>({
  busy: false,
  subscribed: undefined,
  requestId: '',
  data: initialData(),

  onLoad() {
    this.busy = false;
    this.subscribed = undefined;
    // A new id for each confirmation page; retries from this page keep it.
    this.requestId = newRequestId();
    void this.load();
  },

  async load() {
    const { serviceId, person, known, self, slot } = session();
    if (!serviceId || !(person ?? known ?? self) || !slot) {
      // Restarted by WeChat in between: the person was in memory only (R14).
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
    const vehicle = self ? self.input : known ? known.input : person;
    if (!vehicle) return;
    const category = entry.service.categories.find((c) => c.id === vehicle.category);
    // 本人 and a 常用办理人 are shown as the server knows them (masked, R14); a typed person in full from
    // memory, and so is 本人's phone, typed for this booking.
    const who: Pair[] = self
      ? [
          { key: 'name', label: '姓名', groups: [self.nameMasked] },
          { key: 'id', label: '身份证号', groups: [self.idMasked] },
          { key: 'phone', label: '手机号', groups: groupPhone(self.input.phone).split(' ') },
        ]
      : known
        ? [
            { key: 'name', label: '姓名', groups: [known.person.nameMasked] },
            { key: 'id', label: '身份证号', groups: [known.person.idMasked] },
            { key: 'phone', label: '手机号', groups: [known.person.phoneMasked] },
          ]
        : person
          ? [
              { key: 'name', label: '姓名', groups: [person.name] },
              { key: 'id', label: '身份证号', groups: groupId(person.idNumber).split(' ') },
              { key: 'phone', label: '手机号', groups: groupPhone(person.phone).split(' ') },
            ]
          : [];
    const plate: Pair[] =
      vehicle.vin !== undefined
        ? [
            { key: 'plate', label: '车牌号', groups: ['暂无号牌'] },
            { key: 'vin', label: '车架号', groups: groupVin(vehicle.vin) },
          ]
        : [{ key: 'plate', label: '车牌号', groups: [vehicle.plate] }];
    this.setData({
      loading: false,
      serviceText: `${entry.office.name} · ${entry.service.name}`,
      address: entry.office.address,
      dayText: fullDayLabel(slot.date),
      periodText: slot.start && slot.end ? periodLabel(slot.start, slot.end) : '',
      arriveText: slot.start ? `请在 ${arriveBy(slot.start)} 前到达` : '',
      personPairs: [
        ...who,
        {
          key: 'category',
          label: '违法类别',
          groups: [category?.name ?? categoryLabel(vehicle.category)],
        },
        ...plate,
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
    this.setData({
      submitting: true,
      failure: '',
      remedy: '',
      remedyText: '',
      identityLink: false,
    });
    if (this.subscribed !== undefined) {
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

  async book(subscribed) {
    const { serviceId, person, known, self, slot } = session();
    const vehicle = self ? self.input : known ? known.input : person;
    if (!serviceId || !vehicle || !slot) {
      this.busy = false;
      this.setData({ submitting: false, expired: true });
      return;
    }
    const res = await callApi('book', {
      serviceId,
      date: slot.date,
      ...(slot.periodId ? { periodId: slot.periodId } : {}),
      ...(self ? { self: self.input } : known ? { known: known.input } : person ? { person } : {}),
      requestId: this.requestId,
      subscribed,
    });
    if (res.ok) {
      const s = session();
      s.lastBooking = res.data;
      // R14: the full ID and phone numbers leave memory once booked; the next booking starts from the
      // name, plate and category (services/draft.ts), without a day.
      clearBooking();
      writeDraft({
        serviceId,
        name: person?.name ?? '',
        plate: vehicle.plate,
        category: vehicle.category,
        savedAt: Date.now(),
      });
      // The booking as the only page: going back cannot reopen the steps that made it.
      reLaunch(`/pages/booking-detail/index?id=${encodeURIComponent(res.data.id)}&fresh=booked`);
      return;
    }
    this.busy = false;
    const remedy = remedyFor(res.error);
    // Refused for 实名认证: what the form and 我的 remember of it is out of date; they ask again.
    if (remedy === 'identity') forgetIdentity();
    this.setData({
      submitting: false,
      failure: errorMessage(res.error),
      remedy,
      remedyText: REMEDY_TEXT[remedy],
      identityLink: res.error.code === 'BOOKING.PERSON_UNAVAILABLE',
    });
  },

  onRemedy() {
    switch (this.data.remedy) {
      case 'retry':
        this.onConfirm();
        break;
      case 'form':
        navigateBack(1);
        break;
      case 'slot':
        navigateBack(2);
        break;
      case 'mine':
        redirectTo('/pages/mine/index');
        break;
      case 'identity':
        navigateTo(IDENTITY_PAGE);
        break;
      case 'home':
      case '':
        goHome();
        break;
    }
  },

  /** R16: the ID may be the citizen's own; verified, they are told why and see who booked it (R15). */
  onIdentity() {
    navigateTo(IDENTITY_PAGE);
  },

  /** The memory was lost: the form again, which finds the day and the name in the draft. */
  onStartOver() {
    const serviceId = session().serviceId;
    redirectTo(
      serviceId
        ? `/pages/person-form/index?serviceId=${encodeURIComponent(serviceId)}`
        : '/pages/service/index',
    );
  },
});
