import type { BookingStatus } from '../../typings/api';
import type { QueueEvent } from '../../typings/staff';
import { chinaInstant } from '../../server/domain/china-time';
import {
  callOrder,
  DEFAULT_QUEUE_SETTINGS,
  guardsFor,
  holds,
  refusal,
  type QueueState,
} from '../../server/domain/queue';

const cst = (date: string, clock = '00:00') => chinaInstant(date, clock);
const S = DEFAULT_QUEUE_SETTINGS;

/** A booking for 09:00–10:00 on 30 November 2026, China time. */
function booking(patch: Partial<QueueState> = {}): QueueState {
  return {
    status: 'booked',
    date: '2026-11-30',
    startsAt: cst('2026-11-30', '09:00'),
    endsAt: cst('2026-11-30', '10:00'),
    callCount: 0,
    ...patch,
  };
}

const EVENTS: QueueEvent[] = ['check_in', 'call', 'serve', 'finish', 'miss', 'requeue'];

/** The status each event leads to from each status at 09:30 on the day, or the refusal's code. */
function table(state: (status: BookingStatus) => QueueState): Record<string, string[]> {
  const now = cst('2026-11-30', '09:30');
  const statuses: BookingStatus[] = [
    'booked',
    'checked_in',
    'called',
    'serving',
    'served',
    'missed',
    'cancelled',
    'no_show',
  ];
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      EVENTS.map((event) => {
        const s = state(status);
        const guard = guardsFor(event, now, S).find((g) => holds(g, s));
        const code = guard ? guard.to : (refusal(event, s, now, S)?.code ?? '?');
        return code === 'QUEUE.WRONG_STATUS' ? '-' : code;
      }),
    ]),
  );
}

describe('the queue’s transitions (R9, issue 13)', () => {
  it('moves booked → checked_in → called → serving → served, and called → missed after 3 calls', () => {
    // `-` is QUEUE.WRONG_STATUS: the event does not apply to that status at all.
    expect(table((status) => booking({ status, checkedInAt: 1 }))).toEqual({
      // columns: check_in, call, serve, finish, miss, requeue
      booked: ['checked_in', '-', '-', '-', '-', '-'],
      checked_in: ['CHECKIN.ALREADY', 'called', '-', '-', '-', '-'],
      called: ['CHECKIN.ALREADY', 'called', 'serving', '-', 'QUEUE.CALLS_REMAINING', '-'],
      serving: ['CHECKIN.ALREADY', '-', '-', 'served', '-', '-'],
      served: ['CHECKIN.ALREADY', '-', '-', '-', '-', '-'],
      missed: ['CHECKIN.ALREADY', '-', '-', '-', '-', 'checked_in'],
      cancelled: ['CHECKIN.CANCELLED', '-', '-', '-', '-', '-'],
      no_show: ['CHECKIN.PAST', '-', '-', '-', '-', '-'],
    });
  });

  it('calls at most callCountMax times; then only miss is allowed', () => {
    const now = cst('2026-11-30', '09:30');
    const at = (callCount: number) => {
      const s = booking({ status: 'called', callCount });
      return (['call', 'miss'] as const).map(
        (e) => guardsFor(e, now, S).find((g) => holds(g, s))?.to ?? refusal(e, s, now, S)?.code,
      );
    };
    expect([at(1), at(2), at(3)]).toEqual([
      ['called', 'QUEUE.CALLS_REMAINING'],
      ['called', 'QUEUE.CALLS_REMAINING'],
      ['QUEUE.CALL_LIMIT', 'missed'],
    ]);
    // The setting is the service's: with 1, the first call already allows miss.
    const one = { ...S, callCountMax: 1 };
    const s = booking({ status: 'called', callCount: 1 });
    expect(guardsFor('miss', now, one).some((g) => holds(g, s))).toBe(true);
  });

  it('requeues a missed citizen only before the period ends and when the service allows it', () => {
    const missed = booking({ status: 'missed', callCount: 3 });
    const during = cst('2026-11-30', '09:59');
    const after = cst('2026-11-30', '10:01');
    expect([
      refusal('requeue', missed, during, S),
      refusal('requeue', missed, after, S),
      refusal('requeue', missed, during, { ...S, requeue: false }),
    ]).toEqual([undefined, { code: 'QUEUE.REQUEUE_CLOSED' }, { code: 'QUEUE.REQUEUE_CLOSED' }]);
  });

  it('has one status to come from in every guard, so the audit entry knows the transition', () => {
    const now = cst('2026-11-30', '09:30');
    for (const event of EVENTS) {
      for (const g of guardsFor(event, now, S)) expect(typeof g.from).toBe('string');
    }
  });
});

describe('check-in (R9): on the booked China day, from 60 minutes before the period until its end', () => {
  const b = booking();
  const at = (date: string, clock: string) => refusal('check_in', b, cst(date, clock), S);

  it('allows it from 08:00 to 10:00 for a 09:00–10:00 period', () => {
    expect([
      at('2026-11-30', '08:00'),
      at('2026-11-30', '09:45'),
      at('2026-11-30', '10:00'),
    ]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses another day, too early (saying when it opens) and after the period', () => {
    expect([
      at('2026-11-29', '09:00'),
      at('2026-11-30', '07:59'),
      at('2026-11-30', '10:01'),
      at('2026-12-01', '09:00'),
    ]).toEqual([
      { code: 'CHECKIN.WRONG_DAY' },
      { code: 'CHECKIN.TOO_EARLY', at: cst('2026-11-30', '08:00') },
      { code: 'CHECKIN.PAST' },
      { code: 'CHECKIN.PAST' },
    ]);
  });

  it('uses the China day whatever the clock zone: 00:30 China time is still the previous UTC day', () => {
    const early = booking({
      startsAt: cst('2026-11-30', '00:00'),
      endsAt: cst('2026-11-30', '01:00'),
    });
    expect(refusal('check_in', early, cst('2026-11-30', '00:30'), S)).toBeUndefined();
  });

  it('answers a second check-in with when the first happened', () => {
    const first = cst('2026-11-30', '08:40');
    expect(
      refusal('check_in', booking({ status: 'served', checkedInAt: first }), first + 3_600_000, S),
    ).toEqual({ code: 'CHECKIN.ALREADY', at: first });
  });

  it('follows the service’s setting for how early it opens', () => {
    const now = cst('2026-11-30', '08:30');
    expect([
      refusal('check_in', b, now, S),
      refusal('check_in', b, now, { ...S, checkInMinutesBefore: 15 }),
    ]).toEqual([undefined, { code: 'CHECKIN.TOO_EARLY', at: cst('2026-11-30', '08:45') }]);
  });
});

describe('the calling order', () => {
  it('calls the earlier period first, then the smaller number', () => {
    const rows = [
      { id: 'c', startsAt: 2, number: 11 },
      { id: 'b', startsAt: 1, number: 9 },
      { id: 'a', startsAt: 1, number: 3 },
    ];
    expect([...rows].sort(callOrder).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
