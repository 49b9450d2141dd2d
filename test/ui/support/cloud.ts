/**
 * The bridge between the pages and the local cloud: `wx.cloud.callFunction({ name, data })` POSTs to the
 * local cloud's `/callFunction` as the test's current user (OPENID) and answers like the platform
 * (`{ result }`, or a rejection with `{ errCode, errMsg }`), so every page test is a real round trip
 * through the real `booking` function. `wx.requestSubscribeMessage` answers as the test says and, on
 * 允许, records the one-time consent with the local cloud like WeChat would.
 *
 * State lives on `global` so the setup file (which installs the `wx` mocks) and the test file share it
 * whatever module registry each was loaded in.
 */
import { type LocalCloud, sdk, type SdkRunner, startLocalCloud } from '../../../local-cloud/client';
import { postOk, request } from './http';

export type SubscribeAnswer = 'accept' | 'reject' | 'fail';
/** `offline`: the call never reaches the cloud. `lost`: it runs there, but its answer never arrives. */
export type Fault = 'offline' | 'lost';

interface BridgeState {
  url: string | undefined;
  cloud: LocalCloud | undefined;
  runner: SdkRunner | undefined;
  /** The pinned clock minus real time, ms: the pages' `Date.now` and the cloud's agree. */
  offset: number;
  openid: string;
  faults: Fault[];
  subscribe: SubscribeAnswer;
  /** Delay of the platform's subscribe dialog before it answers, ms. */
  subscribeDelayMs: number;
  /** What the person does with 人脸核身's camera view: finish the scan, or back out. */
  face: FaceAnswer;
  /** What the person does on 实名信息校验's consent page (and WeChat's "即将打开" sheet before it). */
  consent: ConsentAnswer;
  /** `wx.getEnterOptionsSync()`: how the mini program was last entered (a return carries referrerInfo). */
  enter: { scene: number; path: string; query: Record<string, string>; referrerInfo?: unknown };
}

export type FaceAnswer = 'scan' | 'back-out';
export type ConsentAnswer = 'agree' | 'refuse' | 'not-opened';

const g = global as unknown as { __uiBridge?: BridgeState };

export function bridge(): BridgeState {
  g.__uiBridge ??= {
    url: undefined,
    cloud: undefined,
    runner: undefined,
    offset: 0,
    openid: 'ui-user',
    faults: [],
    subscribe: 'accept',
    subscribeDelayMs: 10,
    face: 'scan',
    consent: 'agree',
    enter: { scene: 1001, path: 'pages/home/index', query: {} },
  };
  return g.__uiBridge;
}

/** What `wx.cloud.callFunction` answers when the call fails on the way (as WeChat does offline). */
const NETWORK_FAIL = { errCode: -1, errMsg: 'cloud.callFunction:fail request:fail timeout' };

export interface CallFunctionOptions {
  name: string;
  data?: unknown;
}

/** The bridge behind `wx.cloud.callFunction`. */
/* eslint-disable @typescript-eslint/only-throw-error -- the platform rejects with a plain
   `{ errCode, errMsg }` object, not an Error; the bridge must answer exactly like it. */
