/**
 * 实名认证 and 他人为您预约 (issue 15, R15). An account proves once, through WeChat, that it holds an ID
 * (the facility the city was granted: 微信人脸核身 2.0, or 城市服务实名信息校验's consent page); then this
 * page shows its verified person (masked, R14) and every active booking other accounts made for that ID,
 * each of which it may cancel. The name and ID are checked as the person form checks them (R6), with the
 * same messages; a scan the person backs out of changes nothing and says so.
 */
import type {
  ApiError,
  BookingApi,
  ForMeBooking,
  IdentityMethod,
  IdentityState,
} from '../../../typings/api';
import { chinaDate } from '../../../server/domain/china-time';
import { callApi, errorMessage, loadFailed } from '../../services/api';
import { allServices, loadCatalogue } from '../../services/catalogue';
import { forgetIdentity, seenIdentity } from '../../services/identity';
import {
  openMiniProgram,
  requestFacialVerify,
  returnedFrom,
  stopPullDownRefresh,
  toast,
} from '../../services/platform';
import { dayLabel, momentLabel, periodLabel } from '../../utils/format';
import { codeMessage } from '../../utils/messages';
import { ID_LENGTH, dropLast, fieldMessage, groupId, typeIdKey } from '../../utils/person-form';

type Field = 'name' | 'idNumber';

interface ValueEvent<T> {
  detail: T;
}

interface ForMeItem {
  id: string;
  /** The number as shown and called, `A001`. */
  number: string;
  title: string;
  when: string;
  who: string;
}

interface IdentityData {
  loading: boolean;
  error: string;
  retryable: boolean;
  method: IdentityMethod;
  /** The verified person as the server shows it (masked), or null before verification. */
  verified: { nameMasked: string; idMasked: string; since: string } | null;
  /** R15: why this account is no longer verified (its ID verified by another WeChat account), or ''. */
  displaced: string;
  values: Record<Field, string>;
  errors: Partial<Record<Field, string>>;
  idGroups: string[];
  keypadShow: boolean;
  /** A check is running: the button spins and says what it waits for. */
  busy: boolean;
  busyText: string;
  startText: string;
  /** Why the last attempt did not verify (a coded error, or the scan left), shown above the button. */
  failure: string;
  forMeLoading: boolean;
  forMeError: string;
  forMe: ForMeItem[];
  dialogShow: boolean;
  dialogMessage: string;
  cancelling: string;
}

