/**
 * The phone's web view: boots the mini program in this iframe. Script order in frame.html: this file
 * (clock, runtime globals, `wx`), then miniprogram-simulate's browser build (which merges `window.wx`
 * over its own stubs and defines `Component`), then the bundled mini program (/preview/app.js); on
 * `load` the built-ins are registered, `app.js` runs `App()`, and the entry page opens.
 */
import { getClock, previewConfig } from '../cloud';
import {
  deviceOf,
  FONT_SCALES,
  type FontSize,
  type FrameApi,
  type FrameParams,
  type FrameState,
  type ShellApi,
  type Template,
} from '../protocol';
import { knownOpenids } from '../openids';
import { installFileMap, previewApp } from './app-files';
import { registerBuiltins } from './builtins';
import { shownCodes } from './codes';
import { installClock, setNow } from './clock';
import { requireModule } from './modules';
import * as router from './router';
import * as overlays from './overlays';
import { installRuntime, launchApp, pageNotFound } from './runtime';
import { installTouch, tapCount } from './touch';
import { createWx } from './wx';

declare global {
  interface Window {
    __preview?: FrameApi;
    __previewShell?: ShellApi;
  }
}

function params(): FrameParams {
  const q = new URLSearchParams(location.search);
  const font = q.get('font');
  const path = q.get('path');
  return {
    openid: q.get('openid') || 'demo-citizen-a',
    font: font === 'largest' ? 'largest' : 'normal',
    device: deviceOf(q.get('device')),
    ...(path ? { path } : {}),
  };
}

const settings = params();
let templates: Template[] = [];
let bootError: string | undefined;

function shell(): ShellApi | undefined {
  try {
    return window.parent === window ? undefined : window.parent.__previewShell;
  } catch {
    return undefined;
  }
}

function setFontSize(size: FontSize): void {
  settings.font = size;
  document.documentElement.style.setProperty('--preview-font-scale', String(FONT_SCALES[size]));
}

function state(): FrameState {
  const app = window.__PREVIEW_APP__?.app;
  const top = router.current();
  const tabBar = app?.tabBar;
  const first = app?.entryPagePath ?? app?.pages[0] ?? '';
  return {
    route: top?.route ?? '',
    url: top?.url ?? '',
    title: top ? router.title() : '',
    navigationBarBackgroundColor: app?.window?.navigationBarBackgroundColor ?? '#000000',
    navigationBarTextStyle: app?.window?.navigationBarTextStyle ?? 'white',
    depth: router.pages().length,
    showHome:
      router.pages().length === 1 &&
      top !== undefined &&
      top.route !== first &&
      !router.tabRoutes().includes(top.route),
    pullDownRefresh: router.pullDownRefreshEnabled(),
    refreshing: router.isRefreshing(),
    taps: tapCount(),
    ...(tabBar
      ? {
          tabBar: {
            color: tabBar.color ?? '#7a7e83',
            selectedColor: tabBar.selectedColor ?? '#07c160',
            backgroundColor: tabBar.backgroundColor ?? '#ffffff',
            list: tabBar.list.map((t) => ({
              pagePath: t.pagePath.replace(/^\//, ''),
              text: t.text,
            })),
            current: router.tabRoutes().indexOf(top?.route ?? ''),
          },
        }
      : {}),
    ...(bootError ? { error: bootError } : {}),
  };
}

function report(): void {
  shell()?.frameChanged(state());
}

async function syncClock(): Promise<void> {
  setNow((await getClock()).now);
}

function fail(err: unknown): void {
  bootError = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  console.error('preview: the mini program did not start', err);
  const box = document.createElement('pre');
  box.className = 'boot-error';
  box.textContent = bootError;
  document.body.appendChild(box);
  report();
}

installClock();
installRuntime();
installTouch();
setFontSize(settings.font);
window.wx = createWx({
  openid: () => settings.openid,
  fontScale: () => FONT_SCALES[settings.font],
  templates: () => templates,
  appName: () => window.__PREVIEW_APP__?.app.window?.navigationBarTitleText ?? '小程序',
  cloudChanged: () => shell()?.cloudChanged(),
  // The phones of every other OPENID this preview knows; this phone does not scan itself.
  shownCodes: () => shownCodes(knownOpenids().filter((o) => o !== settings.openid)),
});

window.__preview = {
  // The navigation bar's back: asks first when the page armed wx.enableAlertBeforeUnload.
  navigateBack: () => {
    if (router.pages().length <= 1) return;
    const message = router.leaveAlert();
    if (message === undefined) {
      router.navigateBack(1);
      return;
    }
    void overlays
      .showModal({
        title: '',
        content: message,
        showCancel: true,
        cancelText: '取消',
        cancelColor: '#000000',
        confirmText: '确定',
        confirmColor: '#576B95',
      })
      .then((res) => {
        if (res.confirm) router.navigateBack(1);
      });
  },
  goHome: () => {
    const app = previewApp().app;
    router.reLaunch(`/${app.entryPagePath ?? app.pages[0]}`);
  },
  switchTab: (pagePath) => router.switchTab(`/${pagePath}`),
  pullDownRefresh: () => router.startPullDownRefresh(),
  setFontSize,
  syncClock,
  state,
};

/**
 * A launch on a page that is not there (an old link): the app's `onPageNotFound` redirects; without one,
 * or when it opened nothing, WeChat shows its own "页面不存在" page, and so does the preview.
 */
async function openMissing(route: string, query: Record<string, string>): Promise<void> {
  pageNotFound(route, query);
  // The app's redirect lands after the hook has returned, as every navigation does.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (router.pages().length === 0) throw new Error(`页面不存在：${route}`);
}

async function boot(): Promise<void> {
  const [config] = await Promise.all([previewConfig(), syncClock()]);
  templates = config.templates;
  const app = previewApp();
  installFileMap(app);
  registerBuiltins();
  router.watch(report);
  requireModule('app.js');
  const entry = settings.path ?? app.app.entryPagePath ?? app.app.pages[0];
  if (entry === undefined) throw new Error('app.json lists no page to open');
  const { route, query } = router.parseUrl(`/${entry.replace(/^\//, '')}`);
  launchApp(route, query);
  if (router.knows(route)) router.reLaunch(`/${entry.replace(/^\//, '')}`);
  else await openMissing(route, query);
  // The cloud's clock runs on by itself; a move from the shell calls syncClock at once.
  setInterval(() => void syncClock().catch(() => undefined), 10_000);
}

window.addEventListener('load', () => {
  boot().catch(fail);
});
