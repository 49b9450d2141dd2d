/**
 * What the window's desk shows of the day's queue: filters with their counts, the search by number, the
 * rows grouped by period, and for each row the actions its status allows now. Pure; which action is
 * allowed comes from the same guards the server checks in its writes (server/domain/queue.ts, R9), so a
 * button is enabled exactly when the server would accept it (barring a change by another window).
 */
import type { BookingStatus } from '../../../typings/api';
import type { QueueRow, StaffService } from '../../../typings/staff';
import { chinaClock, chinaInstant } from '../../../server/domain/china-time';
import { guardsFor, holds, type QueueState } from '../../../server/domain/queue';
import { categoryLabel, periodLabel } from '../../utils/format';

export type FilterId =
  'all' | 'booked' | 'checked_in' | 'called' | 'serving' | 'served' | 'missed' | 'closed';

interface FilterDef {
  id: FilterId;
  label: string;
  statuses: readonly BookingStatus[] | 'all';
}

/** In the order of a booking's day at the window. */
export const FILTERS: readonly FilterDef[] = [
  { id: 'all', label: '全部', statuses: 'all' },
  { id: 'booked', label: '待签到', statuses: ['booked'] },
  { id: 'checked_in', label: '候叫', statuses: ['checked_in'] },
  { id: 'called', label: '叫号中', statuses: ['called'] },
  { id: 'serving', label: '办理中', statuses: ['serving'] },
  { id: 'served', label: '已办结', statuses: ['served'] },
  { id: 'missed', label: '过号', statuses: ['missed'] },
  { id: 'closed', label: '取消/未到', statuses: ['cancelled', 'cancelled_by_office', 'no_show'] },
];

export function isFilterId(value: unknown): value is FilterId {
  return FILTERS.some((f) => f.id === value);
}

function inFilter(row: QueueRow, filter: FilterId): boolean {
  const def = FILTERS.find((f) => f.id === filter);
  return !def || def.statuses === 'all' || def.statuses.includes(row.status);
}

export interface FilterView {
  id: FilterId;
  label: string;
  count: number;
  active: boolean;
}

export function filterViews(rows: readonly QueueRow[], active: FilterId): FilterView[] {
  return FILTERS.map((f) => ({
    id: f.id,
    label: f.label,
    count: rows.filter((r) => inFilter(r, f.id)).length,
    active: f.id === active,
  }));
}

/**
 * The search as staff type it: `11`, `011`, `a011`, `A011` all find A011; letters alone find the
 * prefix's numbers. Empty finds everything.
 */
export function matchesSearch(row: QueueRow, search: string): boolean {
  const q = search.trim().toUpperCase();
  if (q === '') return true;
  if (/^\d+$/.test(q)) return row.number === Number(q) || row.label.endsWith(q);
  return row.label.startsWith(q);
}

export type DeskAction = 'checkIn' | 'call' | 'serve' | 'finish' | 'miss' | 'requeue';

/** Actions a mistake would hurt, asked again before they are sent. */
export const CONFIRMED: readonly DeskAction[] = ['checkIn', 'miss', 'requeue'];

export interface ActionView {
  action: DeskAction;
  label: string;
  enabled: boolean;
  /** A van-button type: the step forward is primary, a step that loses the citizen's turn is danger. */
  type: 'primary' | 'danger' | 'default';
}

const EVENT: Record<DeskAction, Parameters<typeof guardsFor>[0]> = {
  checkIn: 'check_in',
  call: 'call',
  serve: 'serve',
  finish: 'finish',
  miss: 'miss',
  requeue: 'requeue',
};

function stateOf(row: QueueRow): QueueState {
  return {
    status: row.status,
    date: row.date,
    startsAt: chinaInstant(row.date, row.period.start),
    endsAt: chinaInstant(row.date, row.period.end),
    callCount: row.callCount,
    ...(row.checkedInAt !== undefined ? { checkedInAt: row.checkedInAt } : {}),
  };
}

/** Whether the server's guards for `action` hold for `row` at `now` (server/domain/queue.ts). */
export function allowed(
  action: DeskAction,
  row: QueueRow,
  service: StaffService,
  now: number,
): boolean {
  const state = stateOf(row);
  return guardsFor(EVENT[action], now, service).some((g) => holds(g, state));
}

/** The buttons of a row: the actions its status leads to, enabled when allowed now. */
export function actionsFor(row: QueueRow, service: StaffService, now: number): ActionView[] {
  const view = (action: DeskAction, label: string, type: ActionView['type']): ActionView => ({
    action,
    label,
    type,
    enabled: allowed(action, row, service, now),
  });
  const endsAt = chinaInstant(row.date, row.period.end);
  switch (row.status) {
    case 'booked':
      // Check-in by number, for a citizen without the pass; past the period there is nothing to do.
      return now <= endsAt ? [view('checkIn', '签到', 'primary')] : [];
    case 'checked_in':
      return [view('call', '叫号', 'primary')];
    case 'called':
      return [
        view('serve', '开始办理', 'primary'),
        view('call', `再次叫号（已叫 ${row.callCount}/${service.callCountMax}）`, 'default'),
        view('miss', '过号', 'danger'),
      ];
    case 'serving':
      return [view('finish', '办结', 'primary')];
    case 'missed':
      return service.requeue && now <= endsAt ? [view('requeue', '重新排队', 'default')] : [];
    case 'served':
    case 'cancelled':
    case 'cancelled_by_office':
    case 'no_show':
      return [];
  }
}

