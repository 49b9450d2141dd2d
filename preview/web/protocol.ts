/**
 * What the shell (toolbar, navigation bar, side panel: shell/) and the phone's web view (the iframe
 * running the mini program: frame/) say to each other. Same origin, so the shell calls the frame's
 * `window.__preview` directly and the frame reports to `window.parent.__previewShell`.
 */

/**
 * The OPENIDs the toolbar offers; any other can be typed in. `demo-staff` is window staff of the demo
 * office (a role in the demo seed, local-cloud/seed/demo-data.ts): its home page has the 工作人员 entry.
 */
export const DEMO_OPENIDS = ['demo-citizen-a', 'demo-citizen-b', 'demo-staff'] as const;

/** Text scale of the phone's font setting: normal, and the largest the system offers (about 200%). */
export const FONT_SCALES = { normal: 1, largest: 2 } as const;
export type FontSize = keyof typeof FONT_SCALES;

/**
 * The screens the phone frame can be: a phone upright, or a tablet in landscape (the window's desk,
 * issue 13: `pageOrientation: auto` and app.json `resizable`). WeChat makes 750rpx the screen's width,
 * so the stylesheets are converted for the chosen width (preview/src/wxss.ts).
 */
export const DEVICES = {
  phone: { label: '手机', width: 375, height: 760 },
  tablet: { label: '平板横屏', width: 1024, height: 700 },
} as const;
export type Device = keyof typeof DEVICES;

export function deviceOf(value: string | null | undefined): Device {
  return value === 'tablet' ? 'tablet' : 'phone';
}

/** Query parameters of the frame's URL (`/frame?openid=…&font=…&device=…&path=…`). */
export interface FrameParams {
  openid: string;
  font: FontSize;
  device: Device;
  /** Page route and query to launch, `pages/booking-detail/index?id=…`; the first page of app.json if absent. */
  path?: string;
}

export interface TabBarItem {
  pagePath: string;
  text: string;
}

export interface TabBarState {
  color: string;
  selectedColor: string;
  backgroundColor: string;
  list: TabBarItem[];
  /** Index of the current page in `list`, or -1 when the current page is not a tab page. */
  current: number;
}

/** What the navigation bar and toolbar show for the current page. */
export interface FrameState {
  route: string;
  /** `pages/booking-detail/index?id=b1`: the current page with its query, to relaunch it (`path=`). */
  url: string;
  title: string;
  navigationBarBackgroundColor: string;
  navigationBarTextStyle: 'white' | 'black';
  /** How many pages are on the stack. */
  depth: number;
  /** WeChat shows a home button on a first page that is not the home page. */
  showHome: boolean;
  pullDownRefresh: boolean;
  refreshing: boolean;
  /** Taps on the phone since this launch (the page's and WeChat's sheets'), for counting a journey. */
  taps: number;
  tabBar?: TabBarState;
  /** The app failed to start or a page threw while loading: shown over the phone. */
  error?: string;
}

/** The frame's side: `window.__preview` in the iframe. */
export interface FrameApi {
  navigateBack(): void;
  goHome(): void;
  switchTab(pagePath: string): void;
  pullDownRefresh(): void;
  setFontSize(size: FontSize): void;
  /** Reads the cloud's clock again (after the shell moved it), so `Date.now()` in pages agrees. */
  syncClock(): Promise<void>;
  state(): FrameState;
}

/** The shell's side: `window.__previewShell` in the parent page. */
export interface ShellApi {
  frameChanged(state: FrameState): void;
  /** Something the frame recorded with the local cloud (a consent): the side panel reloads. */
  cloudChanged(): void;
}

/** One accepted one-time consent, as the local cloud lists them. */
export interface Consent {
  openid: string;
  templateId: string;
  remaining: number;
}

/** One sent subscribe message, as the local cloud's outbox lists them. */
export interface OutboxMessage {
  msgid: string;
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  sentAt: number;
  function: string;
}

/** A subscribe-message template the local cloud knows (its templates file), for the consent prompt. */
export interface Template {
  id: string;
  title: string;
  keys: Record<string, string>;
}

/** `GET /preview/config`: what the server knows that the browser cannot read itself. */
export interface PreviewConfig {
  templates: Template[];
  localCloudUrl: string;
}
