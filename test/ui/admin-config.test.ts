/**
 * Offices, services, the city's settings and the categories' materials without a deploy (issue 14: R1,
 * R4, R7, R10), through the admin pages rendered with real Vant against the local cloud and the real
 * `admin` function: the offices list, a service's form refusing overlapping ranges under the field
 * without asking the server, a quota raised and saved (the citizens' availability follows), a new
 * service whose prefix another administrator took meanwhile (the server's coded message under the
 * prefix), an office's map point, the no-show limit, the identity and churn settings (R15–R17), a
 * category's materials.
 */
import { callAs, callBooking, useLocalCloud } from './support/cloud';
import { adminCalls, paste } from './support/admin';
import { renderPage, type RenderedPage } from './support/simulate';
import { grantAdmin } from './support/staff';
import {
  errorUnder,
  find,
  findAll,
  lastUrl,
  loaded,
  newUser,
  tap,
  textOf,
  typeInto,
  waitFor,
} from './support/user';

// Tuesday 1 December 2026, 10:00 China time.
useLocalCloud('2026-12-01T10:00');

async function openLoaded(
  route: string,
  query: Record<string, string> = {},
): Promise<RenderedPage> {
  const page = renderPage(route, query);
  await loaded(page);
  return page;
}

type Node = RenderedPage['comp'];

/** Replaces what a van-field holds with `text` (cleared first, as a person selects all and types). */
async function retype(field: Node, text: string): Promise<void> {
  await typeInto(field, '', false);
  await typeInto(field, text);
}

let admin = '';

beforeAll(async () => {
  admin = newUser('config-admin');
  await grantAdmin(admin);
}, 60_000);

beforeEach(() => {
  jest.clearAllMocks();
});

