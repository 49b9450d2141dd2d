/**
 * The staff desk's view of the day (miniprogram/staff/utils/desk.ts): which buttons a row offers and
 * when they are enabled — the same guards the server checks (R9: check-in from 60 minutes before the
 * period to its end, a miss only after the last call, a requeue before the period ends) —, the search by
 * number, the filters' counts and the grouping by period.
 */
import type { BookingStatus } from '../../typings/api';
import type { QueueRow, StaffService } from '../../typings/staff';
import {
  actionsFor,
  filterViews,
  groups,
  matchesSearch,
  passTokenOf,
  withRow,
} from '../../miniprogram/staff/utils/desk';

const SERVICE: StaffService = {
  id: 'siming-violation',
  name: '交通违法处理',
  prefix: 'A',
  callCountMax: 3,
  checkInMinutesBefore: 60,
  requeue: true,
};

/** China wall-clock time on the test day, as epoch ms, whatever TZ the test runs in. */
function at(clock: string): number {
  return Date.parse(`2026-12-02T${clock}:00+08:00`);
}

function row(n: number, status: BookingStatus, extra: Partial<QueueRow> = {}): QueueRow {
  const am1 = n <= 10;
  return {
    id: `b${n}`,
    label: `A${String(n).padStart(3, '0')}`,
    number: n,
    serviceId: SERVICE.id,
    officeId: 'siming',
    date: '2026-12-02',
    period: am1
      ? { id: 'am1', start: '09:00', end: '10:00' }
      : { id: 'am2', start: '10:00', end: '11:00' },
    status,
    nameMasked: '林*梅',
    category: 'surveillance',
    channel: 'wechat',
    callCount: 0,
    updatedAt: at('08:00'),
    ...extra,
  };
}

function buttons(r: QueueRow, now: number): string[] {
  return actionsFor(r, SERVICE, now).map((a) => `${a.label}${a.enabled ? '' : '（不可用）'}`);
}

describe('the buttons of a row (R9)', () => {
  it('offers check-in by number from 60 minutes before the period until its end', () => {
    expect(buttons(row(1, 'booked'), at('07:59'))).toEqual(['签到（不可用）']);
    expect(buttons(row(1, 'booked'), at('08:00'))).toEqual(['签到']);
    expect(buttons(row(1, 'booked'), at('10:00'))).toEqual(['签到']);
    expect(buttons(row(1, 'booked'), at('10:01'))).toEqual([]);
    // Not on another day.
    expect(buttons(row(1, 'booked', { date: '2026-12-03' }), at('09:00'))).toEqual([
      '签到（不可用）',
    ]);
  });

  it('calls a checked-in citizen, and while called: serve, call again up to the maximum, miss after it', () => {
    expect(buttons(row(1, 'checked_in'), at('09:00'))).toEqual(['叫号']);
    expect(buttons(row(1, 'called', { callCount: 1 }), at('09:00'))).toEqual([
      '开始办理',
      '再次叫号（已叫 1/3）',
      '过号（不可用）',
    ]);
    expect(buttons(row(1, 'called', { callCount: 3 }), at('09:00'))).toEqual([
      '开始办理',
      '再次叫号（已叫 3/3）（不可用）',
      '过号',
    ]);
    expect(buttons(row(1, 'serving'), at('09:00'))).toEqual(['办结']);
  });

  it('requeues a missed citizen before the period ends, if the service allows it', () => {
    expect(buttons(row(1, 'missed'), at('09:30'))).toEqual(['重新排队']);
    expect(buttons(row(1, 'missed'), at('10:30'))).toEqual([]);
    expect(
      actionsFor(row(1, 'missed'), { ...SERVICE, requeue: false }, at('09:30')).map(
        (a) => a.action,
      ),
    ).toEqual([]);
  });

  it('offers nothing on a finished, cancelled or no-show booking', () => {
    for (const status of ['served', 'cancelled', 'no_show'] as const) {
      expect(buttons(row(1, status), at('09:30'))).toEqual([]);
    }
  });
});

describe('search, filters and periods', () => {
  const day = [
    row(1, 'served'),
    row(2, 'called', { callCount: 1 }),
    row(3, 'checked_in'),
    row(11, 'booked'),
    row(12, 'cancelled'),
    row(13, 'no_show'),
  ];

  it('finds a number however staff type it', () => {
    const found = (q: string): string[] =>
      day.filter((r) => matchesSearch(r, q)).map((r) => r.label);
    expect(found('11')).toEqual(['A011']);
    expect(found('011')).toEqual(['A011']);
    expect(found(' a011 ')).toEqual(['A011']);
    expect(found('A')).toHaveLength(6);
    expect(found('')).toHaveLength(6);
    expect(found('B011')).toEqual([]);
  });

  it('counts each filter, cancelled and no-show together', () => {
    expect(filterViews(day, 'checked_in').map((f) => [f.label, f.count, f.active])).toEqual([
      ['全部', 6, false],
      ['待签到', 1, false],
      ['候叫', 1, true],
      ['叫号中', 1, false],
      ['办理中', 0, false],
      ['已办结', 1, false],
      ['过号', 0, false],
      ['取消/未到', 2, false],
    ]);
  });

  it('groups the shown rows by period in the server’s order, marking the latest', () => {
    const shown = groups(day, 'all', '', SERVICE, at('09:30'), 'b3');
    expect(
      shown.map((g) => [
        g.label,
        g.count,
        g.rows.map((r) => `${r.label} ${r.statusText}${r.latest ? ' *' : ''}`),
      ]),
    ).toEqual([
      ['09:00-10:00', 3, ['A001 已办结', 'A002 叫号中', 'A003 候叫 *']],
      ['10:00-11:00', 3, ['A011 待签到', 'A012 已取消', 'A013 未到场']],
    ]);
    expect(groups(day, 'closed', '', SERVICE, at('09:30'), '').map((g) => g.count)).toEqual([2]);
  });

  it('tells what happened to a row, China time', () => {
    const [view] =
      groups(
        [
          row(2, 'called', {
            checkedInAt: at('08:41'),
            calledAt: at('09:05'),
            callCount: 2,
            window: '3号窗口',
            channel: 'ixiamen',
          }),
        ],
        'all',
        '',
        SERVICE,
        at('09:06'),
        '',
      )[0]?.rows ?? [];
    expect([view?.steps, view?.channel, view?.category]).toEqual([
      '签到 08:41 · 叫号 09:05（第 2 次） · 3号窗口',
      'ixiamen',
      '电子监控类',
    ]);
  });

  it('replaces an answered row in place', () => {
    const next = withRow(day, row(3, 'called', { callCount: 1 }));
    expect(next.map((r) => r.status)).toEqual([
      'served',
      'called',
      'called',
      'booked',
      'cancelled',
      'no_show',
    ]);
    expect(day[2]?.status).toBe('checked_in');
  });
});

it('takes a pass token from what was scanned, nothing else', () => {
  expect(passTokenOf(' q1w2E3r4T5y6U7i8O9p0aB ')).toBe('q1w2E3r4T5y6U7i8O9p0aB');
  expect(passTokenOf('https://example.com/pass?id=1')).toBeUndefined();
  expect(passTokenOf('A011')).toBeUndefined();
  expect(passTokenOf('')).toBeUndefined();
});
