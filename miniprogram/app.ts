import type { AppOption } from './app-option';
import { goHome, redirectTo } from './services/platform';
import { movedPageUrl } from './utils/moved-pages';

/** The cloud environment; `DYNAMIC_CURRENT_ENV` in functions resolves to the same one. */
const CLOUD_ENV = 'jj-booking-prod';

App<AppOption>({
  globalData: {},
  onLaunch() {
    wx.cloud.init({ env: CLOUD_ENV, traceUser: true });
  },
  /**
   * A link to a page that is not there: a renamed page opens under its new name with the same query
   * (a reminder sent before the rename still shows its booking); anything else opens the home page
   * rather than WeChat's "页面不存在". WeChat needs the redirect called synchronously here.
   */
  onPageNotFound(res) {
    const url = movedPageUrl(res.path, res.query);
    if (url) redirectTo(url);
    else goHome();
  },
});
