/**
 * Every `wx` call of the pages except the cloud (services/api.ts), so that a browser preview can host the
 * same pages by providing these few functions.
 */

export function navigateTo(url: string): void {
  void wx.navigateTo({ url }).catch(() => {
    // The page stack holds 10 pages; past that, replace the current one instead of doing nothing.
    return wx.redirectTo({ url });
  });
}

export function redirectTo(url: string): void {
  void wx.redirectTo({ url });
}

export function navigateBack(delta = 1): void {
  void wx.navigateBack({ delta }).catch(() => {
    // Opened directly (from a reminder message or a share), there is nothing to go back to.
    return wx.reLaunch({ url: '/pages/home/index' });
  });
}

/** Back one page, or, opened directly (nothing to go back to), `url` in place of this page. */
export function backOr(url: string): void {
  void wx.navigateBack({ delta: 1 }).catch(() => wx.redirectTo({ url }));
}

/** Opens `url` as the only page: going back cannot land on the steps that led to it. */
export function reLaunch(url: string): void {
  void wx.reLaunch({ url });
}

export function goHome(): void {
  void wx.reLaunch({ url: '/pages/home/index' });
}

export function setTitle(title: string): void {
  void wx.setNavigationBarTitle({ title });
}

export function stopPullDownRefresh(): void {
  void wx.stopPullDownRefresh();
}

/**
 * Scrolls the page so that the element `selector` (`#id` or `.class` of the current page) shows near
 * the top: a mistake the citizen must fix, brought into view (R6).
 */
export function scrollToSelector(selector: string): void {
  void wx.pageScrollTo({ selector, offsetTop: -16, duration: 200 }).catch(() => undefined);
}

export function scrollToTop(): void {
  void wx.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
}

/**
 * Asks "确定离开？" with `message` when the citizen leaves this page with the navigation bar's back
 * button or the phone's back key (WeChat's enableAlertBeforeUnload; a swipe back is not stopped, and
 * neither is `navigateBack` called by the page itself).
 */
export function askBeforeLeaving(message: string): void {
  if (typeof wx.enableAlertBeforeUnload === 'function') wx.enableAlertBeforeUnload({ message });
}

export function leaveWithoutAsking(): void {
  if (typeof wx.disableAlertBeforeUnload === 'function') wx.disableAlertBeforeUnload({});
}

export interface CalendarEvent {
  title: string;
  /** Epoch ms. */
  start: number;
  end: number;
  location: string;
  description: string;
  /** Minutes before the start at which the phone reminds. */
  alarmMinutes: number;
}

/**
 * Adds the appointment to the phone's calendar (wx.addPhoneCalendar, which WeChat allows only inside a
 * tap and after the user grants `scope.addPhoneCalendar`). Answers whether it was added.
 */
export async function addToPhoneCalendar(event: CalendarEvent): Promise<boolean> {
  if (typeof wx.addPhoneCalendar !== 'function') return false;
  try {
    await wx.addPhoneCalendar({
      title: event.title,
      // WeChat takes unix seconds.
      startTime: Math.floor(event.start / 1000),
      // The typings (and the older documentation) give endTime as a string of unix seconds.
      endTime: String(Math.floor(event.end / 1000)),
      location: event.location,
      description: event.description,
      alarm: true,
      alarmOffset: event.alarmMinutes * 60,
    });
    return true;
  } catch {
    // Refused, cancelled, or an old WeChat: the page says it was not added.
    return false;
  }
}

export interface Place {
  latitude: number;
  longitude: number;
  name: string;
  address: string;
}

export function openLocation(place: Place): void {
  void wx.openLocation({ ...place, scale: 16 });
}

/** The office's telephone (issue 12 finding 8): WeChat asks before it dials; 取消 is no error. */
export function makePhoneCall(phoneNumber: string): void {
  wx.makePhoneCall({ phoneNumber, fail: () => undefined });
}

/**
 * R13: asks for the one-time reminder consent and calls `done` once with the answer. Must be called
 * synchronously inside a tap handler: WeChat refuses the request after an `await`. Anything but an
 * explicit 允许 (refused, closed, turned off in settings, an old WeChat) counts as no consent, which is
 * never an error for the booking.
 */
