/**
 * R1/R4/R9/R10/R13: offices, services, categories and settings as administrators edit them, validated as
 * a whole by the pure checks the admin pages share with the server.
 */
import type { ServiceConfig } from '../../typings/admin';
import {
  checkCategory,
  checkPeriods,
  checkService,
  checkSettings,
  quota,
} from '../../server/domain/service-config';
import { DEFAULT_PERIODS } from '../../server/domain/config';

const SERVICE: ServiceConfig = {
  id: 'siming-violation',
  officeId: 'siming',
  name: '交通违法处理',
  prefix: 'A',
  notice: '',
  order: 1,
  active: true,
  categories: ['surveillance'],
  periods: DEFAULT_PERIODS.map((p) => ({ ...p })),
  openWeekdays: [1, 2, 3, 4, 5],
  horizonDays: 7,
  releaseTime: '00:00',
  cancelCutoffMinutes: 60,
  queue: { callCountMax: 3, checkInMinutesBefore: 60, requeue: true },
};

describe('R4 checkPeriods', () => {
  it('accepts the default day of 50 numbers', () => {
    expect(checkPeriods(SERVICE.periods)).toEqual([]);
    expect(quota(SERVICE.periods)).toBe(50);
  });

  it('names ranges outside 001–999 or overlapping, times malformed or overlapping, ids repeated', () => {
    expect(
      checkPeriods([
        { id: 'a', start: '09:00', end: '10:00', from: 1, to: 10 },
        { id: 'a', start: '10:00', end: '11:00', from: 11, to: 20 }, // id repeated
        { id: 'c', start: '10:30', end: '11:30', from: 21, to: 30 }, // overlaps b in time
        { id: 'd', start: '12:00', end: '13:00', from: 25, to: 35 }, // overlaps c's numbers
        { id: 'e', start: '13:00', end: '12:59', from: 36, to: 1000 }, // ends before it starts; 1000
        { id: 'f', start: '7:00', end: '08:00', from: 40, to: 39 }, // not HH:mm; backwards range
      ]),
    ).toEqual([
      { code: 'ADMIN.PERIOD_ID_INVALID', field: 'service.periods.1.id' },
      { code: 'ADMIN.PERIOD_TIMES', field: 'service.periods.2.start' },
      { code: 'ADMIN.RANGE_OVERLAP', field: 'service.periods.3.from' },
      { code: 'ADMIN.PERIOD_TIMES', field: 'service.periods.4.end' },
      { code: 'ADMIN.RANGE_INVALID', field: 'service.periods.4.from' },
      { code: 'ADMIN.TIME_INVALID', field: 'service.periods.5.start' },
      { code: 'ADMIN.RANGE_INVALID', field: 'service.periods.5.from' },
    ]);
    expect(checkPeriods([])).toEqual([{ code: 'ADMIN.PERIODS_EMPTY', field: 'service.periods' }]);
  });
});

describe('R1 checkService', () => {
  it('wants the prefix unique within the office, itself excepted', () => {
    expect(checkService(SERVICE, [{ id: 'siming-violation', prefix: 'A' }])).toEqual([]);
    expect(checkService(SERVICE, [{ id: 'siming-vehicle', prefix: 'A' }])).toEqual([
      { code: 'ADMIN.PREFIX_TAKEN', field: 'service.prefix' },
    ]);
  });

  it('names every other field out of its bounds', () => {
    expect(
      checkService(
        {
          ...SERVICE,
          id: 'X',
          name: '',
          prefix: 'a1',
          categories: [],
          openWeekdays: [1, 1],
          horizonDays: 61,
          releaseTime: '25:00',
          cancelCutoffMinutes: -1,
          queue: { callCountMax: 0, checkInMinutesBefore: 241, requeue: false },
        },
        [],
      ).map((i) => `${i.field} ${i.code}`),
    ).toEqual([
      'service.id ADMIN.ID_INVALID',
      'service.name ADMIN.NAME_INVALID',
      'service.prefix ADMIN.PREFIX_INVALID',
      'service.categories ADMIN.CATEGORIES_INVALID',
      'service.openWeekdays ADMIN.WEEKDAYS_INVALID',
      'service.horizonDays ADMIN.NUMBER_OUT_OF_RANGE',
      'service.releaseTime ADMIN.TIME_INVALID',
      'service.cancelCutoffMinutes ADMIN.NUMBER_OUT_OF_RANGE',
      'service.queue.callCountMax ADMIN.NUMBER_OUT_OF_RANGE',
      'service.queue.checkInMinutesBefore ADMIN.NUMBER_OUT_OF_RANGE',
    ]);
  });
});

describe('R7 checkCategory and R10/R13/R15 checkSettings', () => {
  it('wants 1–20 materials with short names', () => {
    const category = {
      id: 'surveillance' as const,
      name: '电子监控类',
      materials: [{ name: '身份证' }],
      unplated: false,
      order: 1,
    };
    expect(checkCategory(category)).toEqual([]);
    expect(checkCategory({ ...category, materials: [] })).toEqual([
      { code: 'ADMIN.MATERIALS_INVALID', field: 'category.materials' },
    ]);
  });

  it('checks only the settings given', () => {
    expect(checkSettings({})).toEqual([]);
    expect(
      checkSettings({
        noShowLimit: 1,
        suspensionMonths: 13,
        reminder: { daysBefore: 1, at: '18:60' },
        quietHours: { from: '21:00', to: '07:30' },
      }),
    ).toEqual([
      { code: 'ADMIN.TIME_INVALID', field: 'settings.reminder.at' },
      { code: 'ADMIN.NUMBER_OUT_OF_RANGE', field: 'settings.noShowLimit' },
      { code: 'ADMIN.NUMBER_OUT_OF_RANGE', field: 'settings.suspensionMonths' },
    ]);
  });

  it('R15: refuses requiring verification while no real-name facility is configured', () => {
    expect(checkSettings({ requireVerification: true, identityMethod: 'off' })).toEqual([
      { code: 'ADMIN.VERIFICATION_UNAVAILABLE', field: 'settings.requireVerification' },
    ]);
    expect(checkSettings({ requireVerification: true, identityMethod: 'face' })).toEqual([]);
    expect(checkSettings({ requireVerification: false, identityMethod: 'off' })).toEqual([]);
    expect(checkSettings({ requireVerification: true })).toEqual([]);
  });
});
