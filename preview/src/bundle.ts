/**
 * The built mini program as one script for the browser: every template compiled by WeChat's own `wcc`
 * (miniprogram-compiler's `wxmlToJs`, the `$gwx` that WeChat DevTools and miniprogram-simulate's
 * `compiler: 'official'` use), every JSON with npm component paths resolved to `miniprogram_npm/` as
 * WeChat's npm support does, every stylesheet in phone pixels (wxss.ts) with `app.wxss` applied to each
 * page, and every `.js` as module source for the frame's CommonJS loader. Nothing is written to disk.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { forPhone, SCREEN_WIDTH } from './wxss';

// The package has no typings; its API is functions returning generated JS source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiler = require('miniprogram-compiler') as {
  wxmlToJs(root: string, options: { maxBuffer: number }): string;
};

export interface AppJson {
  pages: string[];
  subpackages?: { root: string; pages: string[] }[];
  subPackages?: { root: string; pages: string[] }[];
  [key: string]: unknown;
}

interface ComponentJson {
  usingComponents?: Record<string, string>;
  [key: string]: unknown;
}

function walk(dir: string, root: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, root, out);
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

/** Every page route of app.json, subpackages included (`pages/home/index`). */
export function pageRoutes(app: AppJson): string[] {
  const subpackages = app.subpackages ?? app.subPackages ?? [];
  return [
    ...app.pages,
    ...subpackages.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`)),
  ];
}

/**
 * `"van-cell": "@vant/weapp/cell/index"` → `"/miniprogram_npm/@vant/weapp/cell/index"`, as WeChat resolves
 * a component path that is neither relative nor absolute. Other paths are kept.
 */
export function resolveComponentPaths(json: ComponentJson, root: string): ComponentJson {
  if (!json.usingComponents) return json;
  const using: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents)) {
    const npm = !target.startsWith('/') && !target.startsWith('.') && !target.includes('://');
    using[tag] =
      npm && fs.existsSync(path.join(root, 'miniprogram_npm', `${target}.json`))
        ? `/miniprogram_npm/${target}`
        : target;
  }
  return { ...json, usingComponents: using };
}

/** The mini program as the browser gets it (see web/frame/app-files.ts for the browser's side). */
export interface BundleData {
  app: AppJson;
  /** `.wxml` paths from the root; their compiled templates are in `gwx`. */
  wxml: string[];
  /** `.json` and `.wxss` contents by path, as the preview serves them. */
  text: Partial<Record<string, string>>;
  /** `.js` sources by path. */
  modules: Record<string, string>;
  /** wcc's output: a function body answering `$gwx`. */
  gwx: string;
}

export interface Bundle {
  data: BundleData;
  /** The script: assigns `window.__PREVIEW_APP__`. */
  script: string;
  /** Changes whenever a file of the mini program changes. */
  etag: string;
}

function fingerprint(root: string, files: string[]): string {
  const hash = createHash('sha1');
  for (const f of files) {
    const stat = fs.statSync(path.join(root, f));
    hash.update(`${f}:${stat.size}:${stat.mtimeMs};`);
  }
  return hash.digest('hex').slice(0, 16);
}

function build(root: string, files: string[], screenWidth: number): BundleData {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as AppJson;
  const pages = new Set(pageRoutes(app));
  const text: Partial<Record<string, string>> = {};
  const modules: Record<string, string> = {};
  const wxml: string[] = [];
  for (const file of files) {
    const full = path.join(root, file);
    const ext = path.extname(file);
    if (ext === '.json') {
      const json = JSON.parse(fs.readFileSync(full, 'utf8')) as ComponentJson;
      text[file] = JSON.stringify(resolveComponentPaths(json, root));
    } else if (ext === '.wxss') {
      text[file] = forPhone(fs.readFileSync(full, 'utf8'), screenWidth);
    } else if (ext === '.js') {
      modules[file] = fs.readFileSync(full, 'utf8');
    } else if (ext === '.wxml') {
      wxml.push(file);
    }
  }
  // app.wxss applies to every page (not to components, which WeChat isolates).
  if (text['app.wxss'] !== undefined) {
    for (const page of pages) {
      // Relative: simulate joins an import to the importing file's folder, even a "/…" one.
      const appWxss = path.posix.relative(path.posix.dirname(page), 'app.wxss');
      text[`${page}.wxss`] = `@import "${appWxss}";\n${text[`${page}.wxss`] ?? ''}`;
    }
  }
  // wcc's wrapper reads each JSON with `require`, whose cache would keep a page's old components.
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- require.cache is keyed by path
    if (file.endsWith('.json')) delete require.cache[path.join(root, file)];
  }
  const gwx = compiler.wxmlToJs(root, { maxBuffer: 256 * 1024 * 1024 });
  return { app, wxml, text, modules, gwx };
}

function script(data: BundleData): string {
  return [
    '// Generated by preview/src/bundle.ts from the built mini program; not a source file.',
    'window.__PREVIEW_APP__ = {',
    `  gwx: (function () {\n${data.gwx}\n})(),`,
    `  app: ${JSON.stringify(data.app)},`,
    `  wxml: ${JSON.stringify(data.wxml)},`,
    `  text: ${JSON.stringify(data.text)},`,
    `  modules: ${JSON.stringify(data.modules)},`,
    '};',
  ].join('\n');
}

/**
 * Builds the bundle of `root` (the mini program folder) for a screen `screenWidth` px wide (rpx follow
 * the width), reusing the last one of that width while nothing changed.
 */
export function bundler(root: string): (screenWidth?: number) => Bundle {
  const last = new Map<number, Bundle>();
  return (screenWidth = SCREEN_WIDTH) => {
    if (!fs.existsSync(path.join(root, 'app.json'))) {
      throw new Error(`${root} has no app.json`);
    }
    const files = walk(root, root).filter((f) => /\.(json|wxss|js|wxml|wxs)$/.test(f));
    if (!files.some((f) => f.endsWith('.js') && f === 'app.js')) {
      throw new Error(`${root}/app.js is missing: run npm run build first`);
    }
    const etag = fingerprint(root, files);
    const known = last.get(screenWidth);
    if (known?.etag === etag) return known;
    const data = build(root, files, screenWidth);
    const bundle = { data, script: script(data), etag };
    last.set(screenWidth, bundle);
    return bundle;
  };
}
