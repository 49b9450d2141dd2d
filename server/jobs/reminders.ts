/**
 * R13: the reminder before an appointment, default 18:00 China time the day before
 * (settings.reminder, DEFAULT_RULES.reminder), sent at most once per booking through the delivery
 * protocol of delivery.ts. The `reminders` function runs this every minute; each run sends what is due
 * in batches within its time limit and leaves the rest to the next run.
 *
 * Due: a booking still `booked` whose reminder is `pending` (the citizen granted consent when booking)
 * and whose appointment day's reminder instant has come. The due day is computed from the lead time at
 * run time, so a changed lead applies to bookings already made. A cancelled or rescheduled booking is no
 * longer `booked`, so its old slot gets no reminder (the replacement booking has its own). A booking
 * made after its reminder instant (booked at 20:00 for tomorrow) is reminded at once; one whose period
 * has started without a reminder (the job was down) is recorded `failed` (`EXPIRED`), never sent late.
 *
 * Quiet hours (settings.quietHours, default 21:00–07:30 China time, server/domain/quiet-hours.ts): a run
 * inside them sends nothing and records nothing; what fell due goes out with the first run after them
 * (07:30), unless its period has started by then: that run records it `failed` (`EXPIRED`) as above.
 */
import { addDays, chinaDate, chinaInstant } from '../domain/china-time';
import { DEFAULT_RULES } from '../domain/config';
import { quietUntil } from '../domain/quiet-hours';
import type { ReminderLead } from '../domain/standing';
import { getCatalogue, type Catalogue } from '../store/catalogue';
import type { BookingDoc } from '../store/documents/booking';
import type { TemplateConfig } from '../store/documents/config';
import {
  addTally,
  CLAIM_BATCH,
  deliverBatch,
  dueWhere,
  emptyTally,
  expireStarted,
  type Queue,
  type Tally,
} from './delivery';
import type { JobEnv } from './env';
import { StepTimer } from './env';
import { shuffled } from './pool';
import type { SubscribeMessage } from './sender';
import { chineseDate, materialsHint, maxChars, templateData } from './templates';

export const REMINDERS: Queue<BookingDoc> = {
  collection: (db) => db.bookings,
  field: 'reminder',
  base: { status: 'booked' },
};

/** Due bookings read per query; claimed CLAIM_BATCH at a time. */
const PAGE = 100;

/** The page a reminder opens when the template's configuration names none: the booking detail. */
export const DEFAULT_REMINDER_PAGE = 'pages/booking-detail/index';

/**
 * R13: the latest appointment day whose reminder instant has come at `now` (with 18:00 the day before:
 * before 18:00, today; from 18:00, tomorrow).
 */
export function lastDueDate(now: number, lead: ReminderLead): string {
  let day = chinaDate(now);
  if (chinaInstant(day, lead.at) > now) day = addDays(day, -1);
  return addDays(day, lead.daysBefore);
}

export type ReminderRow = Pick<
  BookingDoc,
  | '_id'
  | 'openid'
  | 'label'
  | 'serviceId'
  | 'officeId'
  | 'date'
  | 'periodStart'
  | 'periodEnd'
  | 'category'
  | 'startsAt'
  | 'reminder'
>;

const FIELDS: readonly (keyof ReminderRow)[] = [
  'openid',
  'label',
  'serviceId',
  'officeId',
  'date',
  'periodStart',
  'periodEnd',
  'category',
  'startsAt',
  'reminder',
];

/**
 * The values a reminder template may use (settings.templates.reminder.fields maps them to its keys):
 * `number` (A023), `time` (2026年12月2日 09:00~10:00), `date`, `period`, `place` (office name),
 * `address`, `service`, `hint` (R7 materials, sized to its key).
 */
export function reminderValues(
  doc: ReminderRow,
  catalogue: Catalogue,
  template: TemplateConfig,
): Record<string, string> {
  const office = catalogue.offices.find((o) => o._id === doc.officeId);
  const service = catalogue.allServices.find((s) => s._id === doc.serviceId);
  const category = catalogue.categories.find((c) => c._id === doc.category);
  const hintKey: string | undefined = template.fields.hint;
  const period = `${doc.periodStart}~${doc.periodEnd}`;
  return {
    number: doc.label,
    time: `${chineseDate(doc.date)} ${period}`,
    date: chineseDate(doc.date),
    period,
    place: office?.name ?? '',
    address: office?.address ?? '',
    service: service?.name ?? '',
    hint: materialsHint(
      (category?.materials ?? []).map((m) => m.name),
      (hintKey === undefined ? undefined : maxChars(hintKey)) ?? 20,
    ),
  };
}

export function reminderMessage(
  doc: ReminderRow,
  catalogue: Catalogue,
  template: TemplateConfig,
): SubscribeMessage {
  return {
    touser: doc.openid,
    templateId: template.id,
    page: `${template.page ?? DEFAULT_REMINDER_PAGE}?id=${doc._id}`,
    data: templateData(template.fields, reminderValues(doc, catalogue, template)),
    miniprogramState: catalogue.settings.miniprogramState ?? 'formal',
    lang: 'zh_CN',
  };
}

export interface ReminderReport extends Tally {
  expired: number;
  /** Due work was left for the next run (time ran out). */
  more: boolean;
  skipped?: string;
}

export async function runReminders(env: JobEnv): Promise<ReminderReport> {
  const report: ReminderReport = { ...emptyTally(), expired: 0, more: false };
  const catalogue = await getCatalogue(env.db, env.clock());
  const template = catalogue.settings.templates?.reminder;
  if (!template?.id) return { ...report, skipped: 'NO_TEMPLATE' };
  const lead = catalogue.settings.reminder ?? DEFAULT_RULES.reminder;
  const quiet = catalogue.settings.quietHours ?? DEFAULT_RULES.quietHours;
  const _ = env.db.command;
  const steps = new StepTimer(1_500);

  while (env.hasTime(steps.reserve())) {
    const now = env.clock();
    // Checked on every page: a run that started at 20:59:30 stops at 21:00.
    if (quietUntil(now, quiet) !== undefined) return { ...report, skipped: 'QUIET_HOURS' };
    const page: ReminderRow[] = await env.db.bookings.find(
      _.and([dueWhere(env.db, REMINDERS, now), { date: _.lte(lastDueDate(now, lead)) }]),
      { orderBy: ['date', 'asc'], fields: FIELDS, limit: PAGE },
    );
    if (page.length === 0) return report;

    const started = await expireStarted(env.db, REMINDERS, page, now);
    report.expired += started.expired;
    const live = shuffled(started.live);
    let progress = page.length - started.live.length;
    for (let i = 0; i < live.length; i += CLAIM_BATCH) {
      if (!env.hasTime(steps.reserve())) {
        report.more = true;
        return report;
      }
      const tally = await steps.time(() =>
        deliverBatch(
          env,
          REMINDERS,
          live.slice(i, i + CLAIM_BATCH),
          (d) => d.reminder,
          (d) => reminderMessage(d, catalogue, template),
        ),
      );
      addTally(report, tally);
      progress += tally.claimed + tally.abandoned;
    }
    // Everything on the page was taken by concurrent runs: they are on it; do not spin.
    if (progress === 0) return report;
  }
  report.more = true;
  return report;
}
