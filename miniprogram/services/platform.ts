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

export function goHome(): void {
  void wx.reLaunch({ url: '/pages/home/index' });
}

export function setTitle(title: string): void {
  void wx.setNavigationBarTitle({ title });
}

export function stopPullDownRefresh(): void {
  void wx.stopPullDownRefresh();
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
