/**
 * R11 "notify me when numbers open": every minute the `notify` function compares each service's free
 * numbers per open day of the horizon with what it saw last (`notifier` documents). Numbers that
 * appeared — a new day released, a cancel, a raised quota — earn the service a credit of that many times
 * `settings.waitlistFactor` (2) notices, capped by the numbers still free times the factor (numbers taken
 * again meanwhile owe nobody a notice). The credit is spent on the oldest waiting entries first (first
 * come first served), one one-time subscribe message each through the delivery protocol of delivery.ts.
 * Nothing is held for the people told: they book like everyone else.
 *
 * Two runs at once cannot tell more people than the credit: a batch reserves its share first with a
 * conditional decrement, and what it did not deliver is given back. A run dying after reserving loses
 * that share (its waiting people are told at the next opening): the bound is never exceeded.
 *
 * Quiet hours (settings.quietHours, default 21:00–07:30 China time): runs inside them keep observing, so
 * the credit earned by numbers that appeared at night (a cancel at 22:00, the new day at 00:00) is kept,
 * capped as always by the numbers still free, and spent by the first run after them (07:30:30).
 */
import { horizon } from '../domain/calendar';
import { DEFAULT_RULES } from '../domain/config';
import { quietUntil } from '../domain/quiet-hours';
import { remainingByPeriod } from '../domain/numbers';
import { calendarInputs, getCatalogue, type Catalogue } from '../store/catalogue';
import { duplicateKeyIndex } from '../store/db';
import { HOLDING } from '../store/documents/booking';
import type { ServiceDoc, TemplateConfig } from '../store/documents/config';
import type { NotifierDoc } from '../store/documents/notifier';
import type { WaitlistDoc } from '../store/documents/waitlist';
import { CLAIM_BATCH, deliverBatch, dueWhere, type Queue } from './delivery';
import type { JobEnv } from './env';
import { StepTimer } from './env';
import type { SubscribeMessage } from './sender';
import { chineseDate, templateData } from './templates';

export const WAITLIST: Queue<WaitlistDoc> = {
  collection: (db) => db.waitlist,
  field: 'delivery',
  base: {},
};

/** The page a notice opens when the template's configuration names none: choosing a day. */
export const DEFAULT_NOTICE_PAGE = 'pages/slot/index';
export const DEFAULT_WAITLIST_FACTOR = 2;

/** Free numbers per open day of the horizon, by service. */
export type FreeNumbers = Map<string, Record<string, number>>;

export async function freeNumbers(
  env: Pick<JobEnv, 'db'>,
  catalogue: Catalogue,
  now: number,
): Promise<FreeNumbers> {
  const open = new Map<string, string[]>();
  for (const s of catalogue.services) {
    open.set(
      s._id,
      horizon(calendarInputs(catalogue, s, now))
        .filter((d) => d.open)
        .map((d) => d.date),
    );
  }
  const dates = [...new Set([...open.values()].flat())];
  const _ = env.db.command;
  const held =
    dates.length === 0
      ? []
      : await env.db.bookings.find(
          { serviceId: _.in([...open.keys()]), date: _.in(dates), status: _.in([...HOLDING]) },
          { fields: ['serviceId', 'date', 'number'], limit: 100_000 },
        );
  const taken = new Map<string, number[]>();
  for (const h of held) {
    const key = `${h.serviceId}|${h.date}`;
    taken.set(key, [...(taken.get(key) ?? []), h.number]);
  }
  const result: FreeNumbers = new Map();
  for (const s of catalogue.services) {
    const days: Record<string, number> = {};
    for (const date of open.get(s._id) ?? []) {
      let free = 0;
      for (const n of remainingByPeriod(s.periods, taken.get(`${s._id}|${date}`) ?? []).values()) {
        free += n;
      }
      days[date] = free;
    }
    result.set(s._id, days);
  }
  return result;
}

/** Pure: numbers that appeared since `seen` (per day, only increases count) and the new credit. */
export function nextCredit(
  seen: Readonly<Record<string, number>>,
  now: Readonly<Record<string, number>>,
  credit: number,
  factor: number,
): { appeared: number; credit: number } {
  let appeared = 0;
  let total = 0;
  for (const [date, free] of Object.entries(now)) {
    appeared += Math.max(0, free - (seen[date] ?? 0));
    total += free;
  }
  return { appeared, credit: Math.min(credit + appeared * factor, total * factor) };
}

