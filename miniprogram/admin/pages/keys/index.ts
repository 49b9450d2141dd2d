/**
 * The hall API's keys (issue 13, 14): the keys of the offices the administrator manages, revoked ones
 * marked; 新建 with a name, an office, scopes, a channel (R12) and an optional rate — its secret shown
 * once, with 复制 (it is stored hashed and never shown again) —; 撤销 after a confirmation.
 */
import type { ApiKeyInfo, ApiScope } from '../../../../typings/admin';
import { errorMessage } from '../../../services/api';
import { callAdmin, loadRefused, saveRefused } from '../../../services/admin';
import { copyText, toast } from '../../../services/platform';
import { momentLabel } from '../../../utils/format';
import { numberOf } from '../../utils/forms';

const SCOPE_NAMES: Record<ApiScope, string> = {
  read: '读取当天预约',
  queue: '签到叫号',
  book: '预约和取消',
};

interface Chip {
  id: string;
  label: string;
  active: boolean;
}

interface Row {
  keyId: string;
  title: string;
  detail: string;
  revoked: boolean;
}

interface KeysData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  rows: Row[];
  name: string;
  channel: string;
  rate: string;
  offices: Chip[];
  scopes: Chip[];
  errors: Record<string, string>;
  busy: boolean;
  /** The new key's id and secret, shown once. */
  created: { keyId: string; secret: string } | null;
  dialogShow: boolean;
  dialogMessage: string;
}

interface KeysCustom {
  officeNames: Record<string, string>;
  officeId: string;
  chosen: ApiScope[];
  pending: string;
  load(spinner: boolean): Promise<void>;
  chips(): void;
  onField(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { path: string }> & {
      detail: unknown;
    },
  ): void;
  onOffice(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onScope(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onCreate(): Promise<void>;
  onCopy(): Promise<void>;
  onRevoke(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onConfirm(): Promise<void>;
  onCancel(): void;
  onRetry(): void;
}

function row(k: ApiKeyInfo, officeNames: Record<string, string>): Row {
  const scopes = k.scopes.map((s) => SCOPE_NAMES[s]).join('、');
  return {
    keyId: k.keyId,
    title: `${k.name}（${k.channel}）`,
    detail: `${k.keyId} · ${officeNames[k.officeId] ?? k.officeId} · ${scopes}${
      k.revokedAt === undefined
        ? ` · ${momentLabel(k.createdAt)} 创建`
        : ` · ${momentLabel(k.revokedAt)} 已撤销`
    }`,
    revoked: k.revokedAt !== undefined,
  };
}

Page<KeysData, KeysCustom>({
  officeNames: {},
  officeId: '',
  chosen: ['read'],
  pending: '',
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    rows: [],
    name: '',
    channel: '',
    rate: '',
    offices: [],
    scopes: [],
    errors: {},
    busy: false,
    created: null,
    dialogShow: false,
    dialogMessage: '',
  },

  onLoad() {
    void this.load(true);
  },

  async load(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const [keys, offices] = await Promise.all([
      callAdmin('listApiKeys', {}),
      callAdmin('listOffices', {}),
    ]);
    if (!keys.ok || !offices.ok) {
      const error = !keys.ok ? keys.error : !offices.ok ? offices.error : undefined;
      if (error) this.setData(loadRefused(error));
      return;
    }
    this.officeNames = Object.fromEntries(offices.data.offices.map((o) => [o.id, o.name]));
    this.officeId ||= offices.data.offices[0]?.id ?? '';
    this.setData({
      loading: false,
      rows: keys.data.keys.map((k) => row(k, this.officeNames)),
    });
    this.chips();
  },

  chips() {
    this.setData({
      offices: Object.entries(this.officeNames).map(([id, label]) => ({
        id,
        label,
        active: id === this.officeId,
      })),
      scopes: (Object.keys(SCOPE_NAMES) as ApiScope[]).map((s) => ({
        id: s,
        label: SCOPE_NAMES[s],
        active: this.chosen.includes(s),
      })),
    });
  },

  onField(event) {
    const path = event.currentTarget.dataset.path;
    if (path !== 'name' && path !== 'channel' && path !== 'rate') return;
    const value = typeof event.detail === 'string' ? event.detail : '';
    this.setData({ [path]: value, errors: {} });
  },

  onOffice(event) {
    this.officeId = event.currentTarget.dataset.id;
    this.chips();
  },

  onScope(event) {
    const scope = (Object.keys(SCOPE_NAMES) as ApiScope[]).find(
      (s) => s === event.currentTarget.dataset.id,
    );
    if (!scope) return;
    this.chosen = this.chosen.includes(scope)
      ? this.chosen.filter((s) => s !== scope)
      : [...this.chosen, scope];
    this.chips();
  },

  async onCreate() {
    if (this.data.busy) return;
    const rate = this.data.rate.trim();
    this.setData({ busy: true, errors: {}, created: null });
    const res = await callAdmin('createApiKey', {
      officeId: this.officeId,
      scopes: [...this.chosen],
      channel: this.data.channel.trim(),
      name: this.data.name.trim(),
      ...(rate === '' ? {} : { ratePerMinute: numberOf(rate) }),
    });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({
        errors: saveRefused(res.error),
      });
      return;
    }
    this.setData({
      created: { keyId: res.data.keyId, secret: res.data.secret },
      name: '',
      channel: '',
      rate: '',
    });
    await this.load(false);
  },

  async onCopy() {
    const created = this.data.created;
    if (!created) return;
    if (await copyText(`HALL_KEY_ID=${created.keyId}\nHALL_KEY_SECRET=${created.secret}`))
      toast('已复制');
  },

  onRevoke(event) {
    const keyId = event.currentTarget.dataset.id;
    const found = this.data.rows.find((r) => r.keyId === keyId);
    if (!found) return;
    this.pending = keyId;
    this.setData({
      dialogShow: true,
      dialogMessage: `撤销“${found.title}”？使用它的系统将立即无法调用接口。`,
    });
  },

  async onConfirm() {
    const keyId = this.pending;
    this.pending = '';
    this.setData({ dialogShow: false });
    if (!keyId) return;
    const res = await callAdmin('revokeApiKey', { keyId });
    if (!res.ok) {
      this.setData({ errors: { '': errorMessage(res.error) } });
      return;
    }
    toast('已撤销');
    await this.load(false);
  },

  onCancel() {
    this.pending = '';
    this.setData({ dialogShow: false });
  },

  onRetry() {
    void this.load(true);
  },
});
