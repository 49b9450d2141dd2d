/**
 * Granting a role by invitation (docs/security.md, "Granting a role"), through both pages rendered with
 * real Vant against the local cloud and the real `admin` and `staff` functions: the administrator's
 * 人员权限 page creates a code for window staff of an office (shown once, copied, listed as pending), the
 * newcomer on their own phone goes from 我的 to the desk, which, without a role, asks for the code — an
 * empty one, a wrong one refused with the server's Chinese message — and with the right one opens the
 * day's desk. A pending code withdrawn on the page is gone from the list.
 */
import { useLocalCloud } from './support/cloud';
import { grantAdmin } from './support/staff';
import {
  errorUnder,
  find,
  findAll,
  lastUrl,
  loaded,
  newUser,
  open,
  tap,
  textOf,
  typeInto,
  waitFor,
} from './support/user';

// Tuesday 1 December 2026, 10:00 China time.
useLocalCloud('2026-12-01T10:00');

const CODE = /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/;

describe('a role by invitation code', () => {
  it('is created on the roles page and entered by the newcomer on the desk, which then opens', async () => {
    const admin = newUser('invite-admin');
    await grantAdmin(admin);
    const roles = open('/admin/pages/roles/index');
    await loaded(roles);
    await tap(find(roles.comp, '.role-staff'));
    await tap(find(roles.comp, '.invite'));
    const code = await waitFor(() => {
      const shown = textOf(find(roles.comp, '.invite-code'));
      expect(shown).toMatch(CODE);
      return shown;
    });
    expect(textOf(find(roles.comp, '.invite-note'))).toContain('窗口工作人员 · 思明交警大队');
    expect(textOf(find(roles.comp, '.invite-note'))).toContain('只能使用一次');
    await tap(find(roles.comp, '.copy-code'));
    expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: code }));
    const pending = await waitFor(() => {
      const rows = findAll(roles.comp, '.invitation');
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(textOf(find(roles.comp, '.invitation .row-title'))).toBe('窗口工作人员 · 思明交警大队');
    // The list never shows the code itself: it is stored hashed.
    expect(pending.map(textOf).join(' ')).not.toContain(code);

    // The newcomer, on their own phone: 我的 → the desk.
    newUser('invite-newcomer');
    const mine = open('/pages/mine/index');
    await loaded(mine);
    await tap(find(mine.comp, '.staff-join'));
    expect(lastUrl('navigateTo')).toBe('/staff/pages/desk/index');
    const desk = open('/staff/pages/desk/index');
    await loaded(desk);
    expect(textOf(find(desk.comp, '.denied-text'))).toContain('邀请码');
    await tap(find(desk.comp, '.accept-invite'));
    expect(errorUnder(find(desk.comp, '.field-invite'))).toBe('请输入管理员给您的邀请码');

    await typeInto(find(desk.comp, '.field-invite'), 'ZZZZ-ZZZZ');
    await tap(find(desk.comp, '.accept-invite'));
    await waitFor(() =>
      expect(errorUnder(find(desk.comp, '.field-invite'))).toBe('邀请码不正确，请核对后重新输入'),
    );
    // Typed as read out: lower case, a space for the dash.
    await typeInto(find(desk.comp, '.field-invite'), code.toLowerCase().replace('-', ' '));
    await tap(find(desk.comp, '.accept-invite'));
    await waitFor(() => {
      expect(desk.comp.querySelector('.denied')).toBeUndefined();
      find(desk.comp, '.desk');
    });
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已开通' }));
  }, 90_000);

  it('withdraws a pending code on the roles page', async () => {
    const admin = newUser('invite-admin');
    await grantAdmin(admin);
    const roles = open('/admin/pages/roles/index');
    await loaded(roles);
    await tap(find(roles.comp, '.role-staff'));
    await tap(find(roles.comp, '.invite'));
    await waitFor(() => expect(findAll(roles.comp, '.invitation').length).toBeGreaterThan(0));
    const before = findAll(roles.comp, '.invitation').length;
    await tap(find(roles.comp, '.invitation .withdraw'));
    await waitFor(() =>
      expect(textOf(find(roles.comp, '.done'))).toBe('已作废邀请码（窗口工作人员 · 思明交警大队）'),
    );
    await waitFor(() => expect(findAll(roles.comp, '.invitation')).toHaveLength(before - 1));
  }, 60_000);
});
