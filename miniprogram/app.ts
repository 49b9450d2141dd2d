import type { AppOption } from './app-option';

/** The cloud environment; `DYNAMIC_CURRENT_ENV` in functions resolves to the same one. */
const CLOUD_ENV = 'jj-booking-prod';

App<AppOption>({
  globalData: {},
  onLaunch() {
    wx.cloud.init({ env: CLOUD_ENV, traceUser: true });
  },
});
