/**
 * The window in a browser, through the preview (issue 13): two citizens booked Wednesday's numbers on
 * their phones; on Wednesday morning the window's staff account (the demo seed's `demo-staff`) opens the
 * mini program, finds the 工作人员 entry, scans the first citizen's pass (the preview's scanner sheet
 * shows the QR codes the other phones display), checks the second in by number (no phone), calls, serves
 * and finishes both, and looks at the desk on a tablet in landscape; the first citizen's 我的预约 then
 * says 已办结. Every step is a real round trip through the `booking` and `staff` functions on a seeded
 * local cloud.
 */
import { bookDirectly, bookingsOf, button, pageText, person, sees } from './support/phone';
import { useScenes } from './support/stack';

const open = useScenes();

/** A demo citizen the preview knows, whose phone shows the pass; and one with no phone at the window. */
const CITIZEN = 'demo-citizen-a';
const NO_PHONE = 'citizen-no-phone';
/** Window staff of the demo office: a role of the demo seed, offered on the preview's toolbar. */
const STAFF = 'demo-staff';

it('checks in by scan and by number, calls, serves and finishes; the citizen then reads 已办结', async () => {
  const numbers = { citizen: '', noPhone: '' };
  const s = await open({
    name: 'window-morning',
    // Tuesday afternoon: Wednesday's numbers are booked (never the same day).
    now: '2026-12-01T16:00',
    openid: CITIZEN,
    before: async (cloud) => {
      numbers.citizen = (
        await bookDirectly(cloud, CITIZEN, person(41), '2026-12-02', 'am1')
      ).number;
      numbers.noPhone = (
        await bookDirectly(cloud, NO_PHONE, person(42, { name: '林晓梅' }), '2026-12-02', 'am1')
      ).number;
    },
  });
  const { phone, page } = s;
  /** The names as the window sees them (R14). */
  const who = (n: string): string => (n === numbers.citizen ? '陈*国' : '林*梅');
  const [first = '', second = ''] = [numbers.citizen, numbers.noPhone].sort();
  /** The called citizen's buttons come first: the panel of who is at the window, then the list. */
  const press = (name: string): Promise<void> => button(phone, name).first().click();

  // The citizen's phone: the booking, no 工作人员 entry.
  await sees(phone, '预约须知');
  expect(await pageText(s)).not.toContain('工作人员');
  await phone.getByText(/^预约查询/).click();
  await sees(phone, `${numbers.citizen} 已预约`);
  await s.shot('citizen booked');

  // Wednesday 08:45, set on the side panel's clock.
  const panel = page.getByRole('complementary', { name: '本地云' });
  await panel.getByLabel('设为北京时间').fill('2026-12-02T08:45');
  await panel.getByRole('button', { name: '设定' }).click();
  await panel.getByText(/时钟已设为 2026\/12\/02周三 08:45/).waitFor();

  // The window's own WeChat account on the toolbar: the mini program starts afresh, with the entry.
  await page.getByLabel('用户 OPENID').fill(STAFF);
  await page.getByLabel('用户 OPENID').press('Enter');
  await phone.getByText(/^工作人员/).click();
  await sees(phone, '共 2 个预约');
  expect(await pageText(s)).toContain('待签到 2');
  await s.shot('desk');

  // The citizen shows the pass: the scanner sheet lists what the other phones display.
  await button(phone, '扫码签到').click();
  const sheet = phone.getByRole('dialog', { name: '扫一扫' });
  const pass = sheet.getByRole('button', {
    name: new RegExp(`^扫 ${CITIZEN} 的手机 的 ${numbers.citizen} `),
  });
  await pass.waitFor();
  await s.shot('scanner');
  await pass.click();
  await sees(phone, `${numbers.citizen} 陈*国 签到成功，请核对身份`);
  await s.shot('checked in by scan');

  // The other citizen has no phone: found by number, checked in after the identity check.
  await phone.getByPlaceholder('输入号码，如 11 或 A011').fill(numbers.noPhone);
  await button(phone, '签到').click();
  await sees(phone, `确定为 ${numbers.noPhone}（林*梅，09:00-10:00）签到吗？`);
  await s.shot('check in by number asked');
  await button(phone, '核对无误，签到').click();
  await sees(phone, `${numbers.noPhone} 林*梅 签到成功`);
  await phone.getByPlaceholder('输入号码，如 11 或 A011').fill('');

  // Next: the lower number first (same period); at the window, served.
  await press('叫下一位');
  await sees(phone, `请 ${first} 号到窗口办理（${who(first)}）`);
  await s.shot('called');
  await press('开始办理');
  await sees(phone, `${first} ${who(first)} 开始办理`);
  await press('办结');
  await sees(phone, `${first} ${who(first)} 已办结`);
  await press('叫下一位');
  await sees(phone, `请 ${second} 号到窗口办理（${who(second)}）`);
  await press('开始办理');
  await sees(phone, `${second} ${who(second)} 开始办理`);
  await press('办结');
  await sees(phone, `${second} ${who(second)} 已办结`);
  expect(await pageText(s)).toContain('已办结 2');
  await s.shot('served');

  // The same desk on a tablet in landscape: two columns, the tools beside today's list.
  await page.setViewportSize({ width: 1500, height: 900 });
  await page.getByLabel('设备').selectOption('tablet');
  await sees(phone, '共 2 个预约');
  const tools = await button(phone, '叫下一位').boundingBox();
  const list = await phone.getByText('09:00-10:00（2 个）').boundingBox();
  expect(tools && list && list.x > tools.x + tools.width).toBe(true);
  expect(await s.inPhone('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
  await s.shot('desk on a tablet');
  await page.getByLabel('设备').selectOption('phone');
  await sees(phone, '共 2 个预约');

  expect((await bookingsOf(s, CITIZEN)).map((b) => b.status)).toEqual(['served']);
  expect((await bookingsOf(s, NO_PHONE)).map((b) => b.status)).toEqual(['served']);

  // Back on the citizen's phone: 我的预约 says 已办结, the booking its progress.
  await page.getByLabel('用户 OPENID').fill(CITIZEN);
  await page.getByLabel('用户 OPENID').press('Enter');
  await sees(phone, '预约须知');
  await phone.getByText(/^预约查询/).click();
  await sees(phone, `${numbers.citizen} 已办结`);
  await s.shot('citizen served');
  await phone.getByText(numbers.citizen, { exact: true }).click();
  await sees(phone, '业务已办结，谢谢');
  expect(await pageText(s)).toContain('签到 08:45 叫号 办理 办结 08:45');
  await s.shot('citizen progress');
});
