/**
 * The mini program's globals besides `wx`: `App`, `getApp`, `Page` and `getCurrentPages`. simulate
 * provides `Component` and `Behavior`. A page is rendered through `Component`, as WeChat does under the
 * hood (and as test/ui/setup.ts does): its handlers become methods, and each instance gets its own copy
 * of the other fields.
 */
import { pages } from './router';

type Options = Record<string, unknown> & { data?: Record<string, unknown> };

interface AppInstance {
  globalData: Record<string, unknown>;
  [key: string]: unknown;
}

let app: AppInstance | undefined;

declare global {
  interface Window {
    App: (options: Options) => void;
    getApp: () => AppInstance;
    Page: (options: Options) => void;
    getCurrentPages: () => unknown[];
    Component: (options: Options) => void;
  }
}

/** Fields of `Page()` options that `Component()` takes as they are. */
const COMPONENT_FIELDS = new Set(['behaviors', 'options']);

export function installRuntime(): void {
  window.App = (options) => {
    app = { globalData: {}, ...options };
  };
  window.getApp = () => {
    if (!app) throw new Error('getApp() before App()');
    return app;
  };
  window.getCurrentPages = () => pages();
  window.Page = (options) => {
    const { data, ...rest } = options;
    const methods: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    const passed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (COMPONENT_FIELDS.has(key)) passed[key] = value;
      else if (typeof value === 'function') methods[key] = value;
      else fields[key] = value;
    }
    const json = JSON.stringify(fields);
    window.Component({
      ...passed,
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
}

/** How the mini program was last entered: what `wx.getEnterOptionsSync` answers. */
export interface EnterOptions {
  path: string;
  query: Record<string, string>;
  scene: number;
  referrerInfo: { appId?: string; extraData?: Record<string, unknown> };
}

let entered: EnterOptions = { path: '', query: {}, scene: 1001, referrerInfo: {} };

export function enterOptions(): EnterOptions {
  return entered;
}

function appHook(hook: string, options?: unknown): void {
  const a = window.getApp();
  const fn = a[hook];
  if (typeof fn === 'function') (fn as (o: unknown) => void).call(a, options);
}

/** Runs `App()`'s `onLaunch` and `onShow`, as WeChat does before the first page. */
export function launchApp(path: string, query: Record<string, string>): void {
  entered = { path, query, scene: 1001, referrerInfo: {} };
  appHook('onLaunch', entered);
  appHook('onShow', entered);
}

/** The mini program goes to the background (another mini program opened over it): `App.onHide`. */
export function hideApp(): void {
  appHook('onHide');
}

/**
 * Back from the mini program `appId` (scene 1038, "从另一个小程序返回") with what it sent: the new enter
 * options, then `App.onShow` with them (the page's `onShow` is the router's).
 */
export function returnToApp(path: string, appId: string, extraData: Record<string, unknown>): void {
  entered = { path, query: {}, scene: 1038, referrerInfo: { appId, extraData } };
  appHook('onShow', entered);
}

/**
 * The entry page is not in app.json: WeChat calls `App()`'s `onPageNotFound` ({ path, query,
 * isEntryPage }), where the app redirects synchronously. Answers false when the app has no such hook.
 */
export function pageNotFound(path: string, query: Record<string, string>): boolean {
  const fn = window.getApp().onPageNotFound;
  if (typeof fn !== 'function') return false;
  (fn as (o: unknown) => void).call(window.getApp(), { path, query, isEntryPage: true });
  return true;
}