describe('offices and services (R1, R4)', () => {
  it('lists the office with its service, and opens its form', async () => {
    const list = await openLoaded('admin/pages/offices/index');
    const service = find(list.comp, '.service-siming-violation');
    expect(textOf(service)).toBe(
      '交通违法处理（A） 每天 50 个号 · 周一周二周三周四周五 · 提前 7 天',
    );
    await tap(service);
    expect(lastUrl('navigateTo')).toBe('/admin/pages/service/index?id=siming-violation');
  }, 60_000);

  it('refuses overlapping ranges under the field before asking the server, then raises the quota', async () => {
    const form = await openLoaded('admin/pages/service/index', { id: 'siming-violation' });
    expect(textOf(find(form.comp, '.quota'))).toBe('每天共 50 个号（A001–A050）');

    // Period 2 starting at 5 overlaps period 1 (1–10).
    await retype(find(form.comp, '.period-1 .period-from'), '5');
    await tap(find(form.comp, '.save'));
    expect(errorUnder(find(form.comp, '.period-1 .period-from'))).toBe('各时段的号码范围不能重叠');
    expect(adminCalls().filter((c) => c.action === 'saveService')).toEqual([]);

    // Back to 11, and the last period up to 60: 60 numbers a day.
    await retype(find(form.comp, '.period-1 .period-from'), '11');
    expect(errorUnder(find(form.comp, '.period-1 .period-from'))).toBe('');
    await retype(find(form.comp, '.period-4 .period-to'), '60');
    expect(textOf(find(form.comp, '.quota'))).toBe('每天共 60 个号（A001–A060）');
    await tap(find(form.comp, '.save'));
    await waitFor(() =>
      expect(textOf(find(form.comp, '.saved'))).toBe('已保存，约 10 秒内对市民生效'),
    );

    // R4: raising a quota opens its numbers at once — Wednesday's availability counts 60.
    await waitFor(async () => {
      const answer = await callBooking<{
        ok: boolean;
        data: { days: { date: string; remaining: number }[] };
      }>('config-citizen', { action: 'availability', serviceId: 'siming-violation' });
      expect(answer.data.days.find((d) => d.date === '2026-12-02')?.remaining).toBe(60);
    }, 15_000);
  }, 60_000);

  it("shows the server's refusal under the prefix when another administrator took it meanwhile", async () => {
    const form = await openLoaded('admin/pages/service/index', { officeId: 'siming' });
    expect(form.page.data.isNew).toBe(true);
    expect((form.page.data.form as { prefix: string }).prefix).toBe('B');
    await typeInto(find(form.comp, '.field-id'), 'siming-vehicle');
    await typeInto(find(form.comp, '.field-name'), '机动车业务');

    // Meanwhile, on another phone, another administrator creates a service with prefix B.
    const other = await callAs<{ ok: boolean; data?: { prefix: string } }>('admin', admin, {
      action: 'saveService',
      service: {
        id: 'siming-other',
        officeId: 'siming',
        name: '其他业务',
        prefix: 'B',
        notice: '',
        order: 5,
        active: true,
        categories: ['surveillance'],
        periods: [{ id: 'am1', start: '09:00', end: '10:00', from: 1, to: 10 }],
        openWeekdays: [1, 2, 3, 4, 5],
        horizonDays: 7,
        releaseTime: '00:00',
        cancelCutoffMinutes: 60,
        queue: { callCountMax: 3, checkInMinutesBefore: 60, requeue: true },
      },
    });
    expect(other).toMatchObject({ ok: true, data: { prefix: 'B' } });

    await tap(find(form.comp, '.save'));
    await waitFor(() =>
      expect(errorUnder(find(form.comp, '.field-prefix'))).toBe('该办理点已有业务使用此号码前缀'),
    );
    await retype(find(form.comp, '.field-prefix'), 'C');
    await tap(find(form.comp, '.save'));
    await waitFor(() => expect(textOf(find(form.comp, '.saved'))).toContain('已保存'));
    expect(form.page.data.isNew).toBe(false);
    const list = await openLoaded('admin/pages/offices/index');
    expect(findAll(list.comp, '.service').map((s) => textOf(s).split(' ')[0])).toEqual([
      // In their order: the new form proposed 2, the other administrator's service has 5.
      '交通违法处理（A）',
      '机动车业务（C）',
      '其他业务（B）',
    ]);
  }, 60_000);

  it("refuses an office's point outside China under the latitude", async () => {
    const office = await openLoaded('admin/pages/office/index', { id: 'siming' });
    await retype(find(office.comp, '.field-latitude'), '118.09');
    await tap(find(office.comp, '.save'));
    expect(errorUnder(find(office.comp, '.field-latitude'))).toBe('经纬度不正确');
    await retype(find(office.comp, '.field-latitude'), '24.47');
    await tap(find(office.comp, '.save'));
    await waitFor(() => expect(textOf(find(office.comp, '.saved'))).toContain('已保存'));
    expect(adminCalls().filter((c) => c.action === 'saveOffice')).toHaveLength(1);
  }, 60_000);
});

