/**
 * Issue 14's audit page through the real `admin` function on the local cloud: `listAudit` answers the
 * entries newest first, paged by `before` without losing or repeating one (a millisecond's burst
 * included), filtered by action, and an `office_admin` reads only the entries about their own office.
 */
import { chinaTime, removeAll } from '../../local-cloud/client';
import type { AuditEntry } from '../../typings/admin';
import { useAdminCloud } from './support/admin-cloud';
import { SERVICE } from './support/booking';
import { addOtherOffice, admin, adminOk, OTHER_OFFICE, OTHER_SERVICE } from './support/hall';

jest.setTimeout(120_000);

const CITY = 'o-audit-city';
const SIMING_ADMIN = 'o-audit-siming';
const HULI_ADMIN = 'o-audit-huli';

const { cloud, db } = useAdminCloud({
  now: chinaTime('2026-06-22T10:00:00'),
  prepare: async (runner) => {
    await addOtherOffice(runner);
    // Only what this test makes is compared (the seed audits its demo staff's grant).
    await removeAll(runner, ['audit']);
  },
  city: CITY,
  officeAdmins: { [SIMING_ADMIN]: 'siming', [HULI_ADMIN]: OTHER_OFFICE },
});

/** What each entry is, in the order they were made (oldest first). */
const made: string[] = [];

/** An entry's label as the test names it: `action` plus what it was about. */
function label(e: AuditEntry): string {
  const t = e.target;
  const about = [t.officeId, t.role, t.collection, t.id, t.serviceId, t.year]
    .filter((v) => v !== undefined)
    .map((v) => (typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v)))
    .join('/');
  return `${e.action} ${about}`;
}

async function all(openid: string, req: { auditAction?: string } = {}): Promise<AuditEntry[]> {
  return (await adminOk(cloud, openid, 'listAudit', { ...req, limit: 50 })).entries;
}

beforeAll(async () => {
  // useAdminCloud's, in this order.
  made.push(
    'bootstrap city_admin',
    'acceptInvitation city_admin',
    'grantRole siming/office_admin',
    'grantRole huli/office_admin',
  );
  await adminOk(cloud, SIMING_ADMIN, 'grantRole', {
    openid: 'o-audit-staff',
    role: 'staff',
    officeId: 'siming',
  });
  made.push('grantRole siming/staff');
  const key = await adminOk(cloud, HULI_ADMIN, 'createApiKey', {
    officeId: OTHER_OFFICE,
    scopes: ['read'],
    channel: 'audit-test',
    name: '审计',
  });
  made.push('createApiKey huli');
  await adminOk(cloud, CITY, 'saveSettings', { settings: { noShowLimit: 4 } });
  made.push('saveSettings settings/global');
  await adminOk(cloud, SIMING_ADMIN, 'closeDay', {
    serviceId: SERVICE,
    date: '2026-07-01',
    reason: '设备检修',
  });
  made.push(`closeDay ${SERVICE}`);
  await adminOk(cloud, HULI_ADMIN, 'closeDay', {
    serviceId: OTHER_SERVICE,
    date: '2026-07-02',
    reason: '设备检修',
  });
  made.push(`closeDay ${OTHER_SERVICE}`);
  await adminOk(cloud, CITY, 'setCalendarYear', {
    year: 2027,
    holidays: [{ date: '2027-01-01', name: '元旦' }],
    workdays: [],
  });
  made.push('setCalendarYear 2027');
  await adminOk(cloud, HULI_ADMIN, 'revokeApiKey', { keyId: key.keyId });
  made.push('revokeApiKey huli');
  const { offices } = await adminOk(cloud, CITY, 'listOffices', {});
  const siming = offices.find((o) => o.id === 'siming');
  if (!siming) throw new Error('the seeded office is missing');
  const { services, ...simingOffice } = siming;
  await adminOk(cloud, SIMING_ADMIN, 'saveOffice', { office: { ...simingOffice, order: 1 } });
  made.push('saveOffice offices/siming');
  const service = services.find((s) => s.id === SERVICE);
  if (!service) throw new Error('the seeded service is missing');
  await adminOk(cloud, SIMING_ADMIN, 'saveService', {
    service: { ...service, notice: '请带齐材料' },
  });
  made.push(`saveService services/${SERVICE}`);
});

