/**
 * R10 with the settings of issue 14: the no-show limit and the suspension's length are data
 * (`settings.noShowLimit`, `settings.suspensionMonths`), passed to the same rule.
 */
import { suspendedUntil, suspensions } from '../../server/domain/standing';

const china = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('R10 suspensions under configured settings', () => {
  const noShows = [china('2026-06-03T09:00:00'), china('2026-06-10T09:00:00')];

  it('suspends at the 2nd no-show when the limit is 2, for the months configured', () => {
    expect(suspensions(noShows, china('2026-06-11T00:00:00'), undefined, 2, 2)).toEqual([
      { from: noShows[1], until: china('2026-08-10T09:00:00') },
    ]);
  });

  it('keeps the defaults (3, one month) when not configured', () => {
    expect(suspendedUntil(noShows, china('2026-06-11T00:00:00'))).toBeUndefined();
    const third = [...noShows, china('2026-06-17T09:00:00')];
    expect(suspendedUntil(third, china('2026-06-18T00:00:00'))).toBe(china('2026-07-17T09:00:00'));
  });
});
