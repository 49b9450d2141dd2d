/**
 * One end-to-end scene: a seeded local cloud in memory with its clock pinned, the browser preview
 * (preview/) in front of it, both on free ports, and a Chromium page showing the preview as a person
 * would open it. Chromium is Debian's (`/usr/bin/chromium`, installed by .ci/run), driven by
 * playwright-core; the page may talk to 127.0.0.1 only, and every other request fails the test.
 *
 * Screenshots go to `artifacts/e2e/<scene>/<nn>-<step>.png`; the last one of each scene (`end`) shows
 * where a failing test stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type FrameLocator,
  type Locator,
  type Page,
} from 'playwright-core';
import { startPreviewServer, type PreviewServer } from '../../../preview/src/server';
import {
  chinaTime,
  type LocalCloud,
  ROOT,
  setClock,
  startLocalCloud,
} from '../../../local-cloud/client';
import { oneFileAtATime } from './serial';

export const ARTIFACTS = path.join(ROOT, 'artifacts', 'e2e');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium as a headless tool on a shared CI machine: no sandbox (root in a container), no GPU, no calls home. */
export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export type FontSize = 'normal' | 'largest';

export interface SceneOptions {
  /** The screenshots' folder under artifacts/e2e/: `book-and-cancel`. */
  name: string;
  /** China wall-clock time the cloud's clock is pinned to, running on from there: `2026-12-01T10:00`. */
  now: string;
  /** The WeChat user on the phone. */
  openid: string;
  font?: FontSize;
  /**
   * Page to open instead of the home page, as from a shared link or a message: `pages/mine/index`; a
   * function is asked after `before` ran (for a link naming what `before` made).
   */
  path?: string | (() => string);
  /** What other people did before the phone is opened (bookings made through the function…). */
  before?: (cloud: LocalCloud) => Promise<void>;
}

export interface Scene {
  cloud: LocalCloud;
  preview: PreviewServer;
  context: BrowserContext;
  /** The preview page: toolbar, phone, side panel. */
  page: Page;
  /** The phone's web view (every page on the stack, the hidden ones too). */
  frame: FrameLocator;
  /**
   * What the phone shows: the page on top of the stack and WeChat's overlays (toasts, modals, the
   * consent sheet). Pages under it are hidden, as on a phone.
   */
  phone: Locator;
  /** Evaluates a JavaScript expression in the phone's web view (the test code has no DOM types). */
  inPhone(expression: string): Promise<unknown>;
  /** Saves a screenshot of the whole preview as `<nn>-<step>.png` in this test's folder. */
  shot(step: string): Promise<string>;
  /** Requests to anything but 127.0.0.1, uncaught errors of the pages: each fails the test. */
  problems(): string[];
  close(): Promise<void>;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A scene's screenshot folder, emptied: the folder shows the last run only. */
function shotsDir(name: string): string {
  const dir = path.join(ARTIFACTS, slug(name));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function openScene(browser: Browser, options: SceneOptions): Promise<Scene> {
  const dir = shotsDir(options.name);
  const cloud = await startLocalCloud({ memory: true, seed: true });
  const problems: string[] = [];
  let preview: PreviewServer | undefined;
  let context: BrowserContext | undefined;
  try {
    await setClock(cloud, chinaTime(`${options.now}:00`), { fireTriggers: false });
    await options.before?.(cloud);
    preview = await startPreviewServer({
      port: 0,
      localCloudUrl: cloud.url,
      miniprogramRoot: path.join(ROOT, 'miniprogram'),
      templatesFile: path.join(ROOT, 'local-cloud', 'templates.json'),
      log: (line) => problems.push(line),
    });
    // A citizen's phone in China; the machine itself runs in UTC (CI).
    context = await browser.newContext({
      viewport: { width: 1000, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      async (route) => {
        problems.push(`request outside 127.0.0.1: ${route.request().url()}`);
        await route.abort();
      },
    );
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`uncaught in the page: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console.error in the page: ${msg.text()}`);
    });
    const query = new URLSearchParams({ openid: options.openid, font: options.font ?? 'normal' });
    const entry = typeof options.path === 'function' ? options.path() : options.path;
    if (entry) query.set('path', entry);
    await page.goto(`${preview.url}/?${query.toString()}`);
    let count = 0;
    const started = preview;
    const opened = context;
    return {
      cloud,
      preview: started,
      context: opened,
      page,
      frame: page.frameLocator('#webview'),
      phone: page.frameLocator('#webview').locator(':is(page:not([hidden]), #overlays)'),
      async inPhone(expression) {
        const frame = page.frames().find((f) => f.url().includes('/frame?'));
        if (!frame) throw new Error('the phone has no web view');
        return frame.evaluate(expression);
      },
      async shot(step) {
        count += 1;
        const file = path.join(dir, `${String(count).padStart(2, '0')}-${slug(step)}.png`);
        // Transitions of Vant's popups and dialogs last 300 ms.
        await page.waitForTimeout(350);
        await page.screenshot({ path: file });
        return file;
      },
      problems: () => [...problems],
      async close() {
        await opened.close();
        await started.close();
        await cloud.stop();
      },
    };
  } catch (err) {
    await context?.close();
    await preview?.close();
    await cloud.stop();
    throw err;
  }
}

/**
 * The frame of an e2e test file: its files run one at a time, one Chromium for the file, and a scene per
 * test, closed after it; a test fails when its scene saw a problem (see `Scene.problems`). Answers the
 * function that opens this test's scene.
 */
export function useScenes(): (options: SceneOptions) => Promise<Scene> {
  oneFileAtATime();
  let browser: Browser | undefined;
  let scene: Scene | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const current = scene;
    scene = undefined;
    if (!current) return;
    await current.shot('end');
    const problems = current.problems();
    await current.close();
    expect(problems).toEqual([]);
  });
  return async (options) => {
    if (!browser) throw new Error('no browser: call useScenes() at the top of the file');
    scene = await openScene(browser, options);
    return scene;
  };
}
