/**
 * `npm run check` must fail on a broken template, a type error and a lint error. Each is proven here on a
 * deliberately broken fixture, with the same tools and configuration the check uses.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkTemplates } from '../../scripts/check-wxml';

const ROOT = path.resolve(__dirname, '../..');

/** Lints `code` as if it stood at `filePath`, with the project's ESLint configuration; returns rule ids. */
function lintRules(code: string, filePath: string): string[] {
  const eslint = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
  const res = spawnSync(
    process.execPath,
    [eslint, '--format', 'json', '--stdin', '--stdin-filename', filePath],
    {
      cwd: ROOT,
      input: code,
    },
  );
  const report = JSON.parse(res.stdout.toString()) as { messages: { ruleId: string | null }[] }[];
  return report.flatMap((file) => file.messages.map((m) => m.ruleId ?? 'parse-error'));
}

describe('npm run check', () => {
  it('compiles the real mini program templates and styles cleanly', () => {
    expect(checkTemplates(path.join(ROOT, 'miniprogram'))).toEqual([]);
  });

  it('fails on an unclosed tag, a broken attribute expression and a broken style', () => {
    const problems = checkTemplates(path.join(ROOT, 'test/fixtures/broken-wxml'));
    expect(problems).toEqual([
      expect.stringMatching(/^pages\/attr\/index\.wxml: .*did you forget \}\}/),
      expect.stringMatching(/^pages\/tag\/index\.wxml: .*expect end-tag `text`/),
      expect.stringMatching(/^pages\/style\/index\.wxss: wcsc: /),
    ]);
  });

  it('fails on type errors under the strict baseline', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const res = spawnSync(process.execPath, [tsc, '-p', 'test/fixtures/type-error'], { cwd: ROOT });
    const out = res.stdout.toString();
    expect(res.status).not.toBe(0);
    expect(out.match(/error TS\d+/g)).toEqual(['error TS7006', 'error TS6133', 'error TS2345']);
  });

  it('fails on lint errors, including the layering rule for pure domain code', () => {
    const floating = lintRules(
      'export function go(): void {\n  Promise.resolve(1);\n}\n',
      'scripts/paths.ts',
    );
    const layering = lintRules(
      "import fs from 'node:fs';\nexport const f = fs;\n",
      'server/domain/china-time.ts',
    );
    expect(floating).toContain('@typescript-eslint/no-floating-promises');
    expect(layering).toContain('no-restricted-imports');
  }, 60_000);
});
