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

/** Runs `App()`'s `onLaunch` and `onShow`, as WeChat does before the first page. */
export function launchApp(path: string, query: Record<string, string>): void {
  const a = window.getApp();
  const launch = { path, query, scene: 1001, referrerInfo: {} };
  for (const hook of ['onLaunch', 'onShow']) {
    const fn = a[hook];
    if (typeof fn === 'function') (fn as (o: unknown) => void).call(a, launch);
  }
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
