import { coveredYears, officialArrangements } from '../../server/domain/holidays';

/** `date kind name`, one line per arrangement. */
function lines(year: number): string[] | undefined {
  return officialArrangements(year)?.map((a) => `${a.date} ${a.kind} ${a.name}`);
}

// R2: the State Council's 2026 arrangement (国办发明电〔2025〕7号), as published.
describe('R2 official holiday arrangements', () => {
  it('lists the 2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked', () => {
    expect(lines(2026)?.filter((l) => l.startsWith('2026-02'))).toEqual([
      '2026-02-14 workday 春节',
      '2026-02-15 holiday 春节',
      '2026-02-16 holiday 春节',
      '2026-02-17 holiday 春节',
      '2026-02-18 holiday 春节',
      '2026-02-19 holiday 春节',
      '2026-02-20 holiday 春节',
      '2026-02-21 holiday 春节',
      '2026-02-22 holiday 春节',
      '2026-02-23 holiday 春节',
      '2026-02-28 workday 春节',
    ]);
  });

  it('lists the 2026 National Day: 1–7 October off, 20 September and 10 October worked', () => {
    expect(
      lines(2026)?.filter((l) => l.startsWith('2026-10') || l.startsWith('2026-09-2')),
    ).toEqual([
      '2026-09-20 workday 国庆节',
      '2026-09-25 holiday 中秋',
      '2026-09-26 holiday 中秋',
      '2026-09-27 holiday 中秋',
      '2026-10-01 holiday 国庆节',
      '2026-10-02 holiday 国庆节',
      '2026-10-03 holiday 国庆节',
      '2026-10-04 holiday 国庆节',
      '2026-10-05 holiday 国庆节',
      '2026-10-06 holiday 国庆节',
      '2026-10-07 holiday 国庆节',
      '2026-10-10 workday 国庆节',
    ]);
  });

  it('lists only arrangements, not ordinary weekends: 33 days off and 6 make-up days in 2026', () => {
    const all = officialArrangements(2026) ?? [];
    expect([
      all.filter((a) => a.kind === 'holiday').length,
      all.filter((a) => a.kind === 'workday').map((a) => a.date),
      all.some((a) => a.date === '2026-11-28'), // an ordinary Saturday
    ]).toEqual([
      33,
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
      false,
    ]);
  });

  it('covers 2004 to 2026 and answers undefined for a year without data', () => {
    const years = coveredYears();
    expect([years[0], years[years.length - 1], years.length]).toEqual([2004, 2026, 23]);
    expect([officialArrangements(2027), officialArrangements(2003)]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('gives the same answer in any machine time zone (R3)', () => {
    // The test runs under TZ=UTC and TZ=America/Los_Angeles; the package's own query functions would
    // move every date back a day in the second.
    expect(lines(2026)?.slice(0, 4)).toEqual([
      '2026-01-01 holiday 元旦',
      '2026-01-02 holiday 元旦',
      '2026-01-03 holiday 元旦',
      '2026-01-04 workday 元旦',
    ]);
  });
});
