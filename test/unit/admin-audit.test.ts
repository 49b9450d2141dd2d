/**
 * The audit page's lines (miniprogram/admin/utils/audit.ts, issue 14): every action the server audits
 * (server/store/documents/hall.ts `AUDIT_ACTIONS`) is put in words, so a newly audited action cannot
 * reach the page as its code; who did it, read for a person.
 */
import { AUDIT_ACTIONS } from '../../server/store/documents/hall';
import { auditLine } from '../../miniprogram/admin/utils/audit';

const AT = Date.UTC(2026, 11, 1, 2, 0, 0);

function line(action: string, by = 'o-city') {
  return auditLine({ id: 'a1', at: AT, by, action, target: { officeId: 'siming' } });
}

describe('the audit page’s lines', () => {
  it('puts every audited action in words, exportStats included', () => {
    const raw = AUDIT_ACTIONS.filter((a) => line(a).what === a || /[a-z]/i.test(line(a).what));
    expect(raw).toEqual([]);
    expect(line('exportStats').what).toBe('导出统计');
  });

  it('names the console, an API key, an account and the system, and what it was about', () => {
    expect(
      [
        line('bootstrap', 'console'),
        line('closeDay', 'api:k1'),
        line('saveOffice'),
        line('inviteGuessing', 'system'),
      ].map((l) => [l.who, l.about]),
    ).toEqual([
      ['云开发控制台', 'officeId siming'],
      ['接口密钥 k1', 'officeId siming'],
      ['操作人 o-city', 'officeId siming'],
      ['系统', 'officeId siming'],
    ]);
  });
});
