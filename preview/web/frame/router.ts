/**
 * The page stack, as WeChat keeps it: `navigateTo` pushes (at most 10 pages), `redirectTo` replaces the
 * top, `navigateBack` pops, `reLaunch` clears, `switchTab` shows a tab page (kept alive) and drops the
 * rest. Each page is the real page rendered by miniprogram-simulate (its `Page()` options run through
 * `Component`, see runtime.ts), inside a `<page>` element so that `page { … }` rules of app.wxss apply,
 * with the lifecycles WeChat calls: `onLoad(query)`, `onShow`, `onReady`, `onHide`, `onUnload`,
 * `onPullDownRefresh`. Only the top page is shown; the window's scroll is the page's, as in WeChat.
 */
import { pageJson, previewApp, type WindowConfig } from './app-files';
import { simulate, type RenderedComponent } from './simulate';

/** A page instance as its code sees `this`. */
export interface PageInstance {
  route?: string;
  options?: Record<string, string>;
  data: Record<string, unknown>;
  [handler: string]: unknown;
}

interface PageEntry {
  route: string;
  query: Record<string, string>;
  url: string;
  comp: RenderedComponent;
  instance: PageInstance;
  container: HTMLElement;
  json: WindowConfig;
  title?: string;
  scrollY: number;
  /** `wx.enableAlertBeforeUnload`'s message: the navigation bar's back asks before leaving. */
  leaveAlert?: string;
}

export const MAX_PAGES = 10;

export class NavigationError extends Error {}

const loaded = new Map<string, string>();
let stack: PageEntry[] = [];
const tabPages = new Map<string, PageEntry>();
let onChange: () => void = () => undefined;
let refreshing = false;

export function watch(listener: () => void): void {
  onChange = listener;
}

