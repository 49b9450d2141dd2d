/**
 * The admin forms (miniprogram/admin/utils/forms.ts): text as typed into configuration and back, each
 * problem of the server's validator under its field (R4 ranges, R7 materials, R10–R17 settings), the
 * day's quota (R4).
 */
import type { GlobalSettings, ServiceConfig } from '../../typings/admin';
import { checkService, checkSettings } from '../../server/domain/service-config';
import {
  fieldErrors,
  materialsText,
  newServiceForm,
  nextPeriod,
  numberOf,
  parseMaterials,
  quotaText,
  serverError,
  serviceForm,
  serviceFromForm,
  settingsForm,
  settingsFromForm,
} from '../../miniprogram/admin/utils/forms';

const SERVICE: ServiceConfig = {
  id: 'huli-violation',
  officeId: 'huli',
  name: '交通违法处理',
  prefix: 'A',
  notice: '请提前 5 分钟到达',
  order: 1,
  active: true,
  categories: ['surveillance', 'commercial'],
  periods: [
    { id: 'am1', start: '09:00', end: '10:00', from: 1, to: 10 },
    { id: 'am2', start: '10:00', end: '11:00', from: 11, to: 20 },
  ],
  openWeekdays: [1, 2, 3, 4, 5],
  horizonDays: 7,
  releaseTime: '00:00',
  cancelCutoffMinutes: 60,
  queue: { callCountMax: 3, checkInMinutesBefore: 60, requeue: true },
};

describe('the service form', () => {
  it('gives back the service it was made from', () => {
    expect(serviceFromForm(serviceForm(SERVICE))).toEqual(SERVICE);
  });

  it('keys each problem by its field: an overlap (R4) and a blank number', () => {
    const form = serviceForm(SERVICE);
    const edited = {
      ...form,
      periods: form.periods.map((p, i) => (i === 1 ? { ...p, from: '5' } : p)),
      horizonDays: ' ',
    };
    expect(fieldErrors(checkService(serviceFromForm(edited), []))).toEqual({
      'periods.1.from': '各时段的号码范围不能重叠',
      horizonDays: '数值超出允许范围',
    });
  });

  it("puts the server's refusal under its field, or over the whole form", () => {
    expect(serverError('ADMIN.PREFIX_TAKEN', 'service.prefix')).toEqual({
      prefix: '该办理点已有业务使用此号码前缀',
    });
    expect(serverError('ADMIN.SERVICE_NOT_FOUND', undefined)).toEqual({ '': '未找到该业务' });
  });

  it('proposes a new service a free prefix, and the next period after the last', () => {
    expect(newServiceForm('huli', ['A', 'B']).prefix).toBe('C');
    expect(nextPeriod(serviceForm(SERVICE).periods)).toEqual({
      id: 'p3',
      start: '11:00',
      end: '12:00',
      from: '21',
      to: '30',
    });
  });

  it("says the day's numbers (R4), nothing while a range is half typed", () => {
    expect(quotaText('A', serviceForm(SERVICE).periods)).toBe('每天共 20 个号（A001–A020）');
    expect(quotaText('A', [{ id: 'x', start: '', end: '', from: '1', to: '' }])).toBe('');
    expect(numberOf('')).toBeNaN();
    expect(numberOf(' 12 ')).toBe(12);
  });
});

describe('materials as lines (R7)', () => {
  it('reads a note after ｜ or |, skips blank lines, and writes the same lines back', () => {
    const materials = parseMaterials('身份证｜本人\n\n驾驶证\n行驶证 | 原件 \n委托书｜');
    expect(materials).toEqual([
      { name: '身份证', note: '本人' },
      { name: '驾驶证' },
      { name: '行驶证', note: '原件' },
      { name: '委托书' },
    ]);
    expect(parseMaterials(materialsText(materials))).toEqual(materials);
  });
});

describe('the settings form (R5, R10, R13, R15–R17)', () => {
  const SETTINGS: GlobalSettings = {
    notice: '春节期间窗口暂停办理',
    accountActiveLimit: 3,
    reminder: { daysBefore: 1, at: '18:00' },
    quietHours: { from: '21:00', to: '07:30' },
    noShowLimit: 3,
    suspensionMonths: 1,
    identityMethod: 'face',
    requireVerification: true,
    personRefusalLimit: 5,
    cancelLimit: 5,
    cancelWindowHours: 24,
    rebookCooldownMinutes: 30,
    releaseHoldMinutes: 5,
  };

  it('gives back every setting it was made from, the identity and churn ones included', () => {
    expect(settingsFromForm(settingsForm(SETTINGS))).toEqual(SETTINGS);
  });

  it('keys each problem by its field: a blank churn limit, a cool-down too long', () => {
    const form = { ...settingsForm(SETTINGS), cancelLimit: ' ', rebookCooldownMinutes: '1441' };
    expect(fieldErrors(checkSettings(settingsFromForm(form)))).toEqual({
      cancelLimit: '数值超出允许范围',
      rebookCooldownMinutes: '数值超出允许范围',
    });
  });
});
