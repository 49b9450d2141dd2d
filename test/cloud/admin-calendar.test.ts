/**
 * R2: the holiday calendar without a deploy (issue 14), through the real `admin`, `booking` and
 * `calendar-watch` functions on the local cloud. `chinese-days` covers years up to 2026, so in late
 * December 2026 the horizon reaches a year with no arrangement: the admin home warns, `availability` marks
 * those days, subscribed administrators are told by the daily timer; a pasted arrangement for 2027 —
 * MADE UP here, never the real one — changes availability within the configuration refresh (10 s).
 */
import type { CalendarYear } from '../../typings/admin';
import type { DayAvailability } from '../../typings/api';
import { parseArrangement } from '../../server/domain/calendar-year';
import {
  chinaTime,
  clearOutbox,
  docs,
  outbox,
  runJob,
  setClock,
  subscribe,
} from '../../local-cloud/client';
import { useAdminCloud } from './support/admin-cloud';
import { call, ok, person, SERVICE } from './support/booking';
import { admin, adminOk } from './support/hall';

jest.setTimeout(120_000);

const CITY = 'o-cal-city';
const OFFICE_ADMIN = 'o-cal-office';
const CITIZEN = 'o-cal-citizen';
const TEMPLATE = 'local-calendar-missing';
/** Monday 28 December 2026, 10:00 China time: the 7-day horizon is 29 December → 4 January 2027. */
const MON = chinaTime('2026-12-28T10:00:00');
/** The catalogue's refresh interval (server/store/catalogue.ts CACHE_MS). */
const REFRESH_MS = 10_000;

/** A made-up 2027 arrangement, as an administrator pastes it. */
const PASTED = [
  '2027-01-01 元旦 休',
  '2027-01-04 元旦 休', // made up: a Monday off, to see a weekday close
  '2027-02-06~2027-02-12 春节 休',
  '2027-02-20 春节 班',
].join('\n');

const { cloud, db } = useAdminCloud({
  now: MON,
  city: CITY,
  officeAdmins: { [OFFICE_ADMIN]: 'siming' },
});

function view(days: DayAvailability[]) {
  return days.map((d) => ({
    date: d.date,
    open: d.open,
    ...(d.closedReason ? { closedReason: d.closedReason } : {}),
    ...(d.calendarMissing ? { calendarMissing: true } : {}),
  }));
}

describe('R2 a year without an arrangement', () => {
  it('is answered `none`, warned about on the admin home, and marked in availability', async () => {
    const year = await adminOk(cloud, OFFICE_ADMIN, 'getCalendarYear', { year: 2027 });
    expect(year).toEqual({ year: 2027, source: 'none', holidays: [], workdays: [] });
    const official = await adminOk(cloud, OFFICE_ADMIN, 'getCalendarYear', { year: 2026 });
    expect(official.source).toBe('official');
    expect(official.holidays).toContainEqual({ date: '2026-01-01', name: '元旦' });

    expect(await adminOk(cloud, OFFICE_ADMIN, 'calendarStatus', {})).toEqual({
      warning: true,
      missingYears: [2027],
      years: [
        { year: 2026, source: 'official' },
        { year: 2027, source: 'none' },
      ],
      noticeTemplate: TEMPLATE,
    });

    const { days } = await ok(cloud, CITIZEN, 'availability', { serviceId: SERVICE });
    // The weekday rule alone, never a guess: 1 January 2027 (a Friday) is offered, and marked.
    expect(view(days)).toEqual([
      { date: '2026-12-29', open: true },
      { date: '2026-12-30', open: true },
      { date: '2026-12-31', open: true },
      { date: '2027-01-01', open: true, calendarMissing: true },
      { date: '2027-01-02', open: false, closedReason: 'weekend', calendarMissing: true },
      { date: '2027-01-03', open: false, closedReason: 'weekend', calendarMissing: true },
      { date: '2027-01-04', open: true, calendarMissing: true },
    ]);
  });

  it('sends each subscribed administrator one notice from the daily timer', async () => {
    await clearOutbox(cloud);
    await subscribe(cloud, CITY, TEMPLATE);
    expect(await adminOk(cloud, CITY, 'subscribeNotice', { topic: 'calendar' })).toEqual({
      topic: 'calendar',
      pending: true,
    });
    // A repeat while a notice is owed changes nothing.
    await adminOk(cloud, CITY, 'subscribeNotice', { topic: 'calendar' });
    const run = await runJob(cloud, 'calendar-watch');
    expect(run).toMatchObject({ missing: '2027', sent: 1, notAdmin: 0 });
    const sent = await outbox(cloud);
    expect(sent.map((m) => ({ touser: m.touser, templateId: m.templateId, data: m.data }))).toEqual(
      [
        {
          touser: CITY,
          templateId: TEMPLATE,
          data: {
            thing1: { value: '2027年节假日安排未录入' },
            thing2: { value: '请在管理端录入放假调休安排' },
          },
        },
      ],
    );
    // One consent, one message: the next day's run has nobody to tell.
    expect(await runJob(cloud, 'calendar-watch')).toMatchObject({ missing: '2027', sent: 0 });
    expect(await outbox(cloud)).toHaveLength(1);
  });
});

