/**
 * The mini program as the server bundled it (preview/src/bundle.ts): `window.__PREVIEW_APP__`, loaded
 * by a script tag before the frame boots. miniprogram-simulate's browser build reads component files
 * from `window.__FILE_MAP__`; this fills that map.
 */

/** A template compiled by wcc: what `$gwx(path)` answers, which simulate hands to j-component. */
export type TemplateFunction = (...args: unknown[]) => unknown;

export interface AppJson {
  pages: string[];
  subpackages?: { root: string; pages: string[] }[];
  subPackages?: { root: string; pages: string[] }[];
  window?: WindowConfig;
  tabBar?: {
    color?: string;
    selectedColor?: string;
    backgroundColor?: string;
    list: { pagePath: string; text: string }[];
  };
  entryPagePath?: string;
}

export interface WindowConfig {
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: 'white' | 'black';
  backgroundColor?: string;
  enablePullDownRefresh?: boolean;
}

export interface PreviewApp {
  gwx: (path: string) => TemplateFunction;
  app: AppJson;
  /** `.wxml` paths (from the root, no leading slash). */
  wxml: string[];
  /** `.json` and `.wxss` contents by path. */
  text: Record<string, string>;
  /** `.js` sources by path. */
  modules: Record<string, string>;
}

declare global {
  interface Window {
    __PREVIEW_APP__?: PreviewApp;
    __FILE_MAP__?: Record<string, string | TemplateFunction>;
  }
}

export function previewApp(): PreviewApp {
  const app = window.__PREVIEW_APP__;
  if (!app) throw new Error('the mini program bundle (/preview/app.js) did not load');
  return app;
}

/**
 * simulate's browser `fs.readFileSync`: JSON and WXSS as text, a `.wxml` as its compiled template
 * function (what simulate's `compiler: 'official'` accepts in a browser, where it cannot run wcc), and a
 * `.js` as a stub that runs the module through the frame's loader (modules.ts) — simulate's own runner
 * gives a module no `exports` and resolves no npm paths.
 */
export function installFileMap(app: PreviewApp): void {
  const map: Record<string, string | TemplateFunction> = { ...app.text };
  for (const file of app.wxml) {
    let compiled: TemplateFunction | undefined;
    Object.defineProperty(map, file, {
      enumerable: true,
      get: () => (compiled ??= app.gwx(file)),
    });
  }
  for (const file of Object.keys(app.modules)) {
    map[file] = `return window.__previewModules.runEntry(${JSON.stringify(file)}, module);`;
  }
  window.__FILE_MAP__ = map;
}

/** The page's own JSON (`navigationBarTitleText`, `enablePullDownRefresh`…). */
export function pageJson(route: string): WindowConfig {
  const text = previewApp().text[`${route}.json`];
  return text ? (JSON.parse(text) as WindowConfig) : {};
}
