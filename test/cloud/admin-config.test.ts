/**
 * R1/R4/R7: offices and services are data (issue 14), through the real `admin` and `booking` functions on
 * the local cloud: a second office with its own service set up from nothing and booked by a citizen
 * without a deploy; a quota raised and lowered with bookings in place (R4: raising opens numbers, lowering
 * cancels nothing); validation as a whole with coded field errors that change nothing; a deactivated
 * service hidden from citizens with its bookings untouched; categories' materials and the city's notice.
 * Changes reach the booking function within its configuration refresh (10 s).
 */
import type { ServiceConfig } from '../../typings/admin';
import type { ServiceDoc } from '../../server/store/documents/config';
import { chinaTime, docs, getClock, setClock } from '../../local-cloud/client';
import { useAdminCloud } from './support/admin-cloud';
import { call, ok, person } from './support/booking';
import { admin, adminOk } from './support/hall';

jest.setTimeout(120_000);

const CITY = 'o-cfg-city';
const SIMING_ADMIN = 'o-cfg-siming';
const DAY = '2026-06-24';
/** The catalogue's refresh interval (server/store/catalogue.ts CACHE_MS). */
const REFRESH_MS = 10_000;

const { cloud, db } = useAdminCloud({
  now: chinaTime('2026-06-22T10:00:00'),
  city: CITY,
  officeAdmins: { [SIMING_ADMIN]: 'siming' },
});

const JIMEI_OFFICE = {
  id: 'jimei',
  name: '集美交警大队',
  address: '厦门市集美区（测试地址）',
  latitude: 24.57,
  longitude: 118.1,
  order: 3,
};

const JIMEI_SERVICE: ServiceConfig = {
  id: 'jimei-violation',
  officeId: 'jimei',
  name: '交通违法处理',
  prefix: 'C',
  notice: '请携带本人身份证件。',
  order: 1,
  active: true,
  categories: ['surveillance', 'commercial'],
  periods: [{ id: 'am1', start: '09:00', end: '10:00', from: 1, to: 2 }],
  openWeekdays: [1, 2, 3, 4, 5],
  horizonDays: 7,
  releaseTime: '00:00',
  cancelCutoffMinutes: 60,
  queue: { callCountMax: 3, checkInMinutesBefore: 60, requeue: true },
};

const AM1 = { id: 'am1', start: '09:00', end: '10:00', from: 1, to: 2 };

let seq = 0;
/** Books DAY at the jimei service as a new account and person; the raw answer. */
async function bookJimei(): Promise<Awaited<ReturnType<typeof call<'book'>>>> {
  seq += 1;
  return call(cloud, `o-cfg-citizen-${seq}`, 'book', {
    serviceId: JIMEI_SERVICE.id,
    date: DAY,
    person: person(900 + seq),
    requestId: `cfg-book-${seq}`,
  });
}

/** Lets every instance's catalogue refresh: the emulated clock moves past the refresh interval. */
async function afterRefresh(): Promise<void> {
  await setClock(cloud, (await getClock(cloud)) + REFRESH_MS, { fireTriggers: false });
}

async function configVersion(): Promise<number> {
  const [s] = await docs<{ configVersion: number }>(db, 'settings', { _id: 'global' });
  return s?.configVersion ?? -1;
}

