/**
 * Choosing the office and service (R1: offices and services are data). The single-service case skips the
 * page (see journey.test.ts); here a second office is configured before anyone asks for the catalogue.
 */
import { failNext, inCloud, useLocalCloud } from './support/cloud';
import {
  find,
  findAll,
  findByText,
  nth,
  lastUrl,
  loaded,
  newUser,
  open,
  tap,
  textOf,
} from './support/user';

useLocalCloud('2026-12-01T10:00');

beforeAll(async () => {
  await inCloud(async (cloud) => {
    const db = cloud.database();
    await db.collection('offices').add({
      data: {
        _id: 'huli',
        name: '湖里交警大队',
        address: '福建省厦门市湖里区（演示地址）',
        latitude: 24.5129,
        longitude: 118.1465,
        order: 2,
      },
    });
    await db.collection('services').add({
      data: {
        _id: 'huli-violation',
        officeId: 'huli',
        name: '交通违法处理',
        prefix: 'B',
        notice: '湖里大队窗口预约须知',
        order: 2,
        active: true,
        categories: ['surveillance', 'impounded'],
        periods: [{ id: 'am', start: '09:00', end: '12:00', from: 1, to: 20 }],
        openWeekdays: [1, 2, 3, 4, 5],
        horizonDays: 7,
        releaseTime: '00:00',
        cancelCutoffMinutes: 60,
      },
    });
  }, undefined);
});

beforeEach(() => {
  newUser('service-user');
});

it('lists each office with its address and services, and opens step 1 of the one chosen', async () => {
  const page = open('/pages/service/index');
  await loaded(page);
  expect(findAll(page.comp, '.office').map(textOf)).toEqual([
    '思明交警大队 福建省厦门市思明区（演示地址，以现场公告为准） 交通违法处理',
    '湖里交警大队 福建省厦门市湖里区（演示地址） 交通违法处理',
  ]);
  expect(wx.redirectTo).not.toHaveBeenCalled();
  // Both services are called 交通违法处理; the second row is Huli's.
  await tap(nth(findAll(page.comp, '.service-entry'), 1));
  expect(lastUrl('navigateTo')).toBe('/pages/slot/index?serviceId=huli-violation');

  // Step 1 follows the chosen service (its one period); the form then its categories only.
  const slot = open(lastUrl('navigateTo'));
  await loaded(slot);
  await tap(findByText(slot.comp, '.day', '12月2日'));
  await tap(findByText(slot.comp, '.period', '09:00-12:00'));
  const form = open(lastUrl('navigateTo'));
  await loaded(form);
  expect(textOf(find(form.comp, '.chosen'))).toContain('湖里交警大队 · 交通违法处理');
  expect(findAll(form.comp, '.category-option').map(textOf)).toEqual(['电子监控类', '扣车类']);
});

it('offers a retry when the catalogue cannot load', async () => {
  failNext('offline');
  const page = open('/pages/service/index');
  await loaded(page);
  expect(textOf(page.comp)).toBe('网络不给力，请检查网络后重试 重试');
  await tap(find(page.comp, '.page-state', '.state-retry'));
  await loaded(page);
  expect(findAll(page.comp, '.service-entry')).toHaveLength(2);
});
