import { DEFAULT_PERIODS } from '../../server/domain/config';
import {
  PICK_WINDOW_MAX,
  pickNumber,
  RELEASE_CONTENDERS,
  RELEASE_RUSH_MS,
  rushContenders,
  dayQuota,
  formatNumber,
  parseNumber,
  periodOfNumber,
  remainingByPeriod,
  validatePeriods,
  type Period,
} from '../../server/domain/numbers';

const P1: Period = { id: 'am1', start: '09:00', end: '10:00', from: 1, to: 10 };

describe('R4 number format', () => {
  it('formats the channel prefix and three digits', () => {
    expect([
      formatNumber('A', 1),
      formatNumber('A', 23),
      formatNumber('A', 500),
      formatNumber('WX', 999),
    ]).toEqual(['A001', 'A023', 'A500', 'WX999']);
  });

  it('refuses numbers outside 1..999 and bad prefixes', () => {
    const bad: [string, number][] = [
      ['A', 0],
      ['A', 1000],
      ['A', 2.5],
      ['A', -1],
      ['a', 1],
      ['', 1],
      ['ABC', 1],
      ['A1', 1],
    ];
    expect(bad.filter(([prefix, n]) => !throws(() => formatNumber(prefix, n)))).toEqual([]);
  });

  it('parses what staff type, and nothing else', () => {
    expect(
      [
        'A023',
        ' a023 ',
        'WX999',
        'A001',
        'A000',
        'A23',
        'A1000',
        '023',
        'ABC001',
        'A02B',
        42,
        null,
      ].map(parseNumber),
    ).toEqual([
      { prefix: 'A', n: 23 },
      { prefix: 'A', n: 23 },
      { prefix: 'WX', n: 999 },
      { prefix: 'A', n: 1 },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('round-trips every number', () => {
    const broken: number[] = [];
    for (let n = 1; n <= 999; n += 1)
      if (parseNumber(formatNumber('A', n))?.n !== n) broken.push(n);
    expect(broken).toEqual([]);
  });
});

function throws(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    return e instanceof RangeError;
  }
}

describe('R4 periods', () => {
  it('accepts the default 50-number day with its lunch break', () => {
    expect([validatePeriods(DEFAULT_PERIODS), dayQuota(DEFAULT_PERIODS)]).toEqual([[], 50]);
  });

  it('accepts gaps in time and in numbers', () => {
    const periods: Period[] = [
      { id: 'a', start: '08:30', end: '09:00', from: 1, to: 5 },
      { id: 'b', start: '14:30', end: '17:30', from: 101, to: 130 },
    ];
    expect([validatePeriods(periods), dayQuota(periods)]).toEqual([[], 35]);
  });

  it('reports every problem with the index of the offending period', () => {
    const periods: Period[] = [
      { id: 'a', start: '09:00', end: '10:00', from: 1, to: 10 },
      { id: 'a', start: '09:30', end: '11:00', from: 10, to: 20 }, // same id, overlaps in time and numbers
      { id: 'c', start: '12:00', end: '11:30', from: 30, to: 25 }, // end before start, inverted range
      { id: 'd', start: '9:00', end: '13:00', from: 0, to: 1000 }, // bad clock, out of bounds
      { id: 'e', start: '14:00', end: '15:00', from: 40.5, to: 41 }, // not an integer
      { id: 'f', start: '14:30', end: '15:30', from: 50, to: 60 }, // overlaps e in time
      { id: 'g', start: '15:30', end: '16:30', from: 55, to: 70 }, // overlaps f in numbers
    ];
    expect(validatePeriods(periods)).toEqual([
      { index: 1, reason: 'DUPLICATE_ID' },
      { index: 1, reason: 'TIME_OVERLAP' },
      { index: 1, reason: 'RANGE_OVERLAP' },
      { index: 2, reason: 'TIME_ORDER' },
      { index: 2, reason: 'RANGE_ORDER' },
      { index: 3, reason: 'TIME_FORMAT' },
      { index: 3, reason: 'RANGE_BOUNDS' },
      { index: 4, reason: 'RANGE_BOUNDS' },
      { index: 5, reason: 'TIME_OVERLAP' },
      { index: 6, reason: 'RANGE_OVERLAP' },
    ]);
  });

  it('requires periods listed in time and number order, and at least one', () => {
    const reversed = [...DEFAULT_PERIODS].reverse().slice(3);
    expect([validatePeriods(reversed), validatePeriods([])]).toEqual([
      [
        { index: 1, reason: 'TIME_OVERLAP' },
        { index: 1, reason: 'RANGE_OVERLAP' },
      ],
      [{ index: -1, reason: 'EMPTY' }],
    ]);
  });

  it('finds the period that holds a number', () => {
    expect([1, 10, 11, 50, 51, 0].map((n) => periodOfNumber(DEFAULT_PERIODS, n)?.id)).toEqual([
      'am1',
      'am1',
      'am2',
      'pm2',
      undefined,
      undefined,
    ]);
  });
});

describe('R4 remaining numbers', () => {
  it('counts free numbers per period, each held number once', () => {
    expect([...remainingByPeriod(DEFAULT_PERIODS, [1, 2, 2, 3, 11, 50, 50])]).toEqual([
      ['am1', 7],
      ['am2', 9],
      ['am3', 10],
      ['pm1', 10],
      ['pm2', 9],
    ]);
  });

  it('never goes negative when the quota was lowered under held numbers', () => {
    // The last period used to hold 41–60; lowered to 41–45 while 41–60 were all booked.
    const lowered = [
      ...DEFAULT_PERIODS.slice(0, 4),
      { id: 'pm2', start: '15:30', end: '16:30', from: 41, to: 45 },
    ];
    const held = Array.from({ length: 20 }, (_, i) => 41 + i);
    expect([...remainingByPeriod(lowered, held)]).toEqual([
      ['am1', 10],
      ['am2', 10],
      ['am3', 10],
      ['pm1', 10],
      ['pm2', 0],
    ]);
  });

  it('opens the new numbers at once when the quota is raised', () => {
    const raised = [
      ...DEFAULT_PERIODS.slice(0, 4),
      { id: 'pm2', start: '15:30', end: '16:30', from: 41, to: 60 },
    ];
    const full = Array.from({ length: 50 }, (_, i) => i + 1);
    expect([remainingByPeriod(raised, full).get('pm2'), dayQuota(raised)]).toEqual([10, 60]);
  });
});

describe('R4 picking a number', () => {
  const P2: Period = { id: 'p2', start: '10:00', end: '11:00', from: 11, to: 20 };
  const pick = (taken: number[], window: number, random?: () => number): number | undefined =>
    pickNumber([P1, P2], taken, window, random)?.n;

  it('gives the smallest free number with window 1, a cancelled number included', () => {
    expect([pick([], 1), pick([1, 2, 4], 1), pick([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1)]).toEqual([
      1, 3, 11,
    ]);
    expect(pickNumber([P1, P2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1)?.period.id).toBe('p2');
  });

  it('gives nothing when every period is full, or its range was lowered under held numbers', () => {
    const all = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([
      pick(all, 1),
      pick(all, 8),
      pickNumber([{ ...P1, to: 5 }], [1, 2, 3, 4, 5, 6], 3),
    ]).toEqual([undefined, undefined, undefined]);
  });

  it('draws from the window of smallest free numbers, across periods', () => {
    // free: 3 5 6 7 8 9 10 11 12 …; window 8 holds 3…11, and r ≈ 1 picks its last.
    expect([
      pick([1, 2, 4], 8, () => 0),
      pick([1, 2, 4], 8, () => 0.999999),
      pick([1, 2, 4], 8, () => 0.5),
    ]).toEqual([3, 11, 8]);
  });

  it('never draws from more than PICK_WINDOW_MAX numbers, nor outside the free ones', () => {
    const big: Period = { id: 'x', start: '09:00', end: '12:00', from: 1, to: 200 };
    expect(pickNumber([big], [], 500, () => 0.999999)?.n).toBe(PICK_WINDOW_MAX);
    const weird = [1, -0.5, NaN, 7];
    const picks = weird.map((r) => pick([2, 3], 4, () => r));
    expect(picks.every((n) => n !== undefined && [1, 4, 5, 6].includes(n))).toBe(true);
  });
});

describe('R2/R4 the release rush (rushContenders)', () => {
  const released = Date.UTC(2026, 10, 24, 16, 0, 0); // 2026-11-25 00:00 China time
  it('a day read empty in the first seconds after its release counts the whole window as contenders', () => {
    expect(RELEASE_CONTENDERS).toBe(PICK_WINDOW_MAX - 1);
    expect(rushContenders(0, released, released)).toBe(RELEASE_CONTENDERS);
    expect(rushContenders(0, released + RELEASE_RUSH_MS - 1, released)).toBe(RELEASE_CONTENDERS);
    expect(rushContenders(60, released + 1_000, released)).toBe(60);
  });
  it('before the release, after its first seconds, or without a release instant: the recent bookings only', () => {
    expect(rushContenders(0, released - 1, released)).toBe(0);
    expect(rushContenders(0, released + RELEASE_RUSH_MS, released)).toBe(0);
    expect(rushContenders(3, released, undefined)).toBe(3);
  });
  it("so 20 instances reading the day empty at the release spread over the default day's 50 numbers (issue 16)", () => {
    const picks = [0, 0.05, 0.5, 0.99].map(
      (r) => pickNumber(DEFAULT_PERIODS, [], 1 + rushContenders(0, released, released), () => r)?.n,
    );
    expect(picks).toEqual([1, 3, 26, 50]);
  });
});
