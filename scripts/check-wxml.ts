/**
 * Compiles every `.wxml` and `.wxss` of a mini program folder with WeChat's official compilers (wcc and
 * wcsc, shipped for Linux by the `miniprogram-compiler` package). A broken tag, a bad attribute syntax or
 * an unparsable style fails with the compiler's own message. Usage: `tsx scripts/check-wxml.ts <dir>`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The package has no typings; its API is two functions returning generated JS source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiler = require('miniprogram-compiler') as {
  wxmlToJs(
    root: string,
    options: { wxmlList: string[]; wxsList: string[]; maxBuffer: number },
  ): string;
};

function listFiles(root: string, ext: string, dir = root, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'miniprogram_npm') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(root, ext, full, out);
    else if (entry.name.endsWith(ext))
      out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out.sort();
}

function wcscPath(): string {
  const bin = path.join(
    path.dirname(require.resolve('miniprogram-compiler/package.json')),
    'bin',
    'linux',
    'wcsc',
  );
  // npm may unpack the binary without its execute bit.
  fs.chmodSync(bin, 0o755);
  return bin;
}

export function checkTemplates(root: string): string[] {
  const problems: string[] = [];
  const wxml = listFiles(root, '.wxml');
  const wxs = listFiles(root, '.wxs');
  // wcc compiles the templates one by one so that each error names its file.
  for (const file of wxml) {
    try {
      compiler.wxmlToJs(root, { wxmlList: [file], wxsList: wxs, maxBuffer: 64 * 1024 * 1024 });
    } catch (err) {
      problems.push(`${file}: ${err instanceof Error ? err.message.trim() : String(err)}`);
    }
  }
  const wcsc = wcscPath();
  for (const file of listFiles(root, '.wxss')) {
    const res = spawnSync(wcsc, ['-db', '-pc', '0', file], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (res.status !== 0) {
      const reason = res.error ? res.error.message : res.stderr.toString().trim();
      problems.push(`${file}: wcsc: ${reason || `exit ${String(res.status)}`}`);
    }
  }
  return problems;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? 'miniprogram');
  const problems = checkTemplates(root);
  if (problems.length > 0) {
    console.error(`check-wxml: ${problems.length} file(s) do not compile:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`check-wxml: ${path.relative(process.cwd(), root) || '.'} compiles with wcc/wcsc`);
}