describe('R2 setCalendarYear', () => {
  it('refuses a wrong year with the field and its code, and changes nothing', async () => {
    const audits = (await docs(db, 'audit', { action: 'setCalendarYear' })).length;
    const monday = await admin(cloud, CITY, 'setCalendarYear', {
      year: 2027,
      holidays: [{ date: '2027-01-01', name: '元旦' }],
      workdays: [{ date: '2027-02-22', name: '春节' }],
    });
    expect(monday).toEqual({
      ok: false,
      error: {
        code: 'ADMIN.CALENDAR_WORKDAY_NOT_WEEKEND',
        message: '调休上班日应为周六或周日',
        field: 'workdays.0.date',
      },
    });
    const otherYear = await admin(cloud, CITY, 'setCalendarYear', {
      year: 2027,
      holidays: [{ date: '2028-01-01', name: '元旦' }],
      workdays: [],
    });
    expect(otherYear).toMatchObject({
      ok: false,
      error: { code: 'ADMIN.CALENDAR_DATE_OUTSIDE_YEAR', field: 'holidays.0.date' },
    });
    const extra = await admin(cloud, CITY, 'setCalendarYear', {
      year: 2027,
      holidays: [{ date: '2027-01-01', name: '元旦', kind: 'holiday' }],
      workdays: [],
    } as never);
    expect(extra).toMatchObject({ ok: false, error: { code: 'REQUEST.INVALID' } });
    const notCity = await admin(cloud, OFFICE_ADMIN, 'setCalendarYear', {
      year: 2027,
      holidays: [{ date: '2027-01-01', name: '元旦' }],
      workdays: [],
    });
    expect(notCity).toMatchObject({ ok: false, error: { code: 'REQUEST.UNKNOWN_ACTION' } });
    expect((await adminOk(cloud, CITY, 'getCalendarYear', { year: 2027 })).source).toBe('none');
    expect(await docs(db, 'audit', { action: 'setCalendarYear' })).toHaveLength(audits);
  });

  it('takes a pasted made-up 2027, audited, and availability follows within the refresh', async () => {
    const parsed = parseArrangement(PASTED);
    expect(parsed.issues).toEqual([]);
    const saved = await adminOk(cloud, CITY, 'setCalendarYear', {
      year: 2027,
      holidays: parsed.holidays,
      workdays: parsed.workdays,
    });
    const expected: CalendarYear = {
      year: 2027,
      source: 'entered',
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-01-04', name: '元旦' },
        ...['06', '07', '08', '09', '10', '11', '12'].map((d) => ({
          date: `2027-02-${d}`,
          name: '春节',
        })),
      ],
      workdays: [{ date: '2027-02-20', name: '春节' }],
      updatedAt: MON,
      updatedBy: CITY,
    };
    expect({ ...saved, updatedAt: MON }).toEqual(expected);
    expect(saved.updatedAt).toBeGreaterThanOrEqual(MON);
    expect(await adminOk(cloud, OFFICE_ADMIN, 'getCalendarYear', { year: 2027 })).toEqual(saved);

    const [audit] = await docs<{ by: string; target: unknown; before: unknown; after: unknown }>(
      db,
      'audit',
      { action: 'setCalendarYear' },
    );
    expect(audit).toMatchObject({
      by: CITY,
      target: { year: 2027 },
      before: { source: 'none', holidays: [], workdays: [] },
      after: { source: 'entered', holidays: expected.holidays, workdays: expected.workdays },
    });

    // Every instance's catalogue is at most REFRESH_MS old at the change: by then it has the new year.
    await setClock(cloud, (saved.updatedAt ?? MON) + REFRESH_MS, { fireTriggers: false });
    const { days } = await ok(cloud, CITIZEN, 'availability', { serviceId: SERVICE });
    expect(view(days).slice(3)).toEqual([
      { date: '2027-01-01', open: false, closedReason: 'holiday' },
      { date: '2027-01-02', open: false, closedReason: 'weekend' },
      { date: '2027-01-03', open: false, closedReason: 'weekend' },
      { date: '2027-01-04', open: false, closedReason: 'holiday' },
    ]);
    const refused = await call(cloud, CITIZEN, 'book', {
      serviceId: SERVICE,
      date: '2027-01-01',
      person: person(1),
      requestId: 'cal-new-year',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CALENDAR.CLOSED' } });
    expect(await adminOk(cloud, OFFICE_ADMIN, 'calendarStatus', {})).toMatchObject({
      warning: false,
      missingYears: [],
    });
    // Nothing missing: the daily timer tells nobody, even a subscriber.
    await subscribe(cloud, OFFICE_ADMIN, TEMPLATE);
    await adminOk(cloud, OFFICE_ADMIN, 'subscribeNotice', { topic: 'calendar' });
    expect(await runJob(cloud, 'calendar-watch')).toMatchObject({ missing: '', sent: 0 });
  });

  it('replaces the whole year on a second save', async () => {
    await adminOk(cloud, CITY, 'setCalendarYear', {
      year: 2027,
      holidays: [{ date: '2027-01-01', name: '元旦' }],
      workdays: [],
    });
    const year = await adminOk(cloud, CITY, 'getCalendarYear', { year: 2027 });
    expect({ holidays: year.holidays, workdays: year.workdays }).toEqual({
      holidays: [{ date: '2027-01-01', name: '元旦' }],
      workdays: [],
    });
    await setClock(cloud, (year.updatedAt ?? MON) + REFRESH_MS, { fireTriggers: false });
    const { days } = await ok(cloud, CITIZEN, 'availability', { serviceId: SERVICE });
    expect(view(days).slice(-1)).toEqual([{ date: '2027-01-04', open: true }]);
    expect(await docs(db, 'audit', { action: 'setCalendarYear' })).toHaveLength(2);
  });
});