describe('listAudit (the audit page)', () => {
  it('answers a city admin every entry, newest first, with who and the change', async () => {
    const entries = await all(CITY);
    expect(entries.map(label)).toEqual([...made].reverse());
    const ats = entries.map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    const settings = entries.find((e) => e.action === 'saveSettings');
    expect(settings).toMatchObject({ by: CITY, after: { noShowLimit: 4 } });
    expect(entries.find((e) => e.action === 'bootstrap')?.by).toBe('console');
  });

  it('answers an office admin the entries about their office only', async () => {
    const about = (office: string, service: string) =>
      [...made]
        .reverse()
        .filter((l) => l.includes(` ${office}`) || l.includes(service) || l.includes(`/${office}`));
    const siming = (await all(SIMING_ADMIN)).map(label);
    const huli = (await all(HULI_ADMIN)).map(label);
    expect(siming).toEqual([
      `saveService services/${SERVICE}`,
      'saveOffice offices/siming',
      `closeDay ${SERVICE}`,
      'grantRole siming/staff',
      'grantRole siming/office_admin',
    ]);
    expect(huli).toEqual([
      'revokeApiKey huli',
      `closeDay ${OTHER_SERVICE}`,
      'createApiKey huli',
      'grantRole huli/office_admin',
    ]);
    // The same lists as picked from the city's by name: nothing city-wide leaks to an office.
    expect([siming, huli]).toEqual([about('siming', SERVICE), about('huli', OTHER_SERVICE)]);
  });

  it('pages by `before` without losing or repeating an entry, and filters by action', async () => {
    const whole = await all(CITY);
    const paged: AuditEntry[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await adminOk(cloud, CITY, 'listAudit', {
        limit: 3,
        ...(before === undefined ? {} : { before }),
      });
      paged.push(...page.entries);
      pages += 1;
      if (page.nextBefore === undefined) break;
      before = page.nextBefore;
    }
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(pages).toBe(Math.ceil(made.length / 3));
    expect((await all(CITY, { auditAction: 'closeDay' })).map(label)).toEqual([
      `closeDay ${OTHER_SERVICE}`,
      `closeDay ${SERVICE}`,
    ]);
    expect((await all(SIMING_ADMIN, { auditAction: 'createApiKey' })).map(label)).toEqual([]);
  });

  it('answers a millisecond’s entries whole rather than cut them at a page’s end', async () => {
    const at = Date.UTC(2020, 0, 1);
    await db.run(
      async (c, a) => {
        const col = c.database().collection('audit');
        for (let i = 0; i < 5; i += 1) {
          await col.add({
            data: {
              _id: `aburst${i}`,
              at: a.at,
              by: 'o-burst',
              action: 'saveSettings',
              target: {},
            },
          });
        }
        await col.add({
          data: { _id: 'aolder', at: a.at - 1, by: 'o-burst', action: 'saveSettings', target: {} },
        });
      },
      { at },
    );
    const first = await adminOk(cloud, CITY, 'listAudit', { before: at + 1, limit: 3 });
    expect(first.entries.map((e) => e.id)).toEqual([4, 3, 2, 1, 0].map((i) => `aburst${i}`));
    expect(first.nextBefore).toBe(at);
    const second = await adminOk(cloud, CITY, 'listAudit', { before: at, limit: 3 });
    expect(second).toEqual({ entries: [expect.objectContaining({ id: 'aolder' })] });
  });

  it('refuses a bad page size, an unknown action and unknown fields', async () => {
    const codes = await Promise.all(
      [
        { limit: 0 },
        { limit: 51 },
        { before: -1 },
        { auditAction: 'dropDatabase' },
        { officeId: 'siming' } as never,
      ].map(async (req) => {
        const res = await admin(cloud, CITY, 'listAudit', req);
        return res.ok ? 'ok' : `${res.error.code} ${res.error.field ?? ''}`;
      }),
    );
    expect(codes).toEqual([
      'REQUEST.INVALID limit',
      'REQUEST.INVALID limit',
      'REQUEST.INVALID before',
      'REQUEST.INVALID auditAction',
      'REQUEST.INVALID officeId',
    ]);
  });
});
