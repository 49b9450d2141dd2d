/**
 * `npm run build`: the mini program's TypeScript compiled next to its wxml, `miniprogram_npm/` packed
 * offline with miniprogram-ci, and each cloud function bundled into `cloudfunctions/<name>/index.js`
 * so that the folder is exactly what WeChat uploads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { CLOUDFUNCTIONS, MINIPROGRAM, ROOT, SERVER_FUNCTIONS } from './paths';

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'miniprogram_npm') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** The subpackage roots of app.json (`staff/`), each holding its own `pages/` and `components/`. */
function subpackageRoots(): string[] {
  const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8')) as {
    subpackages?: { root: string }[];
    subPackages?: { root: string }[];
  };
  return (app.subpackages ?? app.subPackages ?? []).map((s) => s.root.replace(/^\/|\/$/g, ''));
}

/**
 * Entry points WeChat loads by itself: the app and every page or component `index.ts`, of the main
 * package and of each subpackage.
 */
export function miniprogramEntries(): string[] {
  const roots = ['', ...subpackageRoots().map((r) => `${r}/`)];
  const files = walk(MINIPROGRAM);
  return files.filter((f) => {
    const rel = path.relative(MINIPROGRAM, f).split(path.sep).join('/');
    if (rel === 'app.ts') return true;
    return roots.some((root) => {
      if (!rel.startsWith(root)) return false;
      return /^(pages|components)\/.+\/index\.ts$/.test(rel.slice(root.length));
    });
  });
}

async function buildMiniprogram(): Promise<void> {
  // Each entry is bundled with what it imports (services, utils and the shared pure rules of
  // server/domain), because a mini program cannot require files outside its root.
  await build({
    entryPoints: miniprogramEntries(),
    outdir: MINIPROGRAM,
    outbase: MINIPROGRAM,
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2018',
    charset: 'utf8',
    logLevel: 'warning',
    external: ['@vant/weapp/*'],
  });
}

async function packNpm(): Promise<void> {
  // miniprogram-ci is CommonJS without ESM types for this entry; loaded lazily to keep startup fast.
  const ci = (await import('miniprogram-ci')) as typeof import('miniprogram-ci');
  const result = await ci.packNpmManually({
    packageJsonPath: path.join(ROOT, 'package.json'),
    miniprogramNpmDistDir: MINIPROGRAM,
  });
  if (result.miniProgramPackNum < 1)
    throw new Error('packNpmManually packed no mini program package');
}

export function functionNames(): string[] {
  return fs
    .readdirSync(SERVER_FUNCTIONS, { withFileTypes: true })
    .filter(
      (d) => d.isDirectory() && fs.existsSync(path.join(SERVER_FUNCTIONS, d.name, 'index.ts')),
    )
    .map((d) => d.name)
    .sort();
}

async function buildFunctions(): Promise<void> {
  const names = functionNames();
  for (const name of names) {
    const dir = path.join(CLOUDFUNCTIONS, name);
    for (const required of ['package.json', 'config.json']) {
      if (!fs.existsSync(path.join(dir, required))) {
        throw new Error(`cloudfunctions/${name}/${required} is missing`);
      }
    }
  }
  await Promise.all(
    names.map((name) =>
      build({
        entryPoints: [path.join(SERVER_FUNCTIONS, name, 'index.ts')],
        outfile: path.join(CLOUDFUNCTIONS, name, 'index.js'),
        bundle: true,
        format: 'cjs',
        platform: 'node',
        // The cloud runtime we configure is Node.js 16; nothing newer may leak into the bundle.
        target: 'node16',
        charset: 'utf8',
        logLevel: 'warning',
        // Installed by the platform from the function's package.json, pinned there.
        external: ['wx-server-sdk'],
      }),
    ),
  );
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const started = Date.now();
  if (!only || only === 'miniprogram') {
    await buildMiniprogram();
    await packNpm();
  }
  if (!only || only === 'functions') await buildFunctions();
  console.log(`build: done in ${Date.now() - started} ms`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
