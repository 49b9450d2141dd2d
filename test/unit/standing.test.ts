import type { BookingStatus } from '../../typings/api';
import { chinaInstant } from '../../server/domain/china-time';
import {
  canCancel,
  cancelDeadline,
  holdsNumber,
  isActiveStatus,
  isSuspended,
  noShowDueAt,
  noShowsThisMonth,
  periodEndsAt,
  periodStartsAt,
  reminderAt,
  suspendedUntil,
  suspensions,
} from '../../server/domain/standing';

/** China wall-clock time → epoch ms (chinaInstant is tested in china-time.test.ts). */
const cst = (date: string, clock = '00:00') => chinaInstant(date, clock);

const NOV_03 = cst('2026-11-03', '09:00');
const NOV_10 = cst('2026-11-10', '10:00');
const NOV_20 = cst('2026-11-20', '14:30');
const NOV_24 = cst('2026-11-24', '09:00');
const NOV_25 = cst('2026-11-25', '09:00');
const NOV_26 = cst('2026-11-26', '15:30');
const LATE_NOV = cst('2026-11-28', '12:00');

describe('R10 suspension after the 3rd no-show in a China calendar month', () => {
  it('suspends for one month from the moment of the 3rd no-show', () => {
    const noShows = [NOV_10, NOV_03, NOV_20]; // any order
    expect([
      suspendedUntil(noShows, NOV_20 - 1),
      suspendedUntil(noShows, NOV_20),
      suspendedUntil(noShows, LATE_NOV),
      suspendedUntil(noShows, cst('2026-12-20', '14:29')),
      suspendedUntil(noShows, cst('2026-12-20', '14:30')),
    ]).toEqual([
      undefined,
      cst('2026-12-20', '14:30'),
      cst('2026-12-20', '14:30'),
      cst('2026-12-20', '14:30'),
      undefined,
    ]);
    expect([isSuspended(noShows, LATE_NOV), isSuspended(noShows, cst('2026-12-21'))]).toEqual([
      true,
      false,
    ]);
  });

  it('does not suspend for 3 no-shows spread over two months', () => {
    const noShows = [
      cst('2026-11-20', '09:00'),
      cst('2026-11-27', '09:00'),
      cst('2026-12-01', '09:00'),
    ];
    expect([
      suspendedUntil(noShows, cst('2026-12-02')),
      suspensions(noShows, cst('2026-12-02')),
    ]).toEqual([undefined, []]);
  });

  it('counts months in China time around China midnight (R3)', () => {
    const two = [cst('2026-11-05', '09:00'), cst('2026-11-12', '09:00')];
    // 2026-11-30T15:30Z is 30 Nov 23:30 in China: the 3rd in November.
    const lastNovember = Date.UTC(2026, 10, 30, 15, 30);
    // 2026-11-30T16:30Z is still November in UTC, but 1 Dec 00:30 in China: the 1st in December.
    const firstDecember = Date.UTC(2026, 10, 30, 16, 30);
    const later = cst('2026-12-02');
    expect([
      suspendedUntil([...two, lastNovember], later),
      suspendedUntil([...two, firstDecember], later),
    ]).toEqual([cst('2026-12-30', '23:30'), undefined]);
  });

  it('ends a month later on the same day and clock time, clamped to the end of a shorter month', () => {
    const third = (date: string) => [cst(date, '08:00'), cst(date, '09:00'), cst(date, '10:00')];
    expect(
      ['2026-01-31', '2028-01-31', '2026-03-31', '2026-12-15', '2026-08-31'].map(
        (d) => suspensions(third(d), cst('2029-01-01'))[0]?.until,
      ),
    ).toEqual([
      cst('2026-02-28', '10:00'),
      cst('2028-02-29', '10:00'),
      cst('2026-04-30', '10:00'),
      cst('2027-01-15', '10:00'),
      cst('2026-09-30', '10:00'),
    ]);
  });

  it('starts counting again after a suspension: the 6th no-show of a month suspends again', () => {
    const six = [NOV_03, NOV_10, NOV_20, NOV_24, NOV_25, NOV_26];
    expect(suspensions(six, LATE_NOV)).toEqual([
      { from: NOV_20, until: cst('2026-12-20', '14:30') },
      { from: NOV_26, until: cst('2026-12-26', '15:30') },
    ]);
    expect([suspendedUntil(six, LATE_NOV), suspendedUntil(six.slice(0, 5), LATE_NOV)]).toEqual([
      cst('2026-12-26', '15:30'),
      cst('2026-12-20', '14:30'),
    ]);
  });

  it('lets an administrator lift a suspension; the no-shows before the lift no longer count', () => {
    const three = [NOV_03, NOV_10, NOV_20];
    const liftedAt = cst('2026-11-23', '10:00');
    expect([
      suspendedUntil(three, cst('2026-11-22'), liftedAt), // before the lift
      suspendedUntil(three, cst('2026-11-24'), liftedAt),
      suspendedUntil(three, cst('2026-11-24'), { at: liftedAt }),
      // Two more no-shows after the lift are only two: no new suspension.
      suspendedUntil([...three, NOV_24, NOV_25], LATE_NOV, liftedAt),
      // A third one after the lift suspends again.
      suspendedUntil([...three, NOV_24, NOV_25, NOV_26], LATE_NOV, liftedAt),
    ]).toEqual([
      cst('2026-12-20', '14:30'),
      undefined,
      undefined,
      undefined,
      cst('2026-12-26', '15:30'),
    ]);
  });

  it('ignores no-shows after now and follows a configured limit', () => {
    const noShows = [NOV_03, NOV_10, NOV_20];
    expect([
      suspendedUntil(noShows, NOV_10),
      suspendedUntil(noShows.slice(0, 2), NOV_10, undefined, 2),
      suspendedUntil(noShows, LATE_NOV, undefined, 4),
    ]).toEqual([undefined, cst('2026-12-10', '10:00'), undefined]);
  });

  it("counts this China month's no-shows, up to now and after any lift", () => {
    const noShows = [cst('2026-10-30', '09:00'), NOV_03, NOV_10, NOV_20];
    expect([
      noShowsThisMonth(noShows, LATE_NOV),
      noShowsThisMonth(noShows, NOV_10),
      noShowsThisMonth(noShows, LATE_NOV, cst('2026-11-05')),
      noShowsThisMonth(noShows, Date.UTC(2026, 10, 30, 15, 59)), // 30 Nov 23:59 in China
      noShowsThisMonth(noShows, Date.UTC(2026, 10, 30, 16, 0)), // 1 Dec 00:00 in China
      noShowsThisMonth([], LATE_NOV),
    ]).toEqual([3, 2, 2, 3, 0, 0]);
  });

  it('makes a still-booked booking a no-show at the end of its China day', () => {
    expect([noShowDueAt('2026-11-30'), noShowDueAt('2026-12-31')]).toEqual([
      Date.UTC(2026, 10, 30, 16, 0),
      Date.UTC(2026, 11, 31, 16, 0),
    ]);
  });
});

