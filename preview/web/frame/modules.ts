/**
 * CommonJS for the mini program's scripts, resolved as WeChat does: relative to the requiring file,
 * absolute from the mini program's root, and a bare name (`@vant/weapp/dialog/dialog`) from
 * `miniprogram_npm/`. A module runs once and is cached, like in WeChat's one module registry per app,
 * except a component's or page's own `index.js` when simulate registers it: that runs again on each
 * registration, because its `Component()` call is what registers.
 */
import { previewApp } from './app-files';

interface Module {
  exports: unknown;
}

type ModuleFunction = (require: (id: string) => unknown, module: Module, exports: unknown) => void;

const cache = new Map<string, Module>();
const compiled = new Map<string, ModuleFunction>();

function normalize(parts: string[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** The module file `id` means when required from `from` (both without a leading slash). */
export function resolve(id: string, from: string): string {
  const modules = previewApp().modules;
  let base: string;
  if (id.startsWith('./') || id.startsWith('../'))
    base = normalize([...dirname(from).split('/'), ...id.split('/')]);
  else if (id.startsWith('/')) base = normalize(id.split('/'));
  else base = normalize(['miniprogram_npm', ...id.split('/')]);
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) {
    if (candidate in modules) return candidate;
  }
  throw new Error(`module "${id}" (required from ${from}) is not in the mini program`);
}

function compile(file: string): ModuleFunction {
  let fn = compiled.get(file);
  if (!fn) {
    const source = previewApp().modules[file];
    // sourceURL names the script in the browser's devtools and stack traces.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the app's code is the point
    fn = new Function(
      'require',
      'module',
      'exports',
      `${source}\n//# sourceURL=/mp/${file}`,
    ) as ModuleFunction;
    compiled.set(file, fn);
  }
  return fn;
}

function run(file: string, module: Module): unknown {
  const requireFrom = (id: string): unknown => requireModule(resolve(id, file));
  compile(file).call(undefined, requireFrom, module, module.exports);
  return module.exports;
}

export function requireModule(file: string): unknown {
  const known = cache.get(file);
  if (known) return known.exports;
  const module: Module = { exports: {} };
  cache.set(file, module);
  try {
    return run(file, module);
  } catch (err) {
    cache.delete(file);
    throw err;
  }
}

/** What a `.js` stub in simulate's file map calls: runs the entry again, into simulate's `module`. */
function runEntry(file: string, module: Module): unknown {
  return run(file, module);
}

declare global {
  interface Window {
    __previewModules?: { runEntry: typeof runEntry; require: typeof requireModule };
  }
}

window.__previewModules = { runEntry, require: requireModule };
