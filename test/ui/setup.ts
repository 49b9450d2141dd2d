/**
 * Runs before miniprogram-simulate loads: simulate merges `global.wx` over its own stubs, so the APIs
 * pages call are jest mocks a test can assert on. `wx.cloud.callFunction` and
 * `wx.requestSubscribeMessage` go through the bridge to the local cloud (support/cloud.ts), and so do
 * 实名认证's `wx.requestFacialVerify` and `wx.navigateToMiniProgram` (its emulation of WeChat), `wx.scanCode`
 * sees what the test arranged (support/scan.ts). Pages are
 * rendered through `Component`, like WeChat does under the hood, by moving a page's handlers into
 * `methods` and its other fields onto each instance.
 */
import {
  callFunction,
  getEnterOptionsSync,
  navigateToMiniProgram,
  requestFacialVerify,
  requestSubscribeMessage,
} from './support/cloud';
import { scanCode } from './support/scan';

type Options = Record<string, unknown> & { data?: Record<string, unknown> };

const g = global as unknown as Record<string, unknown>;

/**
 * The phone's storage (`wx.setStorageSync`…), as WeChat keeps it: JSON values by key, '' for a key never
 * set. One per phone: support/user.ts empties it for a new user.
 */
const storage = new Map<string, string>();
g.__uiStorage = storage;

g.wx = {
  navigateTo: jest.fn(() => Promise.resolve({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn(() => Promise.resolve({ errMsg: 'redirectTo:ok' })),
  navigateBack: jest.fn(() => Promise.resolve({ errMsg: 'navigateBack:ok' })),
  reLaunch: jest.fn(() => Promise.resolve({ errMsg: 'reLaunch:ok' })),
  setNavigationBarTitle: jest.fn(),
  openLocation: jest.fn(),
  makePhoneCall: jest.fn(),
  showToast: jest.fn(),
  showLoading: jest.fn(),
  hideLoading: jest.fn(),
  stopPullDownRefresh: jest.fn(),
  setStorage: jest.fn(),
  setStorageSync: jest.fn((key: string, data: unknown) => {
    storage.set(key, JSON.stringify(data));
  }),
  getStorageSync: jest.fn((key: string): unknown => {
    const raw = storage.get(key);
    return raw === undefined ? '' : (JSON.parse(raw) as unknown);
  }),
  removeStorageSync: jest.fn((key: string) => {
    storage.delete(key);
  }),
  pageScrollTo: jest.fn(() => Promise.resolve({ errMsg: 'pageScrollTo:ok' })),
  enableAlertBeforeUnload: jest.fn(),
  disableAlertBeforeUnload: jest.fn(),
  addPhoneCalendar: jest.fn(() => Promise.resolve({ errMsg: 'addPhoneCalendar:ok' })),
  requestSubscribeMessage: jest.fn(requestSubscribeMessage),
  scanCode: jest.fn(scanCode),
  setClipboardData: jest.fn(() => Promise.resolve({ errMsg: 'setClipboardData:ok' })),
  requestFacialVerify: jest.fn(requestFacialVerify),
  navigateToMiniProgram: jest.fn(navigateToMiniProgram),
  getEnterOptionsSync: jest.fn(getEnterOptionsSync),
  cloud: { init: jest.fn(), callFunction: jest.fn(callFunction) },
};

/**
 * j-component answers `getRelationNodes` with null for a relation to a component the page does not use,
 * where WeChat answers `[]`; Vant's checkbox outside a checkbox group reads `[0]` of it. Answer like
 * WeChat.
 */
interface Exparser {
  Element: { setMethodCaller(element: unknown, caller: unknown): void };
}
// miniprogram-exparser has no typings; j-component loads this same instance.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exparser = require('miniprogram-exparser') as Exparser;
const setMethodCaller = exparser.Element.setMethodCaller.bind(exparser.Element);
exparser.Element.setMethodCaller = (element, caller) => {
  const c = caller as { getRelationNodes?: (key: string) => unknown[] | null } | null;
  const original = c?.getRelationNodes;
  if (c && original) c.getRelationNodes = (key) => original(key) ?? [];
  setMethodCaller(element, caller);
};

/** The app instance pages share (`getApp()`); `resetApp` (support/user.ts) resets it between tests. */
g.__uiApp = { globalData: {} };
g.getApp = () => g.__uiApp;

g.Page = (options: Options) => {
  const { data, ...rest } = options;
  const methods: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (typeof value === 'function') methods[key] = value;
    else fields[key] = value;
  }
  const json = JSON.stringify(fields);
  // simulate defines `Component` when it is first required; pages are only loaded after that.
  (g.Component as (o: Options) => void)({
    data: data ?? {},
    methods,
    lifetimes: {
      created(this: Record<string, unknown>) {
        // WeChat gives each page instance its own copy of the non-function fields.
        Object.assign(this, JSON.parse(json) as Record<string, unknown>);
      },
    },
  });
};
