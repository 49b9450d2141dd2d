/**
 * `npm run local-cloud -- --seed`: the demo data, built from the product's defaults (server/domain/config.ts),
 * in the document shapes of server/store/documents/config.ts. The State Council's holiday arrangements
 * are not seeded: the functions read them from the `chinese-days` package (server/store/calendar.ts), and
 * the `calendar` collection holds only the years administrators enter. Production is seeded with the same documents by an administrator.
 * The demo also has one window staff account (`demo-staff`), which production never has.
 */
import type {
  CategoryDoc,
  OfficeDoc,
  ServiceDoc,
  SettingsDoc,
} from '../../server/store/documents/config';
import {
  DEFAULT_CATEGORIES,
  DEFAULT_OFFICE,
  DEFAULT_RULES,
  DEFAULT_SERVICE,
} from '../../server/domain/config';
import { roleId, type AuditDoc, type RoleDoc } from '../../server/store/documents/hall';

/**
 * The demo's window staff (issue 13): the preview's toolbar offers this OPENID, whose home page shows the
 * 工作人员 entry. In production roles are granted with the `admin` function, never seeded.
 */
export const DEMO_STAFF_OPENID = 'demo-staff';
/** When the demo's grant is dated (2026-01-01 00:00 China time); a fixed instant keeps the seed idempotent. */
const SEEDED_AT = Date.parse('2026-01-01T00:00:00+08:00');

type Seed = { collection: string; docs: Record<string, unknown>[] }[];

export function demoData(): Seed {
  const settings: SettingsDoc = {
    _id: 'global',
    accountActiveLimit: DEFAULT_RULES.accountActiveLimit,
    configVersion: 1,
    // The two templates of local-cloud/templates.json; production has its own ids from 订阅消息 → 我的模板.
    templates: {
      reminder: {
        id: 'local-booking-reminder',
        fields: { number: 'character_string1', time: 'time2', place: 'thing3', hint: 'thing4' },
        page: 'pages/booking-detail/index',
      },
      slotsReleased: {
        id: 'local-slots-released',
        fields: { service: 'thing1', date: 'date2', hint: 'thing3' },
        page: 'pages/slot/index',
      },
      calendarMissing: {
        id: 'local-calendar-missing',
        // No page yet: the admin pages are a later part of issue 14; the message opens the home page.
        fields: { title: 'thing1', hint: 'thing2' },
      },
    },
    reminder: { ...DEFAULT_RULES.reminder },
    waitlistFactor: 2,
  };
  const office: OfficeDoc = {
    _id: DEFAULT_OFFICE.id,
    name: DEFAULT_OFFICE.name,
    // Demo position in Siming district; administrators enter the hall's exact address and map point.
    address: '福建省厦门市思明区（演示地址，以现场公告为准）',
    latitude: 24.4798,
    longitude: 118.0894,
    order: 1,
  };
  const service: ServiceDoc = {
    _id: DEFAULT_SERVICE.id,
    officeId: DEFAULT_SERVICE.officeId,
    name: DEFAULT_SERVICE.name,
    prefix: DEFAULT_SERVICE.prefix,
    notice: DEFAULT_SERVICE.notice,
    order: 1,
    active: true,
    categories: [...DEFAULT_SERVICE.categories],
    periods: DEFAULT_SERVICE.periods.map((p) => ({ ...p })),
    openWeekdays: [...DEFAULT_RULES.openWeekdays],
    horizonDays: DEFAULT_RULES.horizonDays,
    releaseTime: DEFAULT_RULES.releaseTime,
    cancelCutoffMinutes: DEFAULT_RULES.cancelCutoffMinutes,
  };
  const categories: CategoryDoc[] = DEFAULT_CATEGORIES.map((c, i) => ({
    _id: c.id,
    name: c.name,
    materials: c.materials.map((m) => ({ ...m })),
    ...(c.unplated === true ? { unplated: true } : {}),
    order: i + 1,
  }));
  const staffRole: RoleDoc = {
    _id: roleId(DEMO_STAFF_OPENID, 'staff', DEFAULT_OFFICE.id),
    openid: DEMO_STAFF_OPENID,
    role: 'staff',
    officeId: DEFAULT_OFFICE.id,
    grantedAt: SEEDED_AT,
    grantedBy: 'seed',
  };
  // Every grant is audited; the demo's too.
  const staffGrant: AuditDoc = {
    _id: `seed|${staffRole._id}`,
    at: SEEDED_AT,
    by: 'seed',
    action: 'grantRole',
    target: { openid: DEMO_STAFF_OPENID, role: 'staff', officeId: DEFAULT_OFFICE.id },
  };
  const docs = (list: object[]): Record<string, unknown>[] => list.map((d) => ({ ...d }));
  return [
    { collection: 'settings', docs: docs([settings]) },
    { collection: 'offices', docs: docs([office]) },
    { collection: 'services', docs: docs([service]) },
    { collection: 'categories', docs: docs(categories) },
    { collection: 'roles', docs: docs([staffRole]) },
    { collection: 'audit', docs: docs([staffGrant]) },
  ];
}
