/**
 * Roles (issue 13, 14): the grants the administrator may manage — every one for a `city_admin`, their
 * office's `staff` for an `office_admin` —; 生成邀请码 for a role and an office (the code shown once, to
 * copy or read out; the staff member enters it on their own phone, 我的 → 工作人员: docs/security.md), the
 * pending codes with 作废; 授予 by OPENID when it is known (scripts, the audit); 撤销 after a
 * confirmation. The server refuses what the caller may not do; its coded message is shown under the field
 * it is about.
 */
import type { InvitationInfo } from '../../../../typings/admin';
import type { RoleGrant, StaffRole } from '../../../../typings/staff';
import { errorMessage } from '../../../services/api';
import { callAdmin, isCityAdministrator, loadRefused, saveRefused } from '../../../services/admin';
import { copyText, toast } from '../../../services/platform';
import { loadStaffMe } from '../../../services/staff';
import { momentLabel } from '../../../utils/format';

const ROLE_NAMES: Record<StaffRole, string> = {
  staff: '窗口工作人员',
  office_admin: '办理点管理员',
  city_admin: '市级管理员',
};

interface Chip {
  id: string;
  label: string;
  active: boolean;
}

interface Row {
  key: string;
  openid: string;
  title: string;
  detail: string;
}

interface InvitationRow {
  id: string;
  title: string;
  detail: string;
}

interface RolesData {
  loading: boolean;
  error: string;
  retryable: boolean;
  denied: boolean;
  rows: Row[];
  openid: string;
  roles: Chip[];
  offices: Chip[];
  needsOffice: boolean;
  errors: Record<string, string>;
  busy: boolean;
  done: string;
  dialogShow: boolean;
  dialogMessage: string;
  /** The code just created: shown once (the server keeps it hashed). */
  invite: { code: string; note: string } | null;
  invitations: InvitationRow[];
}

interface RolesCustom {
  grants: RoleGrant[];
  officeNames: Record<string, string>;
  role: StaffRole;
  officeId: string;
  pending: RoleGrant | null;
  load(spinner: boolean): Promise<void>;
  chips(): void;
  inviteTitle(i: Pick<InvitationInfo, 'role' | 'officeId'>): string;
  onOpenid(event: { detail: unknown }): void;
  onRole(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onOffice(event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>): void;
  onGrant(): Promise<void>;
  onInvite(): Promise<void>;
  onCopyCode(): Promise<void>;
  onWithdraw(
    event: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>,
  ): Promise<void>;
  onRevoke(event: WechatMiniprogram.BaseEvent<Record<string, never>, { key: string }>): void;
  onConfirm(): Promise<void>;
  onCancel(): void;
  onRetry(): void;
}

function keyOf(g: RoleGrant): string {
  return `${g.openid}|${g.role}|${g.officeId ?? '*'}`;
}

Page<RolesData, RolesCustom>({
  grants: [],
  officeNames: {},
  role: 'staff',
  officeId: '',
  pending: null,
  data: {
    loading: true,
    error: '',
    retryable: true,
    denied: false,
    rows: [],
    openid: '',
    roles: [],
    offices: [],
    needsOffice: true,
    errors: {},
    busy: false,
    done: '',
    dialogShow: false,
    dialogMessage: '',
    invite: null,
    invitations: [],
  },

  onLoad() {
    void this.load(true);
  },

  async load(spinner) {
    if (spinner) this.setData({ loading: true, error: '' });
    const [roles, offices, me, invitations] = await Promise.all([
      callAdmin('listRoles', {}),
      callAdmin('listOffices', {}),
      loadStaffMe(),
      callAdmin('listInvitations', {}),
    ]);
    if (!roles.ok || !offices.ok) {
      const error = !roles.ok ? roles.error : !offices.ok ? offices.error : undefined;
      if (error) this.setData(loadRefused(error));
      return;
    }
    const city = me.ok && isCityAdministrator(me.data);
    this.officeNames = Object.fromEntries(offices.data.offices.map((o) => [o.id, o.name]));
    this.grants = roles.data.roles;
    this.officeId ||= offices.data.offices[0]?.id ?? '';
    const roleIds: StaffRole[] = city ? ['staff', 'office_admin', 'city_admin'] : ['staff'];
    this.setData({
      loading: false,
      rows: this.grants.map((g) => ({
        key: keyOf(g),
        openid: g.openid,
        title: `${ROLE_NAMES[g.role]}${g.officeId ? ` · ${this.officeNames[g.officeId] ?? g.officeId}` : ''}`,
        detail: `${g.openid} · ${momentLabel(g.grantedAt)} 由 ${g.grantedBy} 授予`,
      })),
      roles: roleIds.map((r) => ({ id: r, label: ROLE_NAMES[r], active: r === this.role })),
      invitations: invitations.ok
        ? invitations.data.invitations
            .filter((i) => i.status === 'pending')
            .map((i) => ({
              id: i.id,
              title: this.inviteTitle(i),
              detail: `${momentLabel(i.expiresAt)} 前有效 · 由 ${i.createdBy} 生成`,
            }))
        : [],
    });
    this.chips();
  },

  chips() {
    this.setData({
      roles: this.data.roles.map((r) => ({ ...r, active: r.id === this.role })),
      offices: Object.entries(this.officeNames).map(([id, name]) => ({
        id,
        label: name,
        active: id === this.officeId,
      })),
      needsOffice: this.role !== 'city_admin',
    });
  },

  inviteTitle(i) {
    const office = i.officeId ? ` · ${this.officeNames[i.officeId] ?? i.officeId}` : '';
    return `${ROLE_NAMES[i.role]}${office}`;
  },

  async onInvite() {
    if (this.data.busy) return;
    this.setData({ busy: true, errors: {}, done: '', invite: null });
    const res = await callAdmin('createInvitation', {
      role: this.role,
      ...(this.role === 'city_admin' ? {} : { officeId: this.officeId }),
    });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({ errors: saveRefused(res.error) });
      return;
    }
    const i = res.data.invitation;
    this.setData({
      invite: {
        code: res.data.code,
        note: `${this.inviteTitle(i)}，${momentLabel(i.expiresAt)} 前有效，只能使用一次。请对方在自己的微信里打开本小程序，点“我的”→“工作人员：凭邀请码开通”输入。`,
      },
    });
    await this.load(false);
  },

  async onCopyCode() {
    const invite = this.data.invite;
    if (invite && (await copyText(invite.code))) toast('已复制');
  },

  async onWithdraw(event) {
    const id = event.currentTarget.dataset.id;
    if (this.data.busy || !id) return;
    this.setData({ busy: true, errors: {}, done: '' });
    const res = await callAdmin('revokeInvitation', { id });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({ errors: { '': errorMessage(res.error) } });
      return;
    }
    this.setData({ done: `已作废邀请码（${this.inviteTitle(res.data)}）` });
    await this.load(false);
  },

