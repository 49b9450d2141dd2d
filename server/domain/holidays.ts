/**
 * R2: the State Council's public-holiday arrangements (放假调休安排), as data for the seed and for the
 * administrators' calendar: the days off (whatever weekday they fall on) and the make-up working days on
 * weekends (调休上班). Ordinary weekends are not listed; calendar.ts applies the weekday rule.
 *
 * The data is the `chinese-days` package's published JSON (dist/chinese-days.json), read directly. Its
 * query functions (getDayDetail, isWorkday, getHolidaysInRange…) are not used: they format dates with the
 * machine's local-time getters, so west of UTC they answer for the previous day (R3: cloud functions may
 * run in any zone). This module is not imported by calendar.ts, so the data never reaches the page bundle.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json';

export interface Arrangement {
  /** A China calendar day, `YYYY-MM-DD`. */
  date: string;
  /** `holiday`: no work that day; `workday`: a weekend made a working day (调休). */
  kind: 'holiday' | 'workday';
  /** The festival in Chinese, e.g. `国庆节`. */
  name: string;
}

/** Each map: `YYYY-MM-DD` → `"English name,中文名,n"`. */
const DATA: { holidays: Record<string, string>; workdays: Record<string, string> } = chineseDays;

/** The Chinese name from an entry such as `National Day,国庆节,3`; the whole entry if it has no comma. */
function chineseName(entry: string): string {
  const name = entry.split(',')[1];
  return name === undefined ? entry : name.trim();
}

function entriesOf(
  map: Record<string, string>,
  year: number,
  kind: Arrangement['kind'],
): Arrangement[] {
  const prefix = `${String(year)}-`;
  return Object.entries(map)
    .filter(([date]) => date.startsWith(prefix))
    .map(([date, entry]) => ({ date, kind, name: chineseName(entry) }));
}

/** The years the package has an arrangement for, ascending (2004 → 2026 in chinese-days 1.5.7). */
export function coveredYears(): number[] {
  const years = new Set(Object.keys(DATA.holidays).map((date) => Number(date.slice(0, 4))));
  return [...years].sort((a, b) => a - b);
}

/**
 * The holidays and make-up working days of `year`, sorted by date; `undefined` for a year without data
 * (the caller then applies the plain weekday rule and warns the administrators to enter the year).
 */
export function officialArrangements(year: number): Arrangement[] | undefined {
  if (!coveredYears().includes(year)) return undefined;
  return [
    ...entriesOf(DATA.holidays, year, 'holiday'),
    ...entriesOf(DATA.workdays, year, 'workday'),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
