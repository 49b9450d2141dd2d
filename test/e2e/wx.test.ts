/**
 * The preview's `wx` (preview/web/frame/wx.ts) for APIs today's pages do not call but staff and
 * administrator pages will: toasts, modals, navigation failures, storage, openLocation, makePhoneCall, and the rule
 * that a subscribe request needs a tap, and the scanner of `wx.scanCode`. Called from the phone's web view
 * as a page's code would.
 */
import { bookDirectly, person, sees } from './support/phone';
import { useScenes } from './support/stack';

const open = useScenes();

it('behaves like WeChat for toasts, modals, navigation limits, storage, location and consent outside a tap', async () => {
  const s = await open({ name: 'wx-apis', now: '2026-12-01T10:00', openid: 'citizen-api' });
  const { phone, page } = s;
  await sees(phone, '预约须知');

  await s.inPhone(`void wx.showToast({ title: '已保存', icon: 'success', duration: 60000 })`);
  const toast = phone.getByRole('status');
  await toast.waitFor();
  expect((await toast.innerText()).replace(/\s+/g, '')).toBe('✓已保存');
  await s.shot('toast');
  await s.inPhone('void wx.hideToast()');
  await toast.waitFor({ state: 'hidden' });

  // showModal answers with the button the person pressed (a promise, without callbacks).
  const answer = s.inPhone(
    `wx.showModal({ title: '确认', content: '确定要办理吗？', confirmText: '办理' })`,
  );
  const modal = phone.getByRole('dialog', { name: '确认' });
  await modal.waitFor();
  await s.shot('modal');
  await modal.getByRole('button', { name: '办理' }).click();
  expect(await answer).toEqual({ errMsg: 'showModal:ok', confirm: true, cancel: false });

  // Navigation fails as WeChat's does: an unknown page, more than 10 pages on the stack.
  expect(
    await s.inPhone(`wx.navigateTo({ url: '/pages/nowhere/index' }).catch((e) => e.errMsg)`),
  ).toBe('navigateTo:fail page "pages/nowhere/index" is not found');
  expect(
    await s.inPhone(`(async () => {
      for (let i = 0; i < 9; i += 1) await wx.navigateTo({ url: '/pages/home/index' });
      const depth = getCurrentPages().length;
      const tenth = await wx.navigateTo({ url: '/pages/home/index' }).catch((e) => e.errMsg);
      return [depth, tenth];
    })()`),
  ).toEqual([10, 'navigateTo:fail webview count limit exceed']);
  expect(
    await s.inPhone(
      `wx.reLaunch({ url: '/pages/home/index' }).then(() => getCurrentPages().length)`,
    ),
  ).toBe(1);

  // Storage keeps JSON values per user; a key never set reads ''.
  expect(
    await s.inPhone(`(() => {
      wx.setStorageSync('draft', { step: 2 });
      return [wx.getStorageSync('draft'), wx.getStorageSync('never'), wx.getStorageInfoSync().keys];
    })()`),
  ).toEqual([{ step: 2 }, '', ['draft']]);

  // A subscribe request not made inside a tap is refused, and nothing is recorded.
  expect(
    await s.inPhone(
      `wx.requestSubscribeMessage({ tmplIds: ['local-booking-reminder'] }).catch((e) => [e.errCode, e.errMsg])`,
    ),
  ).toEqual([20003, 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.']);

  await s.inPhone(
    `void wx.openLocation({ latitude: 24.4798, longitude: 118.0894, name: '思明交警大队', address: '厦门' })`,
  );
  const map = phone.getByRole('dialog', { name: '查看位置' });
  await map.waitFor();
  expect(await map.innerText()).toContain('纬度 24.479800，经度 118.089400');
  await s.shot('location');
  await map.getByRole('button', { name: '返回' }).click();
  await map.waitFor({ state: 'hidden' });

  // makePhoneCall: WeChat's 呼叫 confirmation; 呼叫 answers ok (the browser cannot dial), 取消 fails.
  const call = s.inPhone(`wx.makePhoneCall({ phoneNumber: '0592-0000000' })`);
  const dial = phone.getByRole('dialog', { name: '0592-0000000' });
  await dial.waitFor();
  await dial.getByRole('button', { name: '呼叫' }).click();
  expect(await call).toEqual({ errMsg: 'makePhoneCall:ok' });
  const cancelled = s.inPhone(
    `wx.makePhoneCall({ phoneNumber: '0592-0000000' }).catch((e) => e.errMsg)`,
  );
  await phone
    .getByRole('dialog', { name: '0592-0000000' })
    .getByRole('button', { name: '取消' })
    .click();
  expect(await cancelled).toBe('makePhoneCall:fail cancel');

  // The navigation bar follows setNavigationBarTitle.
  await s.inPhone(`void wx.setNavigationBarTitle({ title: '新标题' })`);
  await page.getByRole('heading', { name: '新标题' }).waitFor();
});

it('scans a QR code another phone shows, pasted text, and fails on 取消 as wx.scanCode does', async () => {
  let pass = '';
  const s = await open({
    name: 'wx-scan-code',
    now: '2026-12-01T10:00',
    openid: 'window-api',
    before: async (cloud) => {
      // The citizen's phone (a demo OPENID the preview knows) shows this booking's pass.
      pass = (await bookDirectly(cloud, 'demo-citizen-a', person(31), '2026-12-02', 'am1'))
        .passToken;
    },
  });
  const { phone } = s;
  await sees(phone, '预约须知');

  const scanned = s.inPhone(`wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })`);
  const sheet = phone.getByRole('dialog', { name: '扫一扫' });
  const code = sheet.getByRole('button', {
    name: /^扫 demo-citizen-a 的手机 的 A001 · 12月2日 周三/,
  });
  await code.waitFor();
  await s.shot('scanner');
  await code.click();
  // The documented fields: the content, its type and charset, the raw bytes in base64; no `path` (not
  // this mini program's own code).
  expect(await scanned).toEqual({
    errMsg: 'scanCode:ok',
    result: pass,
    scanType: 'QR_CODE',
    charSet: 'UTF-8',
    rawData: Buffer.from(pass, 'utf8').toString('base64'),
  });
  await sheet.waitFor({ state: 'hidden' });

  // Text pasted into the sheet, with callbacks instead of a promise.
  const pasted = s.inPhone(`new Promise((resolve) => {
    const seen = [];
    wx.scanCode({
      success: (res) => seen.push(['success', res.result, res.rawData]),
      fail: (err) => seen.push(['fail', err.errMsg]),
      complete: () => resolve(seen),
    });
  })`);
  await sheet.getByLabel('二维码的内容').fill('票号 A001');
  await sheet.getByRole('button', { name: '识别' }).click();
  expect(await pasted).toEqual([
    ['success', '票号 A001', Buffer.from('票号 A001', 'utf8').toString('base64')],
  ]);

  // Closing the scanner is a failure with WeChat's errMsg; so is a scanType that reads no QR code
  // (its codes are shown but cannot be picked).
  const cancelled = s.inPhone(`wx.scanCode({ scanType: ['barCode'] }).catch((e) => e)`);
  await code.waitFor();
  expect(await code.isDisabled()).toBe(true);
  await sheet.getByRole('button', { name: '取消' }).click();
  expect(await cancelled).toEqual({ errMsg: 'scanCode:fail cancel' });
});

it('scrolls to a selector, asks before a back that a page armed, and adds to the calendar only in a tap', async () => {
  const s = await open({
    name: 'wx-scroll-leave-calendar',
    now: '2026-12-01T10:00',
    openid: 'wx-more',
  });
  const { phone, page } = s;
  await sees(phone, '预约须知');

  // pageScrollTo finds an element of the page by its id or class, and fails on one that is not there.
  expect(
    await s.inPhone(
      `wx.pageScrollTo({ selector: '.home-rules', duration: 0 }).then((r) => [r.errMsg, window.scrollY > 0])`,
    ),
  ).toEqual(['pageScrollTo:ok', true]);
  expect(
    await s.inPhone(
      `wx.pageScrollTo({ selector: '#nowhere', duration: 0 }).catch((e) => e.errMsg)`,
    ),
  ).toBe('pageScrollTo:fail selector "#nowhere" matches nothing');

  // enableAlertBeforeUnload: the navigation bar's back asks; 取消 stays, 确定 leaves. A page's own
  // navigateBack does not ask.
  await s.inPhone(`wx.navigateTo({ url: '/pages/mine/index' })`);
  await sees(phone, '还没有预约');
  await s.inPhone(`wx.enableAlertBeforeUnload({ message: '确定离开？填写的内容会保留。' })`);
  await page.getByRole('button', { name: '返回' }).click();
  const ask = phone.getByRole('dialog');
  await ask.waitFor();
  expect((await ask.innerText()).replace(/\s+/g, ' ')).toBe(
    '确定离开？填写的内容会保留。 取消 确定',
  );
  await s.shot('leave asked');
  await ask.getByRole('button', { name: '取消' }).click();
  await sees(phone, '还没有预约');
  await page.getByRole('button', { name: '返回' }).click();
  await ask.getByRole('button', { name: '确定' }).click();
  await sees(phone, '预约须知');
  await s.inPhone(`wx.navigateTo({ url: '/pages/mine/index' })`);
  await sees(phone, '还没有预约');
  await s.inPhone(`wx.enableAlertBeforeUnload({ message: '确定离开？' })`);
  await s.inPhone(`wx.navigateBack()`);
  await sees(phone, '预约须知');
  expect(await phone.getByRole('dialog').count()).toBe(0);

  // addPhoneCalendar, like WeChat, only inside a tap (the booking page's button is tested with the
  // journey in booking.test.ts).
  expect(
    await s.inPhone(
      `wx.addPhoneCalendar({ title: '预约', startTime: 1796000000 }).catch((e) => e.errMsg)`,
    ),
  ).toBe('addPhoneCalendar:fail can only be invoked by user TAP gesture.');
});
