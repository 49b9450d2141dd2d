import {
  DEFAULT_CATEGORIES,
  DEFAULT_OFFICE,
  DEFAULT_PERIODS,
  DEFAULT_RULES,
  DEFAULT_SERVICE,
} from '../../server/domain/config';
import { isClock } from '../../server/domain/china-time';
import { VIOLATION_CATEGORIES } from '../../server/domain/identity';
import { dayQuota, formatNumber, validatePeriods } from '../../server/domain/numbers';

describe('default configuration', () => {
  it('R1: 思明交警大队 → 交通违法处理, prefix A, every category', () => {
    expect([
      DEFAULT_OFFICE.name,
      DEFAULT_SERVICE.officeId,
      DEFAULT_SERVICE.name,
      DEFAULT_SERVICE.prefix,
    ]).toEqual(['思明交警大队', DEFAULT_OFFICE.id, '交通违法处理', 'A']);
    expect(DEFAULT_SERVICE.categories).toEqual(VIOLATION_CATEGORIES);
  });

  it('R4: 50 numbers a day, A001–A050, in valid periods shown with their times', () => {
    expect([validatePeriods(DEFAULT_SERVICE.periods), dayQuota(DEFAULT_SERVICE.periods)]).toEqual([
      [],
      50,
    ]);
    expect(
      DEFAULT_PERIODS.map(
        (p) => `${p.start}-${p.end} ${formatNumber('A', p.from)}-${formatNumber('A', p.to)}`,
      ),
    ).toEqual([
      '09:00-10:00 A001-A010',
      '10:00-11:00 A011-A020',
      '11:00-12:00 A021-A030',
      '14:30-15:30 A031-A040',
      '15:30-16:30 A041-A050',
    ]);
  });

  it('R2/R5/R8/R10/R13/R16/R17: horizon 7 days released at 00:00 Monday–Friday, cutoff, limits, reminder, quiet hours, refusal and churn limits', () => {
    expect(DEFAULT_RULES).toEqual({
      horizonDays: 7,
      releaseTime: '00:00',
      openWeekdays: [1, 2, 3, 4, 5],
      cancelCutoffMinutes: 60,
      accountActiveLimit: 3,
      noShowLimit: 3,
      reminder: { daysBefore: 1, at: '18:00' },
      quietHours: { from: '21:00', to: '07:30' },
      // R16: neutral person-level refusals an account may draw a day before it is slowed.
      personRefusalLimit: 5,
      // R17: 5 cancels in 24 h, 30 minutes before rebooking a cancelled day, a released number held 5 minutes.
      cancelLimit: 5,
      cancelWindowHours: 24,
      rebookCooldownMinutes: 30,
      releaseHoldMinutes: 5,
    });
    expect([isClock(DEFAULT_RULES.releaseTime), isClock(DEFAULT_RULES.reminder.at)]).toEqual([
      true,
      true,
    ]);
  });

  it('R7: the materials of each category, as the announcement lists them', () => {
    expect(
      DEFAULT_CATEGORIES.map((c) => [
        c.id,
        c.name,
        c.materials.map((m) => (m.note ? `${m.name}（${m.note}）` : m.name)),
      ]),
    ).toEqual([
      ['surveillance', '电子监控类', ['身份证（当事人本人居民身份证）', '驾驶证', '行驶证']],
      [
        'commercial',
        '营运类',
        ['身份证（当事人本人居民身份证）', '驾驶证', '行驶证', '上岗证', '从业资格证', '单位证明'],
      ],
      [
        'impounded',
        '扣车类',
        [
          '身份证（当事人本人居民身份证）',
          '驾驶证',
          '行驶证（无牌车辆提供合格证、购车发票）',
          '交强险保单',
        ],
      ],
    ]);
  });

  it('cannot be changed by accident: the seed copies, it does not edit', () => {
    expect(
      [DEFAULT_RULES, DEFAULT_PERIODS, DEFAULT_CATEGORIES, DEFAULT_SERVICE].map(Object.isFrozen),
    ).toEqual([true, true, true, true]);
  });
});