describe('the city settings and materials (R7, R10, R15–R17)', () => {
  it('refuses a no-show limit of 1 under the field, saves 4', async () => {
    const settings = await openLoaded('admin/pages/settings/index');
    await retype(find(settings.comp, '.field-no-show'), '1');
    await tap(find(settings.comp, '.save'));
    expect(errorUnder(find(settings.comp, '.field-no-show'))).toBe('数值超出允许范围');
    await retype(find(settings.comp, '.field-no-show'), '4');
    await tap(find(settings.comp, '.save'));
    await waitFor(() => expect(textOf(find(settings.comp, '.saved'))).toContain('已保存'));
    const saved = adminCalls().find((c) => c.action === 'saveSettings');
    expect(saved?.data.settings).toMatchObject({ noShowLimit: 4, suspensionMonths: 1 });
  }, 60_000);

  it('saves the identity and churn settings (R15–R17), each read back from the admin function', async () => {
    const settings = await openLoaded('admin/pages/settings/index');
    expect(textOf(find(settings.comp, '.method-off'))).toBe('未开通');
    expect(textOf(find(settings.comp, '.field-cooldown-help'))).toContain(
      '隔多少分钟才能再约这一天',
    );
    await tap(find(settings.comp, '.method-face'));
    await tap(find(settings.comp, '.require-switch', '.van-switch'));
    const typed: [string, string][] = [
      ['.field-refusals', '8'],
      ['.field-cancel-limit', '7'],
      ['.field-cancel-window', '48'],
      ['.field-cooldown', '45'],
      ['.field-release-hold', '10'],
    ];
    for (const [field, text] of typed) await retype(find(settings.comp, field), text);
    await tap(find(settings.comp, '.save'));
    await waitFor(() => expect(textOf(find(settings.comp, '.saved'))).toContain('已保存'));
    const listed = await callAs<{ data: { settings: Record<string, unknown> } }>('admin', admin, {
      action: 'listOffices',
    });
    expect(listed.data.settings).toMatchObject({
      identityMethod: 'face',
      requireVerification: true,
      personRefusalLimit: 8,
      cancelLimit: 7,
      cancelWindowHours: 48,
      rebookCooldownMinutes: 45,
      releaseHoldMinutes: 10,
    });
    expect(findAll(settings.comp, '.methods .chip-active').map(textOf)).toEqual(['微信人脸核身']);
  }, 60_000);

  it('refuses requiring verification with no real-name facility under the switch (R15)', async () => {
    const settings = await openLoaded('admin/pages/settings/index');
    await tap(find(settings.comp, '.method-off'));
    const toggle = find(settings.comp, '.require-switch', '.van-switch');
    if (!toggle.dom?.className.includes('van-switch--on')) await tap(toggle);
    await tap(find(settings.comp, '.save'));
    expect(textOf(find(settings.comp, '.require-error'))).toBe(
      '尚未开通实名认证方式，不能要求预约前先实名认证',
    );
    expect(adminCalls().filter((c) => c.action === 'saveSettings')).toEqual([]);
    await tap(find(settings.comp, '.method-face'));
    expect(findAll(settings.comp, '.require-error')).toEqual([]);
  }, 60_000);

  it.each([
    ['.field-refusals', '0'],
    ['.field-cancel-limit', '51'],
    ['.field-cancel-window', '721'],
    ['.field-cooldown', '1441'],
    ['.field-release-hold', '2.5'],
  ])(
    'refuses %s = %s under the field and saves nothing',
    async (field, text) => {
      const settings = await openLoaded('admin/pages/settings/index');
      await tap(find(settings.comp, '.method-realname'));
      await retype(find(settings.comp, field), text);
      await tap(find(settings.comp, '.save'));
      expect(errorUnder(find(settings.comp, field))).toBe('数值超出允许范围');
      expect(adminCalls().filter((c) => c.action === 'saveSettings')).toEqual([]);
      const listed = await callAs<{ data: { settings: { identityMethod: string } } }>(
        'admin',
        admin,
        { action: 'listOffices' },
      );
      expect(listed.data.settings.identityMethod).not.toBe('realname');
      await retype(find(settings.comp, field), '5');
      expect(errorUnder(find(settings.comp, field))).toBe('');
    },
    60_000,
  );

  it("saves a category's materials as lines, a note after ｜", async () => {
    const settings = await openLoaded('admin/pages/settings/index');
    const at = '.category-surveillance';
    await paste(
      find(settings.comp, `${at} .category-materials`),
      '身份证｜当事人本人居民身份证\n驾驶证\n行驶证\n授权委托书｜代办时',
    );
    await tap(find(settings.comp, `${at} .save-category`));
    await waitFor(() => expect(textOf(find(settings.comp, `${at} .saved`))).toBe('已保存'));
    const listed = await callAs<{ data: { categories: { id: string; materials: unknown[] }[] } }>(
      'admin',
      admin,
      { action: 'listOffices' },
    );
    expect(listed.data.categories.find((c) => c.id === 'surveillance')?.materials).toEqual([
      { name: '身份证', note: '当事人本人居民身份证' },
      { name: '驾驶证' },
      { name: '行驶证' },
      { name: '授权委托书', note: '代办时' },
    ]);
  }, 60_000);
});