function sameDays(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Records what is seen now; answers the service's credit (0 when another run recorded it first). */
async function observe(
  env: JobEnv,
  serviceId: string,
  days: Record<string, number>,
  snap: NotifierDoc | undefined,
  factor: number,
  now: number,
): Promise<{ credit: number; appeared: number }> {
  if (!snap) {
    // The first look is the baseline: nothing has "appeared" yet.
    const doc: NotifierDoc = { _id: serviceId, seen: days, credit: 0, version: 1, updatedAt: now };
    try {
      await env.db.notifier.insert(doc);
    } catch (err) {
      if (duplicateKeyIndex(err) === undefined) throw err;
    }
    return { credit: 0, appeared: 0 };
  }
  const next = nextCredit(snap.seen, days, snap.credit, factor);
  if (sameDays(snap.seen, days) && next.credit === snap.credit) return next;
  const _ = env.db.command;
  const updated = await env.db.notifier.update(
    // The credit too: a dispatch reserving or giving back its share changes it without a new version.
    { _id: serviceId, version: snap.version, credit: snap.credit },
    { seen: _.set(days), credit: next.credit, version: snap.version + 1, updatedAt: now },
  );
  return updated === 1 ? next : { credit: 0, appeared: 0 };
}

export function noticeMessage(
  entry: Pick<WaitlistDoc, 'openid' | 'serviceId'>,
  service: ServiceDoc,
  catalogue: Catalogue,
  template: TemplateConfig,
  days: Readonly<Record<string, number>>,
): SubscribeMessage {
  const office = catalogue.offices.find((o) => o._id === service.officeId);
  const first = Object.keys(days)
    .filter((d) => (days[d] ?? 0) > 0)
    .sort()
    .at(0);
  const free = Object.values(days).reduce((n, x) => n + x, 0);
  // The values a notice template may use: `service`, `office`, `date` (first day with numbers),
  // `remaining`, `hint`.
  const values: Record<string, string> = {
    service: service.name,
    office: office?.name ?? '',
    date: first === undefined ? '' : chineseDate(first),
    remaining: String(free),
    hint: '号源有限，先到先得，请尽快预约',
  };
  return {
    touser: entry.openid,
    templateId: template.id,
    page: `${template.page ?? DEFAULT_NOTICE_PAGE}?serviceId=${service._id}`,
    data: templateData(template.fields, values),
    miniprogramState: catalogue.settings.miniprogramState ?? 'formal',
    lang: 'zh_CN',
  };
}

export interface NotifierReport {
  appeared: number;
  notified: number;
  presumed: number;
  notSubscribed: number;
  failed: number;
  retry: number;
  more: boolean;
  skipped?: string;
}

type EntryRow = Pick<WaitlistDoc, '_id' | 'openid' | 'serviceId' | 'createdAt' | 'delivery'>;

/** Spends up to `credit` notices on the service's oldest waiting entries. */
async function dispatch(
  env: JobEnv,
  service: ServiceDoc,
  credit: number,
  message: (entry: EntryRow) => SubscribeMessage,
  steps: StepTimer,
  report: NotifierReport,
): Promise<void> {
  const _ = env.db.command;
  let left = credit;
  while (left > 0) {
    if (!env.hasTime(steps.reserve())) {
      report.more = true;
      return;
    }
    const now = env.clock();
    const entries: EntryRow[] = await env.db.waitlist.find(
      _.and([dueWhere(env.db, WAITLIST, now), { serviceId: service._id }]),
      {
        orderBy: ['createdAt', 'asc'],
        fields: ['openid', 'serviceId', 'createdAt', 'delivery'],
        limit: Math.min(left, CLAIM_BATCH),
      },
    );
    if (entries.length === 0) return;
    // Reserve this batch's share of the credit before sending anything.
    const k = entries.length;
    const reserved = await env.db.notifier.update(
      { _id: service._id, credit: _.gte(k) },
      { credit: _.inc(-k) },
    );
    if (reserved !== 1) return; // another run spent it meanwhile
    const tally = await steps.time(() =>
      deliverBatch(env, WAITLIST, entries, (e) => e.delivery, message),
    );
    const told = tally.sent + tally.presumed;
    if (k - told > 0) {
      await env.db.notifier.update({ _id: service._id }, { credit: _.inc(k - told) });
    }
    report.notified += tally.sent;
    report.presumed += tally.presumed;
    report.notSubscribed += tally.notSubscribed;
    report.failed += tally.failed;
    report.retry += tally.retry;
    left -= told;
    if (tally.claimed + tally.abandoned === 0) return;
  }
}

export async function runNotifier(env: JobEnv): Promise<NotifierReport> {
  const report: NotifierReport = {
    appeared: 0,
    notified: 0,
    presumed: 0,
    notSubscribed: 0,
    failed: 0,
    retry: 0,
    more: false,
  };
  const now = env.clock();
  const catalogue = await getCatalogue(env.db, now);
  const template = catalogue.settings.templates?.slotsReleased;
  if (!template?.id) return { ...report, skipped: 'NO_TEMPLATE' };
  const factor = catalogue.settings.waitlistFactor ?? DEFAULT_WAITLIST_FACTOR;
  const free = await freeNumbers(env, catalogue, now);
  const _ = env.db.command;
  const snaps = await env.db.notifier.find({ _id: _.in([...free.keys()]) });
  const steps = new StepTimer(1_500);
  const quiet = quietUntil(now, catalogue.settings.quietHours ?? DEFAULT_RULES.quietHours);
  if (quiet !== undefined) report.skipped = 'QUIET_HOURS';
  for (const service of catalogue.services) {
    const days = free.get(service._id) ?? {};
    const seen = await observe(
      env,
      service._id,
      days,
      snaps.find((s) => s._id === service._id),
      factor,
      now,
    );
    report.appeared += seen.appeared;
    if (seen.credit > 0 && quiet === undefined) {
      await dispatch(
        env,
        service,
        seen.credit,
        (e) => noticeMessage(e, service, catalogue, template, days),
        steps,
        report,
      );
    }
  }
  return report;
}
