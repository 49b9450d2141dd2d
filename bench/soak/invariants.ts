/**
 * The soak's invariant checker (`npm run soak`, test/cloud/soak.test.ts): what must hold of the whole
 * database whatever ran, failed or was killed. Pure: it is given everything read (`Snapshot`) and answers
 * the violations, so test/unit/soak-invariants.test.ts plants each one and sees it reported.
 *
 * - a day over its quota: more holders than the largest quota the service had (lowering a quota never
 *   cancels a booking, R4), or a number outside every range it had;
 * - a number held twice (R4); a person twice on a service's day (R5);
 * - a booking without its number: a holding booking whose `number`, `slotKey` or `label` do not agree;
 * - a reminder sent twice (R13): two outbox messages of the reminder template with the same recipient
 *   and content;
 * - an audit entry missing: a booking at a window status whose history does not lead, step by step, from
 *   `booked` to that status (server/staff/queue.ts writes each step with its transition); a configuration
 *   change (`configVersion` raised) without its audit entry, or an entry without its change;
 * - an acknowledged booking that is not there (a write lost after its answer);
 * - statistics that differ from a recount: for each service's day the caller asked `admin.stats` about
 *   (`by: 'period'`, through its public contract, whether it counted the bookings live or read a stored
 *   `statsDays` document), every count of bookings must equal the checker's own count of the bookings it
 *   read (booked, cancelled by the citizen and by the office, checked in, served, missed, no-show, per
 *   channel, the median wait). `released` is configuration, not bookings, and is not compared.
 */
import type { StatsRow } from '../../typings/admin';
import { countDay, toRow } from '../../server/domain/stats';
import { HOLDING, slotKey, type BookingDoc } from '../../server/store/documents/booking';

/** What the checker reads: the documents as stored, the outbox, and what the soak itself knows. */
export interface Snapshot {
  bookings: BookingDoc[];
  /** Per service: the largest total quota and the largest number it had during the run. */
  quotas: Map<string, { total: number; maxNumber: number }>;
  /** Outbox messages of the reminder template. */
  reminders: { touser: string; data: unknown }[];
  /** Audit entries about configuration made during the run, and the `configVersion` raises. */
  configAudits: number;
  configRaises: number;
  /** Bookings whose `book` (or `reschedule`) was answered ok. */
  acknowledged: string[];
  /** `admin.stats` answers, `by: 'period'` for one service's one day (`from` = `to` = `date`). */
  stats?: StatsAnswer[];
}

/** What `admin.stats` answered for one service's day, by period. */
export interface StatsAnswer {
  serviceId: string;
  date: string;
  rows: StatsRow[];
}

export interface Violation {
  invariant:
    | 'day over quota'
    | 'number held twice'
    | 'person twice on a day'
    | 'booking without its number'
    | 'reminder sent twice'
    | 'audit entry missing'
    | 'acknowledged booking lost'
    | 'statistics differ from a recount';
  detail: string;
}

/** The statuses only the window's transitions reach (each with its history step). */
const WINDOW = new Set(['checked_in', 'called', 'serving', 'served', 'missed']);

function duplicates<T>(items: T[], key: (item: T) => string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) twice.add(k);
    seen.add(k);
  }
  return [...twice];
}

export function checkInvariants(s: Snapshot): Violation[] {
  const out: Violation[] = [];
  const holding = s.bookings.filter((b) => HOLDING.includes(b.status));

  const perDay = new Map<string, number>();
  for (const b of holding) {
    const day = `${b.serviceId}|${b.date}`;
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const quota = s.quotas.get(b.serviceId);
    if (quota && (b.number < 1 || b.number > quota.maxNumber))
      out.push({ invariant: 'day over quota', detail: `${b._id} holds ${b.number}` });
  }
  for (const [day, n] of perDay) {
    const quota = s.quotas.get(day.slice(0, day.indexOf('|')));
    if (quota && n > quota.total)
      out.push({ invariant: 'day over quota', detail: `${day}: ${n} > ${quota.total}` });
  }

  for (const k of duplicates(holding, (b) => `${b.serviceId}|${b.date}|${b.number}`))
    out.push({ invariant: 'number held twice', detail: k });
  for (const k of duplicates(holding, (b) => `${b.serviceId}|${b.date}|${b.personKey}`))
    out.push({ invariant: 'person twice on a day', detail: k });

  for (const b of holding) {
    const numbered =
      Number.isInteger(b.number) &&
      b.number > 0 &&
      b.slotKey === slotKey(b.serviceId, b.date, b.number) &&
      b.label.endsWith(String(b.number).padStart(3, '0'));
    if (!numbered) out.push({ invariant: 'booking without its number', detail: b._id });
  }

  for (const k of duplicates(s.reminders, (m) => `${m.touser}|${JSON.stringify(m.data)}`))
    out.push({ invariant: 'reminder sent twice', detail: k.slice(0, k.indexOf('|')) });

  for (const b of s.bookings) {
    const steps = b.history ?? [];
    let at = 'booked';
    let chained = true;
    for (const step of steps) {
      if (step.from !== at) chained = false;
      at = step.to;
    }
    // A booking at a window status got there by its history's steps; any history is one chain.
    const complete = !WINDOW.has(b.status) || (steps.length > 0 && at === b.status);
    if (!chained || !complete)
      out.push({
        invariant: 'audit entry missing',
        detail: `${b._id}: ${b.status}, history ${steps.map((x) => `${x.from}>${x.to}`).join(',')}`,
      });
  }
  if (s.configAudits !== s.configRaises)
    out.push({
      invariant: 'audit entry missing',
      detail: `${s.configRaises} configuration changes, ${s.configAudits} audit entries`,
    });

  const ids = new Set(s.bookings.map((b) => b._id));
  for (const id of s.acknowledged)
    if (!ids.has(id)) out.push({ invariant: 'acknowledged booking lost', detail: id });

  for (const answer of s.stats ?? []) out.push(...statsAgainstRecount(answer, s.bookings));
  return out;
}

/** The counts of a row that come from bookings (not `released`, not the ratio made with it). */
function bookingCounts(row: StatsRow | undefined): string {
  if (!row) return JSON.stringify([0, 0, 0, 0, 0, 0, 0, {}, null]);
  return JSON.stringify([
    row.booked,
    row.cancelledByCitizen,
    row.cancelledByOffice,
    row.checkedIn,
    row.served,
    row.missed,
    row.noShow,
    Object.fromEntries(Object.entries(row.byChannel).sort(([a], [b]) => (a < b ? -1 : 1))),
    row.medianWaitSeconds,
  ]);
}

/** One `stats` answer against the day's bookings counted here, period by period. */
function statsAgainstRecount(answer: StatsAnswer, bookings: readonly BookingDoc[]): Violation[] {
  const day = bookings.filter((b) => b.serviceId === answer.serviceId && b.date === answer.date);
  const recount = new Map(
    Object.entries(countDay([], false, day)).map(([key, c]) => [key, toRow(key, c)]),
  );
  const answered = new Map(answer.rows.map((r) => [r.key, r]));
  const out: Violation[] = [];
  for (const key of new Set([...recount.keys(), ...answered.keys()])) {
    const said = bookingCounts(answered.get(key));
    const counted = bookingCounts(recount.get(key));
    if (said !== counted)
      out.push({
        invariant: 'statistics differ from a recount',
        detail: `${answer.serviceId} ${answer.date} ${key}: stats ${said}, recount ${counted}`,
      });
  }
  return out;
}
