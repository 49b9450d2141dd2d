/**
 * Quiet hours (issue 12; R13 reminders, R11 notices): no subscribed message between 21:00 and 07:30
 * China time (R3) by default; one due inside goes out at 07:30 unless its appointment has started by
 * then. Fixed instants, TZ=UTC.
 */
import { chinaInstant } from '../../server/domain/china-time';
import { DEFAULT_RULES } from '../../server/domain/config';
import { quietUntil, sendableAt, sentBeforeStart } from '../../server/domain/quiet-hours';

const cst = (date: string, clock: string) => chinaInstant(date, clock);
const quiet = DEFAULT_RULES.quietHours;

describe('quiet hours 21:00–07:30 China time (R3, R13)', () => {
  it.each([
    ['20:59', undefined],
    ['21:00', cst('2026-12-02', '07:30')],
    ['23:01', cst('2026-12-02', '07:30')],
    ['00:00', cst('2026-12-01', '07:30')],
    ['07:29', cst('2026-12-01', '07:30')],
    ['07:30', undefined],
    ['18:00', undefined],
  ])('at %s on 2026-12-01 the quiet ends at %p', (clock, until) => {
    expect(quietUntil(cst('2026-12-01', clock), quiet)).toBe(until);
  });

  it('a reminder due at 23:01 for 09:00 tomorrow goes out at 07:30; one due at 18:00 at once', () => {
    expect(sendableAt(cst('2026-12-01', '23:01'), quiet)).toBe(cst('2026-12-02', '07:30'));
    expect(sendableAt(cst('2026-12-01', '18:00'), quiet)).toBe(cst('2026-12-01', '18:00'));
    expect(sentBeforeStart(cst('2026-12-01', '23:01'), cst('2026-12-02', '09:00'), quiet)).toBe(
      true,
    );
  });

  it('is not sent when the appointment starts by the end of the quiet hours (07:00, 07:30)', () => {
    const due = cst('2026-12-01', '22:00');
    expect(
      ['07:00', '07:30', '07:31'].map((at) => sentBeforeStart(due, cst('2026-12-02', at), quiet)),
    ).toEqual([false, false, true]);
  });

  it('is a setting: a window within one day, and none when from equals to', () => {
    const lunch = { from: '12:00', to: '14:00' };
    expect(
      ['11:59', '12:00', '13:59', '14:00'].map((c) => quietUntil(cst('2026-12-01', c), lunch)),
    ).toEqual([undefined, cst('2026-12-01', '14:00'), cst('2026-12-01', '14:00'), undefined]);
    expect(quietUntil(cst('2026-12-01', '23:00'), { from: '00:00', to: '00:00' })).toBeUndefined();
  });

  it('the machine’s zone does not matter: 21:00 China time is 13:00 UTC', () => {
    expect(quietUntil(Date.UTC(2026, 11, 1, 12, 59), quiet)).toBeUndefined();
    expect(quietUntil(Date.UTC(2026, 11, 1, 13, 0), quiet)).toBe(Date.UTC(2026, 11, 1, 23, 30));
  });
});
