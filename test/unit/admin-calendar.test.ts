/**
 * R2: the calendar page's reading of the paste box and its month view (miniprogram/admin/utils/calendar.ts)
 * — the server's own parser and checks, each problem as a sentence naming the line or the day, and a
 * month marking holidays (休) and make-up working days (班), Monday first. The arrangement is made up,
 * not 2027's real one.
 */
import {
  arrangementText,
  checkText,
  fieldProblem,
  firstMonth,
  monthView,
} from '../../miniprogram/admin/utils/calendar';

const MADE_UP = [
  '2027-01-01 元旦 休',
  '2027-02-08~2027-02-12 春节 休',
  '2027-02-06 春节 班',
  '# a comment',
  '',
].join('\n');

describe('the paste box (R2)', () => {
  it('reads days and ranges into holidays and make-up working days, with no problem', () => {
    expect(checkText(2027, MADE_UP)).toEqual({
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-02-08', name: '春节' },
        { date: '2027-02-09', name: '春节' },
        { date: '2027-02-10', name: '春节' },
        { date: '2027-02-11', name: '春节' },
        { date: '2027-02-12', name: '春节' },
      ],
      workdays: [{ date: '2027-02-06', name: '春节' }],
      problems: [],
    });
  });

  it('names the unreadable line and the day the year check refuses, with the coded messages', () => {
    const text = ['2027-01-01 元旦 休', '2027-13-01 元旦 休', '2027-02-10 春节 班'].join('\n');
    expect(checkText(2027, text).problems).toEqual([
      '第 2 行：无法识别该行，请按“2027-01-01 元旦 休”或“2027-02-20 春节 班”的格式填写',
      '2027-02-10 春节：调休上班日应为周六或周日',
    ]);
  });

  it('refuses a day of another year and an empty year', () => {
    expect(checkText(2027, '2026-12-31 元旦 休').problems).toEqual([
      '2026-12-31 元旦：日期不在所录入的年份内',
    ]);
    expect(checkText(2027, '').problems).toEqual(['请至少录入一个放假日']);
  });

  it('writes a saved year back as lines the box reads to the same year', () => {
    const checked = checkText(2027, MADE_UP);
    const again = checkText(2027, arrangementText(checked));
    expect(again).toEqual(checked);
  });

  it("turns the server's field refusal into the day's sentence", () => {
    const { holidays, workdays } = checkText(2027, MADE_UP);
    expect(
      fieldProblem('ADMIN.CALENDAR_DATE_REPEATED', 'workdays.0.date', holidays, workdays),
    ).toBe('2027-02-06 春节：同一日期重复录入');
    expect(fieldProblem('ADMIN.CALENDAR_EMPTY', 'holidays', holidays, workdays)).toBe(
      '请至少录入一个放假日',
    );
  });
});

describe('the month view (R2)', () => {
  it('lays February 2027 out Monday first with 休 and 班 marked', () => {
    const { holidays, workdays } = checkText(2027, MADE_UP);
    const month = monthView(2027, 2, holidays, workdays);
    expect(month.title).toBe('2027 年 2 月');
    expect({ holidays: month.holidays, workdays: month.workdays }).toEqual({
      holidays: 5,
      workdays: 1,
    });
    const sign = { holiday: '休', workday: '班', weekend: '末', plain: '·', blank: '_' };
    // 1 February 2027 is a Monday: no blank before it; 28 days make four full weeks.
    expect(month.weeks.map((w) => w.days.map((d) => sign[d.mark]).join(''))).toEqual([
      '·····班末',
      '休休休休休末末',
      '·····末末',
      '·····末末',
    ]);
  });

  it('pads a month starting on a Friday', () => {
    // 1 January 2027 is a Friday.
    const month = monthView(2027, 1, [{ date: '2027-01-01', name: '元旦' }], []);
    const first = month.weeks[0]?.days ?? [];
    expect(first.map((d) => d.day)).toEqual([0, 0, 0, 0, 1, 2, 3]);
    expect(first[4]).toEqual({ key: '2027-01-01', day: 1, mark: 'holiday', name: '元旦' });
    expect(month.weeks.every((w) => w.days.length === 7)).toBe(true);
  });

  it('opens on the month of the earliest holiday', () => {
    expect(
      firstMonth([
        { date: '2027-05-01', name: '劳动节' },
        { date: '2027-02-08', name: '春节' },
      ]),
    ).toBe(2);
    expect(firstMonth([])).toBe(1);
  });
});