function routes(): string[] {
  const app = previewApp().app;
  const subpackages = app.subpackages ?? app.subPackages ?? [];
  return [
    ...app.pages,
    ...subpackages.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`)),
  ];
}

/** Whether `route` is a page of app.json (or of a subpackage). */
export function knows(route: string): boolean {
  return routes().includes(route);
}

export function tabRoutes(): string[] {
  return (previewApp().app.tabBar?.list ?? []).map((t) => t.pagePath.replace(/^\//, ''));
}

/** `/pages/a/index?x=1`, or relative to the current page: its route and its raw query (WeChat does not decode it). */
export function parseUrl(url: string): { route: string; query: Record<string, string> } {
  const [path = '', search = ''] = url.split('?');
  let route: string;
  if (path.startsWith('/')) route = path.slice(1);
  else {
    const base = (current()?.route ?? '').split('/').slice(0, -1);
    for (const part of path.split('/')) {
      if (part === '..') base.pop();
      else if (part !== '.' && part !== '') base.push(part);
    }
    route = base.join('/');
  }
  const query: Record<string, string> = {};
  for (const pair of search.split('&')) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    if (i < 0) query[pair] = '';
    else query[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { route, query };
}

function tagNameOf(route: string): string {
  return `page-${route.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

function call(entry: PageEntry, hook: string, ...args: unknown[]): void {
  const fn = entry.instance[hook];
  if (typeof fn !== 'function') return;
  try {
    (fn as (...a: unknown[]) => void).apply(entry.instance, args);
  } catch (err) {
    // WeChat logs an error thrown by a page's handler and carries on.
    console.error(`${entry.route} ${hook}:`, err);
  }
}

function create(route: string, query: Record<string, string>): PageEntry {
  if (!routes().includes(route)) throw new NavigationError(`page "${route}" is not found`);
  let id = loaded.get(route);
  if (!id) {
    id = simulate().load(`/${route}`, tagNameOf(route), { compiler: 'official', rootPath: '/' });
    loaded.set(route, id);
  }
  const comp = simulate().render(id);
  const container = document.createElement('page');
  container.dataset.route = route;
  document.getElementById('pages')?.appendChild(container);
  comp.attach(container);
  const instance = comp.instance as PageInstance;
  instance.route = route;
  instance.options = query;
  const search = Object.entries(query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return {
    route,
    query,
    url: search ? `${route}?${search}` : route,
    comp,
    instance,
    container,
    json: pageJson(route),
    scrollY: 0,
  };
}

function hide(entry: PageEntry): void {
  entry.scrollY = window.scrollY;
  call(entry, 'onHide');
  entry.container.hidden = true;
}

function show(entry: PageEntry): void {
  entry.container.hidden = false;
  window.scrollTo(0, entry.scrollY);
  call(entry, 'onShow');
}

function unload(entry: PageEntry): void {
  if (tabPages.get(entry.route) === entry) return;
  call(entry, 'onUnload');
  entry.comp.detach();
  entry.container.remove();
}

function open(route: string, query: Record<string, string>): PageEntry {
  const entry = create(route, query);
  stack.push(entry);
  window.scrollTo(0, 0);
  call(entry, 'onLoad', query);
  call(entry, 'onShow');
  setTimeout(() => call(entry, 'onReady'), 0);
  return entry;
}

function changed(): void {
  refreshing = false;
  onChange();
}

export function current(): PageEntry | undefined {
  return stack[stack.length - 1];
}

/** The page on top goes to the background with the mini program (`onHide`), or comes back (`onShow`). */
export function background(): void {
  const top = current();
  if (top) hide(top);
}

export function foreground(): void {
  const top = current();
  if (top) show(top);
}

export function pages(): PageInstance[] {
  return stack.map((e) => e.instance);
}

export function navigateTo(url: string): void {
  const { route, query } = parseUrl(url);
  if (tabRoutes().includes(route)) throw new NavigationError('can not navigateTo a tabbar page');
  if (stack.length >= MAX_PAGES) throw new NavigationError('webview count limit exceed');
  const top = current();
  if (!routes().includes(route)) throw new NavigationError(`page "${route}" is not found`);
  if (top) hide(top);
  open(route, query);
  changed();
}

export function redirectTo(url: string): void {
  const { route, query } = parseUrl(url);
  if (tabRoutes().includes(route)) throw new NavigationError('can not redirectTo a tabbar page');
  if (!routes().includes(route)) throw new NavigationError(`page "${route}" is not found`);
  const top = stack.pop();
  if (top) unload(top);
  open(route, query);
  changed();
}

export function navigateBack(delta = 1): void {
  if (stack.length <= 1) throw new NavigationError('cannot navigate back at first page.');
  const count = Math.min(Math.max(1, delta), stack.length - 1);
  for (let i = 0; i < count; i += 1) {
    const entry = stack.pop();
    if (entry) unload(entry);
  }
  const next = current();
  if (next) show(next);
  changed();
}

function clear(): void {
  for (const entry of stack.reverse()) unload(entry);
  stack = [];
}

export function reLaunch(url: string): void {
  const { route, query } = parseUrl(url);
  if (!routes().includes(route)) throw new NavigationError(`page "${route}" is not found`);
  clear();
  for (const [tabRoute, entry] of tabPages) {
    tabPages.delete(tabRoute);
    unload(entry);
  }
  const entry = open(route, query);
  if (tabRoutes().includes(route)) tabPages.set(route, entry);
  changed();
}

export function switchTab(url: string): void {
  const { route } = parseUrl(url);
  if (!tabRoutes().includes(route)) throw new NavigationError('can not switch to no-tabBar page');
  const top = current();
  if (top?.route === route && stack.length === 1) return;
  const kept = tabPages.get(route);
  for (const entry of stack.reverse()) {
    if (tabPages.get(entry.route) === entry) hide(entry);
    else unload(entry);
  }
  stack = [];
  if (kept) {
    stack.push(kept);
    show(kept);
  } else {
    const entry = open(route, {});
    tabPages.set(route, entry);
  }
  changed();
}

export function setTitle(title: string): void {
  const top = current();
  if (top) top.title = title;
  onChange();
}

export function title(): string {
  const top = current();
  const window = previewApp().app.window ?? {};
  return top?.title ?? top?.json.navigationBarTitleText ?? window.navigationBarTitleText ?? '';
}

export function pullDownRefreshEnabled(): boolean {
  const top = current();
  return Boolean(top?.json.enablePullDownRefresh ?? previewApp().app.window?.enablePullDownRefresh);
}

export function isRefreshing(): boolean {
  return refreshing;
}

/** The toolbar's 下拉刷新: what pulling the page down does when the page enables it. */
export function startPullDownRefresh(): void {
  const top = current();
  if (!top || !pullDownRefreshEnabled()) return;
  refreshing = true;
  onChange();
  call(top, 'onPullDownRefresh');
}

export function stopPullDownRefresh(): void {
  if (!refreshing) return;
  refreshing = false;
  onChange();
}

/** `wx.enableAlertBeforeUnload` / `disableAlertBeforeUnload`: for the page on top. */
export function setLeaveAlert(message: string | undefined): void {
  const top = current();
  if (!top) return;
  if (message === undefined) delete top.leaveAlert;
  else top.leaveAlert = message;
}

/** What the back button must ask before leaving the page on top, if anything. */
export function leaveAlert(): string | undefined {
  return stack.length > 1 ? current()?.leaveAlert : undefined;
}
