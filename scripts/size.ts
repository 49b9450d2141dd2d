/**
 * `npm run size` (after `npm run build`): what the mini program uploads, per package — the main package
 * and each subpackage — in KB, and a failure when the main package is over our budget.
 *
 * What ships follows project.config.json: files matching `packOptions.ignore` never ship, nor do the
 * sources the build compiles (`.ts`, source maps, `tsconfig.json`). With `setting.ignoreUploadUnusedFiles`
 * (our setting) WeChat DevTools leaves out code no page uses, so the count follows what is reachable: the
 * app files, every page of app.json, their `usingComponents` (global ones included), the modules their
 * JS requires, the templates and WXS their WXML imports or includes, the styles their WXSS imports.
 * Other assets (images, fonts) are counted wherever they are, since references to them may be built at
 * run time.
 *
 * Usage: `tsx scripts/size.ts [--list] [projectDir]` (`--list`: every shipped file, not the 5 largest). Exit 1 when the main package is over BUDGET_KB (or a package
 * over the platform's PACKAGE_LIMIT_KB), 2 when the build output is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

/** Our budget for the main package: a quarter of what the platform allows, for a fast first open. */
export const BUDGET_KB = 500;
/** The platform refuses any single package above 2 MB. */
export const PACKAGE_LIMIT_KB = 2048;

const CODE_EXTENSIONS = ['.js', '.json', '.wxml', '.wxss', '.wxs'];
/** Never uploaded whatever packOptions says: what the build compiles from. */
const SOURCE_SUFFIXES = ['.ts', '.map', '.md'];
const SOURCE_FILES = ['tsconfig.json'];

interface IgnoreRule {
  type: 'suffix' | 'prefix' | 'file' | 'folder' | 'regexp' | 'glob';
  value: string;
}

interface ProjectConfig {
  miniprogramRoot?: string;
  setting?: { ignoreUploadUnusedFiles?: boolean };
  packOptions?: { ignore?: IgnoreRule[] };
}

interface SubPackage {
  root: string;
  pages: string[];
}

interface AppJson {
  pages: string[];
  subpackages?: SubPackage[];
  subPackages?: SubPackage[];
  usingComponents?: Record<string, string>;
  sitemapLocation?: string;
}

export interface PackageSize {
  name: string;
  root: string;
  files: number;
  bytes: number;
  /** Every shipped file of the package, largest first. */
  shipped: { file: string; bytes: number }[];
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when a file (path relative to the mini program root, `/`-separated) never ships. */
export function ignored(rel: string, rules: readonly IgnoreRule[]): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (SOURCE_SUFFIXES.some((s) => rel.endsWith(s)) || SOURCE_FILES.includes(base)) return true;
  return rules.some((rule) => {
    const value = rule.value.replace(/^\.?\//, '');
    switch (rule.type) {
      case 'suffix':
        return rel.endsWith(rule.value);
      case 'prefix':
        return base.startsWith(rule.value);
      case 'file':
        return rel === value;
      case 'folder':
        return rel.startsWith(`${value.replace(/\/$/, '')}/`);
      case 'regexp':
        return new RegExp(rule.value).test(rel);
      case 'glob':
        return globToRegExp(value).test(rel);
    }
  });
}

/** The files (absolute) that code reachable from the app and its pages needs. */
function reachable(root: string, app: AppJson): Set<string> {
  const found = new Set<string>();
  const npm = path.join(root, 'miniprogram_npm');
  const globalComponents = app.usingComponents ?? {};

  const add = (file: string): boolean => {
    if (found.has(file) || !fs.existsSync(file)) return false;
    found.add(file);
    return true;
  };

  /** A module path as `require` in the mini program resolves it. */
  const resolveModule = (from: string, spec: string): string | undefined => {
    const bases = spec.startsWith('.')
      ? [path.resolve(path.dirname(from), spec)]
      : spec.startsWith('/')
        ? [path.join(root, spec)]
        : [path.join(npm, spec), path.resolve(path.dirname(from), spec)];
    for (const base of bases) {
      for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
      }
    }
    return undefined;
  };