describe('R1 a second office from nothing, booked without a deploy', () => {
  it('creates the office and its service, and a citizen books C001', async () => {
    const before = await configVersion();
    expect(await adminOk(cloud, CITY, 'saveOffice', { office: JIMEI_OFFICE })).toEqual(
      JIMEI_OFFICE,
    );
    expect(await adminOk(cloud, CITY, 'saveService', { service: JIMEI_SERVICE })).toEqual(
      JIMEI_SERVICE,
    );
    expect(await configVersion()).toBe(before + 2);
    await afterRefresh();

    const catalogue = await ok(cloud, 'o-cfg-reader', 'catalogue', {});
    expect(catalogue.offices.map((o) => [o.id, o.services.map((s) => s.prefix)])).toEqual([
      ['siming', ['A']],
      ['jimei', ['C']],
    ]);
    const { days } = await ok(cloud, 'o-cfg-reader', 'availability', {
      serviceId: JIMEI_SERVICE.id,
    });
    expect(days.find((d) => d.date === DAY)).toMatchObject({ open: true, remaining: 2 });
    const first = await bookJimei();
    expect(first).toMatchObject({
      ok: true,
      data: { number: 'C001', office: { id: 'jimei', name: '集美交警大队' }, status: 'booked' },
    });

    const audits = await docs<{ action: string; by: string; before: unknown; after: unknown }>(
      db,
      'audit',
      { action: 'saveService' },
    );
    expect(audits).toEqual([
      expect.objectContaining({
        by: CITY,
        before: null,
        after: expect.objectContaining({ _id: 'jimei-violation', prefix: 'C' }),
      }),
    ]);
  });

  it('lists what it saved, for the pages to edit', async () => {
    const listed = await adminOk(cloud, CITY, 'listOffices', {});
    expect(listed.offices.find((o) => o.id === 'jimei')).toEqual({
      ...JIMEI_OFFICE,
      services: [JIMEI_SERVICE],
    });
    // An office's administrator sees their own office only.
    const own = await adminOk(cloud, SIMING_ADMIN, 'listOffices', {});
    expect(own.offices.map((o) => o.id)).toEqual(['siming']);
    expect(own.categories.map((c) => c.id)).toEqual(['surveillance', 'commercial', 'impounded']);
  });
});

describe('R4 quota raised and lowered with bookings in place', () => {
  it('opens the raised numbers and cancels nothing when lowered', async () => {
    expect(await bookJimei()).toMatchObject({ ok: true, data: { number: 'C002' } });
    expect(await bookJimei()).toMatchObject({ ok: false, error: { code: 'QUOTA.SOLD_OUT' } });

    const raised = { ...JIMEI_SERVICE, periods: [{ ...AM1, to: 4 }] };
    await adminOk(cloud, CITY, 'saveService', { service: raised });
    await afterRefresh();
    const third = await bookJimei();
    expect(third).toMatchObject({ ok: true, data: { number: 'C003' } });

    const lowered = { ...JIMEI_SERVICE, periods: [{ ...AM1, to: 1 }] };
    await adminOk(cloud, CITY, 'saveService', { service: lowered });
    await afterRefresh();
    const held = await docs<{ label: string; status: string }>(db, 'bookings', {
      serviceId: JIMEI_SERVICE.id,
    });
    expect(held.map((b) => [b.label, b.status]).sort()).toEqual([
      ['C001', 'booked'],
      ['C002', 'booked'],
      ['C003', 'booked'],
    ]);
    const { days } = await ok(cloud, 'o-cfg-reader', 'availability', {
      serviceId: JIMEI_SERVICE.id,
    });
    expect(days.find((d) => d.date === DAY)).toMatchObject({ open: true, remaining: 0 });
    expect(await bookJimei()).toMatchObject({ ok: false, error: { code: 'QUOTA.SOLD_OUT' } });
  });
});

