/**
 * The `wx` the pages get in the preview: the APIs a person's actions depend on, behaving as on a phone,
 * merged over miniprogram-simulate's stubs (which answer everything else, e.g. `wx.nextTick`,
 * `wx.createSelectorQuery`). Asynchronous APIs follow WeChat's convention: with `success`, `fail` or
 * `complete` they call back; without, they answer a promise; a failure's `errMsg` is
 * `<api>:fail <reason>`.
 *
 * - navigation → the page stack (router.ts); toasts, modals → overlays.ts
 * - storage → localStorage, one namespace per OPENID (each demo user is a phone of their own)
 * - `cloud.callFunction` → the local cloud's `POST /callFunction` as the chosen OPENID
 * - `requestSubscribeMessage` → the consent sheet; 允许 records each consent with the local cloud
 *   (`POST /subscriptions`). Like WeChat it refuses a call that is not inside a tap, and an unknown
 *   template id
 * - `openLocation` → a sheet with the place, its coordinates and a map link
 * - `makePhoneCall` → WeChat's 呼叫 confirmation (a modal); 取消 fails with `makePhoneCall:fail cancel`
 * - `scanCode` → the scanner sheet (no camera): the QR codes the other phones show, or pasted text;
 *   取消 fails with `scanCode:fail cancel`, as closing the camera view does
 * - `requestFacialVerify` (人脸核身 2.0, callbacks only as documented) → the camera view as a sheet: 开始识别
 *   asks the local cloud's emulation to run the check for this OPENID (`POST /realname/face`), then
 *   `success` whatever the result (the server learns it from `queryverifyinfo`); 取消 → `fail`
 * - `navigateToMiniProgram` → only 城市服务实名信息校验's consent page (WeChat's `wx308bd2aeb83d3345`): the
 *   page goes to the background, the consent sheet shows, and 同意 (a code from `POST /realname/authorize`)
 *   or 拒绝 comes back as a return from that mini program — `getEnterOptionsSync().referrerInfo`, then
 *   `App.onShow` and the page's `onShow`
 */
import { callFunction, faceCheck, realNameCode, subscribe } from '../cloud';
import type { Template } from '../protocol';
import { screenWidthPx } from './constants';
import * as overlays from './overlays';
import * as router from './router';
import { enterOptions, hideApp, returnToApp, type EnterOptions } from './runtime';
import { inTapGesture } from './touch';

export interface WxError {
  errMsg: string;
  errCode?: number;
}

/** The callbacks every asynchronous API takes. */
export interface Callbacks<T> {
  success?: (res: T) => void;
  fail?: (err: WxError) => void;
  complete?: (res: T | WxError) => void;
}

interface Ok {
  errMsg: string;
}

export interface SubscribeAnswer extends Ok {
  [templateId: string]: string;
}

/** `wx.scanCode`'s answer (its documented fields; `path` only for this mini program's own codes). */
export interface ScanAnswer extends Ok {
  result: string;
  scanType: string;
  charSet: string;
  rawData: string;
  path?: string;
}

export type ScanType = 'barCode' | 'qrCode' | 'wxCode' | 'datamatrix' | 'pdf417';

export interface CallFunctionAnswer extends Ok {
  result: unknown;
  requestID: string;
}

export interface SystemInfo {
  brand: string;
  model: string;
  pixelRatio: number;
  screenWidth: number;
  screenHeight: number;
  windowWidth: number;
  windowHeight: number;
  statusBarHeight: number;
  language: string;
  version: string;
  system: string;
  platform: string;
  fontSizeSetting: number;
  SDKVersion: string;
  safeArea: {
    left: number;
    right: number;
    top: number;
    bottom: number;
    width: number;
    height: number;
  };
}

