/**
 * Runs before miniprogram-simulate loads: simulate merges `global.wx` over its own stubs, so the APIs
 * pages call are jest mocks a test can assert on. Pages are rendered through `Component`, like WeChat
 * does under the hood, by moving a page's handlers into `methods`.
 */
type Options = Record<string, unknown> & { data?: Record<string, unknown> };

const g = global as unknown as Record<string, unknown>;

g.wx = {
  navigateTo: jest.fn(() => Promise.resolve({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn(() => Promise.resolve({ errMsg: 'redirectTo:ok' })),
  navigateBack: jest.fn(() => Promise.resolve({ errMsg: 'navigateBack:ok' })),
  showToast: jest.fn(),
  showLoading: jest.fn(),
  hideLoading: jest.fn(),
  stopPullDownRefresh: jest.fn(),
  cloud: { init: jest.fn(), callFunction: jest.fn() },
};

g.Page = (options: Options) => {
  const { data, ...rest } = options;
  const methods: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (typeof value === 'function') methods[key] = value;
  }
  // simulate defines `Component` when it is first required; pages are only loaded after that.
  (g.Component as (o: Options) => void)({ data: data ?? {}, methods });
};