describe('validation as a whole, with coded field errors that change nothing', () => {
  it('refuses overlapping ranges, a taken prefix, bad times, another office and unknown fields', async () => {
    const version = await configVersion();
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [
        {
          ...JIMEI_SERVICE,
          periods: [
            { id: 'am1', start: '09:00', end: '10:00', from: 1, to: 10 },
            { id: 'am2', start: '10:00', end: '11:00', from: 10, to: 20 },
          ],
        },
        'ADMIN.RANGE_OVERLAP',
        'service.periods.1.from',
      ],
      [
        {
          ...JIMEI_SERVICE,
          periods: [{ id: 'am1', start: '09:00', end: '10:00', from: 0, to: 5 }],
        },
        'ADMIN.RANGE_INVALID',
        'service.periods.0.from',
      ],
      [
        { ...JIMEI_SERVICE, id: 'jimei-other', name: '其他业务' },
        'ADMIN.PREFIX_TAKEN',
        'service.prefix',
      ],
      [
        { ...JIMEI_SERVICE, periods: [{ id: 'am1', start: '9:00', end: '10:00', from: 1, to: 5 }] },
        'ADMIN.TIME_INVALID',
        'service.periods.0.start',
      ],
      [
        {
          ...JIMEI_SERVICE,
          periods: [{ id: 'am1', start: '10:00', end: '09:00', from: 1, to: 5 }],
        },
        'ADMIN.PERIOD_TIMES',
        'service.periods.0.end',
      ],
      [{ ...JIMEI_SERVICE, releaseTime: '24:00' }, 'ADMIN.TIME_INVALID', 'service.releaseTime'],
      [{ ...JIMEI_SERVICE, officeId: 'siming' }, 'ADMIN.SERVICE_OFFICE_FIXED', 'service.officeId'],
      [{ ...JIMEI_SERVICE, quota: 9 }, 'REQUEST.INVALID', 'service.quota'],
    ];
    for (const [service, code, field] of cases) {
      const res = await admin(cloud, CITY, 'saveService', { service: service as never });
      expect(res.ok ? 'ok' : { code: res.error.code, field: res.error.field }).toEqual({
        code,
        field,
      });
    }
    // An office's administrator cannot touch another office, nor create one.
    const other = await admin(cloud, SIMING_ADMIN, 'saveService', { service: JIMEI_SERVICE });
    expect(other).toMatchObject({ ok: false, error: { code: 'REQUEST.UNKNOWN_ACTION' } });
    const newOffice = await admin(cloud, SIMING_ADMIN, 'saveOffice', {
      office: { ...JIMEI_OFFICE, id: 'haicang' },
    });
    expect(newOffice).toMatchObject({ ok: false, error: { code: 'REQUEST.UNKNOWN_ACTION' } });
    const swapped = await admin(cloud, CITY, 'saveOffice', {
      office: { ...JIMEI_OFFICE, latitude: 118.1, longitude: 24.57 },
    });
    expect(swapped).toMatchObject({
      ok: false,
      error: { code: 'ADMIN.COORDINATES_INVALID', field: 'office.latitude' },
    });
    expect(await configVersion()).toBe(version);
  });
});

