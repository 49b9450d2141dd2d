/**
 * R2: the `calendar-watch` timer (daily, 09:00 China time). While a year the horizon needs has no holiday
 * arrangement (`calendarStatusAt`: from 1 November for next year, or when the horizon's last day is in
 * such a year), every administrator who subscribed (`subscribeNotice`) is sent one subscribe message, by
 * the exactly-once delivery protocol of delivery.ts. A one-time consent allows one message: the admin
 * page asks again when it is opened, so an administrator who keeps subscribing is told each day until
 * the year is entered. A subscriber who no longer holds an admin role is not told (recorded `failed`,
 * `NOT_ADMIN`).
 */
import { calendarStatusAt } from '../store/calendar';
import { getCatalogue } from '../store/catalogue';
import type { AdminNoticeDoc } from '../store/documents/admin-notice';
import type { TemplateConfig } from '../store/documents/config';
import { addTally, CLAIM_BATCH, deliverBatch, dueWhere, emptyTally, type Queue } from './delivery';
import { StepTimer, type JobEnv } from './env';
import type { SubscribeMessage } from './sender';
import { templateData } from './templates';

export const CALENDAR_NOTICES: Queue<AdminNoticeDoc> = {
  collection: (db) => db.adminNotices,
  field: 'delivery',
  base: { topic: 'calendar' },
};

export interface CalendarWatchReport {
  /** The years missing, e.g. `2027`; empty when nothing is to be told. */
  missing: string;
  skipped?: 'NO_TEMPLATE';
  sent: number;
  presumed: number;
  notSubscribed: number;
  failed: number;
  retry: number;
  /** Subscribers without an admin role any more. */
  notAdmin: number;
  more: boolean;
}

/** The values a `calendarMissing` template may use: `title` and `hint` (both fit a `thing`). */
export function calendarNotice(
  doc: Pick<AdminNoticeDoc, 'openid'>,
  years: readonly number[],
  template: TemplateConfig,
  state: SubscribeMessage['miniprogramState'],
): SubscribeMessage {
  const message: SubscribeMessage = {
    touser: doc.openid,
    templateId: template.id,
    data: templateData(template.fields, {
      title: `${years.join('、')}年节假日安排未录入`,
      years: years.join('、'),
      hint: '请在管理端录入放假调休安排',
    }),
    miniprogramState: state ?? 'formal',
    lang: 'zh_CN',
  };
  if (template.page) message.page = template.page;
  return message;
}

export async function runCalendarWatch(env: JobEnv): Promise<CalendarWatchReport> {
  const report: CalendarWatchReport = {
    missing: '',
    sent: 0,
    presumed: 0,
    notSubscribed: 0,
    failed: 0,
    retry: 0,
    notAdmin: 0,
    more: false,
  };
  const now = env.clock();
  const catalogue = await getCatalogue(env.db, now);
  const { missingYears } = await calendarStatusAt(env.db, catalogue.services, now);
  if (missingYears.length === 0) return report;
  report.missing = missingYears.join(',');
  const template = catalogue.settings.templates?.calendarMissing;
  if (!template?.id) return { ...report, skipped: 'NO_TEMPLATE' };
  const _ = env.db.command;
  const roles = await env.db.roles.find(
    { role: _.in(['city_admin', 'office_admin']) },
    { fields: ['openid'] },
  );
  const admins = new Set(roles.map((r) => r.openid));
  const tally = emptyTally();
  const steps = new StepTimer(1_500);
  for (;;) {
    if (!env.hasTime(steps.reserve())) {
      report.more = true;
      break;
    }
    const due = await env.db.adminNotices.find(dueWhere(env.db, CALENDAR_NOTICES, env.clock()), {
      fields: ['openid', 'delivery'],
      limit: CLAIM_BATCH,
    });
    if (due.length === 0) break;
    const stale = due.filter((d) => !admins.has(d.openid)).map((d) => d._id);
    if (stale.length > 0) {
      report.notAdmin += await env.db.adminNotices.update(
        { _id: _.in(stale), 'delivery.state': 'pending' },
        { 'delivery.state': 'failed', 'delivery.error': { code: 'NOT_ADMIN', at: env.clock() } },
      );
    }
    const told = due.filter((d) => admins.has(d.openid));
    if (told.length === 0) continue;
    const batch = await steps.time(() =>
      deliverBatch(
        env,
        CALENDAR_NOTICES,
        told,
        (d) => d.delivery,
        (d) => calendarNotice(d, missingYears, template, catalogue.settings.miniprogramState),
      ),
    );
    addTally(tally, batch);
    // Every one of them was claimed by another run: it is sending them; stop here.
    if (batch.claimed + batch.abandoned === 0) break;
  }
  report.sent = tally.sent;
  report.presumed = tally.presumed;
  report.notSubscribed = tally.notSubscribed;
  report.failed = tally.failed;
  report.retry = tally.retry;
  return report;
}