export function requestSubscribe(templateId: string, done: (accepted: boolean) => void): void {
  let answered = false;
  const finish = (accepted: boolean): void => {
    if (answered) return;
    answered = true;
    done(accepted);
  };
  if (typeof wx.requestSubscribeMessage !== 'function') {
    finish(false);
    return;
  }
  try {
    wx.requestSubscribeMessage({
      tmplIds: [templateId],
      success: (res) => {
        finish(res[templateId] === 'accept');
      },
      fail: () => {
        finish(false);
      },
    });
  } catch {
    finish(false);
  }
}

/** A short confirmation that disappears by itself (e.g. 已签到 after a scan). */
export function toast(title: string, icon: 'success' | 'error' | 'none' = 'success'): void {
  void wx.showToast({ title, icon, duration: 2000 });
}

/**
 * A small setting of this phone kept across launches (the window's number at the desk); `''` when never
 * set or unreadable. Never personal data (R14).
 */
export function readSetting(key: string): string {
  try {
    const value: unknown = wx.getStorageSync(key);
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

export function writeSetting(key: string, value: string): void {
  try {
    wx.setStorageSync(key, value);
  } catch {
    // Storage full or refused: the setting lasts until the mini program closes, which is enough.
  }
}

/** Copies `text` to the clipboard (WeChat says 内容已复制 itself). Answers whether it did. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await wx.setClipboardData({ data: text });
    return true;
  } catch {
    return false;
  }
}

/** The screen's device pixels per CSS pixel, for a canvas drawn sharp (1 where WeChat does not say). */
export function pixelRatio(): number {
  try {
    const ratio = typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo().pixelRatio : 1;
    return ratio > 0 ? ratio : 1;
  } catch {
    return 1;
  }
}

/**
 * Downloads a file from `url` (a cloud storage temporary URL) and opens it in WeChat's document viewer
 * (xlsx, docx, pdf…; not csv). Answers whether it opened.
 */
export function openRemoteDocument(url: string, fileType: 'xlsx' | 'pdf'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.downloadFile({
      url,
      success: (file) => {
        if (file.statusCode !== 200) {
          resolve(false);
          return;
        }
        wx.openDocument({
          filePath: file.tempFilePath,
          fileType,
          showMenu: true,
          success: () => {
            resolve(true);
          },
          fail: () => {
            resolve(false);
          },
        });
      },
      fail: () => {
        resolve(false);
      },
    });
  });
}

/**
 * 微信人脸核身 2.0 on the phone (issue 15): `wx.requestFacialVerify({ verifyId })`, which has no promise
 * form. `done` once the scan finished (the server then asks WeChat how it went: this is no pass), `left`
 * when the person backed out or the camera was refused, `unsupported` when this WeChat is older than the
 * API (base library 3.8.12).
 */
export function requestFacialVerify(verifyId: string): Promise<'done' | 'left' | 'unsupported'> {
  return new Promise((resolve) => {
    if (typeof wx.requestFacialVerify !== 'function') {
      resolve('unsupported');
      return;
    }
    try {
      wx.requestFacialVerify({
        verifyId,
        success: () => {
          resolve('done');
        },
        fail: () => {
          resolve('left');
        },
      });
    } catch {
      resolve('left');
    }
  });
}

/**
 * Opens another mini program's page (城市服务实名信息校验's consent page, issue 15). Answers whether it
 * opened; what it sends back arrives with the next `onShow` (`returnedFrom`).
 */
export async function openMiniProgram(appId: string, path: string): Promise<boolean> {
  try {
    await wx.navigateToMiniProgram({ appId, path });
    return true;
  } catch {
    // The person tapped 取消 on WeChat's "即将打开…" sheet, or the jump was refused.
    return false;
  }
}

/**
 * What the mini program `appId` sent back when it returned here (`referrerInfo.extraData` of this entry,
 * `wx.getEnterOptionsSync`), or undefined when this entry was not a return from it.
 */
export function returnedFrom(appId: string): Record<string, unknown> | undefined {
  try {
    const referrer = wx.getEnterOptionsSync().referrerInfo as
      { appId?: string; extraData?: unknown } | undefined;
    if (referrer?.appId !== appId) return undefined;
    const extra = referrer.extraData;
    return typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}