describe('deactivateService, materials and the city notice', () => {
  it('hides a service from citizens and leaves its bookings as they are', async () => {
    const siming = await adminOk(cloud, SIMING_ADMIN, 'listOffices', {});
    expect(siming.offices[0]?.services.map((s) => s.id)).toEqual(['siming-violation']);
    const refused = await admin(cloud, SIMING_ADMIN, 'deactivateService', {
      serviceId: JIMEI_SERVICE.id,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'REQUEST.UNKNOWN_ACTION' } });

    const off = await adminOk(cloud, CITY, 'deactivateService', { serviceId: JIMEI_SERVICE.id });
    expect(off.active).toBe(false);
    await afterRefresh();
    const catalogue = await ok(cloud, 'o-cfg-reader', 'catalogue', {});
    expect(catalogue.offices.map((o) => o.id)).toEqual(['siming']);
    expect(await bookJimei()).toMatchObject({
      ok: false,
      error: { code: 'CATALOGUE.SERVICE_NOT_FOUND' },
    });
    // The citizen still sees and may cancel the booking made before.
    const mine = await ok(cloud, 'o-cfg-citizen-1', 'mine', {});
    expect(mine.bookings.map((b) => [b.number, b.serviceName, b.status])).toEqual([
      ['C001', '交通违法处理', 'booked'],
    ]);
    const cancelled = await ok(cloud, 'o-cfg-citizen-1', 'cancel', {
      bookingId: mine.bookings[0]?.id ?? '',
    });
    expect(cancelled.status).toBe('cancelled');
  });

  it('changes a category’s materials and the notice every citizen reads', async () => {
    const listed = await adminOk(cloud, CITY, 'listOffices', {});
    const surveillance = listed.categories.find((c) => c.id === 'surveillance');
    if (!surveillance) throw new Error('seeded category missing');
    await adminOk(cloud, CITY, 'saveCategory', {
      category: { ...surveillance, materials: [{ name: '身份证' }, { name: '驾驶证' }] },
    });
    const bad = await admin(cloud, CITY, 'saveCategory', {
      category: { ...surveillance, materials: [] },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'ADMIN.MATERIALS_INVALID', field: 'category.materials' },
    });
    const notCity = await admin(cloud, SIMING_ADMIN, 'saveSettings', { settings: { notice: 'x' } });
    expect(notCity).toMatchObject({ ok: false, error: { code: 'REQUEST.UNKNOWN_ACTION' } });
    const settings = await adminOk(cloud, CITY, 'saveSettings', {
      settings: { notice: '春节期间窗口暂停办理。' },
    });
    expect(settings).toMatchObject({ notice: '春节期间窗口暂停办理。', accountActiveLimit: 3 });
    // R15: with no real-name facility stored, requiring verification would refuse every new citizen.
    const locked = await admin(cloud, CITY, 'saveSettings', {
      settings: { requireVerification: true },
    });
    expect(locked).toMatchObject({
      ok: false,
      error: { code: 'ADMIN.VERIFICATION_UNAVAILABLE', field: 'settings.requireVerification' },
    });
    const unchanged = await adminOk(cloud, CITY, 'listOffices', {});
    expect(unchanged.settings).toMatchObject({ identityMethod: 'off', requireVerification: false });
    await afterRefresh();
    const catalogue = await ok(cloud, 'o-cfg-reader', 'catalogue', {});
    expect(catalogue.notice).toBe('春节期间窗口暂停办理。');
    const service = catalogue.offices[0]?.services[0];
    expect(service?.categories.find((c) => c.id === 'surveillance')?.materials).toEqual([
      { name: '身份证' },
      { name: '驾驶证' },
    ]);
  });
});

describe('two saves of a new service at once', () => {
  it("keep the first writer's createdAt, and the second records the configuration it replaced (R2, R4)", async () => {
    // Several pairs, each two saves of one new service sent together, with different quotas.
    const ids = ['RA', 'RB', 'RC', 'RD'];
    const answers = await Promise.all(
      ids.flatMap((prefix) =>
        [2, 3].map((to) =>
          admin(cloud, CITY, 'saveService', {
            service: {
              ...JIMEI_SERVICE,
              id: `siming-race-${prefix.toLowerCase()}`,
              officeId: 'siming',
              prefix,
              periods: [{ ...AM1, to }],
            },
          }),
        ),
      ),
    );
    // Both calls of a pair answer what they saved.
    expect(answers.map((a) => (a.ok ? a.data.periods[0]?.to : a.error.code))).toEqual(
      ids.flatMap(() => [2, 3]),
    );
    const audits = await docs<{ before: ServiceDoc | null; after: ServiceDoc }>(db, 'audit', {
      action: 'saveService',
    });
    const services = await docs<ServiceDoc>(db, 'services');
    for (const prefix of ids) {
      const id = `siming-race-${prefix.toLowerCase()}`;
      const own = audits.filter((a) => a.after._id === id);
      const created = own.find((a) => a.before === null);
      const second = own.find((a) => a.before !== null);
      const stored = services.find((s) => s._id === id);
      // The first writer created it; the second's audit shows it as it was, and its write keeps its
      // createdAt and records the quota it replaced (the statistics' `releaseConfigOn`).
      expect({ audits: own.length, before: second?.before }).toEqual({
        audits: 2,
        before: created?.after,
      });
      expect({
        createdAt: stored?.createdAt,
        replaced: stored?.releaseHistory?.map((r) => r.periods[0]?.to),
        now: stored?.periods[0]?.to,
      }).toEqual({
        createdAt: created?.after.createdAt,
        replaced: [created?.after.periods[0]?.to],
        now: second?.after.periods[0]?.to,
      });
    }
  });
});