interface IdentityCustom {
  left: Partial<Record<Field, boolean>>;
  /** 实名信息校验 opened WeChat's consent page for these: its `code` comes back with `onShow`. */
  pending: { name: string; idNumber: string; appId: string } | undefined;
  /** The booking the dialog asks about. */
  asking: string;
  serviceNames: Map<string, string>;
  load(spinner: boolean): Promise<void>;
  show(state: IdentityState): void;
  loadForMe(): Promise<void>;
  onRetry(): void;
  update(field: Field, value: string): void;
  onNameChange(event: ValueEvent<string>): void;
  onNameBlur(): void;
  onOpenId(): void;
  onKeypadKey(event: WechatMiniprogram.CustomEvent<{ key: string }>): void;
  onKeypadDelete(): void;
  onKeypadClose(): void;
  onStart(): void;
  start(name: string, idNumber: string): Promise<void>;
  verify(req: BookingApi['verifyIdentity']['req']): Promise<void>;
  fail(error: ApiError): void;
  returned(): void;
  onCancelTap(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onDialogConfirm(): void;
  onDialogClose(): void;
  cancel(id: string): Promise<void>;
}

const START_TEXT: Record<IdentityMethod, string> = {
  face: '开始人脸识别',
  realname: '去微信核对实名信息',
  off: '开始认证',
};

/** The person backed out of the face scan (or the camera was refused): nothing was changed. */
export const FACE_LEFT = '人脸识别未完成，实名认证没有变化。准备好后可以再点一次。';
/** This WeChat is older than 人脸核身 2.0 on the phone. */
export const FACE_UNSUPPORTED = '当前微信版本不支持人脸识别，请升级微信后再认证。';
/** WeChat's consent page came back without a code: the person did not agree. */
export const REALNAME_LEFT = '您没有在微信页面点“同意”，实名认证没有变化。可以再点一次。';

function rules(): { today: string; categories: readonly string[] } {
  return { today: chinaDate(Date.now()), categories: [] };
}

Page<IdentityData, IdentityCustom>({
  left: {},
  pending: undefined,
  asking: '',
  serviceNames: new Map(),
  data: {
    loading: true,
    error: '',
    retryable: true,
    method: 'off',
    verified: null,
    displaced: '',
    values: { name: '', idNumber: '' },
    errors: {},
    idGroups: [],
    keypadShow: false,
    busy: false,
    busyText: '',
    startText: START_TEXT.off,
    failure: '',
    forMeLoading: false,
    forMeError: '',
    forMe: [],
    dialogShow: false,
    dialogMessage: '',
    cancelling: '',
  },

  onLoad() {
    this.left = {};
    this.pending = undefined;
    this.serviceNames = new Map();
    void this.load(true);
  },

  onShow() {
    // Back from WeChat's consent page of 实名信息校验 (a return to this mini program).
    if (this.pending) this.returned();
  },

  onPullDownRefresh() {
    void this.load(false).then(() => {
      stopPullDownRefresh();
    });
  },

  async load(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const res = await callApi('identity', {});
    if (!res.ok) {
      this.setData(loadFailed(res.error));
      return;
    }
    this.show(res.data);
  },

  show(state) {
    seenIdentity({ state });
    const v = state.verified;
    this.setData({
      loading: false,
      error: '',
      method: state.method,
      startText: START_TEXT[state.method],
      verified: v
        ? { nameMasked: v.nameMasked, idMasked: v.idMasked, since: momentLabel(v.at) }
        : null,
      displaced:
        !v && state.displaced
          ? `身份证号 ${state.displaced.idMasked} 已于 ${momentLabel(state.displaced.at)} 由另一个微信号完成实名认证，本微信号不再是认证本人。如果这是您的身份证号，可以重新认证。`
          : '',
      // A facility not granted (yet): saying so is the page, no form to fill in vain.
      ...(!v && state.method === 'off'
        ? { error: codeMessage('VERIFY.UNAVAILABLE'), retryable: true }
        : {}),
    });
    if (v) void this.loadForMe();
  },

  /** 他人为您预约: the active bookings other accounts made for this ID (R15). */
  async loadForMe() {
    this.setData({ forMeLoading: true, forMeError: '' });
    const [res, catalogue] = await Promise.all([callApi('forMe', {}), loadCatalogue()]);
    if (catalogue.ok)
      for (const e of allServices(catalogue.data))
        this.serviceNames.set(e.service.id, `${e.office.name} · ${e.service.name}`);
    if (!res.ok) {
      this.setData({ forMeLoading: false, forMeError: errorMessage(res.error) });
      return;
    }
    const item = (b: ForMeBooking): ForMeItem => ({
      id: b.id,
      number: b.label,
      title: `${b.label} · ${this.serviceNames.get(b.serviceId) ?? ''}`,
      when: `${dayLabel(b.date)} ${periodLabel(b.periodStart, b.periodEnd)}`,
      who: `办理人 ${b.nameMasked} · 身份证 ${b.idMasked}`,
    });
    this.setData({ forMeLoading: false, forMe: res.data.bookings.map(item) });
    seenIdentity({ forMe: res.data.bookings.length });
  },

  onRetry() {
    void this.load(true);
  },

  update(field, value) {
    const message = fieldMessage(field, value, rules(), this.left[field] === true);
    const patch: Record<string, unknown> = {
      [`values.${field}`]: value,
      [`errors.${field}`]: message,
      failure: '',
    };
    if (field === 'idNumber') patch.idGroups = groupId(value).split(' ').filter(Boolean);
    this.setData(patch);
  },

  onNameChange(event) {
    this.update('name', event.detail);
  },
  onNameBlur() {
    this.left.name = true;
    this.update('name', this.data.values.name);
  },
  onOpenId() {
    this.setData({ keypadShow: true });
  },
  onKeypadKey(event) {
    const current = this.data.values.idNumber;
    const next = typeIdKey(current, event.detail.key);
    if (next === current) return;
    this.update('idNumber', next);
    if (next.length === ID_LENGTH && !this.data.errors.idNumber) this.onKeypadClose();
  },
  onKeypadDelete() {
    this.update('idNumber', dropLast(this.data.values.idNumber));
  },
  onKeypadClose() {
    this.setData({ keypadShow: false });
    this.left.idNumber = true;
    this.update('idNumber', this.data.values.idNumber);
  },

  onStart() {
    if (this.data.busy) return;
    this.left = { name: true, idNumber: true };
    const { name, idNumber } = this.data.values;
    const errors = {
      name: fieldMessage('name', name, rules(), true),
      idNumber: fieldMessage('idNumber', idNumber, rules(), true),
    };
    this.setData({ errors, failure: '' });
    if (errors.name || errors.idNumber) return;
    void this.start(name.trim(), idNumber);
  },

  async start(name, idNumber) {
    this.setData({ busy: true, busyText: '正在准备…' });
    const res = await callApi('identityStart', { name, idNumber });
    if (!res.ok) {
      this.fail(res.error);
      return;
    }
    const how = res.data;
    if (how.method === 'face') {
      this.setData({ busyText: '请按提示完成人脸识别…' });
      const scan = await requestFacialVerify(how.verifyId);
      if (scan !== 'done') {
        this.setData({ busy: false, failure: scan === 'left' ? FACE_LEFT : FACE_UNSUPPORTED });
        return;
      }
      await this.verify({ name, idNumber, verifyId: how.verifyId, session: how.session });
      return;
    }
    this.pending = { name, idNumber, appId: how.appId };
    this.setData({ busyText: '请在微信页面点“同意”…' });
    if (!(await openMiniProgram(how.appId, how.path))) {
      this.pending = undefined;
      this.setData({ busy: false, failure: REALNAME_LEFT });
    }
  },

  returned() {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const extra = returnedFrom(pending.appId);
    const code = extra?.code;
    if (typeof code !== 'string' || code === '') {
      this.setData({ busy: false, failure: REALNAME_LEFT });
      return;
    }
    void this.verify({ name: pending.name, idNumber: pending.idNumber, code });
  },

  async verify(req) {
    this.setData({ busy: true, busyText: '正在核对…' });
    const res = await callApi('verifyIdentity', req);
    if (!res.ok) {
      this.fail(res.error);
      return;
    }
    // R14: the ID typed here leaves the page's memory once verified.
    this.setData({ busy: false, values: { name: '', idNumber: '' }, idGroups: [] });
    toast('实名认证成功');
    // 我的's remembered 实名认证 answer is out of date (services/identity.ts).
    forgetIdentity();
    this.show(res.data);
  },

  fail(error) {
    const message = errorMessage(error);
    const field = error.field === 'name' || error.field === 'idNumber' ? error.field : undefined;
    // A wrong name or ID shows under its field, as on the person form; anything else above the button.
    this.setData({
      busy: false,
      failure: message,
      ...(field && error.code.startsWith('IDENTITY.')
        ? { [`errors.${field}`]: message, failure: '' }
        : {}),
    });
  },

  onCancelTap(event) {
    const id = event.currentTarget.dataset.id;
    const item = this.data.forMe.find((b) => b.id === id);
    if (!item || this.data.cancelling) return;
    this.asking = id;
    this.setData({
      dialogShow: true,
      dialogMessage: `取消 ${item.when} 的预约 ${item.number}？\n这是别的微信号用您的身份证号约的，取消后这个号会让给别人。`,
    });
  },
  onDialogClose() {
    this.asking = '';
    this.setData({ dialogShow: false });
  },
  onDialogConfirm() {
    const id = this.asking;
    this.asking = '';
    this.setData({ dialogShow: false });
    if (id) void this.cancel(id);
  },

  async cancel(id) {
    this.setData({ cancelling: id, forMeError: '' });
    const res = await callApi('cancelForMe', { bookingId: id });
    this.setData({ cancelling: '' });
    if (!res.ok) {
      this.setData({ forMeError: errorMessage(res.error) });
      return;
    }
    toast('已取消');
    forgetIdentity();
    await this.loadForMe();
  },
});
