/**
 * Issue 14: the "booking changed" notice of a day the office closed (`closeDay`, server/admin/close-day.ts),
 * sent by the `reminders` timer after the reminders, each at most once by the delivery protocol of
 * delivery.ts, to citizens who granted the `bookingChanged` template when booking. Quiet hours apply as to
 * reminders (sent when they end); a notice is not sent after the appointment would have started.
 */
import { DEFAULT_RULES } from '../domain/config';
import { quietUntil } from '../domain/quiet-hours';
import { getCatalogue } from '../store/catalogue';
import type { BookingDoc } from '../store/documents/booking';
import type { TemplateConfig } from '../store/documents/config';
import {
  CLAIM_BATCH,
  deliverBatch,
  dueWhere,
  emptyTally,
  expireStarted,
  addTally,
  type Queue,
  type Tally,
} from './delivery';
import { StepTimer, type JobEnv } from './env';
import type { SubscribeMessage } from './sender';
import { chineseDate, templateData } from './templates';

export const CHANGE_NOTICES: Queue<BookingDoc> = {
  collection: (db) => db.bookings,
  field: 'changeNotice',
  base: { status: 'cancelled_by_office' },
};

type Row = Pick<
  BookingDoc,
  | '_id'
  | 'openid'
  | 'label'
  | 'date'
  | 'periodStart'
  | 'periodEnd'
  | 'startsAt'
  | 'cancelReason'
  | 'changeNotice'
>;

export function changeMessage(
  doc: Row,
  template: TemplateConfig,
  state: SubscribeMessage['miniprogramState'],
): SubscribeMessage {
  const message: SubscribeMessage = {
    touser: doc.openid,
    templateId: template.id,
    data: templateData(template.fields, {
      number: doc.label,
      time: `${chineseDate(doc.date)} ${doc.periodStart}~${doc.periodEnd}`,
      date: chineseDate(doc.date),
      reason: doc.cancelReason ?? '办理点停办',
      hint: '该日停办，预约已取消，请另约时间',
    }),
    miniprogramState: state ?? 'formal',
    lang: 'zh_CN',
  };
  if (template.page) message.page = `${template.page}?id=${doc._id}`;
  return message;
}

export interface ChangeReport extends Tally {
  expired: number;
  skipped?: string;
}

export async function runChangeNotices(env: JobEnv): Promise<ChangeReport> {
  const report: ChangeReport = { ...emptyTally(), expired: 0 };
  const catalogue = await getCatalogue(env.db, env.clock());
  const template = catalogue.settings.templates?.bookingChanged;
  if (!template?.id) return { ...report, skipped: 'NO_TEMPLATE' };
  const quiet = catalogue.settings.quietHours ?? DEFAULT_RULES.quietHours;
  const steps = new StepTimer(1_500);
  while (env.hasTime(steps.reserve())) {
    const now = env.clock();
    if (quietUntil(now, quiet) !== undefined) return { ...report, skipped: 'QUIET_HOURS' };
    const due: Row[] = await env.db.bookings.find(dueWhere(env.db, CHANGE_NOTICES, now), {
      fields: [
        'openid',
        'label',
        'date',
        'periodStart',
        'periodEnd',
        'startsAt',
        'cancelReason',
        'changeNotice',
      ],
      limit: CLAIM_BATCH,
    });
    if (due.length === 0) return report;
    const { expired, live } = await expireStarted(env.db, CHANGE_NOTICES, due, now);
    report.expired += expired;
    if (live.length === 0) continue;
    const tally = await steps.time(() =>
      deliverBatch(
        env,
        CHANGE_NOTICES,
        live,
        (d) => d.changeNotice ?? { state: 'pending' },
        (d) => changeMessage(d, template, catalogue.settings.miniprogramState),
      ),
    );
    addTally(report, tally);
    if (tally.claimed + tally.abandoned === 0) return report;
  }
  return report;
}
