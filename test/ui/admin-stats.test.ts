/**
 * Statistics (issue 14) through the admin page rendered with real Vant against the local cloud and the
 * real `admin` function: the rows as a table with their total, by day and by month, the 30-day chart's
 * series handed to components/stats-chart (jsdom has no canvas to draw on), the range opening on the
 * chart's 30 days and 从 following 到 until changed itself, a range ending before it starts refused under
 * 到 with the server's coded message, and the csv export's link copied.
 */
import type { Booking } from '../../typings/api';
import { callBooking, useLocalCloud } from './support/cloud';
import { asInput, newPerson } from './support/people';
import { renderPage, type RenderedPage } from './support/simulate';
import { grantAdmin } from './support/staff';
import { find, findAll, loaded, newUser, tap, textOf, typeInto, waitFor } from './support/user';

// Tuesday 1 December 2026, 10:00 China time.
useLocalCloud('2026-12-01T10:00');

type Node = RenderedPage['comp'];

async function retype(field: Node, text: string): Promise<void> {
  await typeInto(field, '', false);
  await typeInto(field, text);
}

async function book(openid: string): Promise<Booking> {
  const answer = await callBooking<{ ok: boolean; data: Booking; error?: unknown }>(openid, {
    action: 'book',
    serviceId: 'siming-violation',
    date: '2026-12-02',
    person: asInput(newPerson()),
    requestId: `stats-${openid}`,
  });
  if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

beforeAll(async () => {
  await book('stats-citizen-1');
  await book('stats-citizen-2');
  const admin = newUser('stats-admin');
  await grantAdmin(admin);
}, 60_000);

describe('statistics', () => {
  it('tables the rows with their total, charts 30 days, and refuses a range ending before it starts', async () => {
    const page = renderPage('admin/pages/stats/index');
    await loaded(page);
    // The last 30 days up to today: nothing booked yet on those days.
    await waitFor(() => expect(textOf(find(page.comp, '.total'))).toMatch(/^合计 \d+ 0 /));
    expect([page.page.data.from, page.page.data.to]).toEqual(['2026-11-02', '2026-12-01']);
    expect(textOf(find(page.comp, '.chart-title'))).toBe(
      '2026-11-02 至 2026-12-01 每天的预约、办结和未到',
    );
    // 到 one day on: 从 moves with it, the table keeps the chart's 30 days.
    await retype(find(page.comp, '.field-to'), '2026-12-02');
    expect(page.page.data.from).toBe('2026-11-03');
    await retype(find(page.comp, '.field-from'), '2026-12-01');
    await tap(find(page.comp, '.query'));
    await waitFor(() =>
      expect(findAll(page.comp, '.row').map((r) => textOf(r).split(' ')[0])).toEqual([
        '2026-12-01',
        '2026-12-02',
      ]),
    );
    // Wednesday's 50 numbers offered, 2 booked: 4.0 % used; Tuesday's 50 too, none booked.
    expect(textOf(findAll(page.comp, '.row')[1])).toMatch(/^2026-12-02 50 2 0 0 0 0 0 0 4\.0% —$/);
    expect(textOf(find(page.comp, '.total')).split(' ').slice(0, 3)).toEqual(['合计', '100', '2']);

    // The chart: the 30 days ending on 2 December, the two bookings on its last day.
    const chart = page.page.data.chart as {
      categories: string[];
      series: { name: string; data: number[] }[];
    };
    expect(chart.categories[29]).toBe('12-02');
    expect(chart.series.map((s) => [s.name, s.data[29]])).toEqual([
      ['预约', 2],
      ['办结', 0],
      ['未到', 0],
    ]);
    const component = find(page.comp, '.stats-chart');
    expect((component.instance as unknown as { data: { options: unknown } }).data.options).toEqual(
      chart,
    );
    expect(textOf(find(page.comp, '.chart-title'))).toBe(
      '2026-11-03 至 2026-12-02 每天的预约、办结和未到',
    );

    await tap(find(page.comp, '.by-month'));
    await waitFor(() =>
      expect(findAll(page.comp, '.row').map((r) => textOf(r).split(' ')[0])).toEqual(['2026-12']),
    );

    await retype(find(page.comp, '.field-from'), '2026-12-03');
    await tap(find(page.comp, '.query'));
    await waitFor(() => {
      const message = find(page.comp, '.field-to').querySelector('.van-field__error-message');
      expect(message ? textOf(message) : '').not.toBe('');
    });
  }, 60_000);

  it("copies the csv export's temporary link (WeChat cannot open a csv)", async () => {
    const page = renderPage('admin/pages/stats/index');
    await loaded(page);
    await tap(find(page.comp, '.export-csv'));
    await waitFor(() =>
      expect(textOf(find(page.comp, '.exported'))).toBe(
        '已复制 CSV 下载链接，可在电脑浏览器中打开',
      ),
    );
    const copied = (wx.setClipboardData as jest.Mock).mock.calls as [{ data: string }][];
    expect(copied.map(([o]) => o.data)).toEqual([expect.stringMatching(/^https?:\/\/.+\.csv/)]);
  }, 60_000);
});