  onOpenid(event) {
    this.setData({
      openid: typeof event.detail === 'string' ? event.detail.trim() : '',
      errors: {},
    });
  },

  onRole(event) {
    const role = (['staff', 'office_admin', 'city_admin'] as StaffRole[]).find(
      (r) => r === event.currentTarget.dataset.id,
    );
    if (!role) return;
    this.role = role;
    this.chips();
  },

  onOffice(event) {
    this.officeId = event.currentTarget.dataset.id;
    this.chips();
  },

  async onGrant() {
    if (this.data.busy) return;
    this.setData({ busy: true, errors: {}, done: '' });
    const res = await callAdmin('grantRole', {
      openid: this.data.openid,
      role: this.role,
      ...(this.role === 'city_admin' ? {} : { officeId: this.officeId }),
    });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({
        errors: saveRefused(res.error),
      });
      return;
    }
    toast('已授予');
    this.setData({ openid: '', done: `已授予 ${res.data.openid} ${ROLE_NAMES[res.data.role]}` });
    await this.load(false);
  },

  onRevoke(event) {
    const grant = this.grants.find((g) => keyOf(g) === event.currentTarget.dataset.key);
    if (!grant) return;
    this.pending = grant;
    this.setData({
      dialogShow: true,
      dialogMessage: `撤销 ${grant.openid} 的${ROLE_NAMES[grant.role]}权限？撤销后立即生效。`,
    });
  },

  async onConfirm() {
    const grant = this.pending;
    this.pending = null;
    this.setData({ dialogShow: false });
    if (!grant) return;
    this.setData({ busy: true, errors: {}, done: '' });
    const res = await callAdmin('revokeRole', {
      openid: grant.openid,
      role: grant.role,
      ...(grant.officeId === undefined ? {} : { officeId: grant.officeId }),
    });
    this.setData({ busy: false });
    if (!res.ok) {
      this.setData({ errors: { '': errorMessage(res.error) } });
      return;
    }
    this.setData({ done: `已撤销 ${grant.openid} 的${ROLE_NAMES[grant.role]}权限` });
    await this.load(false);
  },

  onCancel() {
    this.pending = null;
    this.setData({ dialogShow: false });
  },

  onRetry() {
    void this.load(true);
  },
});