describe('R5 statuses', () => {
  it('counts booked bookings and those at the window as active; every status but cancelled holds its number', () => {
    const all: BookingStatus[] = [
      'booked',
      'checked_in',
      'called',
      'serving',
      'served',
      'missed',
      'cancelled',
      'no_show',
    ];
    expect([all.filter(isActiveStatus), all.filter(holdsNumber)]).toEqual([
      ['booked', 'checked_in', 'called', 'serving'],
      ['booked', 'checked_in', 'called', 'serving', 'served', 'missed', 'no_show'],
    ]);
  });
});

describe('R8/R9/R13 instants of a booking', () => {
  const period = { start: '09:00', end: '10:00' };
  const startsAt = periodStartsAt('2026-11-30', period);

  it('starts and ends a period at its China clock time (R9)', () => {
    expect([startsAt, periodEndsAt('2026-11-30', period)]).toEqual([
      Date.UTC(2026, 10, 30, 1, 0),
      Date.UTC(2026, 10, 30, 2, 0),
    ]);
  });

  it('allows cancelling up to the cutoff before the period starts, not after (R8)', () => {
    const deadline = cancelDeadline(startsAt, 60);
    expect([
      deadline,
      canCancel(deadline - 1, startsAt, 60),
      canCancel(deadline, startsAt, 60),
      canCancel(deadline + 1, startsAt, 60),
      canCancel(startsAt, startsAt, 0),
      canCancel(startsAt + 1, startsAt, 0),
    ]).toEqual([Date.UTC(2026, 10, 30, 0, 0), true, true, false, true, false]);
  });

  it('sends the reminder at 18:00 China time the day before, across month and year ends (R13)', () => {
    const lead = { daysBefore: 1, at: '18:00' };
    expect([
      reminderAt('2026-11-30', lead),
      reminderAt('2026-12-01', lead),
      reminderAt('2027-01-01', lead),
    ]).toEqual([
      Date.UTC(2026, 10, 29, 10, 0),
      Date.UTC(2026, 10, 30, 10, 0),
      Date.UTC(2026, 11, 31, 10, 0),
    ]);
  });
});
