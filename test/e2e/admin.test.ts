/**
 * The administrator in a browser, through the preview (issue 14, R2): on 1 December 2026 the horizon's
 * next year, 2027, has no holiday arrangement. An administrator opens 我的预约 → 管理, reads the warning,
 * goes to the calendar, pastes a made-up 2027 arrangement (not 2027's real one), sees it read and marked
 * on the month view, saves it — back on the admin home the warning is gone —, then opens 统计: the table
 * and the 30-day chart of booked / served / no-show, drawn on a real `<canvas type="2d">`. Every step is
 * a real round trip through the `admin` function on a seeded local cloud.
 */
import { bookDirectly, person, sees } from './support/phone';
import { useScenes } from './support/stack';

const open = useScenes();

const ADMIN = 'e2e-city-admin';

const MADE_UP = ['2027-01-01 元旦 休', '2027-02-08~2027-02-12 春节 休', '2027-02-06 春节 班'].join(
  '\n',
);

it('enters 2027 in the paste box, the warning goes, and the statistics chart is drawn', async () => {
  const s = await open({
    name: 'admin-calendar-and-chart',
    now: '2026-12-01T10:00',
    openid: ADMIN,
    before: async (cloud) => {
      // The first administrator as in production: the console's bootstrap (no user OPENID) answers a
      // code, which the administrator enters in the mini program (the staff function, as that account).
      const call = async (data: unknown, openid?: string) => {
        const res = await fetch(`${cloud.url}/callFunction`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: openid === undefined ? 'admin' : 'staff', data, openid }),
        });
        const answer = (await res.json()) as {
          result?: { ok: boolean; data?: { code?: string }; error?: { code: string } };
        };
        if (!answer.result?.ok) throw new Error(`bootstrap: ${JSON.stringify(answer)}`);
        return answer.result.data;
      };
      const boot = await call({ action: 'bootstrap' });
      await call({ action: 'acceptInvitation', code: boot?.code }, ADMIN);
      // Two citizens booked Wednesday: the chart's last day has two bookings.
      await bookDirectly(cloud, 'e2e-citizen-1', person(61), '2026-12-02', 'am1');
      await bookDirectly(cloud, 'e2e-citizen-2', person(62), '2026-12-02', 'am1');
    },
  });
  const { phone, page } = s;

  await sees(phone, '预约须知');
  await phone.getByText(/^预约查询/).click();
  await phone.getByText(/^管理/).click();
  await sees(phone, '2027 年的节假日安排还没有录入');
  await s.shot('admin home warning');

  await phone.getByText('去录入 2027 年').click();
  await sees(phone, '2027 年的数据来源');
  await phone.locator('textarea').fill(MADE_UP);
  await sees(phone, '放假 6 天，调休上班 1 天');
  await phone.getByRole('button', { name: '下个月' }).click();
  await sees(phone, '2027 年 2 月');
  await s.shot('calendar pasted');
  await phone.getByText('保存 2027 年安排').click();
  await sees(phone, '管理员录入');
  await s.shot('calendar saved');

  // Back to the admin home: read again on show, the warning is gone.
  await page.getByRole('button', { name: '返回' }).click();
  await sees(phone, '2027 年：管理员录入');
  expect(await phone.getByText('节假日安排待录入').count()).toBe(0);
  await s.shot('warning gone');

  await phone.getByText(/^统计/).click();
  await sees(phone, '2026-11-02 至 2026-12-01 每天的预约、办结和未到');
  // Up to Wednesday: the two bookings on the chart's last day.
  await phone.getByPlaceholder('2026-11-30').fill('2026-12-02');
  await phone.getByText('查询', { exact: true }).click();
  await sees(phone, '2026-11-03 至 2026-12-02 每天的预约、办结和未到');
  await phone.getByRole('img', { name: /每天的预约、办结和未到/ }).scrollIntoViewIfNeeded();
  // The chart is on the canvas: count its painted pixels, neither transparent nor white.
  const painted = await s.inPhone(`(() => {
    const canvas = document.querySelector('page:not([hidden]) canvas');
    if (!canvas || canvas.width === 0) return 'no canvas';
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) n += 1;
    return [canvas.width, canvas.height, n].join(' ');
  })()`);
  expect(Number(String(painted).split(' ')[2])).toBeGreaterThan(500);
  await s.shot('statistics chart');
});
