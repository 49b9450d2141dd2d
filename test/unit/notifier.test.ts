/** R11: the notifier's credit of notices, from the free numbers it saw before and sees now. Pure. */
import { nextCredit } from '../../server/jobs/notifier';

describe('R11 the notifier’s credit: new numbers times the factor, capped by what is free', () => {
  it('counts a released day, a cancel and a raised quota; not numbers taken', () => {
    const seen = { '2026-12-02': 0, '2026-12-03': 2 };
    // 12-02: one cancel (0 → 1); 12-03: two taken (2 → 0); 12-04 released with 5.
    const now = { '2026-12-02': 1, '2026-12-03': 0, '2026-12-04': 5 };
    expect(nextCredit(seen, now, 0, 2)).toEqual({ appeared: 6, credit: 12 });
  });

  it('never owes more notices than the free numbers times the factor', () => {
    expect(nextCredit({ d: 3 }, { d: 1 }, 10, 2)).toEqual({ appeared: 0, credit: 2 });
    expect(nextCredit({ d: 0 }, { d: 0 }, 4, 2)).toEqual({ appeared: 0, credit: 0 });
  });
});
