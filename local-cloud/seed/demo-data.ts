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
        fields: { title: 'thing1', hint: 'thing2' },
        // The admin home: its warning leads to the calendar page.
        page: 'admin/pages/home/index',
      },
      bookingChanged: {
        id: 'local-booking-changed',
        fields: { number: 'character_string1', time: 'time2', reason: 'thing3', hint: 'thing4' },
        page: 'pages/booking-detail/index',
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
    // The office card's demo text (issue 12 finding 8); administrators enter the posted hours and number.
    hours: '周一至周五 8:30-12:00，14:00-17:30（法定节假日除外，以现场公告为准）',
    phone: '0592-0000000',
    directions: '演示：大厅在一楼，门前有临时停车位；建议乘坐公交前往。',
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
    guide: {
      handles: [
        '交通违法处理：电子监控记录的违法、现场开具的处罚决定',
        '营运车辆的交通违法处理',
        '被扣车辆的违法处理和放车手续',
      ],
      first: [
        '先在“交管12123”App 查询本人和车辆的违法记录，确认要处理的违法',
        '扣车的请带上扣车凭证；未上牌的车辆带上合格证和购车发票',
      ],
      withoutBooking:
        '没有预约也可以到大厅现场取号办理（现场号源有限，先到先得）；电子监控记录的违法多数可以在“交管12123”App 上直接处理，不必到窗口。',
    },
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
