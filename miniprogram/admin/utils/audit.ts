/**
 * The audit page's lines (issue 14): an entry's action in words, who, when, what about; and the admin
 * home's notice of today's `inviteGuessing` alarm. Pure.
 */
import type { AuditEntry, InviteGuessing } from '../../../typings/admin';
import { chinaClock } from '../../../server/domain/china-time';
import { momentLabel } from '../../utils/format';

export interface AuditLine {
  id: string;
  action: string;
  what: string;
  when: string;
  who: string;
  about: string;
}

/** Every audited action in words (test/unit/admin-audit.test.ts holds it to the server's list). */
const ACTIONS: Record<string, string> = {
  bootstrap: '初始化：生成首位市级管理员的邀请码',
  grantRole: '授予权限',
  revokeRole: '撤销权限',
  createApiKey: '新建接口密钥',
  revokeApiKey: '撤销接口密钥',
  setCalendarYear: '录入节假日安排',
  subscribeNotice: '订阅节假日提醒',
  saveOffice: '保存办理点',
  saveService: '保存业务设置',
  deactivateService: '停用业务',
  saveCategory: '保存需带材料',
  saveSettings: '保存全局设置',
  closeDay: '临时停办',
  liftSuspension: '解除暂停预约',
  exportStats: '导出统计',
  createInvitation: '生成邀请码',
  revokeInvitation: '作废邀请码',
  acceptInvitation: '凭邀请码获得权限',
  inviteGuessing: '今天输错邀请码次数过多，可能有人在猜测',
};

/** `key 值 · key 值` of the target's plain values (objects and long texts left out). */
function about(target: Record<string, unknown>): string {
  return Object.entries(target)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k} ${String(v).slice(0, 40)}`)
    .join(' · ');
}

export function auditLine(entry: AuditEntry): AuditLine {
  return {
    id: entry.id,
    action: entry.action,
    what: ACTIONS[entry.action] ?? entry.action,
    when: momentLabel(entry.at),
    who:
      entry.by === 'console'
        ? '云开发控制台'
        : entry.by === 'system'
          ? '系统'
          : entry.by.startsWith('api:')
            ? `接口密钥 ${entry.by.slice(4)}`
            : `操作人 ${entry.by}`,
    about: about(entry.target),
  };
}

/**
 * The admin home's notice of today's invitation-guessing alarm (docs/security.md): what happened, that
 * nobody was refused for it, and what a city administrator can do.
 */
export function guessingNotice(g: InviteGuessing): string {
  return (
    `今天已有 ${String(g.failed)} 次输入的邀请码不存在（${chinaClock(g.at)} 达到 ${String(g.threshold)} 次），` +
    '远多于工作人员偶尔输错，可能有人在猜测邀请码。系统没有因此拦截任何人；请查看操作记录，' +
    '如发现有人凭邀请码获得了不该有的权限，请在“人员权限”中撤销。'
  );
}