  const visitScript = (file: string): void => {
    if (!add(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const target = m[1] ? resolveModule(file, m[1]) : undefined;
      if (target) visitScript(target);
    }
  };

  const resolveAsset = (from: string, src: string): string =>
    src.startsWith('/') ? path.join(root, src) : path.resolve(path.dirname(from), src);

  const visitTemplate = (file: string): void => {
    if (!add(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    for (const [, kind, src] of text.matchAll(/<(import|include|wxs)\b[^>]*\bsrc="([^"{}]+)"/g)) {
      if (src === undefined) continue;
      let target = resolveAsset(file, src);
      if (kind !== 'wxs' && !target.endsWith('.wxml')) target += '.wxml';
      if (kind === 'wxs') visitScript(target);
      else visitTemplate(target);
    }
  };

  const visitStyle = (file: string): void => {
    if (!add(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@import\s+['"]([^'"]+)['"]/g)) {
      if (m[1]) visitStyle(resolveAsset(file, m[1]));
    }
  };

  /** A page or component: its four files and everything they use. */
  const visitUnit = (base: string): void => {
    if (found.has(`${base}.json`) || found.has(`${base}.js`)) return;
    const json = `${base}.json`;
    let using: Record<string, string> = {};
    if (add(json)) {
      using =
        (readJson(json) as { usingComponents?: Record<string, string> }).usingComponents ?? {};
    }
    visitScript(`${base}.js`);
    visitTemplate(`${base}.wxml`);
    visitStyle(`${base}.wxss`);
    for (const target of Object.values({ ...globalComponents, ...using })) {
      if (target.startsWith('plugin://')) continue;
      let unit: string;
      if (target.startsWith('/')) unit = path.join(root, target);
      else if (target.startsWith('.')) unit = path.resolve(path.dirname(base), target);
      else unit = path.join(npm, target);
      visitUnit(unit);
    }
  };

  for (const name of ['app.js', 'app.json', 'app.wxss', app.sitemapLocation ?? 'sitemap.json']) {
    const file = path.join(root, name);
    if (name.endsWith('.js')) visitScript(file);
    else if (name.endsWith('.wxss')) visitStyle(file);
    else add(file);
  }
  for (const page of app.pages) visitUnit(path.join(root, page));
  for (const sub of app.subpackages ?? app.subPackages ?? []) {
    for (const page of sub.pages) visitUnit(path.join(root, sub.root, page));
  }
  return found;
}

/** The sizes of the main package and each subpackage of the mini program of `projectDir`. */
export function measure(projectDir: string): PackageSize[] {
  const config = readJson(path.join(projectDir, 'project.config.json')) as ProjectConfig;
  const root = path.join(projectDir, config.miniprogramRoot ?? '');
  const app = readJson(path.join(root, 'app.json')) as AppJson;
  const rules = config.packOptions?.ignore ?? [];
  const subs = app.subpackages ?? app.subPackages ?? [];

  const missing = [...app.pages, ...subs.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
    .map((p) => path.join(root, `${p.replace(/\/+/g, '/')}.js`))
    .filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new BuildMissingError(
      `no build output for ${missing.map((f) => posix(path.relative(projectDir, f))).join(', ')}`,
    );
  }

  const used = config.setting?.ignoreUploadUnusedFiles === true ? reachable(root, app) : undefined;
  const mainPackage: PackageSize = { name: 'main', root: '', files: 0, bytes: 0, shipped: [] };
  const packages: PackageSize[] = [
    mainPackage,
    ...subs.map((s) => ({
      name: s.root.replace(/\/$/, ''),
      root: `${s.root.replace(/^\/|\/$/g, '')}/`,
      files: 0,
      bytes: 0,
      shipped: [],
    })),
  ];
  for (const file of walk(root)) {
    const rel = posix(path.relative(root, file));
    if (ignored(rel, rules)) continue;
    const isCode = CODE_EXTENSIONS.some((e) => rel.endsWith(e));
    if (isCode && used && !used.has(file)) continue;
    const pkg = packages.find((p) => p.root !== '' && rel.startsWith(p.root)) ?? mainPackage;
    const bytes = fs.statSync(file).size;
    pkg.files += 1;
    pkg.bytes += bytes;
    pkg.shipped.push({ file: rel, bytes });
  }
  for (const pkg of packages) pkg.shipped.sort((a, b) => b.bytes - a.bytes);
  return packages;
}

export class BuildMissingError extends Error {}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function main(): number {
  const args = process.argv.slice(2);
  const list = args.includes('--list');
  const projectDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? ROOT);
  let packages: PackageSize[];
  try {
    packages = measure(projectDir);
  } catch (err) {
    if (err instanceof BuildMissingError) {
      console.error(`size: ${err.message}; run \`npm run build\` first`);
      return 2;
    }
    throw err;
  }
  const problems: string[] = [];
  for (const pkg of packages) {
    const limit = pkg.name === 'main' ? BUDGET_KB : PACKAGE_LIMIT_KB;
    const label = pkg.name === 'main' ? 'main package' : `subpackage ${pkg.name}`;
    console.log(
      `${label.padEnd(28)} ${kb(pkg.bytes).padStart(10)}  ${String(pkg.files).padStart(4)} files  (limit ${limit} KB)`,
    );
    for (const f of list ? pkg.shipped : pkg.shipped.slice(0, 5)) {
      console.log(`    ${kb(f.bytes).padStart(10)}  ${f.file}`);
    }
    if (pkg.bytes > limit * 1024) problems.push(`${label} is ${kb(pkg.bytes)}, over ${limit} KB`);
  }
  if (packages.length === 1) console.log('(no subpackages)');
  const total = packages.reduce((n, p) => n + p.bytes, 0);
  console.log(`${'total'.padEnd(28)} ${kb(total).padStart(10)}`);
  if (problems.length > 0) {
    console.error(`size: ${problems.join('; ')}`);
    return 1;
  }
  return 0;
}

// Run as a script (not when a test imports it for `measure`).
if (process.argv[1] && path.resolve(process.argv[1]) === __filename) process.exit(main());