const STATUS_TEXT: Record<BookingStatus, string> = {
  booked: '待签到',
  checked_in: '候叫',
  called: '叫号中',
  serving: '办理中',
  served: '已办结',
  missed: '过号',
  cancelled: '已取消',
  cancelled_by_office: '停办取消',
  no_show: '未到场',
};

const STATUS_TYPE: Record<BookingStatus, string> = {
  booked: 'default',
  checked_in: 'primary',
  called: 'warning',
  serving: 'success',
  served: 'success',
  missed: 'danger',
  cancelled: 'default',
  cancelled_by_office: 'default',
  no_show: 'danger',
};

export function statusText(status: BookingStatus): string {
  return STATUS_TEXT[status];
}

export interface RowView {
  id: string;
  label: string;
  statusText: string;
  statusType: string;
  name: string;
  category: string;
  period: string;
  /** What happened so far: `签到 09:02 · 叫号 09:10（第 2 次） · 3号窗口`. */
  steps: string;
  channel: string;
  actions: ActionView[];
  /** The row the last action answered. */
  latest: boolean;
}

function stepsOf(row: QueueRow): string {
  const parts: string[] = [];
  if (row.checkedInAt !== undefined) parts.push(`签到 ${chinaClock(row.checkedInAt)}`);
  if (row.calledAt !== undefined) {
    parts.push(
      `叫号 ${chinaClock(row.calledAt)}${row.callCount > 1 ? `（第 ${row.callCount} 次）` : ''}`,
    );
  }
  if (row.servingAt !== undefined) parts.push(`办理 ${chinaClock(row.servingAt)}`);
  if (row.servedAt !== undefined) parts.push(`办结 ${chinaClock(row.servedAt)}`);
  if (row.missedAt !== undefined) parts.push(`过号 ${chinaClock(row.missedAt)}`);
  if (row.window) parts.push(row.window);
  return parts.join(' · ');
}

export function rowView(
  row: QueueRow,
  service: StaffService,
  now: number,
  latestId: string,
): RowView {
  return {
    id: row.id,
    label: row.label,
    statusText: STATUS_TEXT[row.status],
    statusType: STATUS_TYPE[row.status],
    name: row.nameMasked,
    category: categoryLabel(row.category),
    period: periodLabel(row.period.start, row.period.end),
    steps: stepsOf(row),
    // R12: a booking from another channel says so; the mini program's own is the usual case.
    channel: row.channel === 'wechat' ? '' : row.channel,
    actions: actionsFor(row, service, now),
    latest: row.id === latestId,
  };
}

export interface PeriodGroup {
  id: string;
  label: string;
  count: number;
  rows: RowView[];
}

/** The rows of `filter` matching `search`, by period in the server's order (period, then number). */
export function groups(
  rows: readonly QueueRow[],
  filter: FilterId,
  search: string,
  service: StaffService,
  now: number,
  latestId: string,
): PeriodGroup[] {
  const out: PeriodGroup[] = [];
  for (const row of rows) {
    if (!inFilter(row, filter) || !matchesSearch(row, search)) continue;
    let group = out.find((g) => g.id === row.period.id);
    if (!group) {
      group = {
        id: row.period.id,
        label: periodLabel(row.period.start, row.period.end),
        count: 0,
        rows: [],
      };
      out.push(group);
    }
    group.rows.push(rowView(row, service, now, latestId));
    group.count += 1;
  }
  return out;
}

/** The citizens at or called to a window now: what the desk keeps in view whatever the filter. */
export function current(
  rows: readonly QueueRow[],
  service: StaffService,
  now: number,
  latestId: string,
): RowView[] {
  return rows
    .filter((r) => r.status === 'called' || r.status === 'serving')
    .map((r) => rowView(r, service, now, latestId));
}

/** Replaces the row with the same id (an action's answer), keeping the server's order. */
export function withRow(rows: readonly QueueRow[], row: QueueRow): QueueRow[] {
  const i = rows.findIndex((r) => r.id === row.id);
  if (i < 0) return [...rows, row];
  const next = rows.slice();
  next[i] = row;
  return next;
}

/**
 * What a QR pass holds: the booking's `passToken` (base64url, server/shared/person-key.ts). Anything
 * else scanned (a web address, a payment code) is not a pass and is not sent.
 */
export function passTokenOf(text: string): string | undefined {
  const t = text.trim();
  return /^[A-Za-z0-9_-]{16,64}$/.test(t) ? t : undefined;
}
