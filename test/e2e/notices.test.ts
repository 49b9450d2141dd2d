/**
 * Messages a citizen gets, seen where the preview shows them: the local cloud's subscribe-message outbox
 * in the side panel. R13: the reminder at 18:00 the day before, once the clock is moved there. R11: a
 * sold-out day, 有号提醒我, and the notice when someone else's cancel frees a number. Consent is given in
 * the phone's consent sheet; time is moved with the side panel's buttons, as a person using the preview
 * does.
 */
import { chinaTime, outbox, setClock, subscriptions } from '../../local-cloud/client';
import {
  bookDirectly,
  bookThroughThePhone,
  button,
  cancelDirectly,
  chooseSlot,
  fillForm,
  person,
  sees,
  shownNumber,
  startBooking,
} from './support/phone';
import { useScenes } from './support/stack';
import { nth } from '../support/nth';

const open = useScenes();

it('sends the reminder at 18:00 the day before, seen in the outbox once the clock is moved there', async () => {
  const openid = 'citizen-reminded';
  const s = await open({ name: 'reminder-the-day-before', now: '2026-12-01T10:00', openid });
  const number = await bookThroughThePhone(s, person(11), '12月3日', '10:00-11:00');
  const panel = s.page.getByRole('complementary', { name: '本地云' });
  await panel.getByText(`${openid} · local-booking-reminder × 1`).waitFor();
  expect(await outbox(s.cloud)).toEqual([]);
  await s.shot('booked, consent recorded');

  await s.page.getByRole('button', { name: '我的预约前一天 18:00' }).click();
  await panel.getByText(/时钟已设为 2026\/12\/02周三 18:00/).waitFor();
  await panel.getByText('订阅消息发件箱 （1）').waitFor();
  await s.shot('reminder in the outbox');

  const messages = await outbox(s.cloud);
  expect(messages).toEqual([
    expect.objectContaining({
      touser: openid,
      templateId: 'local-booking-reminder',
      page: expect.stringMatching(/^pages\/booking-detail\/index\?id=/),
      data: expect.objectContaining({
        character_string1: { value: number },
        time2: { value: '2026年12月3日 10:00~11:00' },
        thing3: { value: '思明交警大队' },
      }),
    }),
  ]);
  expect(messages[0]?.sentAt).toBeGreaterThanOrEqual(chinaTime('2026-12-02T18:00:00'));
  // The one-time consent is used up by the message.
  expect(await subscriptions(s.cloud)).toEqual([]);
  expect(await panel.innerText()).toContain(`发给 ${openid}`);
});

it('on a sold-out day, 有号提醒我 registers the citizen, and a cancelled number sends the notice', async () => {
  const openid = 'citizen-waiting';
  // Tuesday 29 September 2026: the horizon holds one working day (30 September), then National Day.
  const taken: { openid: string; id: string }[] = [];
  const s = await open({
    name: 'sold-out-notify-me',
    now: '2026-09-29T10:00',
    openid,
    before: async (cloud) => {
      const made: { openid: string; id: string }[] = [];
      for (let batch = 0; batch < 5; batch += 1) {
        const round = Array.from({ length: 10 }, (_, k) => {
          const i = batch * 10 + k;
          // At most three active bookings per account (R5).
          const other = `other-${Math.floor(i / 3)}`;
          return bookDirectly(cloud, other, person(100 + i), '2026-09-30').then((b) =>
            made.push({ openid: other, id: b.id }),
          );
        });
        await Promise.all(round);
      }
      // The notifier's first look, with everything taken, is its baseline.
      await setClock(cloud, chinaTime('2026-09-29T10:01:00'));
      taken.push(...made);
    },
  });
  const { phone } = s;
  // Step 1 says it at once, before anything is typed (issue 12, finding 4).
  await startBooking(s);
  await sees(phone, '近几天的号已经约满了');
  await s.shot('sold out');

  await button(phone, '有号提醒我').click();
  const consent = phone.getByRole('dialog', { name: '订阅消息' });
  await consent.waitFor();
  expect(await consent.innerText()).toContain('号源释放通知');
  await s.shot('notice consent');
  await button(phone, '允许').click();
  await sees(phone, '已登记。一有可约的号就会通知您一次，先到先得，请尽快预约。');
  await s.shot('waiting');
  expect(await subscriptions(s.cloud)).toEqual([
    { openid, templateId: 'local-slots-released', remaining: 1 },
  ]);

  // Someone else cancels; an hour later (the side panel's +1 小时) the notifier has run.
  expect(taken).toHaveLength(50);
  const freed = nth(taken, 0);
  await cancelDirectly(s.cloud, freed.openid, freed.id);
  await s.page.getByRole('button', { name: '+1 小时' }).click();
  const panel = s.page.getByRole('complementary', { name: '本地云' });
  await panel.getByText('订阅消息发件箱 （1）').waitFor();
  await s.shot('notice in the outbox');

  const messages = await outbox(s.cloud);
  expect(messages).toEqual([
    expect.objectContaining({
      touser: openid,
      templateId: 'local-slots-released',
      page: 'pages/slot/index?serviceId=siming-violation',
      data: expect.objectContaining({
        thing1: { value: '交通违法处理' },
        date2: { value: '2026年9月30日' },
      }),
    }),
  ]);

  // Finding 1: the notice opens the day page, and the freed number is booked from there — the person
  // comes after the day, so no step is left without what it needs (no "填写的信息已失效").
  await s.page.getByLabel('用户 OPENID').fill(openid);
  await s.page.evaluate(`document.querySelector('#webview').src =
    '/frame?openid=${openid}&font=normal&path=' + encodeURIComponent(${JSON.stringify(messages[0]?.page ?? '')})`);
  await sees(phone, '第 1 步，共 3 步：选择日期和时段');
  await chooseSlot(s, '9月30日', '09:00-10:00');
  await fillForm(s, person(12));
  await button(phone, '下一步：核对信息').click();
  await button(phone, '确认预约').click();
  await phone.getByRole('dialog', { name: '订阅消息' }).waitFor();
  await button(phone, '允许').click();
  await sees(phone, '预约成功');
  await s.shot('the freed number booked from the notice');
  expect(await shownNumber(phone)).toMatch(/^A0\d{2}$/);
});