export async function callFunction(
  options: CallFunctionOptions,
): Promise<{ result: unknown; errMsg: string; requestID: string }> {
  const state = bridge();
  if (!state.url)
    throw { errCode: -404011, errMsg: 'cloud.callFunction:fail local cloud not started' };
  const fault = state.faults.shift();
  if (fault === 'offline') throw { ...NETWORK_FAIL };
  // The platform sends `data` as JSON; so does the bridge (undefined fields vanish the same way).
  const data = JSON.parse(JSON.stringify(options.data ?? {})) as unknown;
  const answer = await request(`${state.url}/callFunction`, 'POST', {
    name: options.name,
    data,
    openid: state.openid,
  });
  if (answer.status !== 200) {
    throw new Error(`local cloud /callFunction → ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  if (fault === 'lost') throw { ...NETWORK_FAIL };
  const body = answer.body as { result?: unknown; errCode?: number; errMsg?: string };
  if (body.errCode !== undefined) throw { errCode: body.errCode, errMsg: body.errMsg };
  return { result: body.result, errMsg: 'cloud.callFunction:ok', requestID: 'local' };
}
/* eslint-enable @typescript-eslint/only-throw-error */

interface SubscribeOptions {
  tmplIds: string[];
  success?: (res: Record<string, string>) => void;
  fail?: (err: { errMsg: string; errCode: number }) => void;
  complete?: () => void;
}

/** The bridge behind `wx.requestSubscribeMessage`: the user's answer comes a moment later. */
export function requestSubscribeMessage(options: SubscribeOptions): void {
  const state = bridge();
  const answer = state.subscribe;
  const openid = state.openid;
  setTimeout(() => {
    void (async () => {
      if (answer === 'fail') {
        // e.g. the user turned subscriptions off in settings.
        options.fail?.({ errMsg: 'requestSubscribeMessage:fail switched off', errCode: 20004 });
      } else {
        if (answer === 'accept' && state.url) {
          for (const templateId of options.tmplIds) {
            await postOk(`${state.url}/subscriptions`, { openid, templateId });
          }
        }
        const res: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
        for (const id of options.tmplIds) res[id] = answer;
        options.success?.(res);
      }
      options.complete?.();
    })().catch((err: unknown) => {
      // A broken consent record is a broken test setup: make it loud.
      console.error('requestSubscribeMessage bridge failed:', err);
      options.fail?.({ errMsg: 'requestSubscribeMessage:fail bridge', errCode: -1 });
    });
  }, state.subscribeDelayMs);
}

interface FacialVerifyOptions {
  verifyId: string;
  success?: (res: { errMsg: string; errCode: number }) => void;
  fail?: (err: { errMsg: string; errCode?: number }) => void;
  complete?: () => void;
}

/**
 * The bridge behind `wx.requestFacialVerify` (人脸核身 2.0, callbacks only as documented): a scan runs the
 * face check of the local cloud's emulation for the acting account (`POST /realname/face`: whose face is
 * at its camera decides what WeChat records), then answers success whatever the result — the page learns
 * it only from the server's `queryverifyinfo`. Backing out answers `fail` and records nothing.
 */
export function requestFacialVerify(options: FacialVerifyOptions): void {
  const state = bridge();
  const { openid, face } = state;
  void (async () => {
    if (face === 'back-out') {
      // The documentation names only errCode 0; the code of a cancel is not given, so none is sent.
      options.fail?.({ errMsg: 'requestFacialVerify:fail cancel' });
    } else {
      await postOk(`${state.url ?? ''}/realname/face`, { openid, verifyId: options.verifyId });
      options.success?.({ errMsg: 'requestFacialVerify:ok', errCode: 0 });
    }
    options.complete?.();
  })().catch((err: unknown) => {
    console.error('requestFacialVerify bridge failed:', err);
    options.fail?.({ errMsg: 'requestFacialVerify:fail bridge' });
  });
}

/**
 * The bridge behind `wx.navigateToMiniProgram` to 实名信息校验's consent page: 同意 there asks the local
 * cloud for the code WeChat would return (`POST /realname/authorize`) and makes the next entry a return
 * from that mini program carrying it in `referrerInfo.extraData` (what `wx.getEnterOptionsSync` answers);
 * 拒绝 returns without a code; `not-opened` is 取消 on WeChat's "即将打开" sheet (the promise rejects).
 * The test then shows the page again (`onShow`), as WeChat does when the person comes back.
 */
export async function navigateToMiniProgram(options: {
  appId: string;
  path?: string;
}): Promise<{ errMsg: string }> {
  const state = bridge();
  if (state.consent === 'not-opened')
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- WeChat rejects with a plain { errMsg }
    throw { errMsg: 'navigateToMiniProgram:fail cancel' };
  const extraData =
    state.consent === 'agree'
      ? await postOk<{ code: string }>(`${state.url ?? ''}/realname/authorize`, {
          openid: state.openid,
        })
      : {};
  state.enter = {
    scene: 1038,
    path: state.enter.path,
    query: {},
    referrerInfo: { appId: options.appId, extraData },
  };
  return { errMsg: 'navigateToMiniProgram:ok' };
}

export function getEnterOptionsSync(): BridgeState['enter'] {
  return bridge().enter;
}

/** A new phone: scans finish, the consent page is agreed to, the mini program entered from the list. */
export function resetPhoneAnswers(): void {
  const state = bridge();
  state.face = 'scan';
  state.consent = 'agree';
  state.enter = { scene: 1001, path: 'pages/home/index', query: {} };
}

export function answerFace(answer: FaceAnswer): void {
  bridge().face = answer;
}

export function answerConsent(answer: ConsentAnswer): void {
  bridge().consent = answer;
}

/** What WeChat knows of `openid`: its WeChat Pay real name, and whose face is at its camera. */
export async function registerRealName(
  openid: string,
  who: { name: string; idNumber: string },
): Promise<void> {
  await postOk(`${bridge().url ?? ''}/realname/identities`, { openid, ...who });
}

/** Acts as another WeChat user from now on. */
export function actAs(openid: string): void {
  bridge().openid = openid;
}

/** The next calls fail on the way, in order. */
export function failNext(...faults: Fault[]): void {
  bridge().faults.push(...faults);
}

export function answerSubscribe(answer: SubscribeAnswer): void {
  bridge().subscribe = answer;
}

/**
 * A direct call to a function as `openid`, or without one (the cloud console's test call), for arranging
 * a scene, not for the page.
 */
export async function callAs<T>(
  name: string,
  openid: string | undefined,
  data: Record<string, unknown>,
): Promise<T> {
  const state = bridge();
  if (!state.url) throw new Error('local cloud not started');
  const body = await postOk<{ result?: T; errMsg?: string }>(`${state.url}/callFunction`, {
    name,
    data,
    ...(openid === undefined ? {} : { openid }),
  });
  if (body.result === undefined) throw new Error(`${name} failed: ${JSON.stringify(body)}`);
  return body.result;
}

/** A direct call to the `booking` function as `openid` (for arranging a scene, not for the page). */
export function callBooking<T>(openid: string, data: Record<string, unknown>): Promise<T> {
  return callAs<T>('booking', openid, data);
}

export interface Consent {
  openid: string;
  templateId: string;
  remaining: number;
}

export async function consents(): Promise<Consent[]> {
  const state = bridge();
  const answer = await request(`${state.url ?? ''}/subscriptions`, 'GET');
  return (answer.body as { subscriptions: Consent[] }).subscriptions;
}

/** China wall-clock time as epoch ms, whatever the test's TZ: `chinaTime('2026-12-01T10:00')`. */
export function chinaTime(isoLocal: string): number {
  return Date.parse(`${isoLocal}:00+08:00`);
}

/** The seeded catalogue's templates (local-cloud/seed/demo-data.ts, as in local-cloud/templates.json). */
export const TEMPLATES = {
  reminder: 'local-booking-reminder',
  slotsReleased: 'local-slots-released',
};

/**
 * Starts a seeded local cloud for this test file, with its clock (and the pages' `Date.now`) pinned to
 * `now`, China time, and running on from there: the tests see the same days whenever they run.
 */
export function useLocalCloud(now: string): void {
  const realNow = Date.now.bind(Date);
  // Each test is a few real round trips through the local cloud.
  jest.setTimeout(30_000);
  beforeAll(async () => {
    const cloud = await startLocalCloud({ memory: true, seed: true });
    bridge().cloud = cloud;
    bridge().url = cloud.url;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + bridge().offset);
    await setClock(now);
  }, 60_000);
  afterAll(async () => {
    const state = bridge();
    state.url = undefined;
    await state.runner?.close();
    state.runner = undefined;
    await state.cloud?.stop();
    state.cloud = undefined;
  }, 30_000);
}

/** Moves the cloud's clock and the pages' `Date.now` together to `now` (China time), running on from there. */
export async function setClock(now: string): Promise<void> {
  const state = bridge();
  const target = chinaTime(now);
  await postOk(`${state.url ?? ''}/clock`, { now: target, fireTriggers: false });
  state.offset = target - (Date.now() - state.offset);
}

/**
 * Runs `fn` with the real wx-server-sdk against this file's local cloud, to arrange what other parts of
 * the product would have done (a window checking someone in, the no-show sweep). `fn` travels as source
 * text: no closures, values through `args`.
 */
export async function inCloud<T, A>(
  fn: (cloud: typeof import('wx-server-sdk'), args: A) => Promise<T>,
  args: A,
): Promise<T> {
  const state = bridge();
  if (!state.cloud) throw new Error('local cloud not started');
  state.runner ??= await sdk(state.cloud);
  return state.runner.run(fn, args);
}
