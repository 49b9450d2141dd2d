/**
 * 实名认证 in a browser, through the preview (issue 15, R15): the city uses 微信人脸核身 2.0. A stranger's
 * account booked Thursday with this citizen's ID. The citizen opens 我的预约, reads 实名认证 · 未认证,
 * types the name and ID, goes through the face scan (the preview's camera sheet; the local cloud's
 * emulation of WeChat decides whose face it is), sees 已实名认证, finds the stranger's booking under
 * 他人为您预约, cancels it after the confirmation, and then books Thursday as 本人 — name and ID from the
 * verification, nothing retyped. Every step is a real round trip through the `booking` function.
 */
import { patch, registerRealName, sdk } from '../../local-cloud/client';
import {
  bookDirectly,
  button,
  chooseSlot,
  keypad,
  layoutProblems,
  person,
  sees,
  typeIn,
} from './support/phone';
import { useScenes } from './support/stack';

const open = useScenes();

const HOLDER = 'e2e-holder';
const STRANGER = 'e2e-stranger';

it('verifies with the face scan, cancels what a stranger booked for the ID, and books as 本人', async () => {
  const me = person(71, { name: '林晓梅', category: '电子监控类' });
  const s = await open({
    name: 'identity-verify-for-me-self',
    now: '2026-12-01T10:00',
    openid: HOLDER,
    before: async (cloud) => {
      const db = await sdk(cloud);
      try {
        await patch(db, 'settings', 'global', { identityMethod: 'face' });
      } finally {
        await db.close();
      }
      // What WeChat knows of the holder's account: its real name, and the face at its camera.
      await registerRealName(cloud, HOLDER, { name: me.name, idNumber: me.idNumber });
      // Someone else's account, knowing the ID, booked Thursday for it.
      await bookDirectly(cloud, STRANGER, { ...me, name: '林晓梅' }, '2026-12-03', 'am1');
    },
  });
  const { phone, page } = s;
  const maskedId = `3502**********${me.idNumber.slice(-4)}`;

  await sees(phone, '预约须知');
  await phone.getByText(/^预约查询/).click();
  await sees(phone, '未认证');
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('mine not verified');

  await phone.getByText(/^实名认证/).click();
  await sees(phone, '为什么要实名认证');
  await typeIn(phone, '与身份证上一致', me.name);
  await keypad(phone, '身份证号，点按输入', Array.from(me.idNumber));
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('identity form');

  await button(phone, '开始人脸识别').click();
  await phone.getByRole('dialog', { name: '微信人脸核身' }).waitFor();
  await s.shot('face scan sheet');
  await button(phone, '开始识别').click();
  await sees(phone, '已实名认证');
  await sees(phone, maskedId);
  await sees(phone, /^A001 · 思明交警大队/);
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('verified and booked by others');

  await button(phone, '取消这个预约').click();
  await sees(phone, '这是别的微信号用您的身份证号约的');
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('cancel asked');
  await button(phone, '确定取消').click();
  await sees(phone, '暂无他人为您预约');
  await s.shot('cancelled');

  // Back on 我的预约: 已认证, masked.
  await page.getByRole('button', { name: '返回' }).click();
  await sees(phone, '已认证');
  await sees(phone, `林*梅 ${maskedId}`);
  await s.shot('mine verified');

  // Thursday again, as 本人 (the only service opens its days at once).
  await button(phone, '去预约').click();
  await sees(phone, '第 1 步，共 3 步：选择日期和时段');
  await chooseSlot(s, '12月3日', '09:00-10:00');
  await sees(phone, '按您的实名认证预约，姓名和身份证号无需填写。');
  expect(await phone.getByPlaceholder('与身份证上一致').count()).toBe(0);
  await typeIn(phone, '11 位手机号', me.phone);
  await phone.getByRole('radio', { name: me.category, exact: true }).click();
  await keypad(phone, '车牌号，点按输入', Array.from(me.plate));
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('form as self');
  await button(phone, '下一步：核对信息').click();
  await sees(phone, maskedId);
  await button(phone, '确认预约').click();
  await phone.getByRole('dialog', { name: '订阅消息' }).waitFor();
  await button(phone, '允许').click();
  await sees(phone, '预约成功');
  await s.shot('booked as self');
});

it('城市服务实名信息校验 at the largest font: WeChat’s consent page, refused then agreed, back with the code', async () => {
  const me = person(72, { name: '林晓梅' });
  const s = await open({
    name: 'identity-realname-consent',
    now: '2026-12-01T10:00',
    openid: HOLDER,
    font: 'largest',
    path: 'pages/identity/index',
    before: async (cloud) => {
      const db = await sdk(cloud);
      try {
        await patch(db, 'settings', 'global', { identityMethod: 'realname' });
      } finally {
        await db.close();
      }
      await registerRealName(cloud, HOLDER, { name: me.name, idNumber: me.idNumber });
    },
  });
  const { phone } = s;
  await sees(phone, '为什么要实名认证');
  await typeIn(phone, '与身份证上一致', me.name);
  await keypad(phone, '身份证号，点按输入', Array.from(me.idNumber));

  await button(phone, '去微信核对实名信息').click();
  const consent = phone.getByRole('dialog', { name: '微信城市服务 · 实名信息校验' });
  await consent.waitFor();
  await s.shot('consent page');
  await button(phone, '拒绝').click();
  await sees(phone, '您没有在微信页面点“同意”，实名认证没有变化。可以再点一次。');
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('consent refused');

  await button(phone, '去微信核对实名信息').click();
  await consent.waitFor();
  await button(phone, '同意').click();
  await sees(phone, '已实名认证');
  await sees(phone, `3502**********${me.idNumber.slice(-4)}`);
  await sees(phone, '暂无他人为您预约');
  expect(await layoutProblems(s)).toEqual([]);
  await s.shot('verified');
});