export interface PreviewWx {
  navigateTo(o: { url: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  redirectTo(o: { url: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  navigateBack(o?: { delta?: number } & Callbacks<Ok>): Promise<Ok> | undefined;
  reLaunch(o: { url: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  switchTab(o: { url: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  setNavigationBarTitle(o: { title: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  startPullDownRefresh(o?: Callbacks<Ok>): Promise<Ok> | undefined;
  stopPullDownRefresh(o?: Callbacks<Ok>): Promise<Ok> | undefined;
  pageScrollTo(
    o: {
      scrollTop?: number;
      selector?: string;
      offsetTop?: number;
      duration?: number;
    } & Callbacks<Ok>,
  ): Promise<Ok> | undefined;
  enableAlertBeforeUnload(o: { message: string } & Callbacks<Ok>): void;
  disableAlertBeforeUnload(o?: Callbacks<Ok>): void;
  addPhoneCalendar(
    o: {
      title: string;
      startTime: number;
      endTime?: number | string;
      allDay?: boolean;
      description?: string;
      location?: string;
      alarm?: boolean;
      alarmOffset?: number;
    } & Callbacks<Ok>,
  ): Promise<Ok> | undefined;
  showToast(
    o: {
      title: string;
      icon?: overlays.ToastIcon;
      duration?: number;
      mask?: boolean;
    } & Callbacks<Ok>,
  ): Promise<Ok> | undefined;
  hideToast(o?: Callbacks<Ok>): Promise<Ok> | undefined;
  showLoading(o: { title: string; mask?: boolean } & Callbacks<Ok>): Promise<Ok> | undefined;
  hideLoading(o?: Callbacks<Ok>): Promise<Ok> | undefined;
  showModal(
    o: Partial<overlays.ModalOptions> & Callbacks<Ok & { confirm: boolean; cancel: boolean }>,
  ): Promise<Ok & { confirm: boolean; cancel: boolean }> | undefined;
  openLocation(o: overlays.Place & Callbacks<Ok>): Promise<Ok> | undefined;
  makePhoneCall(o: { phoneNumber: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  requestSubscribeMessage(
    o: { tmplIds: string[] } & Callbacks<SubscribeAnswer>,
  ): Promise<SubscribeAnswer> | undefined;
  scanCode(
    o?: { onlyFromCamera?: boolean; scanType?: ScanType[] } & Callbacks<ScanAnswer>,
  ): Promise<ScanAnswer> | undefined;
  setStorageSync(key: string, data: unknown): void;
  getStorageSync(key: string): unknown;
  removeStorageSync(key: string): void;
  clearStorageSync(): void;
  getStorageInfoSync(): { keys: string[]; currentSize: number; limitSize: number };
  setStorage(o: { key: string; data: unknown } & Callbacks<Ok>): Promise<Ok> | undefined;
  getStorage(
    o: { key: string } & Callbacks<Ok & { data: unknown }>,
  ): Promise<Ok & { data: unknown }> | undefined;
  removeStorage(o: { key: string } & Callbacks<Ok>): Promise<Ok> | undefined;
  clearStorage(o?: Callbacks<Ok>): Promise<Ok> | undefined;
  getSystemInfoSync(): SystemInfo;
  getWindowInfo(): SystemInfo;
  requestFacialVerify(o: { verifyId: string } & Callbacks<Ok & { errCode: number }>): void;
  navigateToMiniProgram(
    o: { appId: string; path?: string; extraData?: unknown } & Callbacks<Ok>,
  ): Promise<Ok> | undefined;
  getEnterOptionsSync(): EnterOptions;
  cloud: {
    init(o?: { env?: string; traceUser?: boolean }): void;
    callFunction(
      o: { name: string; data?: unknown } & Callbacks<CallFunctionAnswer>,
    ): Promise<CallFunctionAnswer> | undefined;
  };
}

declare global {
  // `wx` is a global in a mini program; `var` is how TypeScript declares one.
  var wx: PreviewWx;
}

/** Runs `work` the way WeChat's asynchronous APIs answer: callbacks if given, else a promise. */
function answer<T extends Ok>(
  api: string,
  options: Callbacks<T> | undefined,
  work: () => T | Promise<T>,
): Promise<T> | undefined {
  const done = (async (): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      const e = err as Partial<WxError> & { message?: string };
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat rejects with a plain { errMsg }
      throw {
        errMsg: e.errMsg ?? `${api}:fail ${e.message ?? String(err)}`,
        ...(e.errCode !== undefined ? { errCode: e.errCode } : {}),
      } satisfies WxError;
    }
  })();
  if (!options?.success && !options?.fail && !options?.complete) return done;
  done.then(
    (res) => {
      options.success?.(res);
      options.complete?.(res);
    },
    (err: unknown) => {
      options.fail?.(err as WxError);
      options.complete?.(err as WxError);
    },
  );
  return undefined;
}

function ok(api: string): Ok {
  return { errMsg: `${api}:ok` };
}

/**
 * WeChat navigates after the calling handler has returned, never inside it; so does the preview (a
 * page is not rendered in the middle of another page's tap).
 */
async function navigation(api: string, go: () => void): Promise<Ok> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    go();
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat rejects with a plain { errMsg }
    throw { errMsg: `${api}:fail ${(err as Error).message}` } satisfies WxError;
  }
  return ok(api);
}

export interface WxSettings {
  openid: () => string;
  fontScale: () => number;
  templates: () => Template[];
  appName: () => string;
  /** The local cloud recorded something (a consent): the shell's side panel reloads. */
  cloudChanged: () => void;
  /** The QR codes the other phones of the preview show, for the scanner sheet. */
  shownCodes: () => Promise<overlays.ShownCode[]>;
}

/** 城市服务实名信息校验's consent page: the one other mini program the preview can open. */
const REALNAME_APP_ID = 'wx308bd2aeb83d3345';

/** The base64 of a text's UTF-8 bytes: `scanCode`'s `rawData`. */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function storageKey(openid: string, key: string): string {
  return `preview:${openid}:${key}`;
}

function storageKeys(openid: string): string[] {
  const prefix = storageKey(openid, '');
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const k = localStorage.key(i);
    if (k?.startsWith(prefix)) keys.push(k.slice(prefix.length));
  }
  return keys;
}

/**
 * The element of the page on top that `selector` names, as `pageScrollTo` finds it: `#id`, or `.class`
 * (a class of the page's own template; simulate prefixes them with the page's tag name).
 */
function findInPage(selector: string): Element | null {
  const page = document.querySelector('page:not([hidden])');
  if (!page) return null;
  if (selector.startsWith('#'))
    return page.querySelector(`[id="${CSS.escape(selector.slice(1))}"]`);
  if (selector.startsWith('.')) {
    const name = CSS.escape(selector.slice(1));
    return page.querySelector(`.${name}, [class*="--${name}"]`);
  }
  return page.querySelector(selector);
}

/** An event `addPhoneCalendar` put in the phone's calendar (what the preview's calendar holds). */
export interface CalendarEvent {
  title: string;
  /** Unix seconds. */
  startTime: number;
  endTime: number;
  location: string;
  description: string;
  /** Seconds before the start; undefined without an alarm. */
  alarmOffset: number | undefined;
}

function calendarKey(openid: string): string {
  return `preview-calendar:${openid}`;
}

/** The phone's calendar, one per OPENID (each demo user is a phone of their own). */
export function calendarOf(openid: string): CalendarEvent[] {
  const raw = localStorage.getItem(calendarKey(openid));
  return raw ? (JSON.parse(raw) as CalendarEvent[]) : [];
}

/** WeChat's authSetting for `scope`: asked once, the answer remembered (per OPENID). */
async function authorized(settings: WxSettings, scope: string, what: string): Promise<boolean> {
  const key = `preview-auth:${settings.openid()}:${scope}`;
  const known = localStorage.getItem(key);
  if (known !== null) return known === 'true';
  const granted = await overlays.askPermission(settings.appName(), what);
  localStorage.setItem(key, String(granted));
  return granted;
}

export function createWx(settings: WxSettings): PreviewWx {
  const systemInfo = (): SystemInfo => {
    const width = screenWidthPx();
    const height = window.innerHeight;
    return {
      brand: 'preview',
      model: 'browser preview',
      pixelRatio: window.devicePixelRatio,
      screenWidth: width,
      screenHeight: height,
      windowWidth: width,
      windowHeight: height,
      statusBarHeight: 20,
      language: 'zh_CN',
      version: '8.0.50',
      system: navigator.userAgent,
      platform: 'devtools',
      fontSizeSetting: Math.round(16 * settings.fontScale()),
      SDKVersion: '3.4.0',
      safeArea: { left: 0, right: width, top: 0, bottom: height, width, height },
    };
  };

  const wxApi: PreviewWx = {
    navigateTo: (o) =>
      answer('navigateTo', o, () => navigation('navigateTo', () => router.navigateTo(o.url))),
    redirectTo: (o) =>
      answer('redirectTo', o, () => navigation('redirectTo', () => router.redirectTo(o.url))),
    navigateBack: (o) =>
      answer('navigateBack', o, () =>
        navigation('navigateBack', () => router.navigateBack(o?.delta ?? 1)),
      ),
    reLaunch: (o) =>
      answer('reLaunch', o, () => navigation('reLaunch', () => router.reLaunch(o.url))),
    switchTab: (o) =>
      answer('switchTab', o, () => navigation('switchTab', () => router.switchTab(o.url))),
    setNavigationBarTitle: (o) =>
      answer('setNavigationBarTitle', o, () => {
        router.setTitle(o.title);
        return ok('setNavigationBarTitle');
      }),
    startPullDownRefresh: (o) =>
      answer('startPullDownRefresh', o, () => {
        router.startPullDownRefresh();
        return ok('startPullDownRefresh');
      }),
    stopPullDownRefresh: (o) =>
      answer('stopPullDownRefresh', o, () => {
        router.stopPullDownRefresh();
        return ok('stopPullDownRefresh');
      }),
    pageScrollTo: (o) =>
      answer('pageScrollTo', o, () => {
        let top = o.scrollTop ?? 0;
        if (o.selector !== undefined) {
          const target = findInPage(o.selector);
          if (!target) throw new Error(`selector "${o.selector}" matches nothing`);
          top = target.getBoundingClientRect().top + window.scrollY + (o.offsetTop ?? 0);
        }
        window.scrollTo({ top, behavior: o.duration === 0 ? 'auto' : 'smooth' });
        return ok('pageScrollTo');
      }),
    // Callbacks only: WeChat documents no promise for these two.
    enableAlertBeforeUnload: (o) => {
      router.setLeaveAlert(o.message);
      o.success?.(ok('enableAlertBeforeUnload'));
      o.complete?.(ok('enableAlertBeforeUnload'));
    },
    disableAlertBeforeUnload: (o) => {
      router.setLeaveAlert(undefined);
      o?.success?.(ok('disableAlertBeforeUnload'));
      o?.complete?.(ok('disableAlertBeforeUnload'));
    },
    addPhoneCalendar: (o) => {
      // Checked now, not in the promise: WeChat allows it only inside a tap.
      const tapped = inTapGesture();
      return answer('addPhoneCalendar', o, async () => {
        if (!tapped) throw new Error('can only be invoked by user TAP gesture.');
        if (!(await authorized(settings, 'scope.addPhoneCalendar', '添加日历事件'))) {
          throw new Error('auth deny');
        }
        const events = calendarOf(settings.openid());
        events.push({
          title: o.title,
          startTime: o.startTime,
          endTime: Number(o.endTime ?? o.startTime),
          location: o.location ?? '',
          description: o.description ?? '',
          alarmOffset: o.alarm === false ? undefined : (o.alarmOffset ?? 0),
        });
        localStorage.setItem(calendarKey(settings.openid()), JSON.stringify(events));
        overlays.showToast({
          title: '已添加到系统日历',
          icon: 'success',
          duration: 1500,
          mask: false,
          loading: false,
        });
        return ok('addPhoneCalendar');
      });
    },
    showToast: (o) =>
      answer('showToast', o, () => {
        overlays.showToast({
          title: o.title,
          icon: o.icon ?? 'success',
          duration: o.duration ?? 1500,
          mask: o.mask ?? false,
          loading: false,
        });
        return ok('showToast');
      }),
    hideToast: (o) =>
      answer('hideToast', o, () => {
        overlays.hideToast('toast');
        return ok('hideToast');
      }),
    showLoading: (o) =>
      answer('showLoading', o, () => {
        overlays.showToast({
          title: o.title,
          icon: 'loading',
          duration: 0,
          mask: o.mask ?? false,
          loading: true,
        });
        return ok('showLoading');
      }),
    hideLoading: (o) =>
      answer('hideLoading', o, () => {
        overlays.hideToast('loading');
        return ok('hideLoading');
      }),
    showModal: (o) =>
      answer('showModal', o, async () => {
        const res = await overlays.showModal({
          title: o.title ?? '',
          content: o.content ?? '',
          showCancel: o.showCancel ?? true,
          cancelText: o.cancelText ?? '取消',
          cancelColor: o.cancelColor ?? '#000000',
          confirmText: o.confirmText ?? '确定',
          confirmColor: o.confirmColor ?? '#576B95',
        });
        return { ...ok('showModal'), ...res };
      }),
    openLocation: (o) =>
      answer('openLocation', o, () => {
        overlays.showLocation(o);
        return ok('openLocation');
      }),
    makePhoneCall: (o) =>
      answer('makePhoneCall', o, async () => {
        // The browser cannot dial: the confirmation WeChat shows before dialling, and nothing more.
        const res = await overlays.showModal({
          title: o.phoneNumber,
          content: '',
          showCancel: true,
          cancelText: '取消',
          cancelColor: '#000000',
          confirmText: '呼叫',
          confirmColor: '#576B95',
        });
        if (!res.confirm) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat's plain { errMsg }
          throw { errMsg: 'makePhoneCall:fail cancel' } satisfies WxError;
        }
        return ok('makePhoneCall');
      }),
    requestSubscribeMessage: (o) => {
      // Checked now, not in the promise: WeChat needs the call itself inside the tap.
      const tapped = inTapGesture();
      return answer('requestSubscribeMessage', o, async () => {
        if (!tapped) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat's plain { errMsg, errCode }
          throw {
            errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.',
            errCode: 20003,
          } satisfies WxError;
        }
        const known = settings.templates();
        const templates = o.tmplIds.map((id) => known.find((t) => t.id === id));
        if (o.tmplIds.length === 0 || templates.some((t) => !t)) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat's plain { errMsg, errCode }
          throw {
            errMsg:
              'requestSubscribeMessage:fail No template data return, verify the template id exist',
            errCode: 20001,
          } satisfies WxError;
        }
        const accepted = await overlays.askConsent(
          settings.appName(),
          templates.map((t) => ({ id: t?.id ?? '', title: t?.title ?? '' })),
        );
        const res: SubscribeAnswer = { errMsg: 'requestSubscribeMessage:ok' };
        for (const id of o.tmplIds) {
          if (accepted) await subscribe(settings.openid(), id);
          res[id] = accepted ? 'accept' : 'reject';
        }
        if (accepted) settings.cloudChanged();
        return res;
      });
    },
    scanCode: (o) =>
      answer('scanCode', o, async () => {
        // WeChat's default scanType reads every kind of code.
        const readsQr = (o?.scanType ?? ['barCode', 'qrCode', 'wxCode']).includes('qrCode');
        const text = await overlays.askScan(settings.shownCodes(), readsQr);
        if (text === undefined) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat's plain { errMsg }
          throw { errMsg: 'scanCode:fail cancel' } satisfies WxError;
        }
        return {
          ...ok('scanCode'),
          result: text,
          scanType: 'QR_CODE',
          charSet: 'UTF-8',
          rawData: base64Utf8(text),
        };
      }),
    setStorageSync: (key, data) => {
      localStorage.setItem(storageKey(settings.openid(), key), JSON.stringify({ data }));
    },
    getStorageSync: (key) => {
      const raw = localStorage.getItem(storageKey(settings.openid(), key));
      // WeChat answers '' for a key never set.
      return raw === null ? '' : (JSON.parse(raw) as { data: unknown }).data;
    },
    removeStorageSync: (key) => {
      localStorage.removeItem(storageKey(settings.openid(), key));
    },
    clearStorageSync: () => {
      for (const key of storageKeys(settings.openid())) wxApi.removeStorageSync(key);
    },
    getStorageInfoSync: () => {
      const keys = storageKeys(settings.openid());
      const size = keys.reduce(
        (n, k) => n + (localStorage.getItem(storageKey(settings.openid(), k))?.length ?? 0),
        0,
      );
      return { keys, currentSize: Math.ceil(size / 1024), limitSize: 10240 };
    },
    setStorage: (o) =>
      answer('setStorage', o, () => {
        wxApi.setStorageSync(o.key, o.data);
        return ok('setStorage');
      }),
    getStorage: (o) =>
      answer('getStorage', o, () => {
        if (!storageKeys(settings.openid()).includes(o.key)) throw new Error('data not found');
        return { ...ok('getStorage'), data: wxApi.getStorageSync(o.key) };
      }),
    removeStorage: (o) =>
      answer('removeStorage', o, () => {
        wxApi.removeStorageSync(o.key);
        return ok('removeStorage');
      }),
    clearStorage: (o) =>
      answer('clearStorage', o, () => {
        wxApi.clearStorageSync();
        return ok('clearStorage');
      }),
    getSystemInfoSync: systemInfo,
    getWindowInfo: systemInfo,
    requestFacialVerify: (o) => {
      // Callbacks only: WeChat documents no promise for it.
      void (async () => {
        const scanned = await overlays.askFaceScan(settings.appName());
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat's plain { errMsg }
        if (!scanned) throw { errMsg: 'requestFacialVerify:fail cancel' } satisfies WxError;
        await faceCheck(settings.openid(), o.verifyId);
        settings.cloudChanged();
      })().then(
        () => {
          const res = { ...ok('requestFacialVerify'), errCode: 0 };
          o.success?.(res);
          o.complete?.(res);
        },
        (err: unknown) => {
          const e = err as Partial<WxError> & { message?: string };
          const res = {
            errMsg: e.errMsg ?? `requestFacialVerify:fail ${e.message ?? String(err)}`,
          };
          o.fail?.(res);
          o.complete?.(res);
        },
      );
    },
    navigateToMiniProgram: (o) =>
      answer('navigateToMiniProgram', o, () => {
        if (o.appId !== REALNAME_APP_ID)
          throw new Error(
            `the preview opens only 实名信息校验 (${REALNAME_APP_ID}), not ${o.appId}`,
          );
        const path = router.current()?.route ?? '';
        // The other mini program covers this one; its answer comes back as a return, after this resolves.
        router.background();
        hideApp();
        void (async () => {
          let extraData: Record<string, unknown> = {};
          try {
            if (await overlays.askRealName(settings.appName()))
              extraData = { code: await realNameCode(settings.openid()) };
          } finally {
            // Whatever happened there, the person comes back.
            returnToApp(path, o.appId, extraData);
            router.foreground();
          }
        })();
        return ok('navigateToMiniProgram');
      }),
    getEnterOptionsSync: () => enterOptions(),
    cloud: {
      init: () => undefined,
      callFunction: (o) =>
        answer('cloud.callFunction', o, async () => {
          // The platform sends `data` as JSON (undefined fields vanish the same way).
          const data = JSON.parse(JSON.stringify(o.data ?? {})) as unknown;
          let res;
          try {
            res = await callFunction(o.name, data, settings.openid());
          } catch (err) {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- the platform's plain { errCode, errMsg }
            throw {
              errCode: -1,
              errMsg: `cloud.callFunction:fail ${(err as Error).message}`,
            } satisfies WxError;
          }
          if (res.errCode !== undefined) {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- the platform's plain { errCode, errMsg }
            throw {
              errCode: res.errCode,
              errMsg: res.errMsg ?? 'cloud.callFunction:fail',
            } satisfies WxError;
          }
          return { errMsg: 'cloud.callFunction:ok', result: res.result, requestID: 'preview' };
        }),
    },
  };
  return wxApi;
}
